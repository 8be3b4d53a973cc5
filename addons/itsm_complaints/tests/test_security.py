import json

from odoo.exceptions import AccessError, UserError
from odoo.http import Request
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import ComplaintCommon

MUTE = ("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model", "odoo.http")


@tagged("post_install", "-at_install")
class TestComplaintConfidentiality(ComplaintCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.complaint = cls._complaint(response="<p>Secret answer</p>")
        cls.complaint_b = cls._complaint(
            name="B is unhappy", partner_id=cls.portal_b.partner_id.id, agent_id=False, team_id=False
        )
        cls.other_handler = new_test_user(
            cls.env, "cmp_handler_2", groups="itsm_complaints.group_complaint_handler", name="Other Handler"
        )
        # a handler who is also the agent complained about
        cls.agent_handler = new_test_user(
            cls.env,
            "cmp_agent_handler",
            groups="itsm_helpdesk.group_itsm_agent,itsm_complaints.group_complaint_handler",
            name="Agent Handler",
        )
        cls.complaint_about_handler = cls._complaint(name="About a handler", agent_id=cls.agent_handler.id)
        cls.denied_internal = (cls.agent_1, cls.agent_2, cls.expert, cls.manager, cls.employee, cls.lead)

    def _readable(self, user):
        Complaint = self.env["itsm.complaint"].with_user(user)
        return Complaint.search([]) if Complaint.has_access("read") else Complaint

    @mute_logger(*MUTE)
    def test_desk_groups_and_agent_concerned_are_denied(self):
        for user in self.denied_internal:
            with self.subTest(user=user.login):
                self.assertFalse(self._readable(user))
                with self.assertRaises(AccessError):
                    self.env["itsm.complaint"].with_user(user).search([])
                with self.assertRaises(AccessError):
                    self.complaint.with_user(user).read(["name"])
                with self.assertRaises(AccessError):
                    self.complaint.with_user(user).write({"name": "changed"})
                with self.assertRaises(AccessError):
                    self.env["itsm.complaint"].with_user(user).create({"name": "x"})
        with self.assertRaises(AccessError):
            self.complaint.step_log_ids.with_user(self.agent_1).read(["state"])
        # messages and attachments of the complaint follow its rules
        with self.assertRaises(AccessError):
            self.complaint.message_ids.with_user(self.agent_1).read(["body"])

    @mute_logger(*MUTE)
    def test_agent_concerned_gets_only_the_shared_response(self):
        Shared = self.env["itsm.complaint.shared.response"]
        self.complaint.with_user(self.process_owner).action_start_investigation()
        self.complaint.with_user(self.process_owner).message_post(
            body="Internal: her manager confirms she hung up",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        with self.assertRaises(UserError):
            # a response must be sent before it is shared
            self.complaint.with_user(self.process_owner).action_share_response()
        with self.assertRaises(AccessError):
            # only who may change the complaint shares its response
            self.complaint.with_user(self.other_handler).action_share_response()
        self.complaint.with_user(self.process_owner).action_send_response()
        self.complaint.with_user(self.process_owner).action_share_response()
        self.assertTrue(self.complaint.is_response_shared)

        shared = Shared.with_user(self.agent_1).search([])
        self.assertEqual(len(shared), 1, "the agent reads the shared response")
        self.assertEqual(shared.number, self.complaint.number)
        self.assertEqual(shared.response, "<p>Secret answer</p>")
        self.assertNotIn("complaint_id", shared.read()[0], "not even a link to the complaint")
        with self.assertRaises(AccessError):
            shared.write({"response": "<p>Not rude at all</p>"})
        notification = self.env["mail.message"].search(
            [
                ("model", "=", shared._name),
                ("res_id", "=", shared.id),
                ("message_type", "=", "user_notification"),
            ]
        )
        self.assertIn("Secret answer", notification.body, "the response is sent to the agent")
        self.assertEqual(notification.notified_partner_ids, self.agent_1.partner_id)

        # the complaint itself, its chatter and internal notes stay closed to the agent
        self.assertFalse(self._readable(self.agent_1))
        with self.assertRaises(AccessError):
            self.complaint.with_user(self.agent_1).read(["response"])
        self.assertFalse(
            self.env["mail.message"].with_user(self.agent_1).search([("model", "=", "itsm.complaint")])
        )
        with self.assertRaises(AccessError):
            self.complaint.message_ids.with_user(self.agent_1).read(["body"])
        # other agents see neither the complaint nor the shared response
        self.assertFalse(self._readable(self.agent_2))
        self.assertFalse(Shared.with_user(self.agent_2).search([]))
        with self.assertRaises(AccessError):
            shared.with_user(self.agent_2).read(["response"])

    @mute_logger(*MUTE)
    def test_agent_concerned_rpc_gets_no_complaint_message(self):
        self.complaint.with_user(self.process_owner).action_start_investigation()
        self.complaint.with_user(self.process_owner).message_post(
            body="Internal: her manager confirms she hung up",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        self.complaint.with_user(self.process_owner).action_send_response()
        self.complaint.with_user(self.process_owner).action_share_response()
        self.authenticate("itsm_agent_1", "itsm_agent_1")
        thread = self.make_jsonrpc_request(
            "/mail/thread/messages", {"thread_model": "itsm.complaint", "thread_id": self.complaint.id}
        )
        self.assertEqual(thread["messages"], [])
        self.assertNotIn("her manager confirms", json.dumps(thread))
        with self.assertRaises(JsonRpcException) as rpc:
            self._rpc_read(self.complaint)
        self.assertEqual(str(rpc.exception), "odoo.exceptions.AccessError")
        shared = self.make_jsonrpc_request(
            "/web/dataset/call_kw/itsm.complaint.shared.response/search_read",
            {
                "model": "itsm.complaint.shared.response",
                "method": "search_read",
                "args": [[]],
                "kwargs": {"fields": ["number", "response"]},
            },
        )
        self.assertEqual([r["number"] for r in shared], [self.complaint.number])
        self.assertNotIn("her manager confirms", json.dumps(shared))
        # the handler does see the note: the check above is not empty by construction
        self.authenticate("cmp_owner", "cmp_owner")
        thread = self.make_jsonrpc_request(
            "/mail/thread/messages", {"thread_model": "itsm.complaint", "thread_id": self.complaint.id}
        )
        self.assertIn("her manager confirms", json.dumps(thread))

    @mute_logger(*MUTE)
    def test_role_matrix(self):
        all_complaints = self.complaint | self.complaint_b | self.complaint_about_handler
        self.assertEqual(self._readable(self.process_owner), all_complaints)
        self.assertEqual(self._readable(self.receiver), all_complaints, "the receiver recorded them")
        other_receiver = new_test_user(
            self.env, "cmp_receiver_2", groups="itsm_complaints.group_complaint_receiver"
        )
        self.assertFalse(self._readable(other_receiver), "a receiver sees only what they received or own")
        self.assertEqual(self._readable(self.other_handler), all_complaints, "the unassigned queue")
        self.complaint.owner_id = self.handler
        self.assertNotIn(self.complaint, self._readable(self.other_handler), "another handler's case")
        self.assertIn(self.complaint, self._readable(self.handler))
        self.assertNotIn(
            self.complaint_about_handler,
            self._readable(self.agent_handler),
            "never a complaint about oneself",
        )
        with self.assertRaises(AccessError):
            self.complaint_about_handler.with_user(self.agent_handler).read(["name"])

    @mute_logger(*MUTE)
    def test_portal_complainant_sees_only_own(self):
        self.assertEqual(self._readable(self.portal_a), self.complaint | self.complaint_about_handler)
        self.assertEqual(self._readable(self.portal_b), self.complaint_b)
        for user in (self.portal_a2, self.portal_b):
            with self.assertRaises(AccessError):
                self.complaint.with_user(user).read(["name"])
        with self.assertRaises(AccessError):
            self.complaint.with_user(self.portal_a).write({"name": "changed"})

    def _rpc_read(self, complaint):
        return self.make_jsonrpc_request(
            "/web/dataset/call_kw/itsm.complaint/read",
            {"model": "itsm.complaint", "method": "read", "args": [complaint.ids, ["name"]], "kwargs": {}},
        )

    @mute_logger(*MUTE)
    def test_rpc_and_portal_routes_are_denied(self):
        for login in ("itsm_agent_1", "itsm_agent_2", "itsm_expert", "itsm_manager", "itsm_portal_b"):
            with self.subTest(login=login):
                self.authenticate(login, login)
                with self.assertRaises(JsonRpcException) as rpc:
                    self._rpc_read(self.complaint)
                self.assertEqual(str(rpc.exception), "odoo.exceptions.AccessError")
                try:
                    found = self.make_jsonrpc_request(
                        "/web/dataset/call_kw/itsm.complaint/search_read",
                        {
                            "model": "itsm.complaint",
                            "method": "search_read",
                            "args": [[]],
                            "kwargs": {"fields": ["name"]},
                        },
                    )
                except JsonRpcException as denied:
                    # internal users outside the complaint roles have no access to the model at all
                    self.assertEqual(str(denied), "odoo.exceptions.AccessError")
                    found = []
                self.assertNotIn("Agent was rude", json.dumps(found))
                for url in (
                    f"/my/complaints/{self.complaint.id}",
                    f"/my/complaints/{self.complaint.id}?access_token=forged",
                    f"/my/complaints/{self.complaint.id}/feedback?access_token=forged",
                ):
                    response = self.url_open(url)
                    self.assertEqual(response.status_code, 404, url)
                    self.assertNotIn("Agent was rude", response.text)
                response = self.url_open(
                    f"/my/complaints/{self.complaint.id}/withdraw",
                    data={"csrf_token": Request.csrf_token(self)},
                    allow_redirects=False,
                )
                self.assertEqual(response.status_code, 404)
                self.assertEqual(self.complaint.state, "received")
        # the complainant reads their own through the same routes
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        self.assertEqual(self._rpc_read(self.complaint)[0]["name"], "Agent was rude")
        page = self.url_open(f"/my/complaints/{self.complaint.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("She hung up on me", page.text)
        listing = self.url_open("/my/complaints").text
        self.assertIn(self.complaint.number, listing)
        self.assertNotIn(self.complaint_b.number, listing)
