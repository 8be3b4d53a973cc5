from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, tagged

from .common import SlaCommon


@tagged("post_install", "-at_install")
class TestSlaQueueTour(SlaCommon, HttpCase):
    def test_agent_works_the_sla_queue(self):
        # 24x7 so that the browser, which runs on the real clock, sees the same states
        self.contract.write(
            {"is_24x7": True, "threshold_ids": [Command.create({"percent": 75, "action": "notify_assignee"})]}
        )
        # the queue of this test only: tickets measured by other contracts (demo data) are archived
        self.env["itsm.ticket"].search([("sla_deadline", "!=", False)]).action_archive()
        now = fields.Datetime.now()
        tickets = {
            name: self._ticket(
                name=name, priority="2", user_id=self.agent_1.id, opened_at=now - timedelta(hours=hours)
            )
            for name, hours in (("Tour on track", 0.5), ("Tour at risk", 1.6), ("Tour breached", 5))
        }
        self.env["itsm.ticket.sla"]._cron_process_due()
        self.assertEqual(
            {name: ticket.sla_status for name, ticket in tickets.items()},
            {"Tour on track": "running", "Tour at risk": "at_risk", "Tour breached": "breached"},
        )
        self.start_tour(
            "/odoo/action-itsm_sla.itsm_ticket_action_sla_queue", "itsm_sla_queue", login="itsm_agent_1"
        )
