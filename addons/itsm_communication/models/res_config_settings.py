from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    itsm_coverage_months = fields.Integer(related="company_id.itsm_coverage_months", readonly=False)
