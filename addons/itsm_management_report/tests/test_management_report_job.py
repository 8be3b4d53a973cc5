import threading
from contextlib import closing
from datetime import date

from freezegun import freeze_time

from odoo import SUPERUSER_ID, api, sql_db
from odoo.tests import tagged

from .common import JANUARY, ManagementReportCommon


@tagged("post_install", "-at_install")
class TestManagementReportJob(ManagementReportCommon):
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
        dbname = self.env.cr.dbname
        ids = {}
        with closing(sql_db.db_connect(dbname).cursor()) as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            cr.execute("SELECT COALESCE(MAX(id), 0) FROM itsm_management_report")
            ids["before"] = cr.fetchone()[0]
            company = env["res.company"].create({"name": "Race Management Co"})
            ids["company"] = company.id
            cr.commit()  # pylint: disable=invalid-commit
        try:
            barrier = threading.Barrier(2)
            results, errors = [], []

            def run():
                try:
                    with closing(sql_db.db_connect(dbname).cursor()) as cr:
                        env = api.Environment(cr, SUPERUSER_ID, {})
                        barrier.wait(timeout=30)
                        reports = env["itsm.management.report"]._cron_issue_due("quarter")
                        results.append(reports.filtered(lambda r: r.company_id.id == ids["company"]).ids)
                        cr.commit()  # pylint: disable=invalid-commit
                except Exception as error:  # noqa: BLE001 pylint: disable=broad-exception-caught
                    errors.append(error)

            threads = [threading.Thread(target=run) for _i in range(2)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=300)
            self.assertFalse(errors)
            self.assertEqual(
                sorted(len(found) for found in results), [0, 1], "one run issued it, the other none"
            )
            with closing(sql_db.db_connect(dbname).cursor()) as cr:
                cr.execute(
                    "SELECT count(*), bool_and(state = 'issued') FROM itsm_management_report"
                    " WHERE company_id = %s",
                    [ids["company"]],
                )
                self.assertEqual(cr.fetchone(), (1, True))
        finally:
            with closing(sql_db.db_connect(dbname).cursor()) as cr:
                env = api.Environment(cr, SUPERUSER_ID, {})
                # issued reports refuse deletion through the ORM: the test removes what it made
                cr.execute("DELETE FROM itsm_management_report WHERE id > %s", [ids.get("before", 0)])
                cr.execute(
                    "DELETE FROM ir_attachment WHERE res_model = 'itsm.management.report'"
                    " AND res_id NOT IN (SELECT id FROM itsm_management_report)"
                )
                env["res.company"].browse(ids.get("company")).unlink()
                cr.commit()  # pylint: disable=invalid-commit
