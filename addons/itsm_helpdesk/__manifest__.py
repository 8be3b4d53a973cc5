# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "ITSM Service Desk",
    "summary": "Single point of contact for IT: incidents, service requests, "
    "changes and questions, support lines 1-3, e-mail and portal intake",
    "version": "18.0.1.0.0",
    "category": "Services/IT Service Management",
    "website": "https://github.com/odoo-itsm/odoo-itsm",
    "author": "Odoo ITSM",
    "license": "LGPL-3",
    "application": True,
    "installable": True,
    "depends": ["mail", "portal", "resource"],
    "data": [
        "security/itsm_security.xml",
        "security/ir.model.access.csv",
        "security/itsm_improvement_security.xml",
        "data/mail_template_data.xml",
        "data/itsm_data.xml",
        "data/ir_cron_data.xml",
        "data/itsm_catalogue_data.xml",
        "views/itsm_ticket_views.xml",
        "views/itsm_team_views.xml",
        "views/itsm_config_views.xml",
        "views/itsm_request_template_views.xml",
        "views/itsm_problem_views.xml",
        "views/itsm_improvement_action_views.xml",
        "views/itsm_dashboard_views.xml",
        "views/res_config_settings_views.xml",
        "views/res_partner_views.xml",
        "wizards/itsm_ticket_escalate_views.xml",
        "report/itsm_ticket_report.xml",
        "views/portal_templates.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/itsm_demo.xml",
    ],
    "assets": {
        "web.assets_frontend": [
            "itsm_helpdesk/static/src/scss/portal.scss",
        ],
        "web.assets_tests": [
            "itsm_helpdesk/static/src/js/tours/*.js",
        ],
    },
}
