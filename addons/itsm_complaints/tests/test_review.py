import io
import zipfile
from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import ComplaintCommon


@tagged("post_install", "-at_install")
class TestComplaintReview(ComplaintCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the figures below are counted in UTC days (the time zones have their own tests)
        cls.company.resource_calendar_id.tz = "UTC"
        cls.service = cls.env["itsm.service"].create({"name": "E-mail"})
        # February 2026: three complaints and a suggestion; one from January, one from March
        with freeze_time("2026-01-20 10:00:00"):
            cls.january = cls._complaint(name="January", channel="phone")
        with freeze_time("2026-02-02 08:00:00"):
            cls.c1 = cls._complaint(name="C1", channel="phone", service_id=cls.service.id)
        with freeze_time("2026-02-02 14:00:00"):
            cls.c1.with_user(cls.handler).action_start_investigation()  # 6 h received
        with freeze_time("2026-02-05 08:00:00"):
            cls.c2 = cls._complaint(name="C2", channel="portal", category_id=cls.category_time.id)
        with freeze_time("2026-02-09 08:00:00"):
            cls.c2.with_user(cls.handler).action_start_investigation()  # 96 h received: late
        with freeze_time("2026-02-10 08:00:00"):
            cls.c2.with_user(cls.handler).write({"response": "<p>Done</p>"})
            cls.c2.with_user(cls.handler).action_send_response()  # 24 h investigating
        with freeze_time("2026-02-11 08:00:00"):
            cls.c2.sudo()._record_feedback("satisfied")
        with freeze_time("2026-02-20 08:00:00"):
            cls.s1 = cls._complaint(name="S1", kind="suggestion", channel="email", team_id=cls.team_field.id)
        with freeze_time("2026-02-27 23:00:00"):
            cls.c3 = cls._complaint(name="C3", channel="phone")
        with freeze_time("2026-03-01 00:30:00"):
            cls.march = cls._complaint(name="March", channel="email")

    def test_monthly_figures_and_idempotent_job(self):
        with freeze_time("2026-03-01 06:00:00"):
            review = self.env["itsm.complaint.review"]._cron_generate_reviews()
            self.assertEqual(len(review), 1)
            again = self.env["itsm.complaint.review"]._cron_generate_reviews()
        self.assertFalse(again, "running the job twice creates no second review")
        self.assertEqual(
            self.env["itsm.complaint.review"].search_count(
                [("period_start", "=", date(2026, 2, 1)), ("company_id", "=", self.company.id)]
            ),
            1,
        )
        self.assertEqual((review.period_start, review.period_end), (date(2026, 2, 1), date(2026, 2, 28)))
        february = self.c1 | self.c2 | self.s1 | self.c3
        self.assertEqual(review.received_count, len(february))
        self.assertEqual((review.complaint_count, review.suggestion_count), (3, 1))
        self.assertEqual(review.complaint_ids, february)

        def figures(dimension):
            return {line.label: line.count for line in review.line_ids if line.dimension == dimension}

        self.assertEqual(figures("channel"), {"Phone": 2, "Portal": 1, "E-mail": 1})
        self.assertEqual(figures("category"), {"Attitude": 3, "Response time": 1})
        self.assertEqual(figures("service"), {"E-mail": 1, "Undefined": 3})
        self.assertEqual(figures("team"), {"Desk": 3, "Field": 1})
        self.assertEqual(figures("feedback"), {"Satisfied": 1})
        steps = {
            line.label: (line.count, round(line.value, 2))
            for line in review.line_ids
            if line.dimension == "step"
        }
        # steps left in February: received (6 h and 96 h), investigating (24 h)
        self.assertEqual(steps, {"Received": (2, 51.0), "Investigating": (1, 24.0)})
        # at the end of February: C1 investigating (due 7 Feb: overdue), C2 waiting for feedback
        # (responded on the 10th, due on the 12th: overdue), S1 received (overdue), C3 received
        # on the 27th at 23:00 (due 28th 23:00: overdue by midnight) and January still received
        self.assertEqual(review.open_count, 5)
        self.assertEqual(review.overdue_count, 5)
        self.assertEqual(review.late_step_count, 1, "C2 left 'received' after its one-day deadline")
        self.assertEqual(review.closed_count, 0)

    def test_annual_review_and_exports(self):
        with freeze_time("2027-01-01 06:00:00"):
            reviews = self.env["itsm.complaint.review"]._cron_generate_reviews()
        annual = reviews.filtered(lambda r: r.period_type == "annual")
        self.assertEqual(annual.period_start, date(2026, 1, 1))
        months = {line.label: line.count for line in annual.line_ids if line.dimension == "month"}
        self.assertEqual(months, {"2026-01": 1, "2026-02": 4, "2026-03": 1})
        self.assertEqual(annual.received_count, 6)
        self.c3.name = '=HYPERLINK("http://evil")'
        with freeze_time("2026-03-02 06:00:00"):
            monthly = self.env["itsm.complaint.review"]._cron_generate_reviews()
        content = monthly.with_user(self.process_owner)._export_xlsx()
        self.assertTrue(content.startswith(b"PK"))
        with zipfile.ZipFile(io.BytesIO(content)) as book:
            strings = book.read("xl/sharedStrings.xml").decode()
        self.assertIn("'=HYPERLINK", strings, "a cell starting with = is escaped")
        pdf, _type = self.env["ir.actions.report"]._render_qweb_html(
            "itsm_complaints.report_complaint_review", monthly.ids
        )
        self.assertIn(b"C1", pdf)
        self.assertEqual(monthly.period_start, date(2026, 2, 1))


@tagged("post_install", "-at_install")
class TestComplaintReviewTimeZones(ComplaintCommon):
    """Reviews are cut in the company's time zone, east and west of UTC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.resource_calendar_id.tz = "Asia/Shanghai"
        # 1 November 01:30 in Shanghai: still 31 October in UTC
        with freeze_time("2026-10-31 17:30:00"):
            cls.first_hour = cls._complaint(name="First hour of November")
        # 31 October 23:30 in Shanghai: the last hour of October
        with freeze_time("2026-10-31 15:30:00"):
            cls.last_hour = cls._complaint(name="Last hour of October")

    def _review(self, period_type, day):
        Review = self.env["itsm.complaint.review"]
        start, end = Review._period_bounds(period_type, day)
        review = Review.create(
            {
                "period_type": period_type,
                "period_start": start,
                "period_end": end,
                "company_id": self.company.id,
            }
        )
        review.action_compute_figures()
        return review

    def test_month_in_shanghai(self):
        november = self._review("monthly", date(2026, 11, 1))
        october = self._review("monthly", date(2026, 10, 1))
        self.assertEqual(november.complaint_ids, self.first_hour, "01:30 on 1 November counts in November")
        self.assertEqual(october.complaint_ids, self.last_hour)
        self.assertEqual((october.received_count, november.received_count), (1, 1))

    def test_year_west_of_utc(self):
        self.company.resource_calendar_id.tz = "America/Los_Angeles"
        # 31 December 23:30 in Los Angeles is 1 January 07:30 UTC; 1 January 00:30 is 08:30 UTC
        with freeze_time("2027-01-01 07:30:00"):
            last_of_year = self._complaint(name="Last hour of 2026")
        with freeze_time("2027-01-01 08:30:00"):
            first_of_year = self._complaint(name="First hour of 2027")
        annual = self._review("annual", date(2026, 1, 1))
        self.assertIn(last_of_year, annual.complaint_ids)
        self.assertNotIn(first_of_year, annual.complaint_ids)
        months = {line.label: line.count for line in annual.line_ids if line.dimension == "month"}
        self.assertEqual(months, {"2026-10": 2, "2026-12": 1}, "months of the annual review are local too")
        self.assertEqual(self._review("monthly", date(2027, 1, 1)).complaint_ids, first_of_year)

    def test_job_closes_the_month_where_the_company_works(self):
        Review = self.env["itsm.complaint.review"]
        other = self.env["res.company"].create({"name": "West Desk"})
        other.resource_calendar_id.tz = "America/New_York"
        # 1 November 01:30 in Shanghai, 31 October 13:30 in New York
        with freeze_time("2026-10-31 17:30:00"):
            created = Review._cron_generate_reviews()
        mine = created.filtered(lambda review: review.company_id == self.company)
        self.assertEqual(mine.period_start, date(2026, 10, 1), "October is over in Shanghai")
        self.assertEqual(mine.complaint_ids, self.last_hour)
        self.assertEqual(
            created.filtered(lambda review: review.company_id == other).period_start,
            date(2026, 9, 1),
            "New York is still in October",
        )
