from odoo import http
from odoo.http import request

from odoo.addons.rating.controllers.main import Rating


class ItsmRating(Rating):
    """Ticket ratings: the answer's channel, and a logged-in user may only answer their own.

    Logged in, only the rated requester answers (from the portal): an employee's session, or a
    colleague of the requester, is refused rather than recorded as the customer's answer.
    Anonymous answers come from the link of the e-mail, whose token only the requester received.
    """

    def _itsm_foreign_ticket_rating(self, rating):
        user = request.env.user
        return (
            rating.res_model == "itsm.ticket"
            and not user._is_public()
            and user.partner_id != rating.partner_id
        )

    def _itsm_refuse(self, rating, record_sudo):
        return request.render(
            "rating.rating_external_page_invalid_partner",
            {
                "model_name": request.env["ir.model"]._get(rating.res_model).display_name,
                "name": record_sudo.display_name,
                "web_base_url": rating.get_base_url(),
            },
            status=403,
        )

    @http.route()
    def action_open_rating(self, token, rate, **kwargs):
        rating, record_sudo = self._get_rating_and_record(token)
        if self._itsm_foreign_ticket_rating(rating):
            return self._itsm_refuse(rating, record_sudo)
        return super().action_open_rating(token, rate, **kwargs)

    @http.route()
    def action_submit_rating(self, token, rate=0, **kwargs):
        rating, record_sudo = self._get_rating_and_record(token)
        if self._itsm_foreign_ticket_rating(rating):
            return self._itsm_refuse(rating, record_sudo)
        # from the e-mail, people are anonymous; logged in, they answer from the portal
        channel = "email" if request.env.user._is_public() else "portal"
        request.update_context(itsm_rating_channel=channel)
        return super().action_submit_rating(token, rate=rate, **kwargs)
