# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "ITSM Service Desk - CRM",
    "summary": "Link service-desk tickets to CRM leads and opportunities",
    "version": "18.0.2.0.0",
    "category": "Services/IT Service Management",
    "website": "https://github.com/odoo-itsm/odoo-itsm",
    "author": "Odoo ITSM",
    "license": "LGPL-3",
    "installable": True,
    "auto_install": True,
    "depends": ["itsm_helpdesk", "crm"],
    "data": [
        "views/itsm_ticket_views.xml",
        "views/crm_lead_views.xml",
    ],
}
