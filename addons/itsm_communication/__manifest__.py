# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "ITSM Stakeholder Communication",
    "summary": "Stakeholder register, communication plans delivered and evaluated each period, "
    "KPI digests, service relationship reviews, the relationship manager kept informed "
    "and anonymous staff morale pulses",
    "version": "18.0.2.0.0",
    "category": "Services/IT Service Management",
    "website": "https://github.com/odoo-itsm/odoo-itsm",
    "author": "Odoo ITSM",
    "license": "LGPL-3",
    "installable": True,
    "depends": ["itsm_helpdesk", "itsm_sla", "itsm_complaints", "itsm_satisfaction", "survey", "portal"],
    "data": [
        "security/itsm_communication_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "data/survey_data.xml",
        "data/mail_template_data.xml",
        "views/itsm_stakeholder_views.xml",
        "views/itsm_communication_plan_views.xml",
        "views/itsm_communication_delivery_views.xml",
        "views/itsm_communication_plan_review_views.xml",
        "views/itsm_communication_highlight_views.xml",
        "views/itsm_relationship_review_views.xml",
        "views/itsm_relationship_notice_views.xml",
        "views/itsm_improvement_action_views.xml",
        "views/res_partner_views.xml",
        "views/itsm_agent_figures_views.xml",
        "views/itsm_morale_pulse_views.xml",
        "views/itsm_morale_report_views.xml",
        "views/portal_templates.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/itsm_communication_demo.xml",
    ],
}
