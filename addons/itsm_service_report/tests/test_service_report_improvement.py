from datetime import date, datetime

from odoo.tests import Form, tagged

from .common import ServiceReportCommon


@tagged("post_install", "-at_install")
class TestServiceReportImprovement(ServiceReportCommon):
    def test_report_raises_an_action_into_the_register(self):
        report = self._report()
        button = report.with_user(self.manager).action_raise_improvement_action()
        Action = self.env["itsm.improvement.action"].with_user(self.manager)
        with Form(Action.with_context(**button["context"])) as form:
            form.name = "Answer the customer's printers first"
            form.owner_id = self.agent_2
            form.due_date = date(2025, 3, 1)
        action = form.record
        self.assertEqual((action.source, action.source_ref), ("service_report", report))
        self.assertEqual(action.company_id, report.company_id)
        self.assertEqual(report.improvement_action_count, 1)
        self.assertIn(action, Action.search([("source", "=", "service_report")]))
        self.assertEqual(Action.search(report.action_view_improvement_actions()["domain"]), action)
        self.assertFalse(Action.with_user(self.agent_1).search([("service_report_id", "=", report.id)]))

    def test_improvements_of_every_source_that_concerns_the_customer(self):
        """The register's actions count for the customer whatever raised them: its complaints,
        its SLA reviews, the ratings and problems of its tickets; another customer's never."""
        Action = self.env["itsm.improvement.action"]
        review = self.env["itsm.sla.review"].create(
            {"contract_id": self.contract.id, "date_from": "2024-10-01", "date_to": "2024-12-31"}
        )
        problem = self.env["itsm.problem"].create({"name": "Disk fills up"})
        self.tickets[3].problem_id = problem
        other_complaint = self.env["itsm.complaint"].create(
            {"name": "Slow", "partner_id": self.portal_b.partner_id.id}
        )
        values = {"owner_id": self.manager.id, "due_date": "2025-02-28"}
        actions = Action.create(
            [
                dict(values, name="Review the Gold targets", sla_review_id=review.id),
                dict(
                    values, name="Call back the unhappy requester", satisfaction_ticket_id=self.tickets[1].id
                ),
                dict(values, name="Grow the disk", problem_id=problem.id),
                dict(values, name="Someone else's complaint", complaint_id=other_complaint.id),
            ]
        )
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE itsm_improvement_action SET create_date = %s WHERE id IN %s",
            [datetime(2025, 1, 20, 9, 0), tuple(actions.ids)],
        )
        actions.invalidate_recordset(["create_date"])
        report = self._report()
        report.action_issue()
        self.assertEqual(
            report.improvement_opened_count, 4, "the complaint's action and three of other sources"
        )
        self.assertEqual(
            set(report._lines("improvement").mapped("name")),
            {
                "Monitor the disk space",
                "Review the Gold targets",
                "Call back the unhappy requester",
                "Grow the disk",
            },
        )
