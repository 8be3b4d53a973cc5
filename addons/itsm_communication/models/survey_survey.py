from odoo import fields, models


class SurveySurvey(models.Model):
    _inherit = "survey.survey"

    # Odoo's survey rules list the survey types whose answers survey users and managers read:
    # the answers of a type of its own are read by nobody but the system (the morale report).
    # Uninstalling deletes these surveys with their answers rather than show them to anyone.
    survey_type = fields.Selection(
        selection_add=[("itsm_morale", "Staff Morale Pulse")], ondelete={"itsm_morale": "cascade"}
    )
