from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.itsm_sla.tests.common import SlaCommon

from .common import setup_communication


@tagged("post_install", "-at_install")
class TestRelationshipReview(SlaCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        setup_communication(cls)
        cls.customer_a.write(
            {
                "itsm_relationship_manager_id": cls.relationship_manager.id,
                "itsm_review_frequency": "quarterly",
                "itsm_next_review_date": "2026-03-20",
            }
        )
        cls.portal_a.partner_id.itsm_is_review_contact = True
        cls.Review = cls.env["itsm.relationship.review"]
        cls.Notice = cls.env["itsm.relationship.notice"]

    def _schedule(self, day):
        return self.Review._cron_schedule(today=date.fromisoformat(day))

    def test_review_planned_ahead_once_with_an_activity(self):
        self.assertFalse(self._schedule("2026-03-01"), "not yet: more than two weeks ahead")
        review = self._schedule("2026-03-06")
        self.assertEqual(len(review), 1)
        self.assertFalse(self._schedule("2026-03-07"), "planned once")
        self.assertEqual(review.partner_id, self.customer_a)
        self.assertEqual(review.review_date, date(2026, 3, 20))
        self.assertEqual((review.period_start, review.period_end), (date(2025, 12, 20), date(2026, 3, 19)))
        self.assertEqual(review.contact_partner_ids, self.portal_a.partner_id, "the designated contacts only")
        self.assertIn("Tickets opened", review.figures)
        self.assertEqual(review.activity_ids.user_id, self.relationship_manager)
        self.assertEqual(review.activity_ids.date_deadline, date(2026, 3, 20))

    def test_holding_the_review_sets_the_next_date(self):
        review = self._schedule("2026-03-10")
        review = review.with_user(self.relationship_manager)
        review.write({"minutes": "<p>Reviewed</p>", "decisions": "<p>Faster resets</p>"})
        action = (
            self.env["itsm.improvement.action"]
            .with_user(self.relationship_manager)
            .create(
                {
                    "name": "Self-service reset",
                    "owner_id": self.agent_1.id,
                    "due_date": "2026-05-01",
                    "relationship_review_id": review.id,
                }
            )
        )
        self.assertEqual(review.improvement_action_ids, action)
        review.action_done()
        self.assertEqual(review.state, "done")
        self.assertFalse(review.activity_ids)
        self.assertEqual(self.customer_a.itsm_next_review_date, date(2026, 6, 20))
        self.assertEqual(self.portal_a.partner_id.itsm_next_review_date, date(2026, 6, 20))
        self.assertEqual(self._schedule("2026-06-10").review_date, date(2026, 6, 20))

    def test_officers_see_their_own_customers_reviews(self):
        review = self._schedule("2026-03-10")
        self.assertIn(review, self.Review.with_user(self.relationship_manager).search([]))
        self.assertNotIn(review, self.Review.with_user(self.other_officer).search([]))
        self.assertIn(review, self.Review.with_user(self.comm_manager).search([]))

    def _notices(self, event):
        return self.Notice.search([("event", "=", event), ("partner_id", "=", self.customer_a.id)])

    def _told(self):
        return self.env["mail.message"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "=", self.customer_a.id),
                ("partner_ids", "in", self.relationship_manager.partner_id.ids),
            ]
        )

    def test_manager_told_once_of_a_major_incident(self):
        ticket = self._ticket(name="Mail down")
        ticket.action_declare_major_incident()
        self.Notice._notify("major_incident", ticket)
        self.assertEqual(len(self._notices("major_incident")), 1)
        self.assertEqual(len(self._told()), 1)
        self.assertEqual(self._notices("major_incident").manager_id, self.relationship_manager)
        other = self._ticket(name="Other customer down", partner_id=self.portal_b.partner_id.id)
        other.action_declare_major_incident()
        self.assertFalse(
            self.Notice.search([("res_id", "=", other.id), ("event", "=", "major_incident")]),
            "a customer without a relationship manager: nobody to tell",
        )

    def test_manager_told_once_of_a_complaint(self):
        complaint = self.env["itsm.complaint"].create(
            {"name": "Confidential matter", "partner_id": self.portal_a.partner_id.id, "description": "x"}
        )
        self.Notice._notify("complaint", complaint)
        notice = self._notices("complaint")
        self.assertEqual(len(notice), 1)
        self.assertNotIn("Confidential matter", self._told().body, "only the complaint's number is told")

    def test_manager_told_once_of_a_low_rating(self):
        ticket = self._ticket()
        rating = self.env["rating.rating"].create(
            {
                "res_model_id": self.env["ir.model"]._get_id("itsm.ticket"),
                "res_id": ticket.id,
                "partner_id": self.portal_a.partner_id.id,
                "rating": 1,
                "consumed": True,
            }
        )
        ticket._itsm_follow_up_low_rating(rating)
        ticket._itsm_follow_up_low_rating(rating)
        self.assertEqual(len(self._notices("low_rating")), 1)
        good = self._ticket()
        rating.copy({"res_id": good.id, "rating": 5})
        good._itsm_follow_up_low_rating(rating.copy({"res_id": good.id, "rating": 5}))
        self.assertEqual(len(self._notices("low_rating")), 1, "a good rating is not told")

    def test_manager_told_once_of_an_sla_breach(self):
        with freeze_time("2025-01-06 09:00:00"):
            ticket = self._ticket(priority="2", user_id=self.agent_1.id)
        for when in ("2025-01-06 12:00:00", "2025-01-06 16:00:00"):
            with freeze_time(when):
                self.env["itsm.ticket.sla"]._cron_process_due()
        notice = self._notices("sla_breach")
        self.assertEqual(len(notice), 1, "told once, however many targets and job runs")
        self.assertEqual(notice.res_id, ticket.id)
