import uuid
from datetime import datetime

from odoo import Command
from odoo.tests import TransactionCase, tagged

from odoo.addons.itsm_helpdesk.tests.concurrency import committed_env, run_concurrently


@tagged("post_install", "-at_install")
class TestPlanJobsOnTwoNodes(TransactionCase):
    """The delivery job run by two nodes at the same moment: each line delivered once per period."""

    def test_each_line_delivered_once(self):
        with committed_env(self.env.cr.dbname) as env:
            company = env["res.company"].create({"name": f"Twin Nodes Comms {uuid.uuid4().hex[:8]}"})
            partner = env["res.partner"].create({"name": "Twin reader", "email": "reader@twin.example.com"})
            stakeholder = env["itsm.stakeholder"].create(
                {"name": "Twins", "company_id": company.id, "contact_ids": [Command.set(partner.ids)]}
            )
            plan = env["itsm.communication.plan"].create(
                {"name": "Twin plan", "company_id": company.id, "state": "active"}
            )
            lines = env["itsm.communication.plan.line"].create(
                [
                    {
                        "plan_id": plan.id,
                        "stakeholder_id": stakeholder.id,
                        "start_date": "2026-01-01",
                        "channel": "portal",
                        "sequence": i,
                    }
                    for i in range(10)
                ]
            )
            ids = {"company": company.id, "partner": partner.id, "plan": plan.id, "lines": lines.ids}

        def cleanup():
            with committed_env(self.env.cr.dbname) as env:
                env["itsm.communication.delivery"].search([("line_id", "in", ids["lines"])]).unlink()
                env["itsm.communication.plan"].browse(ids["plan"]).unlink()
                env["itsm.stakeholder"].search([("company_id", "=", ids["company"])]).unlink()
                env["res.partner"].browse(ids["partner"]).unlink()
                # a company keeps records of its own (its partner, its sequences): archived instead
                env["res.company"].browse(ids["company"]).active = False

        self.addCleanup(cleanup)

        def job(env):
            company = env["res.company"].browse(ids["company"])
            return len(
                env["itsm.communication.plan.line"]._cron_deliver(
                    now=datetime(2026, 3, 2, 8, 0), companies=company
                )
            )

        results, errors = run_concurrently(self.env.cr.dbname, job)
        self.assertFalse(errors, "neither run fails: the second skips what the first holds")
        self.assertEqual(sum(results), 20, "two months for each of ten lines, by exactly one run")
        with committed_env(self.env.cr.dbname) as env:
            deliveries = env["itsm.communication.delivery"].search([("line_id", "in", ids["lines"])])
            self.assertEqual(len(deliveries), 20)
            self.assertEqual(len(set(deliveries.mapped(lambda d: (d.line_id.id, d.period_start)))), 20)
