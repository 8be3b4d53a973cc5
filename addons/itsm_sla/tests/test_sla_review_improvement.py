from datetime import date

from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import SlaCommon


@tagged("post_install", "-at_install")
class TestSlaReviewImprovement(SlaCommon):
    def test_review_raises_an_action_into_the_register(self):
        review = self.env["itsm.sla.review"].create(
            {"contract_id": self.contract.id, "date_from": "2025-01-01", "date_to": "2025-01-31"}
        )
        button = review.with_user(self.manager).action_raise_improvement_action()
        Action = self.env["itsm.improvement.action"].with_user(self.manager)
        with Form(Action.with_context(**button["context"])) as form:
            form.name = "Staff the desk from 8 am"
            form.owner_id = self.agent_2
            form.due_date = date(2025, 3, 1)
        action = form.record
        self.assertEqual((action.source, action.source_ref), ("sla_review", review))
        self.assertEqual(review.improvement_action_count, 1)
        register = Action.search([("source", "=", "sla_review")])
        self.assertIn(action, register)
        self.assertEqual(
            Action.search(review.action_view_improvement_actions()["domain"]),
            action,
            "the stat button opens it",
        )
        # the owner sees it; another agent does not
        self.assertEqual(Action.with_user(self.agent_2).search([("sla_review_id", "=", review.id)]), action)
        self.assertFalse(Action.with_user(self.agent_1).search([("sla_review_id", "=", review.id)]))

    def test_action_stays_in_the_review_company(self):
        review = self.env["itsm.sla.review"].create(
            {"contract_id": self.contract.id, "date_from": "2025-01-01", "date_to": "2025-01-31"}
        )
        company_2 = self.env["res.company"].create({"name": "Other Desk Ltd"})
        with self.assertRaises(UserError):
            self.env["itsm.improvement.action"].create(
                {
                    "name": "Elsewhere",
                    "owner_id": self.manager.id,
                    "due_date": date(2025, 3, 1),
                    "company_id": company_2.id,
                    "sla_review_id": review.id,
                }
            )
