from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CommunicationCommon


@tagged("post_install", "-at_install")
class TestStakeholder(CommunicationCommon):
    def test_recipients(self):
        self.assertEqual(self.stakeholder_a._get_recipient_partners(), self.portal_a.partner_id)
        staff = self.env["itsm.stakeholder"].create(
            {"name": "Desk staff", "kind": "it_staff", "team_id": self.team_desk.id}
        )
        self.assertEqual(staff._get_recipient_partners(), self.team_desk.member_ids.partner_id)
        regulator = self.env["res.partner"].create({"name": "Regulator", "is_company": True})
        other = self.env["itsm.stakeholder"].create(
            {"name": "Regulator", "kind": "other", "partner_id": regulator.id}
        )
        self.assertEqual(other._get_recipient_partners(), regulator)

    def _warned(self, ticket):
        return self.env["mail.message"].search(
            [
                ("model", "=", "itsm.ticket"),
                ("res_id", "=", ticket.id),
                ("partner_ids", "in", self.board_member.ids),
            ]
        )

    def test_board_subscribed_to_major_incident_warnings(self):
        quiet = self._ticket(name="Quiet board")
        quiet.action_declare_major_incident()
        self.assertFalse(self._warned(quiet), "a board not subscribed is not warned")
        self.stakeholder_board.is_major_incident_warned = True
        ticket = self._ticket(name="Data centre down")
        ticket.action_declare_major_incident()
        self.assertEqual(len(self._warned(ticket)), 1, "the board is warned at once, once")

    def test_roles(self):
        officer = self.relationship_manager
        self.assertIn(self.stakeholder_a, self.env["itsm.stakeholder"].with_user(officer).search([]))
        with self.assertRaises(AccessError):
            self.stakeholder_a.with_user(officer).write({"interests": "none"})
        with self.assertRaises(AccessError):
            self.env["itsm.stakeholder"].with_user(self.agent_1).search([])
        with self.assertRaises(AccessError):
            self.env["itsm.stakeholder"].with_user(self.portal_a).search([])
        other = self.env["res.company"].create({"name": "Other Co"})
        foreign = self.env["itsm.stakeholder"].create({"name": "Foreign", "company_id": other.id})
        self.assertNotIn(foreign, self.env["itsm.stakeholder"].with_user(self.comm_manager).search([]))
