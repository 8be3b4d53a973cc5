from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    itsm_survey_min_days = fields.Integer(related="company_id.itsm_survey_min_days", readonly=False)
    itsm_default_rating_days = fields.Integer(related="company_id.itsm_default_rating_days", readonly=False)
    itsm_default_rating_value = fields.Integer(related="company_id.itsm_default_rating_value", readonly=False)
    itsm_followup_threshold = fields.Integer(related="company_id.itsm_followup_threshold", readonly=False)
