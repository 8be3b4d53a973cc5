from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import JANUARY, ConcurrentJobMixin, ServiceReportCommon


@tagged("post_install", "-at_install")
class TestServiceReportJob(ConcurrentJobMixin, ServiceReportCommon):
    def test_job_issues_once_per_customer_in_force(self):
        self.company.resource_calendar_id.tz = "Asia/Shanghai"
        self._contract(
            "Expired C",
            self.env["res.partner"].create({"name": "Gone Ltd", "is_company": True}),
            targets=[("resolution", False, 8.0)],
            date_end="2024-12-31",
        )
        review = self.env["itsm.sla.review"].create(
            {"contract_id": self.contract.id, "date_from": "2024-11-01", "date_to": "2025-01-31"}
        )
        self.portal_a.partner_id.itsm_company_access = True
        # 1 February 01:00 in Shanghai: January has ended there, not yet in UTC
        with freeze_time("2025-01-31 17:00:00"):
            reports = self.Report._cron_issue_due("month")
            again = self.Report._cron_issue_due("month")
        mine = reports.filtered(lambda r: r.partner_id == self.customer_a)
        self.assertEqual(len(mine), 1)
        self.assertEqual((mine.date_from, mine.date_to, mine.state), (JANUARY, date(2025, 1, 31), "issued"))
        self.assertFalse(again, "the second run finds every report issued")
        self.assertEqual(self.Report.search_count([("partner_id", "=", self.customer_a.id)]), 1)
        self.assertNotIn(
            "Gone Ltd", reports.partner_id.mapped("name"), "no contract in force at the end of January"
        )
        self.assertEqual(mine.review_id, review)
        self.assertIn(mine.name, review.message_ids[0].body)
        self.assertTrue(review.message_ids[0].attachment_ids)
        self.assertEqual(
            mine.contact_ids, self.portal_a.partner_id, "published to the designated contact only"
        )
        self.assertIn(self.portal_a.partner_id, mine.message_partner_ids)
        self.assertNotIn(self.portal_a2.partner_id, mine.message_partner_ids)

    def test_quarterly_job_reports_the_ended_quarter(self):
        with freeze_time("2025-04-02 10:00:00"):
            reports = self.Report._cron_issue_due("quarter")
        mine = reports.filtered(lambda r: r.partner_id == self.customer_a)
        self.assertEqual(
            (mine.period_kind, mine.date_from, mine.date_to), ("quarter", JANUARY, date(2025, 3, 31))
        )
        self.assertEqual(mine.ticket_count, 6, "January's five and February's")
        self.assertEqual(mine.trend_ids.sorted("sequence").mapped("name")[-2:], ["2024 Q4", "2025 Q1"])

    def test_job_issues_a_draft_made_by_hand(self):
        draft = self._report(date_from=date(2025, 2, 1))
        with freeze_time("2025-03-02 10:00:00"):
            reports = self.Report._cron_issue_due("month")
        self.assertIn(draft, reports)
        self.assertEqual(draft.state, "issued")

    def test_concurrent_runs_issue_each_report_once(self):
        ids = {}
        with self._committed_env() as env:
            env.cr.execute("SELECT COALESCE(MAX(id), 0) FROM itsm_service_report")
            ids["before"] = env.cr.fetchone()[0]
            partner = env["res.partner"].create({"name": "Race Report Ltd", "is_company": True})
            contract = env["itsm.sla.contract"].create(
                {
                    "name": "Race Gold",
                    "partner_id": partner.id,
                    "is_24x7": True,
                    "date_start": "2020-01-01",
                    "target_ids": [Command.create({"metric": "resolution", "target_hours": 8.0})],
                }
            )
            contract.state = "active"
            ids.update(partner=partner.id, contract=contract.id)
        try:
            self._assert_issued_once(
                "itsm.service.report",
                lambda reports: reports._cron_issue_due("month"),
                "partner_id",
                ids["partner"],
                timeout=180,
            )
        finally:
            with self._committed_env() as env:
                # issued reports refuse deletion through the ORM: the test removes what it made
                env.cr.execute("DELETE FROM itsm_service_report WHERE id > %s", [ids.get("before", 0)])
                env["itsm.sla.contract"].browse(ids.get("contract")).unlink()
                env["res.partner"].browse(ids.get("partner")).unlink()
