import json
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from odoo.addons.itsm_helpdesk.tests.common import ItsmCommon

MUTE = ("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model", "odoo.http")


@tagged("post_install", "-at_install")
class TestAnnouncementOracles(ItsmCommon, HttpCase):
    """A portal user learns nothing of unannounced changes, neither through the portal pages nor
    through plain JSON-RPC."""

    def _call(self, model, method, args, kwargs=None):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )

    def test_announcement_is_not_readable_before_its_window(self):
        now = fields.Datetime.now()
        Announcement = self.env["itsm.announcement"]
        current = Announcement.create({"name": "Mail is slow", "state": "published", "start_at": now})
        planned = Announcement.create(
            {
                "name": "Datacentre move on Saturday",
                "state": "published",
                "start_at": now + timedelta(days=2),
                "body": "<p>Everything is down</p>",
            }
        )
        Ann = Announcement.with_user(self.portal_a)
        self.assertIn(current, Ann.search([]))
        self.assertNotIn(planned, Ann.search([]))
        self.assertNotIn(
            planned, Announcement.with_user(self.portal_a).browse(planned.ids)._filtered_access("read")
        )
        self.assertIn(planned, Announcement.with_user(self.agent_1).search([]), "the desk prepares it")
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        found = self._call("itsm.announcement", "search_read", [[]], {"fields": ["name", "body"]})
        self.assertNotIn("Datacentre", json.dumps(found))
        self.assertIn("Mail is slow", json.dumps(found))
        with mute_logger(*MUTE), self.assertRaises(JsonRpcException):
            self._call("itsm.announcement", "read", [planned.ids, ["name"]])
        with freeze_time(now + timedelta(days=3)):
            self.assertIn(planned, Announcement.with_user(self.portal_a).search([]), "shown in its window")
