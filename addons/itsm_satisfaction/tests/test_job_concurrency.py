from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged

from odoo.addons.itsm_helpdesk.tests.concurrency import TwoNodesCase, committed_env


@tagged("post_install", "-at_install")
class TestSatisfactionJobsOnTwoNodes(TwoNodesCase):
    """The satisfaction jobs run by two nodes at the same moment: each effect once, both runs succeed."""

    def test_each_default_rating_recorded_once(self):
        with committed_env(self.env.cr.dbname) as env:
            days = env.company.itsm_default_rating_days
            self.assertGreater(days, 0, "default ratings are on")
            partner = env["res.partner"].create(
                {"name": "Silent Requester", "email": "silent@two-nodes.example.com"}
            )
            tickets = env["itsm.ticket"].create(
                [{"name": f"Unrated {i}", "partner_id": partner.id} for i in range(10)]
            )
            tickets.stage_id = env["itsm.stage"].search([("is_closed", "=", True)], limit=1)
            tickets.rating_requested_at = fields.Datetime.now() - timedelta(days=days + 1)
            ratings = env["rating.rating"].create(
                [
                    {
                        "res_model_id": env["ir.model"]._get_id("itsm.ticket"),
                        "res_id": ticket.id,
                        "partner_id": partner.id,
                        "consumed": False,
                    }
                    for ticket in tickets
                ]
            )
            ids = {"partner": partner.id, "tickets": tickets.ids, "ratings": ratings.ids}

        def remove():
            with committed_env(self.env.cr.dbname) as env:
                env["rating.rating"].browse(ids["ratings"]).unlink()
                env["itsm.ticket"].browse(ids["tickets"]).unlink()
                env["res.partner"].browse(ids["partner"]).unlink()

        self.addCleanup(remove)
        self._run_twice(lambda env: env["itsm.ticket"]._cron_record_default_ratings())
        with committed_env(self.env.cr.dbname) as env:
            ratings = env["rating.rating"].search(
                [("res_model", "=", "itsm.ticket"), ("res_id", "in", ids["tickets"])]
            )
            self.assertEqual(
                sorted(ratings.mapped("res_id")), sorted(ids["tickets"]), "one rating per ticket"
            )
            self.assertTrue(all(ratings.mapped("is_default")))
            notes = env["mail.message"].search(
                [
                    ("model", "=", "itsm.ticket"),
                    ("res_id", "in", ids["tickets"]),
                    ("body", "ilike", "default rating"),
                ]
            )
            self.assertEqual(
                sorted(notes.mapped("res_id")), sorted(ids["tickets"]), "the default logged once per ticket"
            )

    def test_each_recurring_campaign_generated_once(self):
        with committed_env(self.env.cr.dbname) as env:
            team = env["itsm.team"].create({"name": "Two nodes callbacks"})
            templates = env["itsm.callback.campaign"].create(
                [
                    {
                        "name": f"Two nodes survey {recurrence}",
                        "recurrence": recurrence,
                        "team_ids": [Command.set(team.ids)],
                        "sample_type": "count",
                        "sample_count": 5,
                        "method": "phone",
                        "caller_ids": [Command.set(env.ref("base.user_admin").ids)],
                    }
                    for recurrence in ("monthly", "yearly")
                ]
            )
            ids = {"team": team.id, "templates": templates.ids}

        def remove():
            with committed_env(self.env.cr.dbname) as env:
                campaigns = env["itsm.callback.campaign"].with_context(active_test=False)
                campaigns.search([("parent_id", "in", ids["templates"])]).unlink()
                campaigns.browse(ids["templates"]).unlink()
                env["itsm.team"].browse(ids["team"]).unlink()

        self.addCleanup(remove)
        results = self._run_twice(lambda env: env["itsm.callback.campaign"]._cron_generate_recurring().ids)
        with committed_env(self.env.cr.dbname) as env:
            occurrences = (
                env["itsm.callback.campaign"]
                .with_context(active_test=False)
                .search([("parent_id", "in", ids["templates"])])
            )
            self.assertEqual(
                sorted(occurrences.parent_id.ids), sorted(ids["templates"]), "one occurrence each"
            )
            self.assertEqual(len(occurrences), 2)
            self.assertEqual(set(occurrences.mapped("state")), {"running"}, "and generated")
            self.assertEqual(len(set(sum(results, [])) & set(occurrences.ids)), 2, "each created by one run")
