import json
import re

from odoo.http import Request
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import ItsmCommon
from .test_security import MALICIOUS


class ItsmPortalCommon(ItsmCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket_a = cls._ticket(name="Scanner offline", description="<p>The scanner shows error E42</p>")
        cls.ticket_b = cls._ticket(name="Secret of B", partner_id=cls.portal_b.partner_id.id)
        cls.attachment_b = cls.env["ir.attachment"].create(
            {
                "name": "b-network-plan.txt",
                "raw": b"B's network plan",
                "res_model": "itsm.ticket",
                "res_id": cls.ticket_b.id,
            }
        )
        cls.ticket_b.message_post(
            body="plan attached",
            attachment_ids=cls.attachment_b.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

    def _post(self, url, data=None, files=None):
        data = dict(data or {}, csrf_token=Request.csrf_token(self))
        return self.url_open(url, data=data, files=files, allow_redirects=False)


@tagged("post_install", "-at_install")
class TestPortal(ItsmPortalCommon):
    def test_list_search_sort_group_and_page(self):
        self.env["itsm.ticket"].create(
            [
                {
                    "name": f"Bulk {i:03d}",
                    "partner_id": self.portal_a.partner_id.id,
                    "team_id": self.team_desk.id,
                }
                for i in range(85)
            ]
        )
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        page = self.url_open("/my/tickets").text
        self.assertIn("Bulk 084", page)
        self.assertNotIn("Secret of B", page)
        self.assertNotIn("Scanner offline", page, "80 per page: the oldest ticket is on page 2")
        page_2 = self.url_open("/my/tickets/page/2").text
        self.assertIn("Scanner offline", page_2)
        found = self.url_open(f"/my/tickets?search={self.ticket_a.number}&search_in=number").text
        self.assertIn("Scanner offline", found)
        self.assertNotIn("Bulk 001", found)
        by_message = self.url_open("/my/tickets?search=E42&search_in=all").text
        self.assertNotIn("Bulk 001", by_message)
        grouped = self.url_open("/my/tickets?groupby=stage&sortby=priority&filterby=all").text
        self.assertIn("New", grouped)
        self.assertIn("Scanner offline", self.url_open("/my/tickets/page/2?sortby=number").text)
        home = self.url_open("/my/home").text
        self.assertIn("/my/tickets", home)
        self.assertEqual(
            self.make_jsonrpc_request("/my/counters", {"counters": ["itsm_ticket_count"]}),
            {"itsm_ticket_count": 86},
        )

    def test_open_reply_close_reopen(self):
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        response = self.url_open(f"/my/tickets/{self.ticket_a.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("The scanner shows error E42", response.text)
        self.assertIn('id="discussion"', response.text, "the chatter is on the page")
        self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "itsm.ticket",
                "thread_id": self.ticket_a.id,
                "post_data": {
                    "body": "It also fails on the second scanner",
                    "message_type": "comment",
                    "subtype_xmlid": "mail.mt_comment",
                },
            },
        )
        reply = self.ticket_a.message_ids.filtered(lambda m: "second scanner" in (m.body or ""))
        self.assertEqual(reply.author_id, self.portal_a.partner_id)
        response = self._post(f"/my/tickets/{self.ticket_a.id}/close")
        self.assertEqual(response.status_code, 303)
        self.assertTrue(self.ticket_a.is_closed)
        self.assertIn("Reopen", self.url_open(f"/my/tickets/{self.ticket_a.id}").text)
        self._post(f"/my/tickets/{self.ticket_a.id}/reopen")
        self.assertFalse(self.ticket_a.is_closed)
        self.assertEqual(self.ticket_a.reopen_count, 1)

    def test_reopen_after_window_is_refused(self):
        self.team_desk.reopen_window_days = 0
        self.ticket_a.action_close()
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE itsm_ticket SET closed_at = closed_at - interval '2 days' WHERE id = %s",
            [self.ticket_a.id],
        )
        self.ticket_a.invalidate_recordset(["closed_at"])
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        response = self._post(f"/my/tickets/{self.ticket_a.id}/reopen")
        self.assertIn("error=reopen_window", response.headers["Location"])
        self.assertTrue(self.ticket_a.is_closed)

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model")
    def test_other_customer_gets_nothing(self):
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        self.assertEqual(self.url_open(f"/my/tickets/{self.ticket_b.id}").status_code, 404)
        self.assertEqual(
            self.url_open(f"/my/tickets/{self.ticket_b.id}?access_token=forged").status_code, 404
        )
        self.assertEqual(self.url_open("/my/tickets/99999999").status_code, 404)
        for action in ("close", "reopen"):
            self.assertEqual(self._post(f"/my/tickets/{self.ticket_b.id}/{action}").status_code, 404)
        self.assertFalse(self.ticket_b.is_closed)
        with self.assertRaises(JsonRpcException) as rpc:
            self.make_jsonrpc_request(
                "/web/dataset/call_kw/itsm.ticket/read",
                {
                    "model": "itsm.ticket",
                    "method": "read",
                    "args": [self.ticket_b.ids, ["name", "description"]],
                    "kwargs": {},
                },
            )
        self.assertEqual(str(rpc.exception), "odoo.exceptions.AccessError")
        found = self.make_jsonrpc_request(
            "/web/dataset/call_kw/itsm.ticket/search_read",
            {"model": "itsm.ticket", "method": "search_read", "args": [[]], "kwargs": {"fields": ["name"]}},
        )
        self.assertNotIn("Secret of B", json.dumps(found))
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(
                "/mail/message/post",
                {
                    "thread_model": "itsm.ticket",
                    "thread_id": self.ticket_b.id,
                    "post_data": {"body": "intrusion", "message_type": "comment"},
                },
            )
        self.assertFalse(self.ticket_b.message_ids.filtered(lambda m: "intrusion" in (m.body or "")))
        for url in (
            f"/web/content/{self.attachment_b.id}",
            f"/web/content/{self.attachment_b.id}?download=true",
            f"/web/content/{self.attachment_b.id}?access_token=forged",
        ):
            response = self.url_open(url)
            self.assertIn(response.status_code, (403, 404), url)
            self.assertNotIn(b"network plan", response.content)
        with self.assertRaises(JsonRpcException) as rpc:
            self.make_jsonrpc_request(
                "/web/dataset/call_kw/ir.attachment/read",
                {
                    "model": "ir.attachment",
                    "method": "read",
                    "args": [self.attachment_b.ids, ["raw"]],
                    "kwargs": {},
                },
            )
        self.assertEqual(str(rpc.exception), "odoo.exceptions.AccessError")

    def test_owner_downloads_own_attachment(self):
        self.ticket_a.message_post(
            body="log",
            attachments=[("scan.txt", b"scanner log")],
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.ticket_a.message_post(
            body="internal",
            attachments=[("internal.txt", b"agents only")],
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        page = self.url_open(f"/my/tickets/{self.ticket_a.id}").text
        self.assertNotIn("internal.txt", page, "files of internal notes stay internal")
        link = re.search(r'href="(/web/content/\d+\?download=true&amp;access_token=[^"]+)"', page).group(1)
        self.assertEqual(self.url_open(link.replace("&amp;", "&")).content, b"scanner log")

    def test_script_is_not_rendered(self):
        self.ticket_a.description = MALICIOUS
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        page = self.url_open(f"/my/tickets/{self.ticket_a.id}").text
        description = re.search(r'<div class="o_itsm_ticket_description">(.*?)</div>', page, re.S).group(1)
        self.assertIn("Broken screen", description)
        for dangerous in ('alert("x")', "<script", "onerror", "javascript:"):
            self.assertNotIn(dangerous, description)

    def test_new_ticket_form(self):
        service = self.env["itsm.service"].create({"name": "Printing", "team_id": self.team_desk.id})
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        self.assertIn("Printing", self.url_open("/my/tickets/new").text)
        response = self._post(
            "/my/tickets/new",
            {
                "name": "Toner empty",
                "description": "Floor 3 printer <b>needs</b> toner",
                "kind": "service_request",
                "urgency": "2",
                "service_id": str(service.id),
            },
            files={"attachments": ("photo.txt", b"printer photo", "text/plain")},
        )
        self.assertEqual(response.status_code, 303)
        ticket = self.env["itsm.ticket"].search([("name", "=", "Toner empty")])
        self.assertRecordValues(
            ticket,
            [
                {
                    "partner_id": self.portal_a.partner_id.id,
                    "requester_user_id": self.portal_a.id,
                    "channel": "portal",
                    "kind": "service_request",
                    "urgency": "2",
                    "service_id": service.id,
                    "team_id": self.team_desk.id,
                }
            ],
        )
        self.assertIn("&lt;b&gt;needs&lt;/b&gt;", ticket.description, "plain text stays plain text")
        self.assertEqual(ticket.message_ids.attachment_ids.mapped("name"), ["photo.txt"])
        self.assertIn(ticket.get_portal_url().split("?")[0], response.headers["Location"])

    def test_new_ticket_files_reach_nobody_by_mail(self):
        """The files of a new request are on the conversation for both sides, without an e-mail:
        the assignee is told of the ticket, not once more of its files."""
        self.team_desk.assignment_method = "round_robin"
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        response = self._post(
            "/my/tickets/new",
            {"name": "Scanner jams", "description": "Every page jams", "kind": "incident", "urgency": "3"},
            files={"attachments": ("jam.txt", b"jam log", "text/plain")},
        )
        self.assertEqual(response.status_code, 303)
        ticket = self.env["itsm.ticket"].search([("name", "=", "Scanner jams")])
        self.assertTrue(ticket.user_id, "assigned by round robin")
        self.assertIn(
            ticket.user_id.partner_id, ticket.message_partner_ids, "the assignee follows the ticket"
        )
        message = ticket.message_ids.filtered("attachment_ids")
        self.assertRecordValues(
            message,
            [
                {
                    "message_type": "comment",
                    "subtype_id": self.env.ref("mail.mt_comment").id,
                    "is_internal": False,
                    "author_id": self.portal_a.partner_id.id,
                }
            ],
        )
        self.assertEqual(message.attachment_ids.mapped("name"), ["jam.txt"])
        self.assertFalse(message.notification_ids, "nobody is notified of the files")
        self.assertFalse(self.env["mail.mail"].sudo().search([("mail_message_id", "=", message.id)]))
        page = self.url_open(f"/my/tickets/{ticket.id}").text
        self.assertIn("jam.txt", page, "the requester finds the files on the ticket's page")

    def test_new_ticket_bad_input_writes_nothing(self):
        hidden_service = self.env["itsm.service"].create({"name": "Internal only", "is_published": False})
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        before = self.env["itsm.ticket"].search_count([])
        attachments_before = self.env["ir.attachment"].search_count([])
        cases = [
            ({"name": "", "description": "x"}, None, "subject"),
            ({"name": "x" * 201, "description": "x"}, None, "200"),
            ({"name": "Valid", "description": "  "}, None, "describe"),
            ({"name": "Valid", "description": "x", "kind": "change_request"}, None, "Unknown kind"),
            (
                {"name": "Valid", "description": "x", "service_id": str(hidden_service.id)},
                None,
                "Unknown service",
            ),
            ({"name": "Valid", "description": "x", "service_id": "abc"}, None, "Unknown service"),
            ({"name": "Valid", "description": "x", "urgency": "9"}, None, "Unknown urgency"),
            (
                {"name": "Valid", "description": "x"},
                {"attachments": ("big.bin", b"0" * (10 * 1024 * 1024 + 1), "application/octet-stream")},
                "larger",
            ),
        ]
        for data, files, message in cases:
            with self.subTest(message=message):
                response = self._post("/my/tickets/new", data, files=files)
                self.assertEqual(response.status_code, 400)
                self.assertIn(message, response.text)
                self.assertIn("o_itsm_form_error", response.text)
        self.assertEqual(self.env["itsm.ticket"].search_count([]), before)
        self.assertEqual(self.env["ir.attachment"].search_count([]), attachments_before)

    def test_new_ticket_requires_login(self):
        response = self.url_open("/my/tickets/new", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])


@tagged("post_install", "-at_install")
class TestPortalTour(ItsmPortalCommon):
    def test_portal_tour_submits_ticket(self):
        self.start_tour("/my/tickets", "itsm_portal_new_ticket", login="itsm_portal_a")
        ticket = self.env["itsm.ticket"].search(
            [("name", "=", "Tour: the meeting-room projector shows no picture")]
        )
        self.assertEqual(len(ticket), 1)
        self.assertEqual(ticket.partner_id, self.portal_a.partner_id)
        self.assertEqual(ticket.channel, "portal")
