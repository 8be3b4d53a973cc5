from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..controllers.portal import ItsmCustomerPortal
from .test_portal import ItsmPortalCommon

PORTAL = "odoo.addons.itsm_helpdesk.controllers.portal"


@tagged("post_install", "-at_install")
class TestPortalLinks(ItsmPortalCommon):
    """A ticket's link (access token) lets its holder read the ticket for a while, and only read."""

    def _link(self, ticket, action=""):
        return f"/my/tickets/{ticket.id}{action}?access_token={ticket.access_token}"

    def test_link_holder_reads_but_cannot_close_or_reopen(self):
        self.authenticate(None, None)
        self.assertIn("Scanner offline", self.url_open(self._link(self.ticket_a)).text)
        response = self._post(self._link(self.ticket_a, "/close"))
        self.assertIn("/web/login", response.headers.get("Location", ""))
        self.assertFalse(self.ticket_a.is_closed, "a link's token does not close the ticket")
        self.ticket_a.action_close()
        self.env.flush_all()
        self._post(self._link(self.ticket_a, "/reopen"))
        self.assertTrue(self.ticket_a.is_closed, "nor reopen it")

    @mute_logger("odoo.http")
    def test_only_the_requester_or_a_designated_contact_closes(self):
        self.authenticate("itsm_portal_a2", "itsm_portal_a2")
        page = self.url_open(self._link(self.ticket_a)).text
        self.assertNotIn("o_itsm_close", page, "a colleague holding the link is offered no close button")
        self.assertEqual(self._post(self._link(self.ticket_a, "/close")).status_code, 403)
        self.assertFalse(self.ticket_a.is_closed)
        self.portal_a2.partner_id.itsm_company_access = True
        self.env.flush_all()
        self.assertEqual(self._post(self._link(self.ticket_a, "/close")).status_code, 303)
        self.assertTrue(self.ticket_a.is_closed, "a contact following all the customer's tickets may close")

    def test_link_expires(self):
        self.assertEqual(self.company.itsm_access_token_days, 30)
        created = self.ticket_a.create_date
        self.authenticate(None, None)
        with freeze_time(created + timedelta(days=29)):
            self.assertEqual(self.url_open(self._link(self.ticket_a), allow_redirects=False).status_code, 200)
        with freeze_time(created + timedelta(days=31)):
            response = self.url_open(self._link(self.ticket_a), allow_redirects=False)
            self.assertIn(response.status_code, (302, 303))
            self.assertIn("/web/login", response.headers["Location"])
            self.assertNotIn(self.ticket_a.access_token, response.headers["Location"])
            old_token = self.ticket_a.access_token
            url = self.ticket_a.get_portal_url()  # the next link the ticket sends
            self.assertNotIn(old_token, url, "a fresh token replaces the expired one")
            self.env.flush_all()
            self.assertEqual(self.url_open(url, allow_redirects=False).status_code, 200)
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        with freeze_time(created + timedelta(days=400)):
            page = self.url_open(
                f"/my/tickets/{self.ticket_a.id}?access_token=expired", allow_redirects=False
            )
            self.assertEqual(page.status_code, 200, "the requester logged in needs no token")

    def test_portal_actions_are_authored_by_the_user(self):
        self._flush_tracking()  # what the fixtures changed is logged before the requests
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        before = self.ticket_a.message_ids
        self._post(f"/my/tickets/{self.ticket_a.id}/close")
        self._post(f"/my/tickets/{self.ticket_a.id}/reopen")
        self.env.flush_all()
        self.env.cr.precommit.run()
        new = self.ticket_a.message_ids - before
        self.assertTrue(new)
        odoobot = self.env.ref("base.partner_root")
        self.assertFalse(new.filtered(lambda m: m.author_id == odoobot), "nothing is posted as OdooBot")
        self.assertEqual(
            new.filtered(lambda m: m.message_type == "comment").author_id, self.portal_a.partner_id
        )


@tagged("post_install", "-at_install")
class TestPortalSubmissions(ItsmPortalCommon):
    def _new(self, **values):
        data = {"name": "Scanner jammed", "description": "Paper stuck", **values}
        return self._post("/my/tickets/new", data)

    def test_ticket_creation_is_throttled_per_user(self):
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        Ticket = self.env["itsm.ticket"]
        with patch(f"{PORTAL}.PORTAL_CREATE_LIMIT", 2):
            for _i in range(2):
                self.assertEqual(self._new().status_code, 303)
            before = Ticket.search_count([])
            response = self._new(name="Third one")
            self.assertEqual(response.status_code, 429)
            self.assertIn("please wait", response.text)
            self.assertEqual(Ticket.search_count([]), before, "nothing is written")
            self.authenticate("itsm_portal_b", "itsm_portal_b")
            self.assertEqual(self._new().status_code, 303, "counted per user")
            self.authenticate("itsm_portal_a", "itsm_portal_a")
            with freeze_time(fields.Datetime.now() + timedelta(hours=1, minutes=1)):
                self.assertEqual(self._new().status_code, 303, "a new period, a new allowance")

    def test_description_size_is_capped(self):
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        before = self.env["itsm.ticket"].search_count([])
        response = self._new(description="x" * 20001)
        self.assertEqual(response.status_code, 400)
        self.assertIn("limited to 20000 characters", response.text)
        self.assertEqual(self.env["itsm.ticket"].search_count([]), before)
        self.assertEqual(self._new(description="x" * 20000).status_code, 303)
        with self.assertRaisesRegex(ValidationError, "limited to 200000 characters"):
            self._ticket(description="<p>%s</p>" % ("y" * 200001))

    def test_oversized_upload_is_refused_before_it_is_read(self):
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        before = self.env["itsm.ticket"].search_count([])
        files = {"attachments": ("log.txt", b"0" * 8192, "text/plain")}
        with (
            patch.object(ItsmCustomerPortal, "_itsm_max_form_body", return_value=4096),
            patch(f"{PORTAL}.read_portal_uploads", side_effect=AssertionError("body read")),
        ):
            response = self._post("/my/tickets/new", {"name": "Log", "description": "see log"}, files=files)
        self.assertEqual(response.status_code, 413)
        self.assertEqual(self.env["itsm.ticket"].search_count([]), before)
