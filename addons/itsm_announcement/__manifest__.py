# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "ITSM Announcements",
    "summary": "Faults, planned changes and new services announced on the portal and above the "
    "agents' ticket views within a display window, e-mailed once to the affected customers",
    "version": "18.0.2.0.0",
    "category": "Services/IT Service Management",
    "website": "https://github.com/odoo-itsm/odoo-itsm",
    "author": "Odoo ITSM",
    "license": "LGPL-3",
    "installable": True,
    "depends": ["itsm_helpdesk", "portal", "mail"],
    "data": [
        "security/ir.model.access.csv",
        "security/itsm_announcement_security.xml",
        "security/itsm_announcement_window_security.xml",
        "data/itsm_announcement_data.xml",
        "views/itsm_announcement_views.xml",
        "views/itsm_announcement_templates.xml",
    ],
    "demo": [
        "demo/itsm_announcement_demo.xml",
    ],
    "assets": {
        "web.assets_frontend": [
            "itsm_announcement/static/src/scss/announcement.scss",
        ],
        "web.assets_backend": [
            "itsm_announcement/static/src/views/**/*",
            "itsm_announcement/static/src/scss/announcement.scss",
        ],
        "web.assets_tests": [
            "itsm_announcement/static/src/js/tours/*.js",
        ],
    },
}
