from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCrmLink(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.env["res.partner"].create({"name": "Lead Customer", "is_company": True})
        cls.lead = cls.env["crm.lead"].create(
            {"name": "Managed printing offer", "partner_id": cls.customer.id, "type": "opportunity"}
        )
        cls.agent = new_test_user(cls.env, "itsm_crm_agent", groups="itsm_helpdesk.group_itsm_agent")
        cls.salesman_agent = new_test_user(
            cls.env, "itsm_crm_sales", groups="itsm_helpdesk.group_itsm_agent,sales_team.group_sale_salesman"
        )

    def test_ticket_linked_to_lead(self):
        tickets = self.env["itsm.ticket"].create(
            [
                {"name": "Printer fleet audit", "partner_id": self.customer.id, "lead_id": self.lead.id},
                {"name": "Toner plan question", "partner_id": self.customer.id, "lead_id": self.lead.id},
                {"name": "Unrelated", "partner_id": self.customer.id},
            ]
        )
        self.assertEqual(self.lead.itsm_ticket_count, 2)
        self.assertEqual(self.lead.itsm_ticket_ids, tickets[:2])
        action = self.lead.action_view_itsm_tickets()
        self.assertEqual(self.env["itsm.ticket"].search(action["domain"]), tickets[:2])
        self.assertEqual(action["context"]["default_lead_id"], self.lead.id)

    def test_lead_field_needs_sales_rights(self):
        ticket = self.env["itsm.ticket"].create({"name": "Audit", "lead_id": self.lead.id})
        self.assertEqual(ticket.with_user(self.salesman_agent).lead_id, self.lead)
        with self.assertRaises(AccessError):
            ticket.with_user(self.agent).read(["lead_id"])
        # the desk itself keeps working for agents without CRM rights
        self.assertEqual(ticket.with_user(self.agent).read(["name"])[0]["name"], "Audit")
