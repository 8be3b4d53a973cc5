from odoo.http import request

from odoo.addons.survey.controllers.main import Survey


class MoraleSurvey(Survey):
    def _check_validity(self, survey_token, answer_token, ensure_token=True, check_partner=True):
        # A morale answer names nobody: its link is the only credential, and the member who
        # follows it while logged in to Odoo must not be turned away for not being its partner.
        if check_partner and answer_token:
            answer_sudo = (
                request.env["survey.user_input"].sudo().search([("access_token", "=", answer_token)], limit=1)
            )
            if answer_sudo.survey_id.survey_type == "itsm_morale" and not answer_sudo.partner_id:
                check_partner = False
        return super()._check_validity(
            survey_token, answer_token, ensure_token=ensure_token, check_partner=check_partner
        )
