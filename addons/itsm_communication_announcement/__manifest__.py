# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "ITSM Communication of Announcements",
    "summary": "Bridge: the announcements digest, a content of the stakeholder communication plans",
    "version": "18.0.2.0.0",
    "category": "Services/IT Service Management",
    "website": "https://github.com/odoo-itsm/odoo-itsm",
    "author": "Odoo ITSM",
    "license": "LGPL-3",
    "installable": True,
    "auto_install": True,
    "depends": ["itsm_communication", "itsm_announcement"],
    "data": [
        "views/portal_templates.xml",
    ],
    "demo": [
        "demo/itsm_communication_announcement_demo.xml",
    ],
}
