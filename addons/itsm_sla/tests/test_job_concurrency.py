from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.tests import tagged

from odoo.addons.itsm_helpdesk.tests.concurrency import TwoNodesCase, committed_env

OFFICE_HOURS = dict.fromkeys(range(5), (9.0, 18.0))
MORNINGS = dict.fromkeys(range(5), (9.0, 12.0))


def _attendances(hours):
    return [Command.clear()] + [
        Command.create(
            {
                "name": f"Day {day}",
                "dayofweek": str(day),
                "hour_from": start,
                "hour_to": stop,
                "day_period": "morning",
            }
        )
        for day, (start, stop) in hours.items()
    ]


@tagged("post_install", "-at_install")
class TestSlaJobsOnTwoNodes(TwoNodesCase):
    """The SLA jobs other than the warnings (see test_sla_job) run by two nodes at the same moment."""

    def _commit_contracts(self, build):
        """Contracts (and what they measure) built and committed for the concurrent runs to see."""

        def cleanup(env, ids):
            env["itsm.ticket"].browse(ids.get("tickets", [])).unlink()
            env["itsm.sla.contract"].browse(ids["contracts"]).unlink()
            env["resource.calendar"].browse(ids.get("calendars", [])).unlink()
            env["res.partner"].browse(ids["partners"]).unlink()

        return self._commit(build, cleanup)

    def _contracts(self, env, count, **values):
        partners = env["res.partner"].create(
            [{"name": f"Two Nodes {i}", "is_company": True} for i in range(count)]
        )
        contracts = env["itsm.sla.contract"].create(
            [
                {
                    "name": f"Two nodes {partner.name}",
                    "partner_id": partner.id,
                    "is_24x7": True,
                    "date_start": "2024-01-01",
                    "target_ids": [Command.create({"metric": "resolution", "target_hours": 8.0})],
                    **values,
                }
                for partner in partners
            ]
        )
        contracts.state = "active"
        return partners, contracts

    def _tracked(self, env, model, ids, field, value):
        env.cr.execute(
            "SELECT count(*), count(DISTINCT m.res_id) FROM mail_tracking_value v"
            " JOIN mail_message m ON m.id = v.mail_message_id"
            " JOIN ir_model_fields f ON f.id = v.field_id"
            " WHERE m.model = %s AND m.res_id = ANY(%s) AND f.name = %s AND v.new_value_char = %s",
            [model, ids, field, value],
        )
        return env.cr.fetchone()

    def test_each_contract_expires_once(self):
        def build(env):
            partners, contracts = self._contracts(env, 6, date_end="2024-12-31")
            return {"partners": partners.ids, "contracts": contracts.ids}

        ids = self._commit_contracts(build)
        self._run_twice(lambda env: env["itsm.sla.contract"]._cron_expire())
        with committed_env(self.env.cr.dbname) as env:
            self.assertEqual(
                set(env["itsm.sla.contract"].browse(ids["contracts"]).mapped("state")), {"expired"}
            )
            self.assertEqual(
                self._tracked(env, "itsm.sla.contract", ids["contracts"], "state", "Expired"),
                (6, 6),
                "each expiry logged once",
            )

    def test_each_review_opened_once(self):
        def build(env):
            partners, contracts = self._contracts(env, 4, review_interval_months=3)
            contracts.next_review_date = fields.Date.today() - timedelta(days=1)
            contracts.activity_ids.unlink()
            return {"partners": partners.ids, "contracts": contracts.ids}

        ids = self._commit_contracts(build)
        results = self._run_twice(lambda env: len(env["itsm.sla.contract"]._cron_prepare_reviews()))
        self.assertEqual(sum(results), 4, "each due review opened by exactly one run")
        with committed_env(self.env.cr.dbname) as env:
            contracts = env["itsm.sla.contract"].browse(ids["contracts"])
            reviews = env["itsm.sla.review"].search([("contract_id", "in", contracts.ids)])
            self.assertEqual(
                sorted(reviews.contract_id.ids), sorted(contracts.ids), "one review per contract"
            )
            self.assertTrue(all(reviews.mapped("report_attachment_id")), "each with its report")
            self.assertEqual(
                sorted(contracts.activity_ids.mapped("res_id")),
                sorted(contracts.ids),
                "one review to-do per contract",
            )
            self.assertEqual(
                set(contracts.mapped("next_review_date")),
                {fields.Date.today() - timedelta(days=1) + relativedelta(months=3)},
                "the next review moved by one interval, not two",
            )

    def test_each_calendar_replanned_once(self):
        def build(env):
            calendars = env["resource.calendar"].create(
                [
                    {
                        "name": f"Two nodes hours {i}",
                        "tz": "UTC",
                        "attendance_ids": _attendances(OFFICE_HOURS),
                    }
                    for i in range(2)
                ]
            )
            partners = env["res.partner"].browse()
            contracts = env["itsm.sla.contract"].browse()
            for calendar in calendars:
                partner, contract = self._contracts(env, 1, is_24x7=False, calendar_id=calendar.id)
                partners |= partner
                contracts |= contract
            tickets = env["itsm.ticket"].create(
                [{"name": f"Replan {i}", "partner_id": partner.id} for partner in partners for i in range(5)]
            )
            lines = env["itsm.ticket.sla"].search([("ticket_id", "in", tickets.ids)])
            assert len(lines) == 10 and not any(lines.mapped("stopped_at")), "an open clock per ticket"
            deadlines = dict(zip(lines.ids, lines.mapped("deadline"), strict=True))
            # shorter hours saved without moving the deadlines: the job is to move them
            calendars.with_context(itsm_sla_no_recompute=True).attendance_ids = _attendances(MORNINGS)
            calendars.write({"itsm_sla_replan_pending": True, "itsm_sla_replan_next_id": 0})
            env.registry.clear_cache()
            return {
                "partners": partners.ids,
                "contracts": contracts.ids,
                "calendars": calendars.ids,
                "tickets": tickets.ids,
                "deadlines": deadlines,
            }

        ids = self._commit_contracts(build)
        self._run_twice(lambda env: env["resource.calendar"]._cron_itsm_sla_replan())
        with committed_env(self.env.cr.dbname) as env:
            calendars = env["resource.calendar"].browse(ids["calendars"])
            self.assertFalse(any(calendars.mapped("itsm_sla_replan_pending")), "each run moved one calendar")
            lines = env["itsm.ticket.sla"].browse(ids["deadlines"])
            for line in lines:
                self.assertGreater(line.deadline, ids["deadlines"][line.id], "8 working hours now end later")
