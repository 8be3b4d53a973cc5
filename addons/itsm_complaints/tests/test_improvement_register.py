from datetime import date

from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import ComplaintCommon


@tagged("post_install", "-at_install")
class TestComplaintImprovementRegister(ComplaintCommon):
    def _raise(self, opened, user, name):
        Action = self.env["itsm.improvement.action"].with_user(user)
        with Form(Action.with_context(**opened["context"])) as form:
            form.name = name
            form.owner_id = self.agent_2
            form.due_date = date(2026, 4, 10)
        return form.record

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_complaints_and_reviews_raise_actions_into_the_one_register(self):
        complaint = self._complaint()
        from_complaint = self._raise(
            complaint.with_user(self.handler).action_view_improvement_actions(),
            self.handler,
            "Coach the agent",
        )
        review = self.env["itsm.complaint.review"].create(
            {
                "period_type": "monthly",
                "period_start": date(2026, 3, 1),
                "period_end": date(2026, 3, 31),
                "company_id": self.company.id,
            }
        )
        from_review = self._raise(
            review.with_user(self.process_owner).action_view_improvement_actions(),
            self.process_owner,
            "Answer within a day",
        )
        self.assertEqual((from_complaint.source, from_review.source), ("complaint", "complaint_review"))
        self.assertTrue(from_complaint.restricted and from_review.restricted)
        # the complaint roles open the source from the register; a lead sees the action, not the complaint
        self.assertEqual(from_complaint.with_user(self.handler).source_ref, complaint)
        self.assertFalse(from_complaint.with_user(self.lead).source_ref)
        self.assertEqual(from_review.with_user(self.lead).source_ref, review)
        register = self.env["itsm.improvement.action"].with_user(self.lead).search([])
        self.assertLessEqual(from_complaint | from_review, register)
        # a desk manager plans the register but never sees what complaints raised
        self.assertFalse(
            self.env["itsm.improvement.action"]
            .with_user(self.manager)
            .search([("id", "in", (from_complaint | from_review).ids)])
        )
