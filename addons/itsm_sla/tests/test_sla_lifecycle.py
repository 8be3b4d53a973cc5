from unittest.mock import patch

from odoo.tests import freeze_time, tagged

from .common import MONDAY_0900, SlaCommon


@tagged("post_install", "-at_install")
class TestSlaLifecycle(SlaCommon):
    """The clocks follow the ticket's lifecycle steps: one sync per create or write of a batch."""

    def _syncs(self):
        Ticket = type(self.env["itsm.ticket"])
        original = Ticket._sla_sync
        calls = []

        def recorder(records, now, new=False, was_closed=()):
            calls.append((set(records.ids), new, set(was_closed)))
            return original(records, now, new=new, was_closed=was_closed)

        return calls, patch.object(Ticket, "_sla_sync", recorder)

    def test_one_sync_per_batch(self):
        calls, patcher = self._syncs()
        with freeze_time(MONDAY_0900), patcher:
            tickets = self.env["itsm.ticket"].create(
                [
                    {
                        "name": f"Disk full {i}",
                        "partner_id": self.portal_a.partner_id.id,
                        "team_id": self.team_desk.id,
                        "priority": "2",
                    }
                    for i in range(3)
                ]
            )
            self.assertEqual(calls, [(set(tickets.ids), True, set())], "the new tickets, once")
            calls.clear()
            tickets.write({"stage_id": self.stage_solved.id, "impact": "2"})
            self.assertEqual(calls, [(set(tickets.ids), False, set())], "a closing write, once")
            calls.clear()
            tickets.write({"stage_id": self.stage_progress.id})
        self.assertEqual(calls, [(set(tickets.ids), False, set(tickets.ids))], "the reopening, once")
        lines = tickets.sudo().sla_line_ids.filtered(lambda ln: ln.metric == "resolution")
        self.assertEqual(len(lines), 3)
        self.assertEqual(set(lines.mapped("reopen_count")), {1})

    def test_move_between_equivalent_stages_reads_no_clock(self):
        ticket = self._ticket()
        calls, patcher = self._syncs()
        with patcher:
            ticket.stage_id = self.stage_progress
            self.assertEqual(calls, [], "two open working stages mean the same to the clocks")
            ticket.stage_id = self.stage_waiting
        self.assertEqual(calls, [({ticket.id}, False, set())], "a waiting stage pauses them")
        self.assertEqual(set(ticket.sudo().sla_line_ids.mapped("status")), {"paused"})
