import threading
from contextlib import closing
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import SUPERUSER_ID, Command, api, fields, sql_db
from odoo.tests import tagged

from .common import MONDAY_0900, SlaCommon


class SlaJobCommon(SlaCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contract.threshold_ids = [
            Command.create({"percent": 75, "action": "notify_assignee"}),
            Command.create({"percent": 100, "action": "raise_priority"}),
        ]
        cls.Line = cls.env["itsm.ticket.sla"]

    def _open_tickets(self, count, **values):
        with freeze_time(MONDAY_0900):
            return self.env["itsm.ticket"].create(
                [
                    {
                        "name": f"Slow disk {i}",
                        "partner_id": self.portal_a.partner_id.id,
                        "team_id": self.team_desk.id,
                        "user_id": self.agent_1.id,
                        "priority": "2",
                        **values,
                    }
                    for i in range(count)
                ]
            )

    def _run_job(self, when):
        with freeze_time(when):
            return self.Line._cron_process_due()


@tagged("post_install", "-at_install")
class TestSlaJob(SlaJobCommon):
    def test_thresholds_fire_once_when_the_job_runs_twice(self):
        self.agent_1.tz = "Asia/Shanghai"
        ticket = self._open_tickets(1)
        line = self._line(ticket, "resolution")
        self.assertEqual(line.next_threshold_at, datetime(2025, 1, 6, 12, 0), "75 % of the 4 h resolution")
        self.assertEqual(self._line(ticket, "response").next_threshold_at, datetime(2025, 1, 6, 10, 30))
        self.assertEqual(self._run_job("2025-01-06 09:30:00"), 0, "nothing due yet")
        self._run_job("2025-01-06 12:00:00")  # 3 h: 75 % of the 4 h resolution, response breached
        self.assertEqual(line.last_threshold_pct, 75)
        self.assertEqual(line.status, "running")
        self.assertEqual(ticket.sla_status, "breached", "the response is breached")
        self.assertEqual(self._line(ticket, "response").breached_at, datetime(2025, 1, 6, 11, 0))
        warnings = self.env["mail.activity"].search(
            [("res_model", "=", "itsm.ticket"), ("res_id", "=", ticket.id), ("user_id", "=", self.agent_1.id)]
        )
        self.assertEqual(len(warnings), 1, "75 % of response and of resolution: one to-do for the assignee")
        # what Odoo would compute for the to-do after its INSERT is stored with it
        self.env.invalidate_all()
        self.assertEqual(warnings.res_name, ticket.display_name)
        self.assertEqual(warnings.user_tz, "Asia/Shanghai")
        self.assertFalse(warnings.date_done)
        # the warnings keep the ticket and company the job gave them, those of their clock
        events = self.env["itsm.ticket.sla.event"].search([("ticket_id", "=", ticket.id)])
        self.assertEqual(events.line_id.ticket_id, ticket)
        self.assertEqual(events.company_id, ticket.company_id)
        self.assertEqual(len(events), 3, "75 % of each clock, 100 % of the response")
        self.assertEqual(ticket.priority, "1", "the response reached 100 %: priority raised once")
        self._run_job("2025-01-06 12:05:00")
        self._run_job("2025-01-06 12:10:00")
        self.assertEqual(len(line.event_ids), 1)
        self.assertEqual(ticket.priority, "1")
        self.assertEqual(
            len(
                self.env["mail.activity"].search(
                    [("res_model", "=", "itsm.ticket"), ("res_id", "=", ticket.id)]
                )
            ),
            1,
        )

    def test_breach_is_recorded_at_the_deadline(self):
        ticket = self._open_tickets(1, priority="3")
        line = self._line(ticket, "resolution")
        self._run_job("2025-01-07 09:00:00")
        self.assertEqual(line.status, "breached")
        self.assertEqual(line.breached_at, datetime(2025, 1, 6, 17, 0))
        self.assertEqual(sorted(line.event_ids.mapped("percent")), [75, 100])
        self.assertFalse(line.next_threshold_at, "nothing more to do for this line")
        self.assertIn(ticket, self.env["itsm.ticket"].search([("sla_status", "=", "breached")]))

    def test_trial_measures_but_escalates_nothing(self):
        self.contract.state = "trial"
        ticket = self._open_tickets(1)
        line = self._line(ticket, "resolution")
        self.assertTrue(line.is_trial)
        self._run_job("2025-01-07 09:00:00")
        self.assertEqual(line.status, "breached")
        self.assertTrue(all(line.event_ids.mapped("is_skipped")))
        self.assertEqual(ticket.priority, "2", "no escalation action in trial")
        self.assertFalse(
            self.env["mail.activity"].search([("res_model", "=", "itsm.ticket"), ("res_id", "=", ticket.id)])
        )
        self.assertIn("trial: no action taken", ticket.message_ids[0].body)

    def test_trial_threshold_applied_when_configured(self):
        self.contract.state = "trial"
        self.contract.threshold_ids.filtered(lambda t: t.percent == 100).apply_in_trial = True
        ticket = self._open_tickets(1)
        self._run_job("2025-01-07 09:00:00")
        self.assertEqual(ticket.priority, "1")

    def test_escalate_to_next_line(self):
        self.contract.threshold_ids = [Command.clear(), Command.create({"percent": 50, "action": "escalate"})]
        ticket = self._open_tickets(1)
        self._run_job("2025-01-06 11:00:00")
        self.assertEqual(ticket.team_id, self.team_field)
        self.assertEqual(ticket.escalation_ids[:1].to_line, "2")

    def test_paused_lines_are_not_due(self):
        ticket = self._open_tickets(1)
        with freeze_time("2025-01-06 09:30:00"):
            ticket.stage_id = self.stage_waiting
        self.assertEqual(self._run_job("2025-01-08 09:00:00"), 0)
        self.assertEqual(ticket.sla_status, "paused")


@tagged("post_install", "-at_install", "is_query_count")
class TestSlaJobQueries(SlaJobCommon):
    def test_job_query_count_does_not_grow_with_due_lines(self):
        # raising a priority posts one tracking message per ticket (mail.thread): measure the
        # job itself with warnings only
        self.contract.threshold_ids.filtered(lambda t: t.action == "raise_priority").unlink()
        # a first run warms the caches that any run needs (calendars, activity type, models)
        self._open_tickets(2, priority="3")
        self._run_job("2025-01-06 12:00:00")
        for count in (2, 20):
            self.env["itsm.ticket"].search([]).unlink()
            self._open_tickets(count, priority="3")
            self.env.flush_all()
            self.env.invalidate_all()
            # the same pin for 2 and 20 due lines: the events, the notes, the activities and
            # the clocks are each written in one batch (21 or 23 queries: the second run reads
            # the company and its alias domain for the notes' reply-to, which the first finds
            # read already)
            with freeze_time("2025-01-06 12:00:00"), self.assertQueryCount(23):
                self.assertEqual(self.Line._cron_process_due(), count, "the response lines are due")


@tagged("post_install", "-at_install")
class TestSlaJobConcurrency(SlaCommon):
    """Two transactions running the job at once: each threshold fires once."""

    def test_concurrent_runs_fire_each_threshold_once(self):
        dbname = self.env.cr.dbname
        ids = {}
        with closing(sql_db.db_connect(dbname).cursor()) as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            partner = env["res.partner"].create({"name": "Concurrent Ltd", "is_company": True})
            contract = env["itsm.sla.contract"].create(
                {
                    "name": "Concurrent 24x7",
                    "partner_id": partner.id,
                    "is_24x7": True,
                    "date_start": "2024-01-01",
                    "target_ids": [Command.create({"metric": "resolution", "target_hours": 1.0})],
                    "threshold_ids": [
                        Command.create({"percent": 50, "action": "raise_priority"}),
                        Command.create({"percent": 100, "action": "raise_priority"}),
                    ],
                }
            )
            contract.state = "active"
            tickets = env["itsm.ticket"].create(
                [
                    {
                        "name": f"Race {i}",
                        "partner_id": partner.id,
                        "priority": "4",
                        "opened_at": fields.Datetime.now() - timedelta(hours=2),
                    }
                    for i in range(20)
                ]
            )
            ids = {"partner": partner.id, "contract": contract.id, "tickets": tickets.ids}
            cr.commit()  # pylint: disable=invalid-commit
        try:
            barrier = threading.Barrier(2)
            results, errors = [], []

            def run():
                try:
                    with closing(sql_db.db_connect(dbname).cursor()) as cr:
                        env = api.Environment(cr, SUPERUSER_ID, {})
                        barrier.wait(timeout=30)
                        results.append(env["itsm.ticket.sla"]._cron_process_due())
                        cr.commit()  # pylint: disable=invalid-commit
                except Exception as error:  # noqa: BLE001 pylint: disable=broad-exception-caught
                    errors.append(error)

            threads = [threading.Thread(target=run) for _i in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=120)
            self.assertFalse(errors)
            self.assertEqual(sum(results), 20, "each due line processed by exactly one run")
            with closing(sql_db.db_connect(dbname).cursor()) as cr:
                cr.execute(
                    "SELECT count(*), count(DISTINCT (line_id, threshold_id)) FROM itsm_ticket_sla_event e"
                    " JOIN itsm_ticket_sla l ON l.id = e.line_id WHERE l.contract_id = %s",
                    [ids["contract"]],
                )
                self.assertEqual(cr.fetchone(), (40, 40))
                cr.execute("SELECT DISTINCT priority FROM itsm_ticket WHERE id = ANY(%s)", [ids["tickets"]])
                self.assertEqual(cr.fetchall(), [("2",)], "raised twice (50 % and 100 %), not four times")
        finally:
            with closing(sql_db.db_connect(dbname).cursor()) as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                env["itsm.ticket"].browse(ids.get("tickets", [])).unlink()
                env["itsm.sla.contract"].browse(ids.get("contract")).unlink()
                env["res.partner"].browse(ids.get("partner")).unlink()
                cr.commit()  # pylint: disable=invalid-commit
