from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ComplaintCommon


@tagged("post_install", "-at_install")
class TestImprovementActions(ComplaintCommon):
    def _reminders(self, action):
        return action.message_ids.filtered(lambda m: "still" in (m.body or ""))

    def test_overdue_reminder_sent_once(self):
        complaint = self._complaint()
        Action = self.env["itsm.improvement.action"].with_user(self.handler)
        late = Action.create(
            {
                "name": "Coach the agent",
                "owner_id": self.agent_2.id,
                "due_date": date(2026, 4, 10),
                "complaint_id": complaint.id,
            }
        )
        not_yet = Action.create({"name": "Later", "owner_id": self.agent_2.id, "due_date": date(2026, 4, 30)})
        done = Action.create({"name": "Finished", "owner_id": self.agent_2.id, "due_date": date(2026, 4, 1)})
        done.action_done()
        self.assertEqual(complaint.improvement_action_count, 1)
        with freeze_time("2026-04-15"):
            reminded = self.env["itsm.improvement.action"]._cron_remind_overdue()
            self.assertEqual(reminded, late)
            self.assertFalse(
                self.env["itsm.improvement.action"]._cron_remind_overdue(), "the second run sends nothing"
            )
        reminder = self._reminders(late)
        self.assertEqual(len(reminder), 1)
        self.assertIn(self.agent_2.partner_id, reminder.notified_partner_ids | reminder.partner_ids)
        self.assertFalse(self._reminders(not_yet) | self._reminders(done))
        # a new due date earns a new reminder once it passes
        late.due_date = date(2026, 4, 20)
        with freeze_time("2026-04-21"):
            self.env["itsm.improvement.action"]._cron_remind_overdue()
        self.assertEqual(len(self._reminders(late)), 2)

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model")
    def test_owner_works_on_own_action_only(self):
        Action = self.env["itsm.improvement.action"].with_user(self.lead)
        own = Action.create({"name": "Mine", "owner_id": self.agent_2.id, "due_date": date(2026, 4, 10)})
        other = Action.create({"name": "Other", "owner_id": self.agent_3.id, "due_date": date(2026, 4, 10)})
        own.with_user(self.agent_2).write({"outcome": "<p>Done it</p>"})
        own.with_user(self.agent_2).action_done()
        self.assertEqual(own.state, "done")
        with self.assertRaises(AccessError):
            other.with_user(self.agent_2).read(["name"])
        with self.assertRaises(AccessError):
            self.env["itsm.improvement.action"].with_user(self.agent_2).create(
                {"name": "x", "owner_id": self.agent_2.id, "due_date": date(2026, 4, 10)}
            )
