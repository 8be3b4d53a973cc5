from datetime import date, timedelta

from odoo import fields
from odoo.tests import new_test_user, tagged

from odoo.addons.itsm_helpdesk.tests.concurrency import TwoNodesCase, committed_env


@tagged("post_install", "-at_install")
class TestComplaintJobsOnTwoNodes(TwoNodesCase):
    """The complaint jobs run by two nodes at the same moment: each effect once, both runs succeed."""

    def test_each_review_created_once(self):
        # January: last month's and last year's reviews, of a year no other test uses
        today = date(2020, 1, 15)

        def remove():
            with committed_env(self.env.cr.dbname) as env:
                env["itsm.complaint.review"].search(
                    [("period_start", "in", ("2019-01-01", "2019-12-01"))]
                ).unlink()

        remove()
        self.addCleanup(remove)
        results = self._run_twice(lambda env: env["itsm.complaint.review"]._cron_generate_reviews(today).ids)
        with committed_env(self.env.cr.dbname) as env:
            companies = env["res.company"].search([])
            reviews = env["itsm.complaint.review"].search(
                [("period_start", "in", ("2019-01-01", "2019-12-01"))]
            )
            self.assertEqual(
                sorted((r.company_id.id, r.period_type) for r in reviews),
                sorted((c.id, t) for c in companies for t in ("annual", "monthly")),
                "one monthly and one annual review per company",
            )
            self.assertEqual(sorted(sum(results, [])), sorted(reviews.ids), "each created by one run")
            self.assertTrue(all(reviews.mapped("computed_at")), "and counted")

    def test_each_overdue_action_reminded_once(self):
        with committed_env(self.env.cr.dbname) as env:
            owner = new_test_user(
                env, "two_nodes_owner", groups="base.group_user", email="owner@two-nodes.example.com"
            )
            actions = env["itsm.improvement.action"].create(
                [
                    {
                        "name": f"Late action {i}",
                        "owner_id": owner.id,
                        "due_date": fields.Date.today() - timedelta(days=3),
                    }
                    for i in range(10)
                ]
            )
            ids = {"owner": owner.id, "partner": owner.partner_id.id, "actions": actions.ids}

        def remove():
            with committed_env(self.env.cr.dbname) as env:
                env["itsm.improvement.action"].browse(ids["actions"]).unlink()
                env["res.users"].browse(ids["owner"]).unlink()
                env["res.partner"].browse(ids["partner"]).unlink()

        self.addCleanup(remove)
        results = self._run_twice(lambda env: env["itsm.improvement.action"]._cron_remind_overdue().ids)
        reminded = [action_id for action_id in sum(results, []) if action_id in ids["actions"]]
        self.assertEqual(sorted(reminded), sorted(ids["actions"]), "each action reminded by exactly one run")
        with committed_env(self.env.cr.dbname) as env:
            reminders = env["mail.message"].search(
                [
                    ("model", "=", "itsm.improvement.action"),
                    ("res_id", "in", ids["actions"]),
                    ("body", "ilike", "is still"),
                ]
            )
            self.assertEqual(
                sorted(reminders.mapped("res_id")), sorted(ids["actions"]), "one reminder per action"
            )
