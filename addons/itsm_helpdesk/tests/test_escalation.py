from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import ItsmCommon


@tagged("post_install", "-at_install")
class TestEscalation(ItsmCommon):
    def _transfer(self, ticket, team, reason, direction="up", user=None):
        user = user or self.agent_1
        wizard_form = Form(
            self.env["itsm.ticket.escalate"]
            .with_user(user)
            .with_context(active_ids=ticket.ids, default_direction=direction)
        )
        wizard_form.team_id = team
        wizard_form.reason = reason
        wizard_form.save().action_confirm()

    def test_escalate_and_hand_back_are_logged(self):
        self.team_field.assignment_method = "least_open"
        with freeze_time("2026-04-01 08:00:00"):
            ticket = self._ticket(user_id=self.agent_1.id)
        with freeze_time("2026-04-01 10:30:00"):
            self._transfer(ticket, self.team_field, "Needs an engineer on site")
        self.assertEqual(ticket.support_line, "2")
        self.assertTrue(ticket.is_escalated)
        self.assertEqual(ticket.first_line2_at, datetime(2026, 4, 1, 10, 30))
        self.assertAlmostEqual(ticket.line2_delay_hours, 2.5)
        log = ticket.escalation_ids
        self.assertEqual(len(log), 1)
        self.assertRecordValues(
            log,
            [
                {
                    "direction": "up",
                    "from_line": "1",
                    "to_line": "2",
                    "from_team_id": self.team_desk.id,
                    "to_team_id": self.team_field.id,
                    "reason": "Needs an engineer on site",
                    "user_id": self.agent_1.id,
                }
            ],
        )
        self.assertIn("Needs an engineer on site", ticket.message_ids[0].body)
        self.assertIn(
            self.agent_1.partner_id,
            ticket.message_partner_ids,
            "the escalating agent keeps following the ticket",
        )
        self.assertEqual(
            ticket.user_id, self.expert, "the assignee left with the old team; the new team takes over"
        )

        with freeze_time("2026-04-01 12:00:00"):
            self._transfer(ticket, self.team_experts, "Core switch firmware bug", user=self.expert)
        with freeze_time("2026-04-02 09:00:00"):
            self._transfer(
                ticket,
                self.team_desk,
                "Fixed; desk to confirm with the user",
                direction="down",
                user=self.expert,
            )
        self.assertFalse(ticket.user_id, "a manual team leaves the ticket in its queue")
        self.assertEqual(
            ticket.first_line2_at, datetime(2026, 4, 1, 10, 30), "only the first transfer counts"
        )
        self.assertEqual(ticket.escalation_count, 3)
        self.assertEqual(ticket.escalation_ids.mapped("direction"), ["down", "up", "up"])
        self.assertFalse(ticket.is_escalated, "handed back to line 1")
        self.assertEqual(ticket.support_line, "1")

    def test_transfer_needs_a_reason_and_a_team_of_the_right_line(self):
        ticket = self._ticket()
        wizard = (
            self.env["itsm.ticket.escalate"]
            .with_user(self.agent_1)
            .with_context(active_ids=ticket.ids)
            .create({"team_id": self.team_field.id, "reason": "   ", "direction": "up"})
        )
        with self.assertRaises(UserError):
            wizard.action_confirm()
        wizard = (
            self.env["itsm.ticket.escalate"]
            .with_user(self.agent_1)
            .with_context(active_ids=ticket.ids)
            .create({"team_id": self.team_desk.id, "reason": "why", "direction": "up"})
        )
        with self.assertRaises(UserError):
            wizard.action_confirm()
        self.assertFalse(ticket.escalation_ids)
        self.assertEqual(ticket.team_id, self.team_desk)

    def test_team_change_on_the_form_is_logged_too(self):
        ticket = self._ticket()
        ticket.team_id = self.team_field
        self.assertEqual(ticket.escalation_ids.reason, "Team changed on the ticket")
        other_desk = self.env["itsm.team"].create({"name": "Desk 2", "support_line": "2"})
        ticket.team_id = other_desk
        self.assertEqual(len(ticket.escalation_ids), 1, "a change within the same line is not a transfer")
