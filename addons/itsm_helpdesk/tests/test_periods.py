from datetime import date, datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common import ItsmCommon


@tagged("post_install", "-at_install")
class TestPeriods(ItsmCommon):
    """Periods are cut in the company's time zone: its calendar's, else its address's, else UTC."""

    def test_time_zone_of_the_company(self):
        company = self.env["res.company"].create({"name": "Shanghai Desk"})
        company.resource_calendar_id.tz = "Asia/Shanghai"
        self.assertEqual(company.itsm_tz, "Asia/Shanghai", "the calendar's time zone first")
        company.partner_id.tz = "America/New_York"
        company.resource_calendar_id = False
        self.assertEqual(company.itsm_tz, "America/New_York", "else the company's address")
        company.partner_id.tz = False
        self.assertEqual(company.itsm_tz, "UTC")

    def test_utc_range_of_local_days(self):
        company = self.env["res.company"].create({"name": "Shanghai Desk"})
        company.resource_calendar_id.tz = "Asia/Shanghai"
        self.assertEqual(
            company._itsm_utc_range(date(2026, 11, 1), date(2026, 11, 30)),
            (datetime(2026, 10, 31, 16, 0), datetime(2026, 11, 30, 16, 0)),
        )
        company.resource_calendar_id.tz = "America/New_York"
        # daylight saving time ends on 1 November 2026 in New York: the month is 30 days and 1 hour
        self.assertEqual(
            company._itsm_utc_range(date(2026, 11, 1), date(2026, 11, 30)),
            (datetime(2026, 11, 1, 4, 0), datetime(2026, 12, 1, 5, 0)),
        )
        with freeze_time("2026-10-31 17:30:00"):
            self.assertEqual(company._itsm_today(), date(2026, 10, 31))
            company.resource_calendar_id.tz = "Asia/Shanghai"
            self.assertEqual(company._itsm_today(), date(2026, 11, 1))

    def test_desk_report_months(self):
        with freeze_time("2026-10-31 17:30:00"):  # 1 November 01:30 in Shanghai
            november_shanghai = self._ticket(name="First hour of November in Shanghai")
        with freeze_time("2027-01-01 07:30:00"):  # 31 December 23:30 in Los Angeles
            december_la = self._ticket(name="Last hour of the year in Los Angeles")
        tickets = november_shanghai | december_la

        def months():
            self.env.flush_all()
            self.env.invalidate_all()  # a view: what the database computes now
            return {
                report.ticket_id: str(report.opened_month)
                for report in self.env["itsm.desk.report"].search([("ticket_id", "in", tickets.ids)])
            }

        self.company.resource_calendar_id.tz = "Asia/Shanghai"
        self.assertEqual(months(), {november_shanghai: "2026-11-01", december_la: "2027-01-01"})
        self.company.resource_calendar_id.tz = "America/Los_Angeles"
        self.assertEqual(months(), {november_shanghai: "2026-10-01", december_la: "2026-12-01"})
