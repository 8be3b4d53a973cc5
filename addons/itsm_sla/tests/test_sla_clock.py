from datetime import datetime

import psycopg2
from freezegun import freeze_time
from pytz import UTC

from odoo import Command
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import FRIDAY_1730, MONDAY_0900, SlaCommon


@tagged("post_install", "-at_install")
class TestSlaClock(SlaCommon):
    def _open(self, when, **values):
        with freeze_time(when):
            return self._ticket(priority="2", **values)

    def test_friday_evening_deadline_is_monday(self):
        # 30 minutes left on Friday, 3.5 working hours from Monday 09:00
        ticket = self._open(FRIDAY_1730)
        line = self._line(ticket, "resolution")
        self.assertEqual(line.target_hours, 4.0)
        self.assertEqual(line.deadline, datetime(2025, 1, 6, 12, 30))
        self.assertEqual(ticket.sla_deadline, self._line(ticket, "response").deadline)
        self.assertEqual(self._line(ticket, "response").deadline, datetime(2025, 1, 6, 10, 30))
        self.assertEqual(line.status, "running")
        self.assertEqual(
            line.deadline,
            self.calendar.plan_hours(4.0, FRIDAY_1730, compute_leaves=True).replace(tzinfo=None),
            "the batch clock agrees with the resource calendar",
        )

    def test_deadlines_across_the_change_to_winter_time_agree_with_the_resource_calendar(self):
        # Paris leaves summer time in the night of Sunday 25 October 2026: opened on Friday at
        # 17:00 in Paris (15:00 UTC), a ticket's clocks count one hour on Friday and the rest
        # from Monday 09:00 in Paris, which is 08:00 UTC from then on
        self.contract.calendar_id = self._calendar("Paris office", "Europe/Paris")
        opened = datetime(2026, 10, 23, 15, 0)
        ticket = self._open(opened)
        response, resolution = self._line(ticket, "response"), self._line(ticket, "resolution")
        self.assertEqual(resolution.deadline, datetime(2026, 10, 26, 11, 0))  # 12:00 in Paris
        for line in (response, resolution):
            self.assertEqual(
                line.deadline,
                self.contract.calendar_id.plan_hours(
                    line.target_hours, opened.replace(tzinfo=UTC), compute_leaves=True
                ).replace(tzinfo=None),
                f"the {line.metric} deadline agrees with the resource calendar across the time change",
            )
        with freeze_time(datetime(2026, 10, 26, 9, 0)):  # 10:00 in Paris: one hour on Monday
            resolution.invalidate_recordset(["hours_left"])
            self.assertAlmostEqual(resolution.hours_left, 2.0, places=4)

    def test_public_holiday_moves_the_deadline(self):
        self._holiday("New Year bridge", datetime(2025, 1, 6))
        ticket = self._open(FRIDAY_1730)
        self.assertEqual(self._line(ticket, "resolution").deadline, datetime(2025, 1, 7, 12, 30))

    def test_holiday_added_later_recomputes_open_deadlines(self):
        ticket = self._open(FRIDAY_1730)
        with freeze_time(FRIDAY_1730):
            self._holiday("Strike", datetime(2025, 1, 6))
        self.assertEqual(self._line(ticket, "resolution").deadline, datetime(2025, 1, 7, 12, 30))

    def test_shorter_weekday(self):
        hours = dict.fromkeys(range(5), (9.0, 18.0))
        hours[0] = (9.0, 11.0)  # Mondays end at 11:00
        self.contract.calendar_id = self._calendar("Short Mondays", "UTC", hours)
        ticket = self._open(FRIDAY_1730)
        # 0.5 h Friday + 2 h Monday + 1.5 h Tuesday
        self.assertEqual(self._line(ticket, "resolution").deadline, datetime(2025, 1, 7, 10, 30))

    def test_calendar_in_another_time_zone_than_the_user(self):
        self.env.user.tz = "America/New_York"
        self.contract.calendar_id = self._calendar("Shanghai office", "Asia/Shanghai")
        # 09:30 UTC on Friday is 17:30 in Shanghai
        ticket = self._open(datetime(2025, 1, 3, 9, 30))
        # Monday 12:30 in Shanghai is 04:30 UTC
        self.assertEqual(self._line(ticket, "resolution").deadline, datetime(2025, 1, 6, 4, 30))

    def test_24x7_counts_every_hour(self):
        self.contract.is_24x7 = True
        ticket = self._open(FRIDAY_1730)
        self.assertEqual(self._line(ticket, "resolution").deadline, datetime(2025, 1, 3, 21, 30))

    def test_pause_excludes_waiting_time(self):
        ticket = self._open(MONDAY_0900)
        line = self._line(ticket, "resolution")
        with freeze_time("2025-01-06 10:00:00"):
            ticket.stage_id = self.stage_waiting
        self.assertEqual(line.status, "paused")
        self.assertAlmostEqual(line.worked_hours, 1.0)
        self.assertFalse(line.deadline)
        self.assertEqual(ticket.sla_status, "paused")
        self.assertFalse(ticket.sla_deadline, "a paused ticket has no running deadline")
        with freeze_time("2025-01-06 14:00:00"):
            ticket.stage_id = self.stage_progress
        self.assertEqual(line.status, "running")
        # 1 h spent, 3 h left from 14:00: the four waiting hours do not count
        self.assertEqual(line.deadline, datetime(2025, 1, 6, 17, 0))
        # the response target (2 h, 1 h spent) is the nearest deadline
        self.assertEqual(ticket.sla_deadline, datetime(2025, 1, 6, 15, 0))

    def test_priority_change_keeps_the_time_spent(self):
        with freeze_time(MONDAY_0900):
            ticket = self._ticket(priority="3")
        line = self._line(ticket, "resolution")
        self.assertEqual(line.deadline, datetime(2025, 1, 6, 17, 0))
        with freeze_time("2025-01-06 11:00:00"):
            ticket.priority = "2"
        self.assertEqual(line.target_hours, 4.0)
        self.assertAlmostEqual(line.worked_hours, 2.0)
        self.assertEqual(line.deadline, datetime(2025, 1, 6, 13, 0))
        self.assertEqual(len(self._line(ticket, "resolution")), 1, "one clock, re-targeted")

    def test_contract_change_keeps_the_time_spent(self):
        with freeze_time(MONDAY_0900):
            ticket = self._ticket(priority="2", partner_id=self.portal_b.partner_id.id)
            self.assertFalse(ticket.sla_line_ids, "customer B has no contract")
            default = self._contract("Company default", False, [("resolution", False, 16.0)])
        with freeze_time("2025-01-06 10:00:00"):
            ticket.partner_id = self.portal_b.partner_id  # no change, no clock
            ticket.kind = "question"
        line = self._line(ticket, "resolution")
        self.assertEqual(line.contract_id, default)
        self.assertEqual(line.started_at, datetime(2025, 1, 6, 10, 0))
        with freeze_time("2025-01-06 12:00:00"):
            ticket.partner_id = self.portal_a.partner_id
        self.assertEqual(line.contract_id, self.contract)
        self.assertAlmostEqual(line.worked_hours, 2.0)
        self.assertEqual(line.deadline, datetime(2025, 1, 6, 14, 0))

    def test_first_public_reply_meets_the_response(self):
        ticket = self._open(MONDAY_0900)
        with freeze_time("2025-01-06 10:00:00"):
            ticket.with_user(self.agent_1).message_post(
                body="Looking into it", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        response = self._line(ticket, "response")
        self.assertEqual(response.status, "met")
        self.assertEqual(response.stopped_at, datetime(2025, 1, 6, 10, 0))
        self.assertEqual(self._line(ticket, "resolution").status, "running")

    def test_internal_note_does_not_meet_the_response(self):
        ticket = self._open(MONDAY_0900)
        with freeze_time("2025-01-06 10:00:00"):
            ticket.with_user(self.agent_1).message_post(
                body="note", message_type="comment", subtype_xmlid="mail.mt_note"
            )
        self.assertEqual(self._line(ticket, "response").status, "running")

    def test_mail_from_an_agent_address_does_not_meet_the_response(self):
        ticket = self._open(MONDAY_0900)
        thread_id = ticket.message_ids.filtered("message_id")[:1].message_id
        raw = (
            f"From: Alice <{self.agent_1.email}>\nTo: desk@example.com\nSubject: Re: {ticket.name}\n"
            f"Message-ID: <spoofed-agent@outside.example.com>\nIn-Reply-To: {thread_id}\n"
            f"References: {thread_id}\nContent-Type: text/plain\n\nAll fixed, closing.\n"
        )
        with freeze_time("2025-01-06 10:00:00"):
            self.assertEqual(self.env["mail.thread"].message_process(None, raw), ticket.id)
        self.assertTrue(ticket.message_ids.filtered(lambda m: "All fixed" in (m.body or "")))
        self.assertEqual(
            self._line(ticket, "response").status, "running", "nothing by e-mail is an agent reply"
        )

    def test_response_met_by_working_stage_when_configured(self):
        self.contract.response_on = "stage"
        ticket = self._open(MONDAY_0900)
        with freeze_time("2025-01-06 09:30:00"):
            ticket.stage_id = self.stage_progress
        self.assertEqual(self._line(ticket, "response").status, "met")

    def test_late_resolution_is_breached_and_reopen_continues(self):
        ticket = self._open(MONDAY_0900)
        line = self._line(ticket, "resolution")
        with freeze_time("2025-01-06 10:00:00"):
            ticket.action_close()
        self.assertEqual(line.status, "met")
        self.assertEqual(ticket.sla_status, "met")
        self.assertFalse(ticket.sla_deadline)
        self.assertEqual(self._line(ticket, "response").status, "met", "resolving answers too")
        with freeze_time("2025-01-07 09:00:00"):
            ticket.action_reopen()
        self.assertEqual(line.status, "running")
        self.assertEqual(line.reopen_count, 1)
        self.assertAlmostEqual(line.worked_hours, 1.0)
        self.assertEqual(line.deadline, datetime(2025, 1, 7, 12, 0))
        self.assertEqual(self._line(ticket, "response").status, "met", "the response stays met")
        self.assertIn("Reopened", ticket.message_ids[0].body)
        with freeze_time("2025-01-07 14:00:00"):
            ticket.action_close()
        self.assertEqual(line.status, "breached")
        self.assertEqual(line.breached_at, datetime(2025, 1, 7, 12, 0))

    def test_ola_measures_only_the_team_part(self):
        ola = self._contract(
            "Field OLA", False, [("resolution", False, 2.0)], kind="ola", team_id=self.team_field.id
        )
        ticket = self._open(MONDAY_0900)
        line = ticket.sla_line_ids.filtered(lambda ln: ln.contract_id == ola)
        self.assertFalse(line, "the ticket is not with the field team yet")
        with freeze_time("2025-01-06 11:00:00"):
            ticket.team_id = self.team_field
        line = ticket.sla_line_ids.filtered(lambda ln: ln.contract_id == ola)
        self.assertEqual(line.deadline, datetime(2025, 1, 6, 13, 0))
        with freeze_time("2025-01-06 12:00:00"):
            ticket.team_id = self.team_desk
        self.assertEqual(line.status, "paused")
        self.assertAlmostEqual(line.worked_hours, 1.0)

    def test_requirement_derives_a_contract(self):
        requirement = self.env["itsm.sla.requirement"].create(
            {
                "name": "Needs of B",
                "partner_id": self.customer_b.id,
                "calendar_id": self.calendar.id,
                "line_ids": [
                    Command.create({"priority": "1", "response_hours": 1, "resolution_hours": 4}),
                    Command.create({"priority": False, "response_hours": 4, "resolution_hours": 0}),
                ],
            }
        )
        action = requirement.action_create_contract()
        contract = self.env["itsm.sla.contract"].browse(action["res_id"])
        self.assertEqual(contract.partner_id, self.customer_b)
        self.assertEqual(contract.state, "draft")
        self.assertEqual(
            sorted((t.metric, t.priority or "", t.target_hours) for t in contract.target_ids),
            [("resolution", "1", 4.0), ("response", "", 4.0), ("response", "1", 1.0)],
        )
        contract.action_start_trial()
        contract.action_activate()
        self.assertEqual(contract.state, "active")
        self.assertTrue(contract.signed_date)
        self.assertTrue(contract.next_review_date)
        self.assertEqual(contract.activity_ids.user_id, self.env.user)

    def test_contract_expires_and_bad_dates_are_refused(self):
        self.contract.date_end = "2024-12-31"
        self.env["itsm.sla.contract"]._cron_expire()
        self.assertEqual(self.contract.state, "expired")
        with freeze_time(MONDAY_0900):
            ticket = self._ticket(priority="2")
        self.assertFalse(ticket.sla_line_ids, "an expired contract measures nothing")
        check_violation = psycopg2.errors.CheckViolation
        with self.assertRaises(check_violation), self.cr.savepoint(), mute_logger("odoo.sql_db"):
            self.contract.date_end = "2023-01-01"
            self.env.flush_all()

    def test_agent_cannot_change_contracts(self):
        from odoo.exceptions import AccessError

        self.contract.with_user(self.agent_1).read(["name"])
        with self.assertRaises(AccessError):
            self.contract.with_user(self.agent_1).write({"name": "Hacked"})
