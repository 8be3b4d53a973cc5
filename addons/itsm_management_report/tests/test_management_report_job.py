from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.itsm_service_report.tests.common import ConcurrentJobMixin

from .common import JANUARY, ManagementReportCommon


@tagged("post_install", "-at_install")
class TestManagementReportJob(ConcurrentJobMixin, ManagementReportCommon):
    def test_job_issues_the_ended_quarter_once(self):
        self.company.resource_calendar_id.tz = "Asia/Shanghai"
        # 1 April 01:00 in Shanghai: the first quarter has ended there, not yet in UTC
        with freeze_time("2025-03-31 17:00:00"):
            reports = self.MgmtReport._cron_issue_due("quarter")
            again = self.MgmtReport._cron_issue_due("quarter")
        mine = reports.filtered(lambda r: r.company_id == self.company)
        self.assertEqual(len(mine), 1)
        self.assertEqual(
            (mine.period_kind, mine.date_from, mine.date_to, mine.state),
            ("quarter", JANUARY, date(2025, 3, 31), "issued"),
        )
        self.assertEqual(mine.ticket_count, 7, "January's six and February's")
        self.assertEqual(mine.highlight_count, 2, "January's and February's published highlights")
        self.assertTrue(mine.pdf_attachment_id)
        self.assertFalse(again, "the second run finds every report issued")
        self.assertEqual(
            self.MgmtReport.search_count(
                [
                    ("company_id", "=", self.company.id),
                    ("period_kind", "=", "quarter"),
                    ("date_from", "=", JANUARY),
                ]
            ),
            1,
        )

    def test_yearly_job_reports_the_ended_year(self):
        with freeze_time("2026-01-02 10:00:00"):
            reports = self.MgmtReport._cron_issue_due("year")
        mine = reports.filtered(lambda r: r.company_id == self.company)
        self.assertEqual((mine.date_from, mine.date_to), (JANUARY, date(2025, 12, 31)))
        self.assertEqual(mine.trend_ids.sorted("sequence").mapped("name")[-2:], ["2024", "2025"])

    def test_job_issues_a_draft_made_by_hand(self):
        draft = self._mgmt_report(kind="quarter")
        with freeze_time("2025-04-02 10:00:00"):
            reports = self.MgmtReport._cron_issue_due("quarter")
        self.assertIn(draft, reports)
        self.assertEqual(draft.state, "issued")

    def test_crons_are_active_for_quarters_and_years(self):
        for xmlid in (
            "ir_cron_issue_management_reports_quarterly",
            "ir_cron_issue_management_reports_yearly",
        ):
            self.assertTrue(self.env.ref(f"itsm_management_report.{xmlid}").active)

    def test_concurrent_runs_issue_each_report_once(self):
        ids = {}
        with self._committed_env() as env:
            env.cr.execute("SELECT COALESCE(MAX(id), 0) FROM itsm_management_report")
            ids["before"] = env.cr.fetchone()[0]
            ids["company"] = env["res.company"].create({"name": "Race Management Co"}).id
        try:
            self._assert_issued_once(
                "itsm.management.report",
                lambda reports: reports._cron_issue_due("quarter"),
                "company_id",
                ids["company"],
                timeout=300,
            )
        finally:
            with self._committed_env() as env:
                # issued reports refuse deletion through the ORM: the test removes what it made
                env.cr.execute("DELETE FROM itsm_management_report WHERE id > %s", [ids.get("before", 0)])
                env.cr.execute(
                    "DELETE FROM ir_attachment WHERE res_model = 'itsm.management.report'"
                    " AND res_id NOT IN (SELECT id FROM itsm_management_report)"
                )
                env["res.company"].browse(ids.get("company")).unlink()
