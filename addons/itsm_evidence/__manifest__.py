# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "ITSM ISO/IEC 20000 Evidence",
    "summary": "One formula-safe workbook of a company's service management records for a period, "
    "a sheet per ISO/IEC 20000-1 clause an auditor checks, with an export log",
    "version": "18.0.2.0.0",
    "category": "Services/IT Service Management",
    "website": "https://github.com/odoo-itsm/odoo-itsm",
    "author": "Odoo ITSM",
    "license": "LGPL-3",
    "installable": True,
    "depends": ["itsm_helpdesk", "itsm_sla", "itsm_complaints", "itsm_satisfaction", "itsm_vendor"],
    "external_dependencies": {"python": ["xlsxwriter"]},
    "data": [
        "security/itsm_evidence_security.xml",
        "security/ir.model.access.csv",
        "views/itsm_evidence_export_views.xml",
        "wizards/itsm_evidence_export_wizard_views.xml",
        "views/menus.xml",
    ],
}
