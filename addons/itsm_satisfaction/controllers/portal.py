from werkzeug.exceptions import NotFound

from odoo import http
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal


class ItsmSatisfactionPortal(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "itsm_callback_count" in counters:
            values["itsm_callback_count"] = len(self._itsm_my_callbacks())
        return values

    def _itsm_my_callbacks(self):
        """The current user's own open survey invitations; read as superuser, filtered by owner."""
        partner = request.env.user.partner_id
        return (
            request.env["itsm.callback"]
            .sudo()
            .search(
                [
                    ("partner_id", "=", partner.id),
                    ("method", "in", ("email", "survey")),
                    ("state", "=", "todo"),
                    ("user_input_id", "!=", False),
                ]
            )
        )

    @http.route("/my/satisfaction", type="http", auth="user", website=True)
    def portal_my_callbacks(self, **kwargs):
        values = self._prepare_portal_layout_values()
        values.update(callbacks=self._itsm_my_callbacks(), page_name="itsm_callbacks")
        return request.render("itsm_satisfaction.portal_my_callbacks", values)

    @http.route("/my/satisfaction/<int:callback_id>", type="http", auth="user", website=True)
    def portal_my_callback(self, callback_id, **kwargs):
        """Open one's own questionnaire; somebody else's callback does not exist for this user."""
        callback = self._itsm_my_callbacks().filtered(lambda c: c.id == callback_id)
        if not callback:
            raise NotFound()
        return request.redirect(callback.survey_url)
