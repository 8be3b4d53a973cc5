from datetime import date

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import CommunicationCommon


@tagged("post_install", "-at_install")
class TestCommunicationPlan(CommunicationCommon):
    def _deliver(self, when):
        with freeze_time(when):
            return self.env["itsm.communication.plan.line"]._cron_deliver(companies=self.company)

    def test_due_line_delivered_once_per_period(self):
        line = self._line()
        first = self._deliver("2026-02-03 08:00:00")
        again = self._deliver("2026-02-04 08:00:00")
        self.assertEqual(len(first), 1)
        self.assertFalse(again, "the period is delivered once, however often the job runs")
        self.assertEqual((first.period_start, first.period_end), (date(2026, 1, 1), date(2026, 1, 31)))
        self.assertEqual(first.state, "sent")
        self.assertTrue(first.is_on_time)
        self.assertEqual(line.next_due_date, date(2026, 3, 1))
        emailed = first.message_ids.filtered(lambda m: self.portal_a.partner_id in m.partner_ids)
        self.assertEqual(len(emailed), 1, "the recipient is e-mailed the content once")
        self.assertIn("pid=%s" % self.portal_a.partner_id.id, emailed.body, "with a link signed for them")
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.env["itsm.communication.delivery"].create(
                line._prepare_delivery(date(2026, 1, 1), date(2026, 1, 31))
            )

    def test_missed_periods_caught_up_in_order(self):
        self._line(start_date="2025-10-15")
        deliveries = self._deliver("2026-02-03 08:00:00")
        self.assertEqual(
            deliveries.mapped("period_start"),
            [date(2025, 10, 1), date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1)],
        )

    def test_period_ends_at_midnight_in_the_company_time_zone(self):
        self.company.resource_calendar_id.tz = "Asia/Shanghai"
        self._line()
        # 23:00 on 31 January in Shanghai: January is not over
        self.assertFalse(self._deliver("2026-01-31 15:00:00"))
        # 01:00 on 1 February in Shanghai, still 31 January at UTC
        self.assertEqual(len(self._deliver("2026-01-31 17:00:00")), 1)

    def test_kpi_digest_counts_the_customer_figures_of_the_local_month(self):
        self.company.resource_calendar_id.tz = "Asia/Shanghai"
        for moment in ("2025-12-31 17:00:00", "2026-01-15 09:00:00", "2026-01-31 17:00:00"):
            with freeze_time(moment):
                ticket = self._ticket()
        with freeze_time("2026-01-20 09:00:00"):
            self._ticket(partner_id=self.portal_b.partner_id.id)
            ticket.stage_id = self.stage_solved
            self.assertTrue(ticket.is_closed)
            for value in (4, 2):
                self.env["rating.rating"].create(
                    {
                        "res_model_id": self.env["ir.model"]._get_id("itsm.ticket"),
                        "res_id": ticket.id,
                        "partner_id": self.portal_a.partner_id.id,
                        "rating": value,
                        "consumed": True,
                    }
                )
            self.env["itsm.complaint"].create(
                {"name": "Slow answers", "partner_id": self.portal_a.partner_id.id, "description": "x"}
            )
        figures = self.env["itsm.communication.kpi"]._get_figures(
            self.company, date(2026, 1, 1), date(2026, 1, 31), partner=self.customer_a
        )
        # 31 Dec 17:00 UTC is 1 January in Shanghai; 31 Jan 17:00 UTC is already February
        self.assertEqual(figures["tickets_opened"], 2)
        self.assertEqual((figures["rating_count"], figures["rating_average"]), (2, 3.0))
        self.assertEqual(figures["complaints"], 1)
        line = self._line()
        delivery = self._deliver("2026-02-03 08:00:00")
        self.assertEqual(delivery.line_id, line)
        self.assertIn("<td>2</td>", delivery.body, "the digest carries the customer's own figures")

    def test_meeting_waits_for_its_owner_and_late_is_reminded_once(self):
        self._line(channel="meeting")
        delivery = self._deliver("2026-02-02 08:00:00")
        self.assertEqual(delivery.state, "scheduled")
        self.assertEqual(delivery.activity_ids.user_id, self.relationship_manager)
        self.assertEqual(delivery.due_date, date(2026, 2, 6))
        Delivery = self.env["itsm.communication.delivery"]
        with freeze_time("2026-02-06 12:00:00"):
            self.assertFalse(Delivery._cron_remind_late(), "not late on its last day")
        with freeze_time("2026-02-08 12:00:00"):
            self.assertEqual(Delivery._cron_remind_late(), delivery)
            self.assertFalse(Delivery._cron_remind_late(), "reminded once")
        self.assertEqual(len(delivery.activity_ids), 2)
        with freeze_time("2026-02-09 12:00:00"):
            delivery.with_user(self.relationship_manager).action_mark_delivered()
        self.assertEqual(delivery.state, "sent")
        self.assertFalse(delivery.is_on_time)

    def test_plan_evaluated_and_reviewed_once_a_month(self):
        on_time, late = self._line(), self._line(channel="meeting", stakeholder_id=self.stakeholder_board.id)
        deliveries = self._deliver("2026-02-02 08:00:00")
        sent = deliveries.filtered(lambda d: d.line_id == on_time)
        sent._mark_opened()
        sent._record_feedback(self.portal_a.partner_id, "4", "More trends please")
        self.assertEqual(deliveries.filtered(lambda d: d.line_id == late).state, "scheduled")
        Plan = self.env["itsm.communication.plan"]
        with freeze_time("2026-03-01 08:00:00"):
            review = Plan._cron_evaluate()
            self.assertFalse(Plan._cron_evaluate(), "one review per plan and month")
        self.assertEqual(review.plan_id, self.plan)
        self.assertEqual((review.period_start, review.period_end), (date(2026, 2, 1), date(2026, 2, 28)))
        self.assertEqual((review.due_count, review.delivered_count, review.feedback_count), (2, 1, 1))
        self.assertEqual((review.on_time_percent, review.read_percent), (50.0, 100.0))
        self.assertEqual(review.activity_ids.user_id, self.comm_manager)
        review.with_user(self.comm_manager).write({"minutes": "<p>Board meeting moved</p>"})
        review.with_user(self.comm_manager).action_done()
        self.assertEqual(review.state, "done")
        self.assertEqual(self.plan.feedback_count, 1)

    def test_no_review_of_a_month_before_the_plan_started(self):
        self._line(start_date="2026-03-01")
        Plan = self.env["itsm.communication.plan"]
        with freeze_time("2026-03-01 08:00:00"):
            self.assertFalse(Plan._cron_evaluate(), "February: nothing was planned yet")
        with freeze_time("2026-04-01 08:00:00"):
            review = Plan._cron_evaluate()
        self.assertEqual(review.period_start, date(2026, 3, 1))

    def test_feedback_tells_the_owner(self):
        self._line()
        delivery = self._deliver("2026-02-02 08:00:00")
        delivery._record_feedback(self.portal_a.partner_id, "2", "Too long")
        self.assertEqual(delivery.feedback_rating, "2")
        message = delivery.message_ids[0]
        self.assertEqual(message.author_id, self.portal_a.partner_id)
        self.assertIn(self.relationship_manager.partner_id, message.partner_ids)

    def test_management_report_carries_the_period_highlights(self):
        Highlight = self.env["itsm.communication.highlight"]
        Highlight.create({"name": "ISO/IEC 20000-1 certified", "kind": "certification", "date": "2026-01-15"})
        Highlight.create({"name": "Draft news", "date": "2026-01-16", "is_published": False})
        Highlight.create({"name": "Old news", "date": "2025-12-15"})
        self._line(content_kind="management_report", stakeholder_id=self.stakeholder_board.id)
        delivery = self._deliver("2026-02-02 08:00:00")
        self.assertIn("ISO/IEC 20000-1 certified", delivery.body)
        self.assertNotIn("Draft news", delivery.body)
        self.assertNotIn("Old news", delivery.body)
        self.assertIn(self.board_member, delivery.recipient_partner_ids)

    def test_content_kind_is_a_hook(self):
        line = self._line(content_kind="service_report")
        payload = line._get_content_payload(date(2026, 1, 1), date(2026, 1, 31))
        self.assertIn("Customer A", payload["subject"])
        self.assertIn("Tickets opened", payload["body"])

    def test_roles(self):
        with self.assertRaises(AccessError):
            self.env["itsm.communication.plan"].with_user(self.relationship_manager).create({"name": "Mine"})
        with self.assertRaises(AccessError):
            self.env["itsm.communication.plan"].with_user(self.agent_1).search([])
        other = self.env["res.company"].create({"name": "Other Co"})
        foreign = self.env["itsm.communication.plan"].create({"name": "Foreign", "company_id": other.id})
        self.assertNotIn(foreign, self.env["itsm.communication.plan"].with_user(self.comm_manager).search([]))
