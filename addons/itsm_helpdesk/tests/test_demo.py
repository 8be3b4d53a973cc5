from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestDemoData(TransactionCase):
    def test_demo_data_loaded_whenever_requested(self):
        """Odoo installs a module without its demo data when that data fails to load, with only a
        warning in the log: catch it here (for databases created with demo data)."""
        modules = self.env["ir.module.module"].search([("name", "in", ["base", "itsm_helpdesk"])])
        demo = {module.name: module.demo for module in modules}
        if not demo["base"]:
            self.skipTest("database created without demo data")
        self.assertTrue(demo["itsm_helpdesk"], "the demo data of itsm_helpdesk failed to load")
        tickets = self.env["itsm.ticket"].search([("team_id", "!=", False)])
        self.assertGreaterEqual(len(tickets), 100)
        self.assertTrue(tickets.filtered("is_major_incident"))
        self.assertTrue(tickets.filtered("problem_id"))

    def test_demo_aliases_receive_mail(self):
        if not self.env["ir.module.module"].search([("name", "=", "itsm_helpdesk")]).demo:
            self.skipTest("database created without demo data")
        company = self.env.ref("base.main_company")
        self.assertEqual(company.alias_domain_id.name, "itsm.example.com")
        desk = self.env.ref("itsm_helpdesk.demo_team_desk")
        self.assertEqual(desk.alias_id.display_name, "servicedesk@itsm.example.com")
        message = (
            "From: Someone <someone@example.org>\r\n"
            "To: servicedesk@itsm.example.com\r\n"
            "Subject: The projector is dead\r\n"
            "Message-Id: <demo-alias-1@example.org>\r\n"
            "Content-Type: text/plain\r\n\r\nNo image at all.\r\n"
        )
        ticket_id = self.env["mail.thread"].message_process(None, message)
        ticket = self.env["itsm.ticket"].browse(ticket_id)
        self.assertEqual(
            (ticket._name, ticket.name, ticket.team_id), ("itsm.ticket", "The projector is dead", desk)
        )
