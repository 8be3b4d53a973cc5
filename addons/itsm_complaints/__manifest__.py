# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "ITSM Complaints",
    "summary": "Confidential complaint and suggestion management: portal, e-mail and phone intake, "
    "lifecycle with step deadlines and escalation, monthly and annual reviews, improvement actions",
    "version": "18.0.1.0.0",
    "category": "Services/IT Service Management",
    "website": "https://github.com/odoo-itsm/odoo-itsm",
    "author": "Odoo ITSM",
    "license": "LGPL-3",
    "application": True,
    "installable": True,
    "depends": ["itsm_helpdesk", "portal", "mail"],
    "external_dependencies": {"python": ["xlsxwriter"]},
    "data": [
        "security/itsm_complaints_security.xml",
        "security/ir.model.access.csv",
        "data/itsm_complaint_data.xml",
        "data/mail_template_data.xml",
        "data/ir_cron_data.xml",
        "views/itsm_complaint_views.xml",
        "views/itsm_complaint_review_views.xml",
        "views/itsm_improvement_action_views.xml",
        "views/itsm_complaint_config_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/portal_templates.xml",
        "report/itsm_complaint_review_report.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/itsm_complaint_demo.xml",
    ],
}
