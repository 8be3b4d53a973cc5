import io
from datetime import date

import openpyxl
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.itsm_service_report.tests.common import percentile_90

from .common import ManagementReportCommon


@tagged("post_install", "-at_install")
class TestManagementReport(ManagementReportCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.report = cls._mgmt_report()
        with freeze_time("2025-02-03 08:00:00"):
            cls.report.action_issue()

    def test_headline_figures_of_the_whole_company(self):
        report = self.report
        self.assertEqual(report.state, "issued")
        self.assertEqual(report.name, f"{self.company.name} 2025-01")
        self.assertEqual(report.ticket_count, 6, "customer A's five and customer B's one")
        self.assertEqual(report.closed_count, 4)
        self.assertEqual(report.backlog_count, 3, "A's open ticket, B's and December's still open")
        self.assertEqual(report.incident_count, 5)
        self.assertEqual(report.request_count, 1)
        customer_report = self._report()
        customer_report.action_issue()
        self.assertEqual(
            (report.sla_met_count, report.sla_breached_count, report.sla_met_pct),
            (customer_report.sla_met_count, customer_report.sla_breached_count, customer_report.sla_met_pct),
            "only customer A has an SLA: the company's clocks are A's",
        )
        self.assertTrue(report.sla_breached_count)
        self.assertEqual((report.major_incident_count, report.major_reviewed_count), (1, 0))
        self.assertEqual((report.rating_count, report.rating_avg, report.default_rating_count), (1, 5.0, 1))
        self.assertEqual((report.complaint_count, report.improvement_opened_count), (1, 1))
        self.assertEqual(report.vendor_ticket_count, 1)

    def test_services_and_teams(self):
        teams = self.report._lines("team")
        desk = teams.filtered(lambda line: line.name == self.team_desk.name)
        self.assertEqual(desk.ticket_count, 6)
        self.assertEqual(sum(self.report._lines("service").mapped("ticket_count")), 6)
        self.assertEqual((desk.incident_count, desk.request_count), (5, 1))
        self.assertEqual(desk.closed_count, 4)
        self.assertEqual(
            (desk.met_count, desk.breached_count), (self.report.sla_met_count, self.report.sla_breached_count)
        )
        resolution = self.tickets[:4].sla_line_ids.filtered(
            lambda line: line.metric == "resolution" and line.agreement_kind == "customer"
        )
        self.assertEqual(desk.p90_hours, round(percentile_90(resolution.mapped("worked_hours")), 2))
        self.assertEqual(desk.p90_hours, 8.8, "resolved after 1, 3, 6 and 10 working hours")

    def test_staff_workload(self):
        staff = self.report._lines("staff")
        self.assertEqual(staff.mapped("name"), [self.agent_1.name])
        self.assertEqual((staff.closed_count, staff.ticket_count), (2, 2))
        self.assertEqual(staff.category, self.team_desk.name)

    def test_supplier_performance(self):
        supplier = self.report._lines("supplier")
        self.assertEqual(supplier.name, self.vendor.name)
        self.assertEqual((supplier.ticket_count, supplier.closed_count, supplier.open_count), (1, 1, 0))
        self.assertEqual((supplier.avg_hours, supplier.hours), (2.0, 4.0))
        clocks = self.env["itsm.ticket.sla"].search([("contract_id", "=", self.underpinning.id)])
        self.assertEqual(supplier.category, self.underpinning.name)
        decided = clocks.filtered(lambda clock: clock.status in ("met", "breached"))
        self.assertEqual(supplier.met_count + supplier.breached_count, len(decided))
        self.assertEqual(supplier.breached_count, 1, "answered after two hours, one agreed")

    def test_lists_and_highlights(self):
        majors = self.report._lines("major_incident")
        self.assertEqual(majors.reference, self.tickets[2].number)
        self.assertEqual(majors.status, "Review in progress")
        self.assertEqual(self.report._lines("complaint").reference, self.complaint.number)
        self.assertEqual(self.report._lines("improvement").name, "Monitor the disk space")
        highlights = self.report._lines("highlight")
        self.assertEqual(highlights.mapped("name"), ["ISO/IEC 20000-1 certified"], "published, of the period")
        self.assertEqual(highlights.note, "Audited without a single finding.")
        self.assertEqual(self.report.highlight_count, 1)

    def test_trends(self):
        trends = self.report.trend_ids.sorted("sequence")
        self.assertEqual(
            trends.mapped("name"), ["2024-08", "2024-09", "2024-10", "2024-11", "2024-12", "2025-01"]
        )
        self.assertEqual(trends[-1].ticket_count, 6)
        self.assertEqual(trends[-2].ticket_count, 1, "December's ticket")
        self.assertEqual((trends[-1].complaint_count, trends[-1].major_incident_count), (1, 1))
        self.assertEqual(trends[-1].sla_met_pct, self.report.sla_met_pct)
        self.assertEqual(trends[-1].satisfaction_avg, 5.0)
        self.assertTrue(trends[-1].is_current)

    def test_frozen_after_issue(self):
        before = self.report.read(["ticket_count", "closed_count", "sla_met_pct", "backlog_count"])[0]
        lines_before = [
            (line.section, line.name, line.ticket_count, line.closed_count) for line in self.report.line_ids
        ]
        with freeze_time("2025-02-04 09:00:00"):
            self.open_ticket.action_close()
        self.tickets[3].name = "Renamed"
        self._open_at("2025-01-15 10:00:00", priority="3")
        self.env.invalidate_all()
        self.assertEqual(
            self.report.read(["ticket_count", "closed_count", "sla_met_pct", "backlog_count"])[0], before
        )
        self.assertEqual(
            [
                (line.section, line.name, line.ticket_count, line.closed_count)
                for line in self.report.line_ids
            ],
            lines_before,
        )
        with self.assertRaises(UserError):
            self.report.ticket_count = 99
        with self.assertRaises(UserError):
            self.report.line_ids[:1].ticket_count = 99
        with self.assertRaises(UserError):
            self.report.trend_ids[:1].unlink()
        with self.assertRaises(UserError):
            self.report.unlink()

    def test_a_draft_is_computed_when_issued(self):
        draft = self._mgmt_report(date_from=date(2024, 12, 1))
        self.assertFalse(draft.ticket_count)
        draft.action_issue()
        self.assertEqual(draft.ticket_count, 1)

    def test_completed_reviews_are_counted(self):
        self.tickets[2].major_review_ids.state = "done"
        report = self._mgmt_report(kind="quarter")
        report.action_issue()
        self.assertEqual((report.major_incident_count, report.major_reviewed_count), (1, 1))
        self.assertEqual(report._lines("major_incident").status, "Review completed")

    def test_pdf_renders_with_charts(self):
        action = self.env.ref("itsm_management_report.action_report_management_report")
        html = action._render_qweb_html(action.report_name, self.report.ids)[0]
        self.assertIn(b"<svg", html)
        self.assertIn(b"polyline", html)
        self.assertIn(b"ISO/IEC 20000-1 certified", html)
        self.assertIn(b"Storage Inc", html, "the supplier section")
        pdf, _format = action.with_context(force_report_rendering=True)._render_qweb_pdf(
            action.report_name, self.report.ids
        )
        self.assertTrue(pdf.startswith(b"%PDF"))
        attachment = self.report.pdf_attachment_id
        self.assertTrue(attachment, "the PDF of the issue is kept")
        self.assertEqual(attachment.mimetype, "application/pdf")
        self.assertIn(attachment, self.report.message_ids.attachment_ids)

    def test_xlsx_is_formula_safe_and_has_charts(self):
        content = self.report._render_xlsx()
        workbook = openpyxl.load_workbook(io.BytesIO(content))
        cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
        for text in (self.complaint.name, self.vendor.name):
            found = [cell for cell in cells if cell.value == "'" + text]
            self.assertTrue(found, f"{text} written as text")
            self.assertEqual({cell.data_type for cell in found}, {"s"})
        self.assertFalse([cell for cell in cells if cell.data_type == "f"], "no formula at all")
        self.assertIn(b"xl/charts/chart1.xml", content)
        self.assertIn("Suppliers", workbook.sheetnames)

    def test_figures_query_count_does_not_grow_with_tickets(self):
        report = self._mgmt_report(date_from=date(2024, 10, 1), kind="quarter")
        report.tz = "UTC"

        def load(count):
            with freeze_time("2024-11-04 09:00:00"):
                self.env["itsm.ticket"].create(
                    [
                        {
                            "name": f"Load {i}",
                            "partner_id": self.portal_a.partner_id.id,
                            "priority": "3",
                            "team_id": self.team_desk.id,
                            "user_id": self.agent_1.id,
                        }
                        for i in range(count)
                    ]
                )

        def count_queries():
            self.env.invalidate_all()
            self.env.flush_all()
            before = self.cr.sql_log_count
            report.sudo()._compute_figures()
            return self.cr.sql_log_count - before

        load(1)
        small = count_queries()
        load(30)
        large = count_queries()
        self.assertEqual(small, large)
        self.env.invalidate_all()
        with self.assertQueryCount(large):
            report.sudo()._compute_figures()


@tagged("post_install", "-at_install")
class TestManagementReportAccess(ManagementReportCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.report = cls._mgmt_report()
        cls.report.action_issue()

    def test_service_managers_only(self):
        self.assertIn(self.report, self.MgmtReport.with_user(self.manager).search([]))
        for user in (self.agent_1, self.expert, self.portal_a, self.comm_manager):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.MgmtReport.with_user(user).search([])
                with self.assertRaises(AccessError):
                    self.report.with_user(user).read(["ticket_count"])
                with self.assertRaises(AccessError):
                    self.report.line_ids.with_user(user).read(["name"])
                with self.assertRaises(AccessError):
                    self.report.pdf_attachment_id.with_user(user).read(["raw"])

    def test_other_company_reports_are_hidden(self):
        other = self.env["res.company"].create({"name": "Other ITSM Co"})
        foreign = self._mgmt_report(company=other)
        foreign.action_issue()
        self.assertFalse(foreign.ticket_count, "another company's tickets are not counted")
        found = self.MgmtReport.with_user(self.manager).search([])
        self.assertNotIn(foreign, found)
        with self.assertRaises(AccessError):
            foreign.with_user(self.manager).read(["ticket_count"])
        with self.assertRaises(AccessError):
            foreign.trend_ids[:1].with_user(self.manager).read(["name"])
