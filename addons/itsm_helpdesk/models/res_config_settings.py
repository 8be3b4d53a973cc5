from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    itsm_access_token_days = fields.Integer(related="company_id.itsm_access_token_days", readonly=False)
    itsm_major_min_priority = fields.Selection(related="company_id.itsm_major_min_priority", readonly=False)
    itsm_major_min_affected_users = fields.Integer(
        related="company_id.itsm_major_min_affected_users", readonly=False
    )
    itsm_major_min_affected_customers = fields.Integer(
        related="company_id.itsm_major_min_affected_customers", readonly=False
    )
    itsm_major_manager_id = fields.Many2one(related="company_id.itsm_major_manager_id", readonly=False)
    itsm_major_notify_user_ids = fields.Many2many(
        related="company_id.itsm_major_notify_user_ids", readonly=False
    )
    itsm_major_notify_group_id = fields.Many2one(
        related="company_id.itsm_major_notify_group_id", readonly=False
    )
