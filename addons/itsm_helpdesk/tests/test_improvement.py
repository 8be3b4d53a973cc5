from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from .common import ItsmCommon


@tagged("post_install", "-at_install")
class TestImprovementRegister(ItsmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.problem = cls.env["itsm.problem"].create({"name": "VPN drops every morning"})
        cls.review = cls.env["itsm.major.incident.review"].create({"ticket_id": cls._ticket().id})

    def _raise(self, source, user=None, **values):
        """Raise an action from a source as a user does: its button, then the prefilled form."""
        action = source.with_user(user or self.manager).action_raise_improvement_action()
        self.assertEqual(action["res_model"], "itsm.improvement.action")
        Action = self.env["itsm.improvement.action"].with_user(user or self.manager)
        with Form(Action.with_context(**action["context"])) as form:
            form.owner_id = self.agent_2
            form.due_date = date(2026, 4, 10)
            for field, value in values.items():
                setattr(form, field, value)
        return form.record

    def _register(self, user):
        return self.env["itsm.improvement.action"].with_user(user).search([])

    def test_problem_and_post_incident_review_raise_actions_into_the_register(self):
        from_problem = self._raise(self.problem)
        from_review = self._raise(self.review, name="Page the on-call engineer at once")
        self.assertEqual(from_problem.name, self.problem.display_name, "the form is prefilled")
        self.assertEqual((from_problem.source, from_problem.source_ref), ("problem", self.problem))
        self.assertEqual((from_review.source, from_review.source_ref), ("major_incident_review", self.review))
        self.assertEqual(self.problem.improvement_action_count, 1)
        self.assertEqual(self.review.improvement_action_count, 1)
        opened = self.problem.action_view_improvement_actions()
        self.assertEqual(self.env["itsm.improvement.action"].search(opened["domain"]), from_problem)
        # one register, with each action's source
        register = self._register(self.manager)
        self.assertLessEqual(from_problem | from_review, register)
        self.assertEqual(
            {a.source for a in register & (from_problem | from_review)}, {"problem", "major_incident_review"}
        )
        # an action raised from nothing is "other"
        other = (
            self.env["itsm.improvement.action"]
            .with_user(self.manager)
            .create({"name": "Tidy the runbooks", "owner_id": self.agent_2.id, "due_date": date(2026, 4, 10)})
        )
        self.assertEqual(other.source, "other")
        self.assertFalse(other.source_ref)

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model")
    def test_rights(self):
        action = self._raise(self.problem)
        # the owner works on it; an agent or employee who does not own it sees nothing
        action.with_user(self.agent_2).write({"outcome": "<p>Morning restarts stopped</p>"})
        action.with_user(self.agent_2).action_done()
        self.assertEqual(action.state, "done")
        self.assertTrue(action.done_at)
        self.assertEqual(self._register(self.agent_2), action)
        self.assertFalse(self._register(self.agent_1))
        with self.assertRaises(AccessError):
            action.with_user(self.agent_1).write({"outcome": "<p>Not mine</p>"})
        with self.assertRaises(AccessError):
            self.problem.with_user(self.agent_1).action_raise_improvement_action()
        self.assertFalse(self._register(self.employee))
        with self.assertRaises(AccessError):
            action.with_user(self.employee).read(["name"])
        # a portal user: nothing at all
        with self.assertRaises(AccessError):
            self._register(self.portal_a)
        with self.assertRaises(AccessError):
            action.with_user(self.portal_a).read(["name"])

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_other_company_sees_nothing(self):
        action = self._raise(self.problem)
        company_2 = self.env["res.company"].create({"name": "Other Desk Ltd"})
        other_agent = new_test_user(
            self.env,
            "itsm_improvement_other_agent",
            groups="itsm_helpdesk.group_itsm_agent",
            company_id=company_2.id,
            company_ids=[(6, 0, company_2.ids)],
        )
        other_manager = new_test_user(
            self.env,
            "itsm_improvement_other_manager",
            groups="itsm_helpdesk.group_itsm_manager",
            company_id=company_2.id,
            company_ids=[(6, 0, company_2.ids)],
        )
        self.assertFalse(self._register(other_agent))
        self.assertFalse(self._register(other_manager))
        with self.assertRaises(AccessError):
            action.with_user(other_manager).read(["name"])

    def _reminders(self, action):
        return action.message_ids.filtered(lambda m: "still" in (m.body or ""))

    def test_overdue_reminder_once(self):
        late = self._raise(self.problem)
        not_yet = self._raise(self.review, due_date=date(2026, 4, 30))
        Action = self.env["itsm.improvement.action"]
        with freeze_time("2026-04-15"):
            self.assertTrue(late.is_overdue)
            self.assertFalse(not_yet.is_overdue)
            overdue = Action.with_user(self.agent_2).search([("id", "in", (late | not_yet).ids)])
            self.assertEqual(overdue.filtered("is_overdue"), late)
            self.assertEqual(Action._cron_remind_overdue(), late)
            self.assertFalse(Action._cron_remind_overdue(), "the second run reminds of nothing")
        reminder = self._reminders(late)
        self.assertEqual(len(reminder), 1)
        self.assertIn(self.agent_2.partner_id, reminder.notified_partner_ids | reminder.partner_ids)
        self.assertFalse(self._reminders(not_yet))
        self.assertTrue(late.overdue_reminded_at)

    def test_register_list_query_count(self):
        """The register's list reads each kind of source once, however many actions it shows."""
        for source in (self.problem, self.review) * 6:
            self._raise(source)
        Action = self.env["itsm.improvement.action"].with_user(self.manager)
        spec = {
            "name": {},
            "source": {},
            "source_ref": {"fields": {"display_name": {}}},
            "owner_id": {"fields": {"display_name": {}}},
            "due_date": {},
            "is_overdue": {},
            "state": {},
        }
        Action.web_search_read([], spec)  # warm the caches of the registry
        self.env.invalidate_all()
        with self.assertQueryCount(19):
            result = Action.web_search_read([], spec)
        self.assertGreaterEqual(result["length"], 12)
