from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoHistory(TransactionCase):
    """The suite's demo is a year of history played through the ORM (issue 12 §4, issue 14 §7):
    every dashboard, pivot and report of ``make run`` opens on plausible, non-zero figures."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.has_demo = bool(cls.env["ir.module.module"].search([("name", "=", "itsm"), ("demo", "=", True)]))
        cls.odoobot = cls.env.ref("base.user_root")
        cls.wood_corner = cls.env.ref("base.res_partner_1")

    def setUp(self):
        super().setUp()
        if not self.has_demo:
            self.skipTest("database created without demo data")

    def test_sla_clocks_met_and_breached_over_the_year(self):
        gold = self.env.ref("itsm_sla.demo_contract_gold")
        lines = self.env["itsm.ticket.sla"].search([("contract_id", "=", gold.id)])
        statuses = set(lines.mapped("status"))
        self.assertTrue({"met", "breached"} <= statuses, statuses)
        # the clocks measured since the tickets' opening (activating the contract also took in
        # the tickets open at that moment, measured from then on)
        stopped = lines.filtered(lambda ln: ln.stopped_at and ln.started_at == ln.ticket_id.opened_at)
        self.assertGreater(len(stopped), 50)
        # each clock stopped when its ticket was answered or solved, not when the demo was installed
        for line in stopped.filtered(lambda ln: ln.metric == "resolution"):
            self.assertEqual(line.stopped_at, line.ticket_id.closed_at)
        for line in stopped.filtered(lambda ln: ln.metric == "response"):
            self.assertEqual(line.stopped_at, line.ticket_id.first_response_at)
        months = {(line.started_at.year, line.started_at.month) for line in lines}
        self.assertGreaterEqual(len(months), 8)
        breached = lines.filtered(lambda ln: ln.status == "breached" and ln.stopped_at)
        self.assertTrue(all(ln.breached_at and ln.breached_at <= ln.stopped_at for ln in breached))

    def test_sla_reviews_held_each_quarter(self):
        gold = self.env.ref("itsm_sla.demo_contract_gold")
        reviews = self.env["itsm.sla.review"].search([("contract_id", "=", gold.id)])
        self.assertGreaterEqual(len(reviews), 3)
        self.assertEqual(set(reviews.mapped("state")), {"done"})
        self.assertTrue(all(reviews.mapped("minutes")))
        self.assertTrue(all(review.create_date.date() > review.date_to for review in reviews))

    def test_sla_compliance_report_has_rows(self):
        Report = self.env["itsm.sla.report"]
        [[count, met, breached]] = Report._read_group(
            [("partner_id", "=", self.wood_corner.id)], [], ["__count", "met_count:sum", "breached_count:sum"]
        )
        self.assertGreater(count, 50)
        self.assertGreater(met, 0)
        self.assertGreater(breached, 0)
        [[rate]] = Report._read_group([("is_stopped", "=", True)], [], ["met_rate:avg"])
        self.assertTrue(0 < rate < 100, rate)
        self.assertGreaterEqual(len(Report._read_group([], ["opened_month:month"], ["__count"])), 8)

    def test_complaints_handled_by_people_over_the_year(self):
        complaints = self.env["itsm.complaint"].search([])
        self.assertGreaterEqual(len(complaints), 10)
        self.assertGreaterEqual(len({c.received_at.date() for c in complaints}), 10)
        self.assertGreaterEqual(len({(c.received_at.year, c.received_at.month) for c in complaints}), 10)
        self.assertNotIn(self.odoobot, complaints.receiver_id)
        self.assertNotIn(self.odoobot, complaints.owner_id)
        handled = complaints.filtered(lambda c: c.state != "received")
        self.assertTrue(all(complaint.owner_id for complaint in handled))
        states = set(complaints.mapped("state"))
        self.assertLessEqual({"received", "investigating", "closed", "rejected"}, states)
        logs = complaints.step_log_ids
        self.assertNotIn(self.odoobot, logs.user_id)
        # the steps took the time they took: hours in each step, stored by the code
        left = logs.filtered("left_at")
        self.assertTrue(left)
        self.assertTrue(all(log.duration_hours > 0 for log in left))
        escalated = complaints.filtered("escalation_level")
        self.assertTrue(escalated)
        reviews = self.env["itsm.complaint.review"].search([("state", "=", "done")])
        self.assertGreaterEqual(len(reviews), 10)
        self.assertTrue(all(reviews.mapped("minutes")))

    def test_ratings_and_callbacks_dated_when_given(self):
        ratings = self.env["rating.rating"].search([("res_model", "=", "itsm.ticket")])
        self.assertGreaterEqual(len(ratings), 50)
        self.assertTrue(ratings.filtered("is_default"))
        self.assertTrue(ratings.filtered(lambda r: not r.is_default and r.feedback))
        self.assertGreaterEqual(len({(r.create_date.year, r.create_date.month) for r in ratings}), 10)
        tickets = self.env["itsm.ticket"].browse(ratings.mapped("res_id"))
        closed_at = dict(zip(tickets.ids, tickets.mapped("closed_at"), strict=True))
        self.assertTrue(all(r.create_date > closed_at[r.res_id] for r in ratings))
        callbacks = self.env.ref("itsm_satisfaction.demo_campaign_monthly").callback_ids
        self.assertTrue(callbacks.filtered(lambda c: c.state == "done" and c.done_at))
        Report = self.env["itsm.satisfaction.report"]
        [[count, score]] = Report._read_group([("source", "=", "rating")], [], ["__count", "score:avg"])
        self.assertGreater(count, 0)
        self.assertGreater(score, 1.0)

    def test_wood_corner_service_report_every_section_filled(self):
        report = self.env.ref("itsm_service_report.demo_service_report_wood_corner")
        self.assertEqual(report.state, "issued")
        self.assertTrue(report.sla_line_ids.filtered("met_count"))
        self.assertTrue(report.sla_line_ids.filtered("breached_count"))
        for section in (
            "kind",
            "service",
            "channel",
            "support_line",
            "weekday",
            "hour",
            "complaint",
            "major_incident",
            "comment",
            "improvement",
        ):
            self.assertTrue(report._lines(section), section)
        self.assertTrue(report.ticket_count and report.rating_count and report.default_rating_count)
        self.assertTrue(report.backlog_count and report.complaint_count and report.major_incident_count)
        self.assertGreater(report.sla_met_pct, 0)
        self.assertLess(report.sla_met_pct, 100)
        self.assertEqual(len(report.trend_ids), 6)
        self.assertGreaterEqual(len(report.trend_ids.filtered("ticket_count")), 4)

    def test_communication_plan_delivered_over_the_year(self):
        plan = self.env.ref("itsm_communication.demo_plan")
        deliveries = self.env["itsm.communication.delivery"].search([("plan_id", "=", plan.id)])
        sent = deliveries.filtered(lambda d: d.state == "sent" and d.sent_at)
        months = {(d.period_start.year, d.period_start.month) for d in sent}
        self.assertGreaterEqual(len(months), 11, "a year of monthly deliveries")
        self.assertTrue(sent.filtered("acknowledged_at"), "recipients acknowledged some")
        reviews = self.env["itsm.communication.plan.review"].search(
            [("plan_id", "=", plan.id), ("state", "=", "done")]
        )
        self.assertGreaterEqual(len(reviews), 11, "the plan reviewed each month")
        # deliveries fall due after their period: the plan's first month has none due yet
        self.assertGreaterEqual(len(reviews.filtered("due_count")), 10)
