# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "IT Service Management",
    "summary": "The whole ITSM suite in one install: service desk, SLAs, complaints and satisfaction",
    "description": """
Installs the service desk, service level management, complaints and satisfaction modules
of the Odoo ITSM suite, and holds the suite's cross-module access matrix test.
""",
    "version": "18.0.1.0.0",
    "category": "Services/IT Service Management",
    "website": "https://github.com/odoo-itsm/odoo-itsm",
    "author": "Odoo ITSM",
    "license": "LGPL-3",
    "application": True,
    "installable": True,
    "depends": ["itsm_helpdesk", "itsm_sla", "itsm_complaints", "itsm_satisfaction"],
    "data": [],
}
