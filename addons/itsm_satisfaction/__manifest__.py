# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "ITSM Satisfaction",
    "summary": "Ticket ratings (e-mail, portal, on site, default), callback campaigns "
    "without survey fatigue, overall service surveys and satisfaction analysis",
    "version": "18.0.1.0.0",
    "category": "Services/IT Service Management",
    "website": "https://github.com/odoo-itsm/odoo-itsm",
    "author": "Odoo ITSM",
    "license": "LGPL-3",
    "installable": True,
    "depends": ["itsm_helpdesk", "rating", "survey", "portal"],
    "external_dependencies": {"python": ["xlsxwriter"]},
    "data": [
        "security/itsm_satisfaction_security.xml",
        "security/ir.model.access.csv",
        "data/itsm_satisfaction_data.xml",
        "data/mail_template_data.xml",
        "data/survey_data.xml",
        "data/ir_cron_data.xml",
        "views/rating_rating_views.xml",
        "views/itsm_ticket_views.xml",
        "views/itsm_team_views.xml",
        "views/itsm_callback_campaign_views.xml",
        "views/itsm_callback_views.xml",
        "views/itsm_survey_contact_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/portal_templates.xml",
        "wizards/itsm_ticket_rating_wizard_views.xml",
        "wizards/itsm_satisfaction_report_wizard_views.xml",
        "report/itsm_satisfaction_report_views.xml",
        "report/itsm_satisfaction_report_templates.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/itsm_satisfaction_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "itsm_satisfaction/static/src/js/tours/*.js",
        ],
    },
}
