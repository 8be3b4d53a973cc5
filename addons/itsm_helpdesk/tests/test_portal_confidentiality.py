import json

from werkzeug.urls import url_encode

from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import ItsmCommon

MUTE = ("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model", "odoo.http")


@tagged("post_install", "-at_install")
class TestPortalOracles(ItsmCommon, HttpCase):
    """A portal user learns nothing of internal notes or internal fields, neither
    through the portal pages nor through plain JSON-RPC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket_a = cls._ticket(name="Scanner offline")
        cls.ticket_a.message_post(
            body="Admin password is hunter2", message_type="comment", subtype_xmlid="mail.mt_note"
        )
        cls.ticket_a.message_post(
            body="We replace the scanner 100% free", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        cls.ticket_plain = cls._ticket(name="Mouse broken")
        cls.ticket_plain.message_post(
            body="We replace the mouse for free", message_type="comment", subtype_xmlid="mail.mt_comment"
        )

    def _call(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def _portal_search(self, text, search_in="message"):
        query = url_encode({"search": text, "search_in": search_in, "filterby": "all"})
        response = self.url_open(f"/my/tickets?{query}")
        self.assertEqual(response.status_code, 200)
        return response.text

    # ------------------------------------------------------------------
    # search in messages
    # ------------------------------------------------------------------
    def test_portal_message_search_matches_public_messages_only(self):
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        self.assertIn("Scanner offline", self._portal_search("scanner 100"), "public replies are searched")
        for search_in in ("message", "all"):
            with self.subTest(search_in=search_in):
                self.assertNotIn("Scanner offline", self._portal_search("hunter2", search_in))
                self.assertNotIn("Scanner offline", self._portal_search("password", search_in))

    def test_portal_search_wildcards_are_literal(self):
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        self.assertIn("Scanner offline", self._portal_search("100%"), "a literal % is found")
        page = self._portal_search("replace the % free")
        self.assertNotIn("Mouse broken", page, "% is no wildcard")
        self.assertNotIn("Mouse broken", self._portal_search("the mo_se"), "_ is no wildcard")
        self.assertNotIn("Scanner offline", self._portal_search("Sc%ner", "name"))

    @mute_logger(*MUTE)
    def test_rpc_search_on_messages_ignores_internal_notes(self):
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        domains = [
            [("message_ids.body", "ilike", "hunter2")],
            [("message_ids", "any", [("body", "ilike", "hunter")])],
            [("website_message_ids.body", "ilike", "hunter2")],
            [("message_ids.body", "=like", "%hunter%")],
        ]
        for domain in domains:
            with self.subTest(domain=domain):
                self.assertEqual(self._call("itsm.ticket", "search", [domain]), [])
        self.assertEqual(
            self._call("itsm.ticket", "search", [[("message_ids.body", "ilike", "scanner 100")]]),
            self.ticket_a.ids,
            "the public reply is still found",
        )
        # an agent still searches the notes
        found = (
            self.env["itsm.ticket"].with_user(self.agent_1).search([("message_ids.body", "ilike", "hunter2")])
        )
        self.assertEqual(found, self.ticket_a)

    # ------------------------------------------------------------------
    # internal fields
    # ------------------------------------------------------------------
    @mute_logger(*MUTE)
    def test_portal_reads_no_known_error_nor_workaround(self):
        problem = self.env["itsm.problem"].create(
            {
                "name": "Scanner firmware",
                "is_known_error": True,
                "known_error_note": "Firmware 2.1 of vendor X crashes",
                "workaround": "<p>Reboot through the hidden admin page</p>",
            }
        )
        self.ticket_a.problem_id = problem
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        self.assertEqual(
            self._call("itsm.ticket", "read", [self.ticket_a.ids, ["name"]])[0]["name"], "Scanner offline"
        )
        for field in (
            "problem_workaround",
            "problem_known_error_note",
            "problem_id",
            "escalation_ids",
        ):
            with self.subTest(field=field), self.assertRaises(JsonRpcException) as rpc:
                self._call("itsm.ticket", "read", [self.ticket_a.ids, [field]])
            self.assertEqual(str(rpc.exception), "odoo.exceptions.AccessError")
        offered = self._call("itsm.ticket", "fields_get", [], {"attributes": ["type"]})
        self.assertIn("name", offered)
        for field in ("problem_workaround", "problem_known_error_note", "major_review_ids"):
            self.assertNotIn(field, offered)
        found = self._call(
            "itsm.ticket", "search_read", [[]], {"fields": ["name", "description", "stage_id"]}
        )
        self.assertNotIn("Firmware 2.1", json.dumps(found))
        # the ticket page of the requester still opens
        self.assertEqual(self.url_open(f"/my/tickets/{self.ticket_a.id}").status_code, 200)
