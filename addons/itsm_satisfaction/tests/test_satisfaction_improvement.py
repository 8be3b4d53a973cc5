from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import SatisfactionCommon


@tagged("post_install", "-at_install")
class TestSatisfactionImprovement(SatisfactionCommon):
    @mute_logger("odoo.addons.base.models.ir_model")
    def test_low_rating_follow_up_raises_an_action_into_the_register(self):
        ticket = self._resolved()
        rating = self._pending(ticket)
        ticket.rating_apply(1, rating=rating, feedback="Nobody called me")
        button = ticket.with_user(self.manager).action_raise_improvement_action()
        Action = self.env["itsm.improvement.action"].with_user(self.manager)
        with Form(Action.with_context(**button["context"])) as form:
            self.assertEqual(form.name, f"Follow up the 1/5 rating of {ticket.display_name}")
            form.owner_id = self.agent_2
            form.due_date = date(2026, 4, 10)
        action = form.record
        self.assertEqual((action.source, action.source_ref), ("satisfaction", ticket))
        self.assertEqual(action.rating_id, rating, "the rating followed up")
        self.assertEqual(ticket.improvement_action_count, 1)
        self.assertIn(action, Action.search([("source", "=", "satisfaction")]))
        self.assertEqual(Action.search(ticket.action_view_improvement_actions()["domain"]), action)
        # an agent raises none and sees none they do not own
        with self.assertRaises(AccessError):
            ticket.with_user(self.agent_1).action_raise_improvement_action()
        self.assertFalse(Action.with_user(self.agent_1).search([("satisfaction_ticket_id", "=", ticket.id)]))
