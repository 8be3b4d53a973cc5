from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from odoo.addons.itsm_satisfaction.tests.common import SatisfactionCommon


@tagged("post_install", "-at_install")
class TestSatisfactionCoverage(SatisfactionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.people = cls.env["res.partner"].create(
            [
                {"name": f"Covered {i}", "email": f"covered{i}@a.example.com", "parent_id": cls.customer_a.id}
                for i in range(10)
            ]
        )
        for person in cls.people | cls.portal_b.partner_id:
            cls._resolved("2026-02-10 10:00:00", team_id=cls.team_field.id, partner_id=person.id)

    def test_customer_without_measure_is_flagged_until_measured(self):
        Partner = self.env["res.partner"]
        ticket_a = self._ticket()
        self._ticket(partner_id=self.portal_b.partner_id.id)
        self.Rating.create(
            {
                "res_model_id": self.env["ir.model"]._get_id("itsm.ticket"),
                "res_id": ticket_a.id,
                "partner_id": self.portal_a.partner_id.id,
                "rating": 4,
                "consumed": True,
            }
        )
        gaps = Partner._cron_flag_satisfaction_coverage()
        self.assertIn(self.customer_b, gaps)
        self.assertNotIn(self.customer_a, gaps, "a real rating is a measure")
        self.assertTrue(self.customer_b.itsm_has_coverage_gap)
        self.assertFalse(self.customer_a.itsm_has_coverage_gap)
        self.company.itsm_coverage_months = 0
        Partner._cron_flag_satisfaction_coverage()
        self.assertFalse(self.customer_b.itsm_has_coverage_gap, "the rule switched off clears the flags")

    def _campaign(self, seed):
        return self.env["itsm.callback.campaign"].create(
            {
                "name": "February callbacks",
                "period_start": "2026-02-01",
                "period_end": "2026-02-28",
                "sample_type": "count",
                "sample_count": 2,
                "seed": seed,
                "method": "phone",
                "caller_ids": [Command.set([self.agent_1.id])],
            }
        )

    @freeze_time("2026-03-10 09:00:00")
    def test_uncovered_customer_asked_first_within_the_fatigue_rule(self):
        self.customer_b.sudo().itsm_has_coverage_gap = True
        for seed in ("one", "two", "three"):
            campaign = self._campaign(seed)
            campaign.action_generate()
            self.assertEqual(len(campaign.callback_ids), 2, "the sample keeps its size")
            self.assertIn(self.portal_b.partner_id, campaign.callback_ids.partner_id)
            campaign.callback_ids.unlink()
            self.env["itsm.survey.contact"].search([]).unlink()
        self.portal_b.partner_id.itsm_do_not_survey = True
        campaign = self._campaign("four")
        campaign.action_generate()
        self.assertNotIn(
            self.portal_b.partner_id, campaign.callback_ids.partner_id, "never a protected person"
        )
