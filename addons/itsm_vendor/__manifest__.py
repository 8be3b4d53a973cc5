# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "ITSM Vendor Liaison",
    "summary": "Escalate tickets to IT vendors, follow their answer and outcome, "
    "and analyse vendor performance",
    "version": "18.0.2.0.0",
    "category": "Services/IT Service Management",
    "website": "https://github.com/odoo-itsm/odoo-itsm",
    "author": "Odoo ITSM",
    "license": "LGPL-3",
    "application": False,
    "installable": True,
    "depends": ["itsm_helpdesk"],
    "data": [
        "security/ir.model.access.csv",
        "security/itsm_vendor_security.xml",
        "views/itsm_vendor_ticket_views.xml",
        "report/itsm_vendor_ticket_report_views.xml",
        "views/itsm_ticket_views.xml",
        "views/res_partner_views.xml",
        "wizards/itsm_ticket_vendor_escalate_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/itsm_vendor_demo.xml",
    ],
}
