from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    itsm_complaint_process_owner_id = fields.Many2one(
        related="company_id.itsm_complaint_process_owner_id", readonly=False
    )
    itsm_complaint_management_id = fields.Many2one(
        related="company_id.itsm_complaint_management_id", readonly=False
    )
