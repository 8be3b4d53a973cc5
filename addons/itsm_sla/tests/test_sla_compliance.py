import io
import statistics
from datetime import datetime, timedelta

import openpyxl
from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import MONDAY_0900, SlaCommon

# working hours (24x7) after which the scripted tickets are resolved, per priority
RESOLVED_AFTER = {"2": [1.0, 2.0, 3.0, 5.0, 6.0], "3": [2.0, 9.0, 10.0]}


def p90(values):
    """The 90th percentile as PostgreSQL's percentile_cont and a spreadsheet's PERCENTILE.INC."""
    return statistics.quantiles(values, n=10, method="inclusive")[-1]


class ComplianceCommon(SlaCommon):
    @classmethod
    def _resolved(cls, opened_at, hours, **values):
        with freeze_time(opened_at):
            ticket = cls._ticket(**values)
        with freeze_time(opened_at + timedelta(hours=hours)):
            ticket.action_close()
        return ticket


@tagged("post_install", "-at_install")
class TestSlaCompliance(ComplianceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contract.is_24x7 = True
        cls.Report = cls.env["itsm.sla.report"]
        cls.by_priority = {
            priority: cls.env["itsm.ticket"].concat(
                *(
                    cls._resolved(MONDAY_0900, hours, name=f"P{priority} {hours}", priority=priority)
                    for hours in hours_list
                )
            )
            for priority, hours_list in RESOLVED_AFTER.items()
        }
        cls.tickets = cls.by_priority["2"] | cls.by_priority["3"]
        cls.env.flush_all()

    def _domain(self):
        return [("ticket_id", "in", self.tickets.ids)]

    def test_p90_of_each_group_is_the_groups_own(self):
        groups = self.Report._read_group(
            self._domain() + [("metric", "=", "resolution")],
            ["priority"],
            ["resolution_p90_hours:p90", "resolution_hours:avg", "met_count:sum", "breached_count:sum"],
        )
        self.assertEqual([group[0] for group in groups], ["2", "3"])
        for priority, p90_hours, avg_hours, _met, _breached in groups:
            hours = RESOLVED_AFTER[priority]
            self.assertAlmostEqual(p90_hours, p90(hours), places=4)
            self.assertAlmostEqual(avg_hours, sum(hours) / len(hours), places=4)
        self.assertEqual(groups[0][3:], (3, 2), "4 h target: 1, 2, 3 h met; 5, 6 h breached")
        [(total,)] = self.Report._read_group(self._domain(), [], ["resolution_p90_hours:p90"])
        every = RESOLVED_AFTER["2"] + RESOLVED_AFTER["3"]
        self.assertAlmostEqual(total, p90(every), places=4, msg="the total's own percentile")
        self.assertNotAlmostEqual(total, (groups[0][1] + groups[1][1]) / 2, places=2)

    def test_response_p90_and_the_pivot_read_group(self):
        clocks = self.tickets.sla_line_ids.filtered(lambda c: c.metric == "response" and c.stopped_at)
        self.assertTrue(clocks)
        fields = self.Report.fields_get(["response_p90_hours", "resolution_p90_hours"], ["aggregator"])
        self.assertEqual({f["aggregator"] for f in fields.values()}, {"p90"})
        # what the pivot and grouped list ask: each measure with its field's aggregator
        [group] = self.Report.read_group(
            self._domain() + [("priority", "=", "2")],
            ["response_p90_hours", "resolution_p90_hours"],
            ["contract_id"],
        )
        response = clocks.filtered(lambda c: c.ticket_id.priority == "2").mapped("worked_hours")
        self.assertAlmostEqual(group["response_p90_hours"], p90(response), places=4)
        self.assertAlmostEqual(group["resolution_p90_hours"], p90(RESOLVED_AFTER["2"]), places=4)

    def test_pivot_is_one_query_whatever_the_tickets(self):
        spec = (
            [("contract_id", "=", self.contract.id)],
            ["contract_id", "service_id", "team_id", "priority", "opened_month:month"],
            [
                "__count",
                "met_rate:avg",
                "breached_count:sum",
                "response_p90_hours:p90",
                "resolution_p90_hours:p90",
            ],
        )
        self.Report._read_group(*spec)
        with self.assertQueryCount(1):
            self.Report._read_group(*spec)
        self._resolved(MONDAY_0900, 7.0, name="One more", priority="2")
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(1):
            groups = self.Report._read_group(*spec)
        [p2] = [group for group in groups if group[3] == "2"]
        self.assertAlmostEqual(p2[-1], p90(RESOLVED_AFTER["2"] + [7.0]), places=4)

    def test_figures_are_defined_once(self):
        """The figures the service report and the reviews read equal the pivot's."""
        rows = self.Report._compliance(self._domain() + [("metric", "=", "resolution")], ["priority"])
        groups = self.Report._read_group(
            self._domain() + [("metric", "=", "resolution")],
            ["priority"],
            ["p90_hours:p90", "stopped_hours:avg", "met_rate:avg", "breached_count:sum"],
        )
        for row, (priority, p90_hours, avg_hours, met_rate, breached) in zip(rows, groups, strict=True):
            self.assertEqual(row["priority"], priority)
            self.assertAlmostEqual(row["p90_hours"], p90_hours, places=4)
            self.assertAlmostEqual(row["avg_hours"], avg_hours, places=4)
            self.assertAlmostEqual(float(row["met_pct"]), met_rate, places=2)
            self.assertEqual(row["breached"], breached)
            self.assertEqual(row["target_hours"], 4.0 if priority == "2" else 8.0)

    def test_drill_down_lists_the_clocks_and_opens_their_tickets(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("itsm_sla.itsm_sla_report_action")
        self.assertIn("list", action["view_mode"])
        arch = self.Report.get_views([(False, "list")])["views"]["list"]["arch"]
        for fname in ("ticket_id", "metric", "worked_hours", "status", "action_open_tickets"):
            self.assertIn(fname, arch)
        clocks = self.Report.search(
            self._domain()
            + [("priority", "=", "2"), ("metric", "=", "resolution"), ("status", "=", "breached")]
        )
        self.assertEqual(len(clocks), 2)
        action = clocks.action_open_tickets()
        self.assertEqual(action["res_model"], "itsm.ticket")
        found = self.env["itsm.ticket"].search(action["domain"])
        self.assertEqual(found, self.by_priority["2"].filtered(lambda t: t.name in ("P2 5.0", "P2 6.0")))

    def test_access_agent_manager_portal(self):
        spec = (self._domain(), ["priority"], ["resolution_p90_hours:p90"])
        as_manager = self.Report.with_user(self.manager)._read_group(*spec)
        self.assertEqual(as_manager, self.Report._read_group(*spec))
        self.assertEqual(len(self.Report.with_user(self.agent_1)._read_group(*spec)), 2)
        with self.assertRaises(AccessError):
            self.Report.with_user(self.portal_a)._read_group(*spec)
        with self.assertRaises(AccessError):
            self.Report.with_user(self.portal_a).search([])
        other = self.env["res.company"].create({"name": "Other SLA Co"})
        outsider = self.agent_1.copy(
            {"login": "other_agent", "company_id": other.id, "company_ids": [other.id]}
        )
        self.assertFalse(self.Report.with_user(outsider)._read_group(*spec), "another company's clocks")

    def test_review_pdf_and_xlsx_show_the_90th_percentile(self):
        review = self.env["itsm.sla.review"].create(
            {"contract_id": self.contract.id, "date_from": "2025-01-01", "date_to": "2025-01-31"}
        )
        every = RESOLVED_AFTER["2"] + RESOLVED_AFTER["3"]
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("itsm_sla.report_sla_compliance", review.ids)[0]
            .decode()
        )
        self.assertIn("90th percentile (h)", html)
        self.assertIn(f"{p90(every):.2f}", html)
        sheet = openpyxl.load_workbook(io.BytesIO(review._render_xlsx())).active
        rows = list(sheet.iter_rows(values_only=True))
        column = rows[2].index("90th percentile (h)")
        by_priority = {row[1]: row[column] for row in rows[3:] if row[0] == "Resolution"}
        self.assertAlmostEqual(by_priority["P2 - High"], round(p90(RESOLVED_AFTER["2"]), 2))


@tagged("post_install", "-at_install")
class TestSlaComplianceMonths(ComplianceCommon):
    """A month of the compliance report is the company's: its first and last hour in Shanghai."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contract.is_24x7 = True
        cls.env.company.resource_calendar_id.tz = "Asia/Shanghai"
        # 31 January 23:30 and 1 February 00:30 in Shanghai
        cls.last_hour = cls._resolved(datetime(2025, 1, 31, 15, 30), 1.0, name="Last hour", priority="2")
        cls.first_hour = cls._resolved(datetime(2025, 1, 31, 16, 30), 3.0, name="First hour", priority="2")
        cls.env.flush_all()

    def test_month_cut_in_the_company_zone(self):
        groups = self.env["itsm.sla.report"]._read_group(
            [("ticket_id", "in", (self.last_hour | self.first_hour).ids)],
            ["opened_month:month"],
            ["resolution_p90_hours:p90", "__count"],
        )
        self.assertEqual(
            [(str(month), hours) for month, hours, _count in groups],
            [("2025-01-01", 1.0), ("2025-02-01", 3.0)],
        )
