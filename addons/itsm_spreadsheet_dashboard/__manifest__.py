# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "ITSM Dashboards",
    "summary": "Desk lead, service manager and management dashboards in Odoo's Dashboards app, "
    "each figure opening the records behind it",
    "version": "18.0.2.0.0",
    "category": "Services/IT Service Management",
    "website": "https://github.com/odoo-itsm/odoo-itsm",
    "author": "Odoo ITSM",
    "license": "LGPL-3",
    "installable": True,
    "auto_install": True,
    "depends": [
        "spreadsheet_dashboard",
        "itsm_helpdesk",
        "itsm_sla",
        "itsm_complaints",
        "itsm_satisfaction",
        "itsm_communication",
    ],
    "data": [
        "security/ir.model.access.csv",
        "data/dashboards.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "itsm_spreadsheet_dashboard/static/tests/tours/*.js",
        ],
    },
}
