import json
from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import ComplaintCommon

MUTE = ("odoo.addons.base.models.ir_model", "odoo.http")


@tagged("post_install", "-at_install")
class TestComplaintReferences(ComplaintCommon, HttpCase):
    """Records other roles read never reveal the complaint they come from."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.complaint = cls._complaint(name="Agent was rude")
        cls.action = (
            cls.env["itsm.improvement.action"]
            .with_user(cls.handler)
            .create(
                {
                    "name": "Coach the team",
                    "owner_id": cls.agent_2.id,
                    "due_date": date(2026, 4, 10),
                    "complaint_id": cls.complaint.id,
                }
            )
        )

    @mute_logger(*MUTE)
    def test_lead_and_action_owner_get_no_complaint_reference(self):
        for user in (self.lead, self.agent_2):
            with self.subTest(user=user.login):
                action = self.action.with_user(user)
                self.assertEqual(action.read(["name"])[0]["name"], "Coach the team")
                self.assertNotIn("complaint_id", action.fields_get())
                self.assertNotIn("complaint_id", action.read()[0])
                with self.assertRaises(AccessError):
                    action.read(["complaint_id"])
                with self.assertRaises(AccessError):
                    action.web_read({"complaint_id": {"fields": {"display_name": {}}}})
                with self.assertRaises(AccessError):
                    action.search([("complaint_id.name", "ilike", "rude")])
        # the complaint roles still follow an action back to its complaint
        self.assertEqual(self.action.with_user(self.handler).complaint_id, self.complaint)
        self.assertEqual(self.complaint.with_user(self.handler).improvement_action_count, 1)
        self.assertEqual(self.complaint.with_user(self.handler).improvement_action_ids, self.action)
        # a receiver (no handler) still opens the complaint form that counts the actions
        self.complaint.with_user(self.receiver).read(["improvement_action_count", "improvement_action_ids"])

    @mute_logger(*MUTE)
    def test_rpc_read_as_lead_shows_no_complaint(self):
        self.authenticate("cmp_lead", "cmp_lead")
        model = "itsm.improvement.action"
        found = self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/read",
            {"model": model, "method": "read", "args": [self.action.ids], "kwargs": {}},
        )
        self.assertEqual(found[0]["name"], "Coach the team")
        self.assertNotIn("complaint_id", found[0])
        dumped = json.dumps(found)
        self.assertNotIn(self.complaint.number, dumped)
        self.assertNotIn("Agent was rude", dumped)
        for method, kwargs in (
            ("read", {"fields": ["complaint_id"]}),
            ("web_read", {"specification": {"complaint_id": {"fields": {"display_name": {}}}}}),
        ):
            with self.subTest(method=method), self.assertRaises(JsonRpcException) as rpc:
                self.make_jsonrpc_request(
                    f"/web/dataset/call_kw/{model}/{method}",
                    {"model": model, "method": method, "args": [self.action.ids], "kwargs": kwargs},
                )
            self.assertEqual(str(rpc.exception), "odoo.exceptions.AccessError")
        # the form the lead opens does not ask for the field
        form = self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/get_views",
            {"model": model, "method": "get_views", "args": [[[False, "form"]]], "kwargs": {}},
        )
        self.assertNotIn("complaint_id", form["models"][model]["fields"])
