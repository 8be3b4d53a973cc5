from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests import tagged

from .common import ItsmCommon


@tagged("post_install", "-at_install")
class TestAssignment(ItsmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.resource_2 = cls.env["resource.resource"].create(
            {
                "name": cls.agent_2.name,
                "user_id": cls.agent_2.id,
                "calendar_id": cls.company.resource_calendar_id.id,
            }
        )

    def _leave(self, resource, start, stop):
        return self.env["resource.calendar.leaves"].create(
            {
                "name": "Holiday",
                "resource_id": resource.id if resource else False,
                "calendar_id": self.company.resource_calendar_id.id,
                "date_from": start,
                "date_to": stop,
            }
        )

    def _batch(self, count, **values):
        return self.env["itsm.ticket"].create(
            [dict({"name": f"Ticket {i}", "team_id": self.team_desk.id}, **values) for i in range(count)]
        )

    def test_round_robin(self):
        self.team_desk.assignment_method = "round_robin"
        tickets = self._batch(5)
        agents = [self.agent_1, self.agent_2, self.agent_3]
        self.assertEqual(tickets.mapped("user_id").ids, [a.id for a in agents])
        self.assertEqual([t.user_id for t in tickets], agents + agents[:2])
        self.assertTrue(all(tickets.mapped("assigned_at")))
        self.assertEqual(self._batch(1).user_id, self.agent_3, "the next ticket continues the rotation")

    def test_round_robin_skips_agent_on_leave(self):
        self.team_desk.assignment_method = "round_robin"
        with freeze_time("2026-06-10 10:00:00"):
            self._leave(self.resource_2, datetime(2026, 6, 9), datetime(2026, 6, 12))
            tickets = self._batch(4)
        self.assertNotIn(self.agent_2, tickets.user_id)
        self.assertEqual(
            [t.user_id for t in tickets], [self.agent_1, self.agent_3, self.agent_1, self.agent_3]
        )
        with freeze_time("2026-06-13 10:00:00"):
            self.assertIn(self.agent_2, self._batch(3).user_id, "back from leave, back in the rotation")

    def test_public_holiday_excludes_nobody(self):
        self.team_desk.assignment_method = "round_robin"
        now = datetime.now()
        self._leave(None, now - timedelta(hours=2), now + timedelta(hours=2))
        self.assertEqual(len(self._batch(3).user_id), 3)

    def test_least_open_tickets(self):
        self._batch(2, user_id=self.agent_1.id)
        self._batch(1, user_id=self.agent_3.id)
        closed = self._batch(3, user_id=self.agent_2.id)
        closed.action_close()
        self.team_desk.assignment_method = "least_open"
        tickets = self._batch(4)
        # loads before: agent_1 2, agent_2 0 (closed ones do not count), agent_3 1
        self.assertEqual(
            [t.user_id for t in tickets], [self.agent_2, self.agent_2, self.agent_3, self.agent_1]
        )
        loads = {
            a: self.env["itsm.ticket"].search_count([("user_id", "=", a.id), ("is_closed", "=", False)])
            for a in (self.agent_1, self.agent_2, self.agent_3)
        }
        self.assertEqual(
            loads, {self.agent_1: 3, self.agent_2: 2, self.agent_3: 2}, "workloads end up balanced"
        )

    def test_least_open_skips_agent_on_leave(self):
        self.team_desk.assignment_method = "least_open"
        now = datetime.now()
        self._leave(self.resource_2, now - timedelta(days=1), now + timedelta(days=1))
        tickets = self._batch(4)
        self.assertNotIn(self.agent_2, tickets.user_id)

    def test_everybody_away_leaves_ticket_unassigned(self):
        self.team_desk.assignment_method = "round_robin"
        self.team_desk.member_ids = self.agent_2
        now = datetime.now()
        self._leave(self.resource_2, now - timedelta(days=1), now + timedelta(days=1))
        ticket = self._batch(1)
        self.assertFalse(ticket.user_id)
        self.assertFalse(ticket.assigned_at)

    def test_manual_team_and_explicit_assignee(self):
        self.assertFalse(self._batch(1).user_id, "a manual team leaves dispatching to its lead")
        self.team_desk.assignment_method = "round_robin"
        self.assertEqual(self._batch(1, user_id=self.agent_3.id).user_id, self.agent_3)
