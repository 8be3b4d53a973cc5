from datetime import datetime

from freezegun import freeze_time

from odoo.tests import HttpCase, tagged

from .common import ComplaintCommon


class ComplaintQueryCommon(ComplaintCommon):
    @classmethod
    def _complaints(cls, count, partner, at):
        """``count`` complaints of ``partner`` received at ``at``, over a few categories and channels."""
        categories = cls.category_attitude | cls.category_time
        channels = ("phone", "email", "portal")
        with freeze_time(at):
            return (
                cls.env["itsm.complaint"]
                .with_user(cls.receiver)
                .create(
                    [
                        {
                            "name": f"Complaint {i}",
                            "partner_id": partner.id,
                            "category_id": categories[i % 2].id,
                            "channel": channels[i % 3],
                            "kind": "suggestion" if i % 4 == 3 else "complaint",
                            "team_id": cls.team_desk.id,
                        }
                        for i in range(count)
                    ]
                )
                .with_env(cls.env)
            )


@tagged("post_install", "-at_install", "is_query_count")
class TestComplaintPortalQueries(ComplaintQueryCommon, HttpCase):
    def _list_queries(self, expected):
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        # the first request warms the registry, templates and assets
        self.assertEqual(self.url_open("/my/complaints").status_code, 200)
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(expected):
            page = self.url_open("/my/complaints")
        self.assertEqual(page.status_code, 200)
        return page

    def test_portal_list_does_not_grow_with_complaints(self):
        complaints = self._complaints(3, self.portal_a.partner_id, "2026-02-02 08:00:00")
        self._complaints(2, self.portal_b.partner_id, "2026-02-02 08:00:00")
        page = self._list_queries(9)
        for complaint in complaints:
            self.assertIn(complaint.number, page.text)
        more = self._complaints(12, self.portal_a.partner_id, "2026-02-03 08:00:00")
        page = self._list_queries(9)
        self.assertIn(more[-1].number, page.text)


@tagged("post_install", "-at_install", "is_query_count")
class TestComplaintReviewJobQueries(ComplaintQueryCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._without_alias_domain()

    def test_monthly_job_does_not_grow_with_complaints(self):
        Review = self.env["itsm.complaint.review"]
        companies = self.env["res.company"].search_count([("active", "=", True)])
        # a first, unmeasured round warms what any round needs (models, sequences, mail subtypes,
        # and the clean-up of the previous round's reviews); then the count is the same for 3 and
        # 30 complaints: the figures are grouped queries and the lines one batch insert
        for count, expected in ((2, None), (3, 23), (30, 23)):
            with self.subTest(count=count):
                Review.sudo().search([]).unlink()
                self.env["itsm.complaint"].sudo().search([]).unlink()
                complaints = self._complaints(count, self.portal_a.partner_id, "2026-02-02 08:00:00")
                with freeze_time("2026-02-03 08:00:00"):
                    complaints[: max(count // 3, 1)].with_user(self.handler).action_start_investigation()
                self.env.flush_all()
                self.env.invalidate_all()
                with freeze_time("2026-03-01 06:00:00"):
                    if expected is None:
                        Review._cron_generate_reviews()
                        continue
                    with self.assertQueryCount(expected):
                        reviews = Review._cron_generate_reviews()
                self.assertEqual(len(reviews), companies)
                review = reviews.filtered(lambda r: r.company_id == self.company)
                self.assertEqual(review.period_start, datetime(2026, 2, 1).date())
                self.assertEqual(review.received_count, count)
                self.assertEqual(review.late_step_count, 0)
