from odoo import http
from odoo.http import request

from odoo.addons.itsm_helpdesk.controllers.portal import ItsmCustomerPortal


class ItsmAnnouncementPortal(ItsmCustomerPortal):
    """Active announcements on the portal home and on the ticket page."""

    def _itsm_announcements(self, commercial_partner, company=None, service=None):
        """Active announcements for everybody or for ``commercial_partner``.

        Searched as the current user, so that the portal record rules apply; a visitor
        holding a ticket's access token sees those of the ticket's customer only.
        """
        Announcement = request.env["itsm.announcement"]
        if request.env.user._is_public():
            Announcement = Announcement.sudo()
        elif not Announcement.has_access("read"):
            return Announcement
        domain = [
            ("is_active", "=", True),
            "|",
            ("partner_ids", "=", False),
            ("partner_ids", "in", commercial_partner.ids),
        ]
        if company:
            domain.append(("company_id", "=", company.id))
        if service is not None:
            domain += ["|", ("service_ids", "=", False), ("service_ids", "in", service.ids)]
        # read as superuser only what the filters above let through (service names, bodies)
        return Announcement.search(domain).sudo()

    @http.route()
    def home(self, **kw):
        response = super().home(**kw)
        if getattr(response, "qcontext", None) is not None:
            response.qcontext["itsm_announcements"] = self._itsm_announcements(
                request.env.user.commercial_partner_id
            )
        return response

    def _itsm_ticket_page_values(self, ticket_sudo, access_token, **kw):
        values = super()._itsm_ticket_page_values(ticket_sudo, access_token, **kw)
        user = request.env.user
        customer = ticket_sudo.commercial_partner_id if user._is_public() else user.commercial_partner_id
        # a ticket without service (the requester did not know it) sees every relevant one
        values["itsm_announcements"] = self._itsm_announcements(
            customer, company=ticket_sudo.company_id, service=ticket_sudo.service_id or None
        )
        return values


class ItsmAnnouncementBanner(http.Controller):
    @http.route("/itsm/announcements/banner", type="http", auth="user", methods=["GET"], readonly=True)
    def itsm_announcement_banner(self, **kw):
        """The banner of active announcements above the agents' ticket views (HTML)."""
        user = request.env.user
        Announcement = request.env["itsm.announcement"]
        if not user._is_internal() or not Announcement.has_access("read"):
            return request.not_found()
        announcements = Announcement.search([("is_active", "=", True)])
        html = ""
        if announcements:
            html = request.env["ir.qweb"]._render(
                "itsm_announcement.announcement_banner", {"announcements": announcements}
            )
        return request.make_response(
            html, headers=[("Content-Type", "text/html; charset=utf-8"), ("Cache-Control", "no-store")]
        )
