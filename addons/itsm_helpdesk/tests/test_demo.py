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

    def test_demo_history_has_real_kpis(self):
        """The year of demo tickets is played through the ORM: the stored KPIs are the code's own,
        so Desk Performance opens on plausible figures, not on zeros."""
        if not self.env["ir.module.module"].search([("name", "=", "itsm_helpdesk")]).demo:
            self.skipTest("database created without demo data")
        desk = self.env.ref("itsm_helpdesk.demo_team_desk")
        tickets = self.env["itsm.ticket"].search([("team_id.company_id", "=", desk.company_id.id)])
        closed = tickets.filtered("is_closed")
        self.assertGreaterEqual(len(closed), 50)
        mean = sum(closed.mapped("resolution_hours")) / len(closed)
        self.assertGreater(mean, 4.0)
        self.assertGreater(sum(closed.mapped("resolution_work_hours")) / len(closed), 1.0)
        self.assertTrue(all(t.resolution_hours > 0 for t in closed))
        for ticket in closed[:20]:  # stored, as the code computes it from the ticket's own dates
            hours = (ticket.closed_at - ticket.opened_at).total_seconds() / 3600
            self.assertAlmostEqual(ticket.resolution_hours, hours, places=4)
        self.assertTrue(any(t.first_response_hours > 0 for t in tickets))
        # a year of history, each month with its tickets
        now = self.env.cr.now()
        self.assertGreater((now - min(tickets.mapped("opened_at"))).days, 300)
        self.assertGreaterEqual(len({(t.opened_at.year, t.opened_at.month) for t in tickets}), 12)
        self.assertLessEqual({"1", "2", "3"}, set(tickets.mapped("support_line")))
        self.assertLessEqual({"incident", "service_request", "question"}, set(tickets.mapped("kind")))
        # the desk's report: averages above zero, first-line resolution neither none nor all
        Report = self.env["itsm.desk.report"]
        [[count, resolution, work, line1, response]] = Report._read_group(
            [("is_closed", "=", True)],
            [],
            [
                "__count",
                "resolution_hours:avg",
                "resolution_work_hours:avg",
                "line1_resolution_pct:avg",
                "first_response_hours:avg",
            ],
        )
        self.assertEqual(count, len(closed))
        self.assertGreater(resolution, 4.0)
        self.assertGreater(work, 1.0)
        self.assertGreater(response, 0.0)
        self.assertTrue(0 < line1 < 100, line1)
        by_month = Report._read_group([], ["opened_month:month"], ["__count"])
        self.assertGreaterEqual(len(by_month), 12)

    def test_demo_major_incident_reviewed_then_closed(self):
        if not self.env["ir.module.module"].search([("name", "=", "itsm_helpdesk")]).demo:
            self.skipTest("database created without demo data")
        major = self.env["itsm.ticket"].search([("is_major_incident", "=", True)], limit=1)
        self.assertTrue(major.is_closed)
        review = major.major_review_ids
        self.assertEqual(review.state, "done")
        self.assertLess(major.opened_at, review.completed_at)
        self.assertLessEqual(review.completed_at, major.closed_at)
        self.assertGreater(major.resolution_hours, 0)

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
