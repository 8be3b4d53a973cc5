import contextlib
import threading
from datetime import date, datetime

from freezegun import freeze_time

from odoo import SUPERUSER_ID, api, sql_db
from odoo.tools import SQL

from odoo.addons.itsm_sla.tests.common import SlaCommon

JANUARY = date(2025, 1, 1)


def percentile_90(values):
    """The 90th percentile with linear interpolation, as PostgreSQL's percentile_cont."""
    ordered = sorted(values)
    position = 0.9 * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


class ConcurrentJobMixin:
    """Two runs of a report job at once, as two cron workers would run it, on committed data."""

    @contextlib.contextmanager
    def _committed_env(self):
        """A superuser environment on a cursor of its own, committed at the end of the block."""
        with contextlib.closing(sql_db.db_connect(self.env.cr.dbname).cursor()) as cr:
            yield api.Environment(cr, SUPERUSER_ID, {})
            cr.commit()  # pylint: disable=invalid-commit

    def _run_twice_at_once(self, job, timeout):
        """``job(env)`` in two threads released together, each committing its transaction; the
        results of both runs (in the order they ended) and the errors raised."""
        barrier = threading.Barrier(2)
        results, errors = [], []

        def run():
            try:
                with self._committed_env() as env:
                    barrier.wait(timeout=30)
                    results.append(job(env))
            except Exception as error:  # noqa: BLE001 pylint: disable=broad-exception-caught
                errors.append(error)

        threads = [threading.Thread(target=run) for _i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=timeout)
        return results, errors

    def _assert_issued_once(self, model, job, owner_field, owner_id, timeout):
        """Two runs of ``job`` at once issue the report of ``owner_field`` = ``owner_id`` once:
        one run returns it, the other not, and the table holds one issued report."""
        results, errors = self._run_twice_at_once(
            lambda env: job(env[model]).filtered(lambda r: r[owner_field].id == owner_id).ids, timeout
        )
        self.assertFalse(errors)
        self.assertEqual(sorted(len(found) for found in results), [0, 1], "one run issued it, the other none")
        with self._committed_env() as env:
            env.cr.execute(
                SQL(
                    "SELECT count(*), bool_and(state = 'issued') FROM %s WHERE %s = %s",
                    SQL.identifier(env[model]._table),
                    SQL.identifier(owner_field),
                    owner_id,
                )
            )
            self.assertEqual(env.cr.fetchone(), (1, True))


class ServiceReportCommon(SlaCommon):
    """January 2025 of customer A (Gold A, office hours in UTC): four tickets resolved after 1, 3,
    6 and 10 working hours, one left open, a major incident, a complaint whose subject looks
    like a formula, an improvement action, a real and a default rating."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.resource_calendar_id.tz = "UTC"
        cls.company.partner_id.tz = False
        cls.Report = cls.env["itsm.service.report"]
        cls.tickets = cls.env["itsm.ticket"]
        for closing in (
            "2025-01-06 10:00:00",
            "2025-01-06 12:00:00",
            "2025-01-06 15:00:00",
            "2025-01-07 10:00:00",
        ):
            ticket = cls._open_at("2025-01-06 09:00:00", priority="2")
            with freeze_time(closing):
                ticket.action_close()
            cls.tickets |= ticket
        cls.open_ticket = cls._open_at(
            "2025-01-08 14:30:00", priority="3", kind="service_request", channel="email"
        )
        cls.tickets |= cls.open_ticket
        cls.tickets[2].is_major_incident = True
        cls.env["itsm.major.incident.review"].create({"ticket_id": cls.tickets[2].id})
        # outside the period or the customer: never counted
        cls.december = cls._open_at("2024-12-16 10:00:00", priority="3")
        cls.february = cls._open_at("2025-02-03 10:00:00", priority="3")
        cls.other = cls._open_at("2025-01-06 10:00:00", priority="3", partner_id=cls.portal_b.partner_id.id)
        with freeze_time("2025-01-09 11:00:00"):
            cls.complaint = cls.env["itsm.complaint"].create(
                {
                    "name": '=HYPERLINK("http://evil.example.com","Click")',
                    "partner_id": cls.portal_a.partner_id.id,
                    "ticket_id": cls.tickets[2].id,
                }
            )
        cls.action = cls.env["itsm.improvement.action"].create(
            {
                "name": "Monitor the disk space",
                "owner_id": cls.manager.id,
                "due_date": "2025-02-28",
                "complaint_id": cls.complaint.id,
            }
        )
        # create_date is the transaction's time: set it in the period
        cls.env.flush_all()
        cls.env.cr.execute(
            "UPDATE itsm_improvement_action SET create_date = %s WHERE id = %s",
            [datetime(2025, 1, 10, 9, 0), cls.action.id],
        )
        cls.action.invalidate_recordset(["create_date"])
        model = cls.env["ir.model"]._get_id("itsm.ticket")
        cls.env["rating.rating"].create(
            [
                {
                    "res_model_id": model,
                    "res_id": cls.tickets[0].id,
                    "partner_id": cls.portal_a.partner_id.id,
                    "rating": 5,
                    "consumed": True,
                    "feedback": "Fast and friendly",
                },
                {
                    "res_model_id": model,
                    "res_id": cls.tickets[1].id,
                    "partner_id": cls.portal_a.partner_id.id,
                    "rating": 3,
                    "consumed": True,
                    "is_default": True,
                },
            ]
        )

    @classmethod
    def _open_at(cls, when, **values):
        with freeze_time(when):
            return cls._ticket(**values)

    @classmethod
    def _report(cls, partner=None, date_from=JANUARY, kind="month"):
        return cls.Report.create(
            {"partner_id": (partner or cls.customer_a).id, "date_from": date_from, "period_kind": kind}
        )
