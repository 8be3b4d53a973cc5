# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "ITSM Service Level Management",
    "summary": "SLA contracts with working-time clocks, pauses, warnings, escalation, "
    "trial runs, compliance reports and periodic reviews",
    "version": "18.0.2.1.0",
    "category": "Services/IT Service Management",
    "website": "https://github.com/odoo-itsm/odoo-itsm",
    "author": "Odoo ITSM",
    "license": "LGPL-3",
    "application": False,
    "installable": True,
    "depends": ["itsm_helpdesk", "resource", "mail"],
    "external_dependencies": {"python": ["xlsxwriter"]},
    "data": [
        "security/itsm_sla_security.xml",
        "security/ir.model.access.csv",
        "data/itsm_sla_data.xml",
        "data/ir_cron_data.xml",
        "views/itsm_sla_contract_views.xml",
        "views/itsm_sla_requirement_views.xml",
        "views/itsm_ticket_sla_views.xml",
        "views/itsm_ticket_views.xml",
        "views/itsm_sla_review_views.xml",
        "report/itsm_sla_report_views.xml",
        "report/itsm_sla_compliance_report.xml",
        "views/res_partner_views.xml",
        "views/resource_calendar_views.xml",
        "views/portal_templates.xml",
        "views/itsm_improvement_action_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/itsm_sla_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "itsm_sla/static/src/js/tours/*.js",
        ],
    },
}
