from datetime import timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import MONDAY_0900, SlaCommon
from .test_sla_compliance import p90


@tagged("post_install", "-at_install")
class TestSlaTrialEvaluation(SlaCommon):
    """A contract in trial: what its clocks achieved against the proposed targets."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.trial = cls._contract(
            "Silver B",
            cls.customer_b,
            targets=[("resolution", "1", 2.0), ("resolution", "2", 4.0), ("resolution", "3", 8.0)],
            state="trial",
            is_24x7=True,
        )
        cls.critical, cls.high, cls.moderate = cls.trial.target_ids.sorted("priority")
        for priority, hours_list in (("2", [1.0, 2.0, 3.0, 6.0]), ("3", [1.0, 2.0])):
            for hours in hours_list:
                with freeze_time(MONDAY_0900):
                    ticket = cls._ticket(
                        name=f"Trial {priority} {hours}",
                        priority=priority,
                        partner_id=cls.portal_b.partner_id.id,
                    )
                with freeze_time(MONDAY_0900 + timedelta(hours=hours)):
                    ticket.action_close()
        cls.env.flush_all()

    def test_achieved_against_proposed(self):
        self.assertEqual(self.high.trial_measured_count, 4)
        self.assertEqual(self.high.trial_met_pct, 75.0, "1, 2 and 3 h met the 4 h target, 6 h did not")
        self.assertAlmostEqual(self.high.trial_p90_hours, p90([1.0, 2.0, 3.0, 6.0]))
        self.assertAlmostEqual(self.high.trial_avg_hours, 3.0)
        self.assertEqual(self.high.trial_recommendation, "adjust", "75 % met, 90 % expected")
        self.assertEqual(self.high.trial_suggested_hours, 5.5, "90th percentile 5.1 h, up to the half hour")
        self.assertEqual(self.moderate.trial_recommendation, "keep")
        self.assertEqual(self.moderate.trial_met_pct, 100.0)
        self.assertFalse(self.moderate.trial_suggested_hours)
        self.assertEqual(self.critical.trial_recommendation, "no_data")
        self.assertFalse(self.critical.trial_measured_count)

    def test_expected_met_pct_decides(self):
        self.trial.trial_goal_pct = 75.0
        self.assertEqual(self.high.trial_recommendation, "keep")

    def test_only_trial_clocks_count(self):
        self.trial.action_activate()
        with freeze_time(MONDAY_0900 + timedelta(days=1)):
            ticket = self._ticket(name="Signed", priority="2", partner_id=self.portal_b.partner_id.id)
        with freeze_time(MONDAY_0900 + timedelta(days=1, hours=20)):
            ticket.action_close()
        self.env.flush_all()
        self.high.invalidate_recordset()
        self.assertEqual(self.high.trial_measured_count, 4)

    def test_apply_suggestions_then_sign(self):
        self.trial.action_apply_trial_suggestions()
        self.assertEqual(self.high.target_hours, 5.5)
        self.assertEqual(self.moderate.target_hours, 8.0, "kept")
        self.assertEqual(self.critical.target_hours, 2.0, "no data, no change")
        self.trial.action_activate()
        self.assertEqual(self.trial.state, "active")

    def test_printable(self):
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("itsm_sla.report_sla_trial_evaluation", self.trial.ids)[0]
            .decode()
        )
        self.assertIn("Trial Evaluation", html)
        self.assertIn(f"{p90([1.0, 2.0, 3.0, 6.0]):.2f}", html)
        self.assertIn("5.50", html)
        for label in ("Keep", "Adjust", "Not enough data"):
            self.assertIn(label, html)
        report = self.env.ref("itsm_sla.action_report_sla_trial_evaluation")
        self.assertEqual(report.binding_model_id.model, "itsm.sla.contract", "in the contract's Print menu")
        self.assertTrue(self.trial.action_print_trial_evaluation())

    def test_access(self):
        as_agent = self.high.with_user(self.agent_1)
        self.assertEqual(as_agent.trial_recommendation, "adjust", "agents read the evaluation")
        with self.assertRaises(AccessError):
            self.trial.with_user(self.agent_1).action_apply_trial_suggestions()
        self.trial.with_user(self.manager).action_apply_trial_suggestions()
        self.assertEqual(self.high.target_hours, 5.5)
        with self.assertRaises(AccessError):
            self.high.with_user(self.portal_b).read(["trial_met_pct"])
        self.assertEqual(self.high.with_user(self.portal_b).read(["target_hours"])[0]["target_hours"], 5.5)
