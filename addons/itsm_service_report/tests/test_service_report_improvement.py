from datetime import date

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
