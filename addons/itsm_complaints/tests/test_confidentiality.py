import json
from urllib.parse import parse_qs, urlparse

from odoo.exceptions import AccessError, ValidationError
from odoo.http import Request
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from odoo.addons.mail.tests.common import MockEmail

from .common import ComplaintCommon

MUTE = ("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model", "odoo.http")


@tagged("post_install", "-at_install")
class TestComplaintAboutOneself(ComplaintCommon, MockEmail, HttpCase):
    """Nobody reads a complaint about themselves, nor learns of it through mail, activities or
    improvement actions; the complainant's link opens the complaint for the complainant only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # an agent who also handles complaints: the queue must never show them one about themselves
        cls.agent_handler = new_test_user(
            cls.env,
            "cmp_agent_handler_c",
            groups="itsm_helpdesk.group_itsm_agent,itsm_complaints.group_complaint_handler",
            name="Andy Agent-Handler",
            email="andy@desk.example.com",
        )
        cls.ticket_andy = cls._ticket(name="VPN down", user_id=cls.agent_handler.id)

    def _post(self, url, data=None):
        data = dict(data or {}, csrf_token=Request.csrf_token(self))
        return self.url_open(url, data=data, allow_redirects=False)

    def _readable(self, user, model="itsm.complaint", domain=None):
        Model = self.env[model].with_user(user)
        return Model.search(domain or []) if Model.has_access("read") else Model

    def _call(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    # ------------------------------------------------------------------
    # the agent concerned
    # ------------------------------------------------------------------
    @mute_logger(*MUTE)
    def test_portal_complaint_about_a_ticket_is_hidden_from_its_assignee(self):
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        response = self._post(
            "/my/complaints/new",
            {
                "kind": "complaint",
                "name": "Andy never called back",
                "description": "Three days without news",
                "ticket_id": self.ticket_andy.id,
            },
        )
        self.assertEqual(response.status_code, 303)
        complaint = self.env["itsm.complaint"].search([("name", "=", "Andy never called back")])
        self.assertEqual(complaint.agent_id, self.agent_handler, "the ticket's assignee is concerned")
        self.assertEqual(complaint.team_id, self.team_desk)
        # the unassigned queue of handlers: every handler but the one it is about
        self.assertIn(complaint, self._readable(self.handler))
        self.assertNotIn(complaint, self._readable(self.agent_handler))
        with self.assertRaises(AccessError):
            complaint.with_user(self.agent_handler).read(["name"])
        self.authenticate("cmp_agent_handler_c", "cmp_agent_handler_c")
        found = self._call("itsm.complaint", "search_read", [[]], {"fields": ["name"]})
        self.assertNotIn("Andy never called back", json.dumps(found))

    @mute_logger(*MUTE)
    def test_process_owner_never_reads_a_complaint_about_them(self):
        complaint = self._complaint(name="The owner was rude", agent_id=self.process_owner.id)
        self.assertIn(complaint, self._readable(self.director))
        self.assertNotIn(complaint, self._readable(self.process_owner))

    def test_a_hand_chosen_agent_is_kept(self):
        complaint = self._complaint(ticket_id=self.ticket_andy.id, agent_id=self.agent_2.id)
        self.assertEqual(complaint.agent_id, self.agent_2)

    @mute_logger(*MUTE)
    def test_recorder_named_agent_concerned_stops_following(self):
        # recorded by phone by Andy, who follows it as its receiver
        complaint = (
            self.env["itsm.complaint"]
            .with_user(self.agent_handler)
            .create({"name": "Nobody answers", "partner_id": self.portal_a.partner_id.id})
            .with_env(self.env)
        )
        self.assertEqual(complaint.receiver_id, self.agent_handler)
        self.assertIn(self.agent_handler.partner_id, complaint.message_partner_ids)
        self.assertIn(complaint, self._readable(self.agent_handler))
        complaint.with_user(self.process_owner).agent_id = self.agent_handler
        self.assertNotIn(self.agent_handler.partner_id, complaint.message_partner_ids)
        self.assertNotIn(complaint, self._readable(self.agent_handler))
        # and can never be subscribed again
        complaint.message_subscribe(partner_ids=(self.agent_handler | self.handler).partner_id.ids)
        self.assertNotIn(self.agent_handler.partner_id, complaint.message_partner_ids)
        self.assertIn(self.handler.partner_id, complaint.message_partner_ids)

    # ------------------------------------------------------------------
    # the complainant's link
    # ------------------------------------------------------------------
    def _responded(self):
        complaint = self._complaint(response="<p>Sorry about that.</p>")
        complaint.with_user(self.receiver).message_subscribe(partner_ids=self.lead.partner_id.ids)
        complaint.with_user(self.handler).action_start_investigation()
        complaint.with_user(self.handler).action_send_response()
        return complaint

    def test_response_mail_carries_the_token_for_the_complainant_only(self):
        with self.mock_mail_gateway():
            complaint = self._responded()
        complainant = self.portal_a.partner_id
        mails = [mail for mail in self._mails if "Our response" in mail["subject"]]
        to_complainant = [mail for mail in mails if "paula@a.example.com" in str(mail["email_to"])]
        others = [mail for mail in mails if mail not in to_complainant]
        self.assertEqual(len(to_complainant), 1)
        self.assertTrue(others, "the followers (receiver, handler, lead) are told too")
        self.assertIn(complaint.access_token, to_complainant[0]["body"])
        self.assertIn(complaint._sign_token(complainant.id), to_complainant[0]["body"])
        for mail in others:
            self.assertNotIn(complaint.access_token, mail["body"], mail["email_to"])
        message = complaint.message_ids.filtered(lambda m: "Sorry about that." in (m.body or ""))
        self.assertTrue(message)
        self.assertNotIn(complaint.access_token, message.body, "the chatter keeps no token")

    @mute_logger(*MUTE)
    def test_token_alone_opens_nothing(self):
        complaint = self._responded()
        token = complaint.access_token
        complainant = self.portal_a.partner_id
        stranger = self.portal_b.partner_id
        self.authenticate(None, None)
        for path in ("", "/feedback"):
            url = f"/my/complaints/{complaint.id}{path}"
            with self.subTest(path=path):
                for query in (
                    f"access_token={token}",
                    f"access_token={token}&pid={complainant.id}&hash=forged",
                    f"access_token={token}&pid={stranger.id}&hash={complaint._sign_token(stranger.id)}",
                ):
                    response = self.url_open(f"{url}?{query}", allow_redirects=False)
                    self.assertEqual(response.status_code, 404, query)
                    self.assertNotIn("Agent was rude", response.text)
                    self.assertNotIn("Sorry about that.", response.text)
        refused = self._post(
            f"/my/complaints/{complaint.id}/feedback", {"access_token": token, "feedback": "satisfied"}
        )
        self.assertEqual(refused.status_code, 404)
        self.assertFalse(complaint.feedback)

    @mute_logger(*MUTE)
    def test_token_alone_opens_no_conversation(self):
        complaint = self._responded()
        complaint.with_user(self.handler).message_post(
            body="We will call you tomorrow", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        pid = self.portal_a.partner_id.id
        thread = {"thread_model": "itsm.complaint", "thread_id": complaint.id}
        self.authenticate(None, None)
        for kwargs in ({"token": complaint.access_token}, {"token": complaint.access_token, "pid": pid}):
            with self.subTest(kwargs=kwargs), self.assertRaises(JsonRpcException):
                self.make_jsonrpc_request("/mail/chatter_fetch", {**thread, **kwargs})
            with self.subTest(kwargs=kwargs):
                init = self.make_jsonrpc_request("/portal/chatter_init", {**thread, **kwargs})
                self.assertNotIn("Agent was rude", json.dumps(init))
                self.assertNotIn("We will call you", json.dumps(init))
            with self.subTest(kwargs=kwargs), self.assertRaises(JsonRpcException):
                self.make_jsonrpc_request(
                    "/mail/message/post",
                    {**thread, "post_data": {"body": "I am satisfied", "message_type": "comment"}, **kwargs},
                )
        self.assertFalse(complaint.message_ids.filtered(lambda m: "I am satisfied" in (m.body or "")))
        signed = {"token": complaint.access_token, "pid": pid, "hash": complaint._sign_token(pid)}
        messages = self.make_jsonrpc_request("/mail/chatter_fetch", {**thread, **signed})
        self.assertIn("We will call you", json.dumps(messages), "the complainant's link opens it")
        self.make_jsonrpc_request(
            "/mail/message/post",
            {**thread, "post_data": {"body": "Thanks, all good", "message_type": "comment"}, **signed},
        )
        reply = complaint.message_ids.filtered(lambda m: "Thanks, all good" in (m.body or ""))
        self.assertEqual(reply.author_id, self.portal_a.partner_id)

    @mute_logger(*MUTE)
    def test_complaint_messages_are_searched_among_public_ones_only(self):
        complaint = self._complaint()
        complaint.with_user(self.receiver).message_post(
            body="Andy admits hanging up", message_type="comment", subtype_xmlid="mail.mt_note"
        )
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        self.assertIn(complaint.id, self._call("itsm.complaint", "search", [[]]))
        for domain in (
            [("message_ids.body", "ilike", "admits")],
            [("website_message_ids", "any", [("body", "ilike", "Andy%hanging")])],
        ):
            with self.subTest(domain=domain):
                self.assertEqual(self._call("itsm.complaint", "search", [domain]), [])

    @mute_logger(*MUTE)
    def test_complainant_link_records_who_answered(self):
        complaint = self._responded()
        complainant = self.portal_a.partner_id
        link = urlparse(complaint._get_feedback_url(complainant.id))
        params = {key: values[0] for key, values in parse_qs(link.query).items()}
        self.assertEqual(set(params), {"access_token", "pid", "hash"})
        self.authenticate(None, None)
        page = self.url_open(f"{link.path}?{link.query}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Sorry about that.", page.text)
        done = self._post(link.path, {**params, "feedback": "satisfied", "comment": "Fine"})
        self.assertEqual(done.status_code, 200)
        self.assertEqual(complaint.feedback, "satisfied")
        feedback = complaint.message_ids.filtered(lambda m: "Feedback from the complainant" in (m.body or ""))
        self.assertEqual(feedback.author_id, complainant)

    @mute_logger(*MUTE)
    def test_a_handler_cannot_answer_in_the_complainants_name(self):
        complaint = self._responded()
        self.authenticate("cmp_handler", "cmp_handler")
        self.assertEqual(self.url_open(f"/my/complaints/{complaint.id}/feedback").status_code, 404)
        response = self._post(f"/my/complaints/{complaint.id}/feedback", {"feedback": "satisfied"})
        self.assertEqual(response.status_code, 404)
        self.assertFalse(complaint.feedback)

    # ------------------------------------------------------------------
    # what names the complaint elsewhere
    # ------------------------------------------------------------------
    @mute_logger(*MUTE)
    def test_mail_records_of_complaints_follow_the_complaint(self):
        complaint = self._complaint(name="Andy was rude", agent_id=self.agent_handler.id)
        complaint.with_user(self.receiver).message_post(
            body="Called Andy's manager", subtype_xmlid="mail.mt_note"
        )
        complaint.with_user(self.receiver).activity_schedule(
            "mail.mail_activity_data_todo", summary="Talk to Andy", user_id=self.agent_handler.id
        )
        complaint.message_subscribe(partner_ids=self.agent_handler.partner_id.ids)
        self.env["ir.attachment"].create(
            {
                "name": "andy-call.txt",
                "raw": b"call log",
                "res_model": "itsm.complaint",
                "res_id": complaint.id,
            }
        )
        domains = {
            "mail.followers": [("res_model", "=", "itsm.complaint")],
            "mail.message": [("model", "=", "itsm.complaint")],
            "mail.activity": [("res_model", "=", "itsm.complaint")],
            "ir.attachment": [("res_model", "=", "itsm.complaint")],
        }
        for model, domain in domains.items():
            with self.subTest(model=model):
                everything = self.env[model].sudo().search(domain)
                self.assertIn(complaint.id, everything.mapped("res_id"), "the check is not empty")
                for user in (self.agent_2, self.employee, self.agent_handler):
                    self.assertNotIn(
                        complaint.id, self._readable(user, model, domain).mapped("res_id"), user.login
                    )
                for user in (self.agent_2, self.employee):
                    self.assertFalse(self._readable(user, model, domain), user.login)
                self.assertIn(complaint.id, self._readable(self.receiver, model, domain).mapped("res_id"))
        activity = complaint.activity_ids
        with self.assertRaises(AccessError):
            activity.with_user(self.agent_handler).read(["res_name"])
        # through RPC, as any employee: no complaint ids, no complainants
        self.authenticate("itsm_agent_2", "itsm_agent_2")
        followers = self._call(
            "mail.followers", "search_read", [domains["mail.followers"]], {"fields": ["res_id", "partner_id"]}
        )
        self.assertEqual(followers, [])

    @mute_logger(*MUTE)
    def test_improvement_actions_of_a_complaint_about_oneself_are_hidden(self):
        complaint = self._complaint(name="Andy was rude", agent_id=self.agent_handler.id)
        Action = self.env["itsm.improvement.action"]
        action = Action.with_user(self.handler).create(
            {
                "name": "Coaching on phone manners",
                "owner_id": self.lead.id,
                "due_date": "2026-12-31",
                "complaint_id": complaint.id,
            }
        )
        self.assertIn(action, self._readable(self.handler, "itsm.improvement.action"))
        self.assertNotIn(action, self._readable(self.agent_handler, "itsm.improvement.action"))
        self.assertFalse(Action.with_user(self.agent_handler).name_search("Coaching"))
        with self.assertRaises(AccessError):
            action.with_user(self.agent_handler).read(["complaint_id"])
        with self.assertRaises(ValidationError):
            action.owner_id = self.agent_handler

    # ------------------------------------------------------------------
    # internal fields
    # ------------------------------------------------------------------
    @mute_logger(*MUTE)
    def test_complainant_reads_no_internal_field_over_rpc(self):
        complaint = self._complaint(investigation_findings="<p>Andy admits it</p>", owner_id=self.handler.id)
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        own = self._call("itsm.complaint", "read", [complaint.ids, ["name", "state"]])
        self.assertEqual(own[0]["name"], "Agent was rude", "the complainant reads their complaint")
        for field in ("investigation_findings", "agent_id", "owner_id", "receiver_id", "step_log_ids"):
            with self.subTest(field=field), self.assertRaises(JsonRpcException) as rpc:
                self._call("itsm.complaint", "read", [complaint.ids, [field]])
            self.assertEqual(str(rpc.exception), "odoo.exceptions.AccessError")
        offered = self._call("itsm.complaint", "fields_get", [], {"attributes": ["type"]})
        self.assertIn("name", offered)
        for field in ("investigation_findings", "agent_id", "owner_id", "severity", "report_summary"):
            self.assertNotIn(field, offered)
        # nor searched character by character
        with self.assertRaises(JsonRpcException):
            self._call("itsm.complaint", "search", [[("investigation_findings", "ilike", "Andy")]])
