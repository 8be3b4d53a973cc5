# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "ITSM Monitoring Alerts",
    "summary": "Monitoring tools open, fold and close incidents through a token-protected alert endpoint",
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
        "security/itsm_monitoring_security.xml",
        "views/itsm_monitoring_source_views.xml",
        "views/itsm_monitoring_alert_views.xml",
        "views/itsm_ticket_views.xml",
        "wizards/itsm_monitoring_token_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/itsm_monitoring_demo.xml",
    ],
}
