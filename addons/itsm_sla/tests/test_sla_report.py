import io
import statistics

import openpyxl  # noqa: F401 - only to tell a missing reader apart from a failing test
from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.itsm_sla.models.itsm_sla_review import _safe

from .common import MONDAY_0900, SlaCommon

# minutes after Monday 09:00 at which each scripted ticket is resolved (target 4 h = 240 min)
RESOLVED_AFTER = [30, 60, 120, 180, 230, 250, 300, 400]


@tagged("post_install", "-at_install")
class TestSlaReport(SlaCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contract.is_24x7 = True
        cls.tickets = cls.env["itsm.ticket"]
        for index, minutes in enumerate(RESOLVED_AFTER):
            with freeze_time(MONDAY_0900):
                ticket = cls._ticket(name=f"Scripted {index}", priority="2")
            with freeze_time(f"2025-01-06 {9 + minutes // 60:02d}:{minutes % 60:02d}:00"):
                ticket.action_close()
            cls.tickets |= ticket

    def test_compliance_figures_equal_hand_computation(self):
        hours = [m / 60 for m in RESOLVED_AFTER]
        met = sum(1 for h in hours if h <= 4)
        expected_p90 = statistics.quantiles(hours, n=10, method="inclusive")[-1]
        [row] = self.env["itsm.sla.report"]._compliance(
            [("contract_id", "=", self.contract.id), ("metric", "=", "resolution")], ["metric"]
        )
        self.assertEqual(row["count"], 8)
        self.assertEqual(row["met"], met)
        self.assertEqual(row["breached"], 8 - met)
        self.assertAlmostEqual(float(row["met_pct"]), round(100 * met / 8, 2))
        self.assertAlmostEqual(row["avg_hours"], sum(hours) / 8, places=4)
        self.assertAlmostEqual(row["p90_hours"], expected_p90, places=4)
        self.assertAlmostEqual(float(row["line1_pct"]), 100.0)
        self.assertEqual(row["trial"], 0)

    def test_trial_lines_report_as_trial(self):
        self.contract.state = "trial"
        with freeze_time(MONDAY_0900):
            ticket = self._ticket(name="Trial one", priority="2")
        rows = self.env["itsm.sla.report"].search([("ticket_id", "=", ticket.id)])
        self.assertTrue(rows)
        self.assertTrue(all(rows.mapped("is_trial")))
        [row] = self.env["itsm.sla.report"]._compliance([("ticket_id", "=", ticket.id)], [])
        self.assertEqual(row["trial"], len(rows))

    def test_pivot_read_group(self):
        groups = self.env["itsm.sla.report"]._read_group(
            [("contract_id", "=", self.contract.id), ("metric", "=", "resolution")],
            ["priority"],
            ["breached_count:sum", "met_rate:avg"],
        )
        self.assertEqual(groups, [("2", 3, 62.5)])

    def test_demand_peaks_by_weekday_and_hour(self):
        # demand is read in the company calendar's time zone (Europe/Brussels in demo databases)
        self.env.company.resource_calendar_id.tz = "UTC"
        self.env.flush_all()
        groups = self.env["itsm.sla.demand.report"]._read_group(
            [("ticket_id", "in", self.tickets.ids)], ["weekday", "hour"], ["ticket_count:sum"]
        )
        self.assertEqual(groups, [("1", 9, 8)], "Monday 09:00 (UTC calendar of the company)")

    def test_review_attaches_pdf_and_exports_safe_xlsx(self):
        self.contract.name = '=HYPERLINK("http://evil")'
        review = self.env["itsm.sla.review"].create(
            {"contract_id": self.contract.id, "date_from": "2025-01-01", "date_to": "2025-01-31"}
        )
        rows = review._get_compliance_rows()
        self.assertEqual({row["metric"] for row in rows}, {"response", "resolution"})
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("itsm_sla.report_sla_compliance", review.ids)[0]
            .decode()
        )
        self.assertIn("62.5", html)
        content = review._render_xlsx()
        book = openpyxl.load_workbook(io.BytesIO(content))
        sheet = book.active
        self.assertEqual(sheet["A1"].value, '\'=HYPERLINK("http://evil")', "never a formula")
        self.assertEqual(_safe("-1+2"), "'-1+2")
        self.assertEqual(_safe("Plain"), "Plain")

    def test_review_cron_opens_review_with_report(self):
        self.contract.write({"next_review_date": "2025-01-31", "review_interval_months": 1})
        with freeze_time("2025-02-01"):
            reviews = self.env["itsm.sla.contract"]._cron_prepare_reviews()
        review = reviews.filtered(lambda r: r.contract_id == self.contract)
        self.assertTrue(review.report_attachment_id)
        self.assertEqual(review.report_attachment_id.mimetype, "application/pdf")
        self.assertEqual(str(self.contract.next_review_date), "2025-02-28")
        self.assertEqual((str(review.date_from), str(review.date_to)), ("2025-01-01", "2025-01-31"))


@tagged("post_install", "-at_install")
class TestSlaReportTimeZones(SlaCommon):
    """Months, weekdays and hours of the SLA reports are the company's, east and west of UTC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contract.is_24x7 = True
        # Saturday 1 February 2025 00:30 in Shanghai; Friday 31 January 08:30 in Los Angeles
        with freeze_time("2025-01-31 16:30:00"):
            cls.february_shanghai = cls._ticket(name="First hour of February in Shanghai")
        # Tuesday 31 December 2024 23:30 in Los Angeles; Wednesday 1 January 15:30 in Shanghai
        with freeze_time("2025-01-01 07:30:00"):
            cls.new_year_eve_la = cls._ticket(name="Last hour of 2024 in Los Angeles")
        cls.tickets = cls.february_shanghai | cls.new_year_eve_la

    def _set_tz(self, tz):
        self.env.company.resource_calendar_id.tz = tz
        self.env.flush_all()
        self.env.invalidate_all()

    def _months(self):
        return dict(
            self.env["itsm.sla.report"]._read_group(
                [("ticket_id", "in", self.tickets.ids), ("metric", "=", "response")],
                ["ticket_id"],
                ["opened_month:max"],
            )
        )

    def _lines(self, ticket):
        return self.env["itsm.sla.report"].search_count([("ticket_id", "=", ticket.id)])

    def _demand(self):
        return {
            ticket: (weekday, hour)
            for ticket, weekday, hour in self.env["itsm.sla.demand.report"]._read_group(
                [("ticket_id", "in", self.tickets.ids)], ["ticket_id", "weekday", "hour"]
            )
        }

    def test_shanghai(self):
        self._set_tz("Asia/Shanghai")
        months = self._months()
        self.assertEqual(str(months[self.february_shanghai]), "2025-02-01", "00:30 on 1 February is February")
        self.assertEqual(str(months[self.new_year_eve_la]), "2025-01-01")
        demand = self._demand()
        self.assertEqual(demand[self.february_shanghai], ("6", 0), "Saturday, midnight hour")
        self.assertEqual(demand[self.new_year_eve_la], ("3", 15), "Wednesday, 15:00")
        review = self.env["itsm.sla.review"].create(
            {"contract_id": self.contract.id, "date_from": "2025-02-01", "date_to": "2025-02-28"}
        )
        self.assertEqual(
            sum(row["count"] for row in review._get_compliance_rows()), self._lines(self.february_shanghai)
        )

    def test_los_angeles(self):
        self._set_tz("America/Los_Angeles")
        months = self._months()
        self.assertEqual(str(months[self.new_year_eve_la]), "2024-12-01", "23:30 on 31 December is December")
        self.assertEqual(str(months[self.february_shanghai]), "2025-01-01")
        demand = self._demand()
        self.assertEqual(demand[self.new_year_eve_la], ("2", 23), "Tuesday, 23:00")
        self.assertEqual(demand[self.february_shanghai], ("5", 8))
        december = self.env["itsm.sla.review"].create(
            {"contract_id": self.contract.id, "date_from": "2024-12-01", "date_to": "2024-12-31"}
        )
        self.assertEqual(
            sum(row["count"] for row in december._get_compliance_rows()), self._lines(self.new_year_eve_la)
        )
        january = self.env["itsm.sla.review"].create(
            {"contract_id": self.contract.id, "date_from": "2025-01-01", "date_to": "2025-01-31"}
        )
        self.assertEqual(
            sum(row["count"] for row in january._get_compliance_rows()),
            self._lines(self.february_shanghai),
            "31 January 08:30 counts in January, 31 December 23:30 does not",
        )
