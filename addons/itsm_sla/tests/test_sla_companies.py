from freezegun import freeze_time

from odoo.tests import Form, tagged

from .common import FRIDAY_1730, SlaCommon


@tagged("post_install", "-at_install")
class TestSlaCompanies(SlaCommon):
    """Each company measures its tickets by its own contracts; nobody reads another's clocks."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_2 = cls.env["res.company"].create({"name": "Subsidiary Desk"})
        cls.calendar_2 = cls._calendar("Subsidiary hours", "UTC")
        cls.calendar_2.company_id = cls.company_2
        cls.team_2 = cls.env["itsm.team"].create({"name": "Subsidiary desk", "company_id": cls.company_2.id})
        # the subsidiary's default agreement: every customer, 24x7, resolution in 2 hours
        cls.default_2 = cls._contract(
            "Subsidiary default",
            False,
            [("resolution", False, 2.0)],
            company_id=cls.company_2.id,
            calendar_id=cls.calendar_2.id,
            is_24x7=True,
        )

    def test_each_company_applies_its_own_contracts(self):
        with freeze_time(FRIDAY_1730):
            mine = self._ticket(priority="2")
            theirs = self._ticket(priority="2", team_id=self.team_2.id)
        self.assertEqual(theirs.company_id, self.company_2)
        self.assertEqual(mine.sla_line_ids.contract_id, self.contract, "the subsidiary's default is not ours")
        self.assertEqual(
            theirs.sla_line_ids.contract_id, self.default_2, "customer A's contract is not theirs"
        )
        self.assertEqual(theirs.sla_line_ids.company_id, self.company_2)
        self.assertEqual(theirs.sla_deadline.strftime("%a %H:%M"), "Fri 19:30", "2 hours, 24x7")

    def test_clocks_of_another_company_are_invisible(self):
        theirs = self._ticket(team_id=self.team_2.id)
        lines = theirs.sla_line_ids
        self.assertTrue(lines)
        Line = self.env["itsm.ticket.sla"].with_user(self.manager)
        self.assertFalse(Line.search([("id", "in", lines.ids)]))
        contracts = self.env["itsm.sla.contract"].with_user(self.manager).search([])
        self.assertNotIn(self.default_2, contracts)

    def test_customer_smart_button_counts_contracts_in_force(self):
        contact = self.portal_a.partner_id
        self.assertEqual(self.customer_a.itsm_sla_contract_count, 1)
        self.assertEqual(contact.itsm_sla_contract_count, 1, "a contact shows its company's agreements")
        self.assertEqual(self.customer_b.itsm_sla_contract_count, 0)
        action = contact.action_view_itsm_sla_contracts()
        self.assertEqual(self.env["itsm.sla.contract"].search(action["domain"]), self.contract)
        self.assertEqual(action["context"]["default_partner_id"], self.customer_a.id)
        self.contract.action_terminate()
        self.customer_a.invalidate_recordset(["itsm_sla_contract_count"])
        self.assertEqual(self.customer_a.itsm_sla_contract_count, 0)
        # the button is on the partner form for the desk
        form = Form(self.customer_a.with_user(self.agent_1))
        self.assertEqual(form.itsm_sla_contract_count, 0)
