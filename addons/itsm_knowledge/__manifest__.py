# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "ITSM Knowledge Base",
    "summary": "Knowledge articles internal or published on the portal, written from ticket "
    "resolutions, suggested to requesters as they type, and self-service deflections counted",
    "version": "18.0.2.0.0",
    "category": "Services/IT Service Management",
    "website": "https://github.com/odoo-itsm/odoo-itsm",
    "author": "Odoo ITSM",
    "license": "LGPL-3",
    "installable": True,
    "depends": ["itsm_helpdesk", "portal", "mail"],
    "data": [
        "security/ir.model.access.csv",
        "security/itsm_knowledge_security.xml",
        "views/itsm_kb_article_views.xml",
        "views/itsm_kb_deflection_views.xml",
        "views/itsm_ticket_views.xml",
        "views/portal_templates.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/itsm_knowledge_demo.xml",
    ],
    "assets": {
        "web.assets_frontend": [
            "itsm_knowledge/static/src/js/knowledge_portal.js",
            "itsm_knowledge/static/src/xml/knowledge_portal.xml",
        ],
        "web.assets_tests": [
            "itsm_knowledge/static/src/js/tours/*.js",
        ],
    },
}
