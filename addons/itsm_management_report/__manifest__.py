# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "ITSM Management Report",
    "summary": "Management report of the whole company per quarter and year (services, teams, suppliers, "
    "staff workload, major incidents, satisfaction, complaints, improvements, highlights, trends), "
    "issued once and frozen, as PDF and XLSX, delivered by the communication plan",
    "version": "18.0.2.0.0",
    "category": "Services/IT Service Management",
    "website": "https://github.com/odoo-itsm/odoo-itsm",
    "author": "Odoo ITSM",
    "license": "LGPL-3",
    "installable": True,
    "auto_install": True,
    "depends": ["itsm_service_report", "itsm_communication", "itsm_sla_vendor"],
    "external_dependencies": {"python": ["xlsxwriter"]},
    "data": [
        "security/itsm_management_report_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "report/itsm_management_report_templates.xml",
        "views/itsm_management_report_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/itsm_management_report_demo.xml",
    ],
}
