from odoo import fields, models
from odoo.exceptions import UserError


class SurveySurvey(models.Model):
    _inherit = "survey.survey"

    # Odoo's survey rules list the survey types whose answers survey users and managers read:
    # the answers of a type of its own are read by nobody but the system (the morale report).
    # Uninstalling deletes these surveys with their answers rather than show them to anyone.
    survey_type = fields.Selection(
        selection_add=[("itsm_morale", "Staff Morale Pulse")], ondelete={"itsm_morale": "cascade"}
    )

    def write(self, vals):
        if "survey_type" in vals:
            morale = self.filtered(lambda s: s.survey_type == "itsm_morale")
            leaving = morale if vals["survey_type"] != "itsm_morale" else self.browse()
            if leaving and self.env["survey.user_input"].sudo().search_count(
                [("survey_id", "in", leaving.ids)], limit=1
            ):
                raise UserError(
                    self.env._(
                        "A morale survey with answers stays a morale survey: another type would let "
                        "survey users read its anonymous answers one by one."
                    )
                )
        return super().write(vals)
