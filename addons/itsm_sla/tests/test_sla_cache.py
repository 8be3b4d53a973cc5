from datetime import datetime
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from odoo.addons.itsm_sla.models import resource_calendar

from .common import FRIDAY_1730, MONDAY_0900, SlaCommon


@tagged("post_install", "-at_install")
class TestSlaCachedRules(SlaCommon):
    """Ticket creation reads contracts and working hours from the registry cache: every change
    to them must reach the next ticket, and the clocks already running."""

    def _open(self, **values):
        with freeze_time(FRIDAY_1730):
            return self._ticket(priority="2", **values)

    def _resolution(self, ticket):
        return self._line(ticket, "resolution")

    def test_changed_target_hours_reach_the_next_ticket(self):
        first = self._open()
        target = self.contract.target_ids.filtered(lambda t: t.metric == "resolution" and t.priority == "2")
        with freeze_time(FRIDAY_1730):
            target.target_hours = 6.0
        second = self._open()
        self.assertEqual(self._resolution(second).target_hours, 6.0)
        # 0.5 h on Friday + 5.5 h on Monday from 09:00
        self.assertEqual(self._resolution(second).deadline, datetime(2025, 1, 6, 14, 30))
        self.assertEqual(self._resolution(first).deadline, datetime(2025, 1, 6, 14, 30), "re-targeted too")

    def test_new_target_reaches_the_next_ticket(self):
        self._open()
        self.contract.target_ids = [Command.create({"metric": "update", "target_hours": 1.0})]
        ticket = self._open()
        self.assertEqual(sorted(ticket.sla_line_ids.mapped("metric")), ["resolution", "response", "update"])

    def test_added_threshold_plans_running_clocks_and_new_ones(self):
        first = self._open()
        self.assertEqual(
            self._resolution(first).next_threshold_at,
            self._resolution(first).deadline,
            "without thresholds the next action is the breach",
        )
        with freeze_time(FRIDAY_1730):
            self.contract.threshold_ids = [Command.create({"percent": 50, "action": "notify_assignee"})]
        second = self._open()
        # 50 % of 4 working hours: 0.5 h on Friday, 1.5 h on Monday from 09:00
        for ticket in (first, second):
            self.assertEqual(self._resolution(ticket).next_threshold_at, datetime(2025, 1, 6, 10, 30))
        with freeze_time(FRIDAY_1730):
            self.contract.threshold_ids.unlink()
        self.assertEqual(self._resolution(first).next_threshold_at, self._resolution(first).deadline)

    def test_terminated_contract_measures_no_new_ticket(self):
        self.assertTrue(self._open().sla_line_ids)
        self.contract.action_terminate()
        self.assertFalse(self._open().sla_line_ids)
        self.contract.action_reset_draft()
        self.contract.action_activate()
        self.assertTrue(self._open().sla_line_ids)

    def test_contract_signed_later_measures_open_tickets_from_its_signature(self):
        self.contract.action_terminate()
        open_a = self._open()
        waiting_a = self._open(stage_id=self.stage_waiting.id)
        open_b = self._open(partner_id=self.portal_b.partner_id.id)
        self.assertFalse((open_a | waiting_a | open_b).sla_line_ids)
        signed = datetime(2025, 1, 6, 9, 0)  # Monday morning
        with freeze_time(signed):
            self.contract.action_reset_draft()
            self.contract.action_activate()
        line = self._resolution(open_a)
        self.assertEqual((line.started_at, line.deadline), (signed, datetime(2025, 1, 6, 13, 0)))
        self.assertEqual(self._resolution(waiting_a).status, "paused")
        self.assertFalse(open_b.sla_line_ids, "another customer's tickets are not covered")

    def test_contract_for_another_service_only(self):
        service = self.env["itsm.service"].create({"name": "Payroll"})
        self.contract.service_ids = service
        self.assertFalse(self._open().sla_line_ids, "the contract now covers payroll only")
        self.assertTrue(self._open(service_id=service.id).sla_line_ids)

    def test_holiday_added_after_planning_reaches_the_next_ticket(self):
        first = self._open()
        self.assertEqual(self._resolution(first).deadline, datetime(2025, 1, 6, 12, 30))
        with freeze_time(FRIDAY_1730):
            self._holiday("Strike", datetime(2025, 1, 6))
        second = self._open()
        for ticket in (first, second):
            self.assertEqual(self._resolution(ticket).deadline, datetime(2025, 1, 7, 12, 30))
        with freeze_time(FRIDAY_1730):
            self.calendar.global_leave_ids.unlink()
        third = self._open()
        for ticket in (first, third):
            self.assertEqual(self._resolution(ticket).deadline, datetime(2025, 1, 6, 12, 30))

    def test_large_desk_moves_its_deadlines_in_a_job(self):
        tickets = self._open() | self._open() | self._open()  # six open clocks
        with patch.object(resource_calendar, "REPLAN_NOW", 4), freeze_time(FRIDAY_1730):
            self._holiday("Strike", datetime(2025, 1, 6))
        self.assertTrue(self.calendar.itsm_sla_replan_pending, "more clocks than are moved at once")
        for ticket in tickets:
            self.assertEqual(self._resolution(ticket).deadline, datetime(2025, 1, 6, 12, 30), "not moved yet")
        late = self._open()
        self.assertEqual(
            self._resolution(late).deadline, datetime(2025, 1, 7, 12, 30), "new clocks know the holiday"
        )
        Calendar = self.env["resource.calendar"]
        with freeze_time(FRIDAY_1730):
            Calendar._cron_itsm_sla_replan(batch=5)
            self.assertTrue(self.calendar.itsm_sla_replan_pending, "five of eight clocks moved")
            Calendar._cron_itsm_sla_replan(batch=5)
        self.assertFalse(self.calendar.itsm_sla_replan_pending)
        for ticket in tickets | late:
            self.assertEqual(self._resolution(ticket).deadline, datetime(2025, 1, 7, 12, 30))
            self.assertEqual(ticket.sla_deadline, self._line(ticket, "response").deadline)
        self.assertEqual(self._line(tickets[0], "response").deadline, datetime(2025, 1, 7, 10, 30))

    def _row_versions(self, tickets):
        """The physical place of each ticket row: any UPDATE of the row gives it a new one."""
        self.env.flush_all()
        self.env.cr.execute("SELECT id, ctid FROM itsm_ticket WHERE id IN %s", [tuple(tickets.ids)])
        return dict(self.env.cr.fetchall())

    def test_holiday_moves_deadlines_without_rewriting_the_tickets(self):
        """The tickets show their moved deadline, sort and filter on it, and their rows are not
        rewritten: the deadline is read through the pacing clock, which stays the same."""
        first, second = self._open(), self._open()
        with freeze_time("2025-01-03 16:30:00"):
            third = self._ticket(priority="2")  # opened an hour earlier: the nearest deadline
        tickets = first | second | third
        self.assertEqual(tickets.mapped("sla_line_id.metric"), ["response"] * 3, "the response comes first")
        before = self._row_versions(tickets)
        self.env.invalidate_all()  # as in the transaction of a user who saves a holiday
        with freeze_time(FRIDAY_1730):
            self._holiday("Strike", datetime(2025, 1, 6))
        self.assertEqual(self._row_versions(tickets), before, "no ticket row was written")
        self.env.invalidate_all()
        self.assertEqual(first.sla_deadline, datetime(2025, 1, 7, 10, 30), "Monday's hours are gone")
        self.assertEqual(first.sla_deadline, self._line(first, "response").deadline)
        Ticket = self.env["itsm.ticket"].with_user(self.agent_1)
        self.assertLess(third.sla_deadline, first.sla_deadline)
        self.assertEqual(
            Ticket.search([("id", "in", tickets.ids)], order="sla_deadline, id").ids,
            [third.id, first.id, second.id],
            "the SLA queue's order",
        )
        self.assertEqual(
            Ticket.search([("id", "in", tickets.ids), ("sla_deadline", "<", first.sla_deadline)]).ids,
            third.ids,
        )
        fields = Ticket.fields_get(["sla_deadline"], ["sortable", "searchable"])["sla_deadline"]
        self.assertEqual((fields["sortable"], fields["searchable"]), (True, True), "the list sorts on it")

    def test_holiday_on_answered_tickets_keeps_their_pacing_clock_and_updates_their_status(self):
        """Answered tickets have one running clock, which paces them whatever its deadline: a
        holiday leaves their summary uncomputed, but for a ticket whose clock changes status."""

        def answered(when):
            with freeze_time(when):
                ticket = self._ticket(priority="2")  # resolution in 4 working hours
                ticket.with_user(self.agent_1).message_post(
                    body="Looking into it", message_type="comment", subtype_xmlid="mail.mt_comment"
                )
            return ticket

        late = answered("2025-01-03 15:00:00")  # Friday 15:00-18:00, then Monday 09:00-10:00
        steady = answered("2025-01-06 09:00:00")  # Monday 09:00-13:00
        with freeze_time("2025-01-06 11:30:00"):
            self.env["itsm.ticket.sla"]._cron_process_due()
        self.assertEqual(late.sla_status, "breached")
        self.assertEqual(steady.sla_status, "running")
        for ticket in late | steady:
            self.assertEqual(ticket.sla_line_id, self._resolution(ticket), "the response was met")
        before = self._row_versions(steady)
        self.env.invalidate_all()
        with freeze_time("2025-01-06 11:30:00"):
            self._holiday("Strike", datetime(2025, 1, 6))  # Monday's working time is gone
        self.env.invalidate_all()
        self.assertEqual(self._resolution(late).status, "running", "3 h of 4 worked: no longer breached")
        self.assertEqual(late.sla_status, "running", "the ticket's status follows its clock")
        self.assertEqual(late.sla_deadline, datetime(2025, 1, 7, 10, 0))
        self.assertEqual(steady.sla_deadline, datetime(2025, 1, 7, 13, 0))
        self.assertEqual((steady.sla_line_id, steady.sla_status), (self._resolution(steady), "running"))
        self.assertEqual(self._row_versions(steady), before, "the steady ticket's row was not written")

    def test_large_desk_job_shows_its_progress_in_clocks(self):
        tickets = self._open() | self._open() | self._open() | self._open()  # eight open clocks
        with patch.object(resource_calendar, "REPLAN_NOW", 4), freeze_time(FRIDAY_1730):
            self._holiday("Strike", datetime(2025, 1, 6))
        progress = []
        Calendar = self.env["resource.calendar"]
        Cron = type(self.env["ir.cron"])
        with (
            patch.object(Cron, "_notify_progress", lambda _cron, **kw: progress.append(kw)),
            freeze_time(FRIDAY_1730),
        ):
            Calendar._cron_itsm_sla_replan(batch=1)  # loads the contracts' rules and the calendar
            self.env.flush_all()
            # a run costs the same queries whatever the number of clocks it moves
            for batch in (2, 4):
                with self.assertQueryCount(9):
                    Calendar._cron_itsm_sla_replan(batch=batch)
                    self.env.flush_all()
            Calendar._cron_itsm_sla_replan(batch=4)
        self.assertEqual(
            [(p["done"], p["remaining"]) for p in progress],
            [(1, 7), (2, 5), (4, 1), (1, 0)],
            "clocks moved, clocks left",
        )
        self.assertFalse(self.calendar.itsm_sla_replan_pending)
        for ticket in tickets:
            self.assertEqual(self._resolution(ticket).deadline, datetime(2025, 1, 7, 12, 30))
            self.assertEqual(ticket.sla_deadline, self._line(ticket, "response").deadline)

    def test_changed_attendance_reaches_running_and_next_tickets(self):
        first = self._open()
        monday = self.calendar.attendance_ids.filtered(lambda a: a.dayofweek == "0")
        with freeze_time(FRIDAY_1730):
            monday.hour_from = 11.0  # Mondays start at 11:00
        second = self._open()
        for ticket in (first, second):
            # 0.5 h on Friday, 3.5 h on Monday from 11:00
            self.assertEqual(self._resolution(ticket).deadline, datetime(2025, 1, 6, 14, 30))

    def test_calendar_time_zone_change_reaches_the_next_ticket(self):
        self._open()
        with freeze_time(FRIDAY_1730):
            self.calendar.tz = "Asia/Shanghai"
        # Friday 17:30 UTC is Saturday 01:30 in Shanghai: 4 h from Monday 09:00 there (01:00 UTC)
        self.assertEqual(self._resolution(self._open()).deadline, datetime(2025, 1, 6, 5, 0))

    def test_new_ticket_in_a_waiting_stage_starts_paused(self):
        ticket = self._open(stage_id=self.stage_waiting.id)
        line = self._resolution(ticket)
        self.assertEqual(line.status, "paused")
        self.assertFalse(line.deadline)
        self.assertFalse(ticket.sla_deadline)

    def test_batch_clocks_in_cache_equal_the_database(self):
        gold_b = self._contract(
            "Gold B", self.customer_b, [("response", False, 1.0), ("resolution", False, 16.0)]
        )
        with freeze_time(FRIDAY_1730):
            tickets = self.env["itsm.ticket"].create(
                [
                    {
                        "name": "P2 for A",
                        "team_id": self.team_desk.id,
                        "partner_id": self.portal_a.partner_id.id,
                        "priority": "2",
                    },
                    {
                        "name": "P3 for A",
                        "team_id": self.team_desk.id,
                        "partner_id": self.portal_a.partner_id.id,
                        "priority": "3",
                    },
                    {
                        "name": "For B",
                        "team_id": self.team_desk.id,
                        "partner_id": self.portal_b.partner_id.id,
                    },
                    {
                        "name": "A, waiting",
                        "team_id": self.team_desk.id,
                        "partner_id": self.portal_a.partner_id.id,
                        "priority": "2",
                        "stage_id": self.stage_waiting.id,
                    },
                ]
            )
        names = [
            "contract_id",
            "metric",
            "target_hours",
            "status",
            "deadline",
            "next_threshold_at",
            "running_since",
            "company_id",
            "agreement_kind",
            "worked_hours",
        ]

        def snapshot():
            return {
                ticket.name: (
                    sorted(tuple(line[name] for name in names) for line in ticket.sla_line_ids),
                    ticket.sla_deadline,
                    ticket.sla_status,
                )
                for ticket in tickets
            }

        in_cache = snapshot()
        self.env.invalidate_all()
        self.assertEqual(snapshot(), in_cache, "what the creation left in the cache is what was stored")
        lines_b = tickets[2].sla_line_ids
        self.assertEqual(lines_b.contract_id, gold_b)
        self.assertEqual(set(lines_b.mapped("agreement_kind")), {"customer"})
        self.assertEqual(lines_b.company_id, tickets[2].company_id)
        # 0.5 h on Friday + 0.5 h on Monday
        self.assertEqual(tickets[2].sla_deadline, datetime(2025, 1, 6, 9, 30))
        self.assertEqual(self._resolution(tickets[1]).deadline, datetime(2025, 1, 6, 16, 30))
        self.assertEqual(tickets[3].sla_status, "paused")
        self.assertEqual(set(tickets[3].sla_line_ids.mapped("status")), {"paused"})


@tagged("post_install", "-at_install")
class TestSlaReplan(SlaCommon):
    """A change of working hours moves the open clocks without folding their running time: the
    deadlines, next action times and statuses are those re-targeting (which folds) gives, for
    clocks running, paused, at risk, past their deadline and breached, but that a missed deadline
    stays where it was missed, and no working time is lost."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contract.threshold_ids = [Command.create({"percent": 50, "action": "notify_assignee"})]
        Line = cls.env["itsm.ticket.sla"]
        with freeze_time(FRIDAY_1730.replace(hour=9, minute=0)):
            cls.breached = cls._ticket(priority="2")  # 4 h from Friday 09:00: breached at 13:00
        with freeze_time(MONDAY_0900):
            cls.running = cls._ticket(priority="3")
            cls.paused = cls._ticket(priority="3")
            cls.at_risk = cls._ticket(priority="2")
        with freeze_time("2025-01-06 10:00:00"):
            cls.paused.stage_id = cls.stage_waiting
        with freeze_time("2025-01-06 11:30:00"):
            Line._cron_process_due()  # breaches Friday's ticket, warns at 50 %
        # at 12:00 the response clocks of Monday (2 h) are past their deadline, not yet processed
        cls.now = datetime(2025, 1, 6, 12, 0)

    def _moved(self, change, method):
        """The clocks' plan and the tickets' summary after ``change``, moved by ``method``."""
        self.env.flush_all()
        self.env.cr.execute("SAVEPOINT replan")
        tickets = self.breached | self.running | self.paused | self.at_risk
        with freeze_time(self.now):
            change()
            self.env.registry.clear_cache()
            lines = tickets.sla_line_ids.filtered(lambda ln: not ln.stopped_at)
            getattr(lines, method)()
            self.env.flush_all()
        with freeze_time("2025-01-08 10:00:00"):
            moved = {
                line.id: (
                    line.status,
                    line.deadline,
                    line.next_threshold_at,
                    line.breached_at,
                    line.target_hours,
                    round(line.worked_hours_now, 6),
                )
                for line in tickets.sla_line_ids
            } | {ticket: (ticket.sla_deadline, ticket.sla_status) for ticket in tickets}
        self.env.cr.execute("ROLLBACK TO SAVEPOINT replan")
        self.env.invalidate_all()
        self.env.registry.clear_cache()
        return moved

    def _quiet_holiday(self, day):
        """A public holiday whose clocks the test moves itself."""
        self.env["resource.calendar.leaves"].with_context(itsm_sla_no_recompute=True).create(
            {
                "name": "Strike",
                "calendar_id": self.calendar.id,
                "date_from": day,
                "date_to": day.replace(hour=23, minute=59, second=59),
            }
        )

    def _assert_same_as_retargeting(self, change):
        """Every value as re-targeting gives it, but where a deadline was missed: re-targeting plans
        from now and moves a missed deadline to the moment of the change, the replan keeps the
        instant the target was reached (the breach the job recorded: Friday's ticket, 4 h from
        Friday 09:00, at 13:00 and its response at 11:00; Monday's responses at 11:00)."""
        before = self._moved(lambda: None, "_replan")
        replanned = self._moved(change, "_replan")
        retargeted = self._moved(change, "_retarget")
        missed = 0
        for key, values in retargeted.items():
            if isinstance(key, int) and values[0] == "breached" and values[1] == self.now:
                status, deadline, next_at, breached_at, hours, worked = replanned[key]
                self.assertTrue(before[key][3], "breached by the job before the change")
                self.assertEqual(deadline, before[key][3], "a missed deadline stays where it was missed")
                self.assertEqual(breached_at, before[key][3])
                self.assertEqual((status, next_at, hours, worked), values[:1] + values[2:3] + values[4:])
                missed += 1
            elif not isinstance(key, int) and values[0] == self.now:
                self.assertLess(replanned[key][0], self.now, "the ticket's deadline is the missed one")
                self.assertEqual(replanned[key][1], values[1])
            else:
                self.assertEqual(replanned[key], values)
        self.assertGreaterEqual(missed, 2, "Friday's clocks at least")
        self.assertEqual(
            replanned[self.breached], (datetime(2025, 1, 3, 11, 0), "breached"), "Friday's response"
        )
        self.assertNotEqual(replanned, before, "the change moves clocks")
        statuses = {line.status for line in (self.breached | self.paused | self.at_risk).sla_line_ids}
        self.assertEqual(statuses, {"breached", "paused", "running"})
        at_risk = self._line(self.at_risk, "resolution")
        self.assertEqual((at_risk.status, at_risk.last_threshold_pct), ("running", 50), "warned at 50 %")

    def test_public_holiday_tomorrow(self):
        self._assert_same_as_retargeting(lambda: self._quiet_holiday(datetime(2025, 1, 7)))

    def test_public_holiday_today(self):
        """A holiday declared on the day: the working time already counted today goes too."""
        self._assert_same_as_retargeting(lambda: self._quiet_holiday(datetime(2025, 1, 6)))

    def test_shorter_working_hours_on_the_running_day(self):
        monday = self.calendar.attendance_ids.filtered(lambda a: a.dayofweek == "0")
        self._assert_same_as_retargeting(
            lambda: monday.with_context(itsm_sla_no_recompute=True).write({"hour_from": 11.0})
        )

    def test_longer_working_hours_on_a_past_day(self):
        friday = self.calendar.attendance_ids.filtered(lambda a: a.dayofweek == "4")
        self._assert_same_as_retargeting(
            lambda: friday.with_context(itsm_sla_no_recompute=True).write({"hour_to": 20.0})
        )
