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
