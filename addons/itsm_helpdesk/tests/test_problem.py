from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ItsmCommon


@tagged("post_install", "-at_install")
class TestProblems(ItsmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.service = cls.env["itsm.service"].create({"name": "VPN"})
        cls.category = cls.env["itsm.ticket.category"].create(
            {"name": "Connectivity", "service_id": cls.service.id}
        )

    def _incident(self, **values):
        return self._ticket(
            kind="incident", service_id=self.service.id, category_id=self.category.id, **values
        )

    def _recurring(self):
        self.env.flush_all()
        return self.env["itsm.recurring.incident"].search([("service_id", "=", self.service.id)])

    def test_recurring_incidents_become_a_problem(self):
        with freeze_time(fields.Datetime.now() - timedelta(days=45)):
            old = self._incident(name="Old VPN drop")
        recent = self._incident(name="VPN drop 1") | self._incident(name="VPN drop 2")
        self.assertFalse(self._recurring(), "two recent incidents are not yet a pattern")
        recent |= self._incident(name="VPN drop 3")
        [row] = self._recurring()
        self.assertEqual(row.incident_count, 3, "the incident older than 30 days is left out")
        self.assertEqual(recent[0].similar_incident_count, 2)
        action = row.action_create_problem()
        problem = self.env["itsm.problem"].browse(action["res_id"])
        self.assertEqual(recent.problem_id, problem)
        self.assertFalse(old.problem_id)
        self.assertTrue(problem.number.startswith("PRB"))
        self.assertEqual(problem.ticket_count, 3)
        self.assertFalse(self._recurring(), "incidents under a problem are no longer suggested")

    def test_known_error_and_workaround_on_linked_tickets(self):
        problem = self.env["itsm.problem"].create({"name": "VPN drops", "service_id": self.service.id})
        ticket = self._incident(problem_id=problem.id)
        problem.write(
            {
                "state": "known_error",
                "known_error_note": "Client 4.2 leaks sessions",
                "workaround": "<p>Reconnect with client 4.1</p>",
            }
        )
        self.assertTrue(problem.is_known_error)
        ticket_as_agent = ticket.with_user(self.agent_1)
        self.assertTrue(ticket_as_agent.problem_is_known_error)
        self.assertIn("Reconnect with client 4.1", ticket_as_agent.problem_workaround)
        self.assertEqual(ticket_as_agent.problem_known_error_note, "Client 4.2 leaks sessions")

    @mute_logger("odoo.addons.base.models.ir_model")
    def test_problem_rights(self):
        self.env["itsm.problem"].with_user(self.expert).create({"name": "By an expert"})
        with self.assertRaises(AccessError):
            self.env["itsm.problem"].with_user(self.agent_1).create({"name": "By the desk"})
