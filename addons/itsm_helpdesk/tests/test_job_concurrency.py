from odoo.tests import tagged

from .concurrency import TwoNodesCase, committed_env


@tagged("post_install", "-at_install")
class TestDeskJobsOnTwoNodes(TwoNodesCase):
    """The desk's jobs run by two nodes at the same moment: each effect once, both runs succeed."""

    def test_each_ticket_acknowledged_once(self):
        def build(env):
            partner = env["res.partner"].create(
                {"name": "Twin Nodes Ltd", "email": "desk@twin-nodes.example.com"}
            )
            tickets = env["itsm.ticket"].create(
                [{"name": f"Two nodes {i}", "partner_id": partner.id} for i in range(20)]
            )
            # tickets created earlier are not this test's concern
            env["itsm.ticket"].search([("is_ack_pending", "=", True), ("id", "not in", tickets.ids)]).write(
                {"is_ack_pending": False}
            )
            self.assertTrue(tickets[0].stage_id.template_id, "the first stage acknowledges new tickets")
            return {"partner": partner.id, "tickets": tickets.ids}

        def cleanup(env, ids):
            env["itsm.ticket"].browse(ids["tickets"]).unlink()
            env["res.partner"].browse(ids["partner"]).unlink()

        ids = self._commit(build, cleanup)
        results = self._run_twice(lambda env: env["itsm.ticket"]._cron_send_acknowledgements())
        self.assertEqual(sum(results), 20, "each ticket acknowledged by exactly one run")
        with committed_env(self.env.cr.dbname) as env:
            tickets = env["itsm.ticket"].browse(ids["tickets"])
            self.assertFalse(any(tickets.mapped("is_ack_pending")))
            mails = env["mail.mail"].search([("model", "=", "itsm.ticket"), ("res_id", "in", tickets.ids)])
            self.assertEqual(sorted(mails.mapped("res_id")), sorted(tickets.ids), "one e-mail per ticket")
