# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "ITSM Service Reports",
    "summary": "Service report per customer and period (SLA results, non-conformities, workload, "
    "satisfaction, improvements, trends), issued once and frozen, as PDF, XLSX and on the portal",
    "version": "18.0.2.0.0",
    "category": "Services/IT Service Management",
    "website": "https://github.com/odoo-itsm/odoo-itsm",
    "author": "Odoo ITSM",
    "license": "LGPL-3",
    "installable": True,
    "depends": ["itsm_helpdesk", "itsm_sla", "itsm_complaints", "itsm_satisfaction", "portal"],
    "external_dependencies": {"python": ["xlsxwriter"]},
    "data": [
        "security/itsm_service_report_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "report/itsm_service_report_templates.xml",
        "views/itsm_service_report_views.xml",
        "views/portal_templates.xml",
        "views/itsm_improvement_action_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/itsm_service_report_demo.xml",
    ],
}
