# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "ITSM SLA - Vendor Liaison",
    "summary": "Underpinning contracts: SLA clocks on the time tickets wait on a vendor",
    "version": "18.0.2.0.0",
    "category": "Services/IT Service Management",
    "website": "https://github.com/odoo-itsm/odoo-itsm",
    "author": "Odoo ITSM",
    "license": "LGPL-3",
    "application": False,
    "installable": True,
    "auto_install": True,
    "depends": ["itsm_sla", "itsm_vendor"],
    "data": [
        "views/itsm_sla_contract_views.xml",
    ],
}
