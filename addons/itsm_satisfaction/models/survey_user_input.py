from odoo import fields, models


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    itsm_callback_id = fields.Many2one(
        "itsm.callback", "Satisfaction Callback", index="btree_not_null", readonly=True
    )

    def _mark_done(self):
        result = super()._mark_done()
        self.filtered("itsm_callback_id").itsm_callback_id.sudo()._itsm_apply_survey_answers()
        return result
