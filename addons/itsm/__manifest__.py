# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "IT Service Management",
    "summary": "The whole ITSM suite in one install: service desk, SLAs, complaints and satisfaction",
    "version": "18.0.1.0.0",
    "category": "Services/IT Service Management",
    "website": "https://github.com/odoo-itsm/odoo-itsm",
    "author": "Odoo ITSM",
    "license": "LGPL-3",
    "application": True,
    "installable": True,
    "depends": [
        "itsm_helpdesk",
        "itsm_sla",
        "itsm_complaints",
        "itsm_satisfaction",
        "itsm_service_report",
        "itsm_communication",
        "itsm_management_report",
        "itsm_evidence",
        "itsm_spreadsheet_dashboard",
    ],
    "data": [],
}
