import io
from datetime import date, datetime
from unittest.mock import patch

import openpyxl
import psycopg2
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import config, mute_logger

from .common import JANUARY, ServiceReportCommon, percentile_90


@tagged("post_install", "-at_install")
class TestServiceReport(ServiceReportCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.report = cls._report()
        cls.report.action_issue()

    def _clocks(self, metric):
        return self.tickets.sla_line_ids.filtered(lambda line: line.metric == metric)

    def test_sla_figures_against_each_target(self):
        report = self.report
        self.assertEqual(report.state, "issued")
        resolution = report.sla_line_ids.filtered(
            lambda line: line.metric == "resolution" and line.priority == "2"
        )
        clocks = self._clocks("resolution").filtered(lambda line: line.status in ("met", "breached"))
        self.assertEqual(sorted(clocks.mapped("worked_hours")), [1.0, 3.0, 6.0, 10.0])
        self.assertEqual(
            (resolution.met_count, resolution.breached_count), (2, 2), "4 h target: 1 h and 3 h met"
        )
        self.assertEqual(resolution.met_pct, 50.0)
        self.assertEqual(resolution.target_hours, 4.0)
        self.assertAlmostEqual(resolution.avg_hours, 5.0)
        self.assertAlmostEqual(resolution.p90_hours, percentile_90([1, 3, 6, 10]))
        self.assertAlmostEqual(resolution.p90_hours, 8.8)
        met = len(self._clocks("response").filtered(lambda line: line.status == "met")) + 2
        breached = len(self.tickets.sla_line_ids.filtered(lambda line: line.status == "breached"))
        self.assertEqual(report.sla_met_count, met)
        self.assertEqual(report.sla_breached_count, breached)
        self.assertAlmostEqual(report.sla_met_pct, round(100.0 * met / (met + breached), 2))
        self.assertEqual(report.sla_measured_count, len(self.tickets.sla_line_ids))
        self.assertFalse(report.trial_measured_count)

    def test_workload_and_rates(self):
        report = self.report
        self.assertEqual(report.ticket_count, 5, "December, February and customer B are not counted")
        self.assertEqual(report.closed_count, 4)
        self.assertEqual(report.backlog_count, 2, "January's open ticket and December's are left at the end")
        kinds = {line.name: line.count for line in report._lines("kind")}
        self.assertEqual(kinds, {"Incident": 4, "Service Request": 1})
        channels = {line.name: line.count for line in report._lines("channel")}
        self.assertEqual(channels.get("E-mail"), 1)
        weekdays = {line.name: line.count for line in report._lines("weekday")}
        self.assertEqual((weekdays["Monday"], weekdays["Wednesday"], weekdays["Sunday"]), (4, 1, 0))
        self.assertEqual(report.peak_weekday, "Monday")
        self.assertEqual(report.peak_hour, 9)
        self.assertEqual(len(report._lines("hour")), 24)
        line1 = len(self.tickets.filtered("is_resolved_by_line1"))
        self.assertAlmostEqual(report.line1_rate, 100.0 * line1 / 4)
        self.assertEqual(report.reopen_rate, 0.0)

    def test_non_conformities_satisfaction_and_improvements(self):
        report = self.report
        self.assertEqual(report.complaint_count, 1)
        self.assertEqual(report.major_incident_count, 1)
        self.assertEqual(report.major_reviewed_count, 0)
        major = report._lines("major_incident")
        self.assertEqual(major.reference, self.tickets[2].number)
        self.assertEqual(major.status, "Review in progress")
        self.assertEqual(report._lines("complaint").reference, self.complaint.number)
        self.assertEqual((report.rating_count, report.rating_avg), (1, 5.0), "the real rating only")
        self.assertEqual(report.default_rating_count, 1, "the default rating apart")
        self.assertEqual(report._lines("comment").mapped("name"), ["Fast and friendly"])
        self.assertEqual((report.improvement_opened_count, report.improvement_closed_count), (1, 0))
        self.assertEqual(report._lines("improvement").name, "Monitor the disk space")

    def test_every_section_is_filled(self):
        report = self.report
        self.assertTrue(report.sla_line_ids.filtered(lambda line: line.met_count))
        self.assertTrue(report.sla_line_ids.filtered(lambda line: line.breached_count))
        for section in ("kind", "service", "channel", "support_line", "weekday", "hour"):
            self.assertTrue(report._lines(section), section)
        for section in ("complaint", "major_incident", "comment", "improvement"):
            self.assertEqual(len(report._lines(section)), 1, section)
        self.assertEqual(len(report.trend_ids), 6)
        self.assertTrue(report.rating_count and report.default_rating_count and report.backlog_count)

    def test_demo_report_of_wood_corner_is_issued(self):
        demo = self.env.ref("itsm_service_report.demo_service_report_wood_corner", raise_if_not_found=False)
        if not demo:
            self.skipTest("installed without demo data")
        self.assertEqual(demo.partner_id, self.env.ref("base.res_partner_1"))
        self.assertEqual(demo.state, "issued")
        # its PDF waited for its first reader (no web server during a command-line install)
        self.assertTrue(demo._ensure_pdf())
        self.assertEqual(demo.pdf_attachment_id.res_id, demo.id)
        self.assertEqual(len(demo.trend_ids), 6)

    def test_trends_cover_the_five_previous_months(self):
        trends = self.report.trend_ids.sorted("sequence")
        self.assertEqual(
            trends.mapped("name"), ["2024-08", "2024-09", "2024-10", "2024-11", "2024-12", "2025-01"]
        )
        self.assertEqual(trends.mapped("ticket_count"), [0, 0, 0, 0, 1, 5])
        self.assertTrue(trends[-1].is_current)
        self.assertEqual(trends[-1].sla_met_pct, self.report.sla_met_pct)
        self.assertEqual(trends[-1].satisfaction_avg, 5.0)

    def test_issued_figures_are_frozen(self):
        report = self.report
        figures = (report.ticket_count, report.sla_met_pct, report.backlog_count, len(report.line_ids))
        with freeze_time("2025-01-20 10:00:00"):
            self.open_ticket.action_close()
            self._ticket(name="Late addition", priority="2")
        self.tickets[0].kind = "question"
        self.env.flush_all()
        report.invalidate_recordset()
        self.assertEqual(
            (report.ticket_count, report.sla_met_pct, report.backlog_count, len(report.line_ids)), figures
        )
        self.assertEqual({line.name: line.count for line in report._lines("kind")}["Incident"], 4)
        with self.assertRaises(UserError):
            report.ticket_count = 99
        with self.assertRaises(UserError):
            report.line_ids[:1].count = 99
        with self.assertRaises(UserError):
            report.unlink()
        report.action_issue()  # issuing again changes nothing
        self.assertEqual(report.ticket_count, figures[0])

    def test_one_report_per_customer_and_period(self):
        with (
            self.assertRaises(psycopg2.errors.UniqueViolation),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            self._report()

    def test_period_must_start_a_period(self):
        with self.assertRaises(ValidationError), self.cr.savepoint():
            self._report(date_from=date(2025, 1, 15))
        self.assertEqual(
            self._report(date_from=date(2024, 10, 1), kind="quarter").date_to, date(2024, 12, 31)
        )

    def test_period_cut_in_shanghai(self):
        self.company.resource_calendar_id.tz = "Asia/Shanghai"
        # 01:00 on 1 January in Shanghai, and 01:00 on 1 February
        first = self._open_at("2024-12-31 17:00:00", priority="3", partner_id=self.portal_b.partner_id.id)
        self._open_at("2025-01-31 17:00:00", priority="3", partner_id=self.portal_b.partner_id.id)
        report = self._report(self.customer_b)
        self.assertEqual(
            report._period_bounds(), (datetime(2024, 12, 31, 16, 0), datetime(2025, 1, 31, 16, 0))
        )
        report.action_issue()
        self.assertEqual(report.tz, "Asia/Shanghai")
        self.assertEqual(
            report.ticket_count, 2, "the ticket of 1 January 01:00 and customer B's of 6 January"
        )
        hours = {line.sequence: line.count for line in report._lines("hour")}
        self.assertEqual(hours[1], 1, "reported at 01:00 Shanghai time")
        self.assertTrue(first)

    def test_trial_contracts_are_reported_apart(self):
        trial = self._contract(
            "Silver B", self.customer_b, targets=[("resolution", False, 8.0)], state="trial"
        )
        ticket = self._open_at("2025-01-13 09:00:00", priority="3", partner_id=self.portal_b.partner_id.id)
        with freeze_time("2025-01-13 11:00:00"):
            ticket.action_close()
        report = self._report(self.customer_b)
        report.action_issue()
        self.assertEqual(report.trial_measured_count, 1)
        self.assertEqual(report.trial_met_pct, 100.0)
        self.assertFalse(report.sla_measured_count, "a trial is not counted in the agreed results")
        self.assertEqual(report.sla_line_ids.mapped("is_trial"), [True])
        self.assertEqual(report.sla_line_ids.contract_name, trial.name)

    def test_xlsx_is_formula_safe_and_has_charts(self):
        content = self.report._render_xlsx()
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
        subject = [cell for cell in cells if isinstance(cell.value, str) and "HYPERLINK" in cell.value]
        self.assertEqual(len(subject), 1)
        self.assertEqual(subject[0].data_type, "s")
        self.assertEqual(subject[0].value, "'" + self.complaint.name, "written as text, never a formula")
        self.assertFalse([cell for cell in cells if cell.data_type == "f"])
        self.assertIn(b"xl/charts/chart1.xml", content)

    def test_pdf_renders_with_charts(self):
        action = self.env.ref("itsm_service_report.action_report_service_report")
        html = action._render_qweb_html(action.report_name, self.report.ids)[0]
        self.assertIn(b"<svg", html)
        self.assertIn(b"polyline", html)
        pdf, _format = action.with_context(force_report_rendering=True)._render_qweb_pdf(
            action.report_name, self.report.ids
        )
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertTrue(self.report.pdf_attachment_id, "the PDF of the issue is kept")

    def test_pdf_and_xlsx_show_the_90th_percentile_per_target(self):
        resolution = self.report.sla_line_ids.filtered(
            lambda line: line.metric == "resolution" and line.priority == "2"
        )
        self.assertAlmostEqual(resolution.p90_hours, 8.8)
        action = self.env.ref("itsm_service_report.action_report_service_report")
        html = action._render_qweb_html(action.report_name, self.report.ids)[0].decode()
        self.assertIn("90th percentile (h)", html)
        self.assertIn("8.80", html)
        workbook = openpyxl.load_workbook(io.BytesIO(self.report._render_xlsx()))
        sheet = next(sheet for sheet in workbook.worksheets if sheet.max_column >= 11)
        rows = list(sheet.iter_rows(values_only=True))
        column = rows[0].index("90th percentile (h)")
        self.assertIn(8.8, [row[column] for row in rows[1:]])

    def test_pdf_waits_for_its_first_reader_in_a_command_line_install(self):
        """No web server serves the stylesheets while a module's data loads from the command
        line: the figures freeze at issue, the PDF is made when first asked for."""
        report = self._report(self.customer_a, date_from=date(2024, 10, 1))
        with patch.dict(config.options, {"stop_after_init": True}), patch.object(report.pool, "ready", False):
            report.action_issue()
        self.assertEqual(report.state, "issued")
        self.assertTrue(report.issued_at)
        self.assertFalse(report.pdf_attachment_id)
        action = report.action_print_pdf()
        self.assertTrue(report.pdf_attachment_id, "made for its first reader, then kept")
        self.assertIn(f"/web/content/{report.pdf_attachment_id.id}", action["url"])

    def test_figures_query_count_does_not_grow_with_tickets(self):
        report = self._report(self.customer_a, date_from=date(2024, 10, 1), kind="quarter")
        report.tz = "UTC"

        def count_queries():
            self.env.invalidate_all()
            self.env.flush_all()
            before = self.cr.sql_log_count
            report.sudo()._compute_figures()
            return self.cr.sql_log_count - before

        small = count_queries()
        with freeze_time("2024-11-04 09:00:00"):
            self.env["itsm.ticket"].create(
                [
                    {"name": f"Load {i}", "partner_id": self.portal_a.partner_id.id, "priority": "3"}
                    for i in range(30)
                ]
            )
        large = count_queries()
        self.assertEqual(small, large)
        self.env.invalidate_all()
        with self.assertQueryCount(large):
            report.sudo()._compute_figures()

    def test_agents_have_no_access_and_sla_managers_do(self):
        with self.assertRaises(AccessError):
            self.Report.with_user(self.agent_1).search([])
        with self.assertRaises(AccessError):
            self.report.with_user(self.expert).read(["ticket_count"])
        sla_manager = self.manager
        self.assertEqual(
            self.Report.with_user(sla_manager).search([("id", "=", self.report.id)]), self.report
        )

    def test_other_company_reports_are_hidden(self):
        other = self.env["res.company"].create({"name": "Other ITSM Co"})
        self.manager.company_ids = [(4, other.id)]
        foreign = self.Report.create(
            {"partner_id": self.customer_a.id, "company_id": other.id, "date_from": JANUARY}
        )
        found = (
            self.Report.with_user(self.manager).with_context(allowed_company_ids=[self.company.id]).search([])
        )
        self.assertNotIn(foreign, found)
        self.assertIn(self.report, found)
