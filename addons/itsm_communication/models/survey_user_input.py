from odoo import fields, models


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    # the team and month of an anonymous morale answer; never who gave it
    itsm_morale_pulse_id = fields.Many2one(
        "itsm.morale.pulse", "Morale Pulse", index="btree_not_null", readonly=True, ondelete="cascade"
    )
