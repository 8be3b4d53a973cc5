from contextlib import ExitStack, contextmanager
from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ItsmCommon

HOOKS = (
    "_prepare_new_ticket_values",
    "_on_created",
    "_check_closing",
    "_on_closed",
    "_on_reopened",
    "_on_team_changed",
    "_on_changed",
    "_on_public_reply",
)


@tagged("post_install", "-at_install")
class TestTicketLifecycle(ItsmCommon):
    """The order of the ticket's lifecycle steps, the one place other modules extend."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket_a = cls._ticket(name="VPN drops")
        cls.ticket_b = cls._ticket(name="Printer jams")
        cls.tickets = cls.ticket_a | cls.ticket_b

    @contextmanager
    def _recording(self):
        """Record the steps that create, write and message_post run for the call the test
        makes; the steps of the writes these steps make in turn are theirs, not recorded."""
        Ticket = type(self.env["itsm.ticket"])
        calls, depth = [], [0]

        def entry(name, original):
            def wrapper(records, *args, **kwargs):
                depth[0] += 1
                try:
                    return original(records, *args, **kwargs)
                finally:
                    depth[0] -= 1

            return wrapper

        def hook(name, original):
            def wrapper(records, *args, **kwargs):
                if depth[0] == 1:
                    calls.append((name, set(records.ids), args))
                return original(records, *args, **kwargs)

            return wrapper

        with ExitStack() as stack:
            for name in ("create", "write", "message_post"):
                stack.enter_context(patch.object(Ticket, name, entry(name, getattr(Ticket, name))))
            for name in HOOKS:
                stack.enter_context(patch.object(Ticket, name, hook(name, getattr(Ticket, name))))
            yield calls

    def _names(self, calls):
        return [name for name, _ids, _args in calls]

    def test_create_runs_each_step_once_per_batch(self):
        with self._recording() as calls:
            tickets = self.env["itsm.ticket"].create(
                [{"name": f"Screen {i}", "team_id": self.team_desk.id} for i in range(3)]
            )
        self.assertEqual(self._names(calls), ["_prepare_new_ticket_values", "_on_created"])
        self.assertEqual(len(calls[0][2][0]), 3, "the values of the whole batch, in one call")
        self.assertEqual(calls[1][1], set(tickets.ids))
        self.assertTrue(all(number.startswith("TKT") for number in tickets.mapped("number")))

    def test_close(self):
        with self._recording() as calls:
            self.tickets.write({"stage_id": self.stage_solved.id})
        self.assertEqual(self._names(calls), ["_check_closing", "_on_closed", "_on_changed"])
        self.assertTrue(all(ids == set(self.tickets.ids) for _name, ids, _args in calls))
        vals, old_stages = calls[-1][2]
        self.assertEqual(vals["stage_id"], self.stage_solved.id)
        self.assertEqual(old_stages, dict.fromkeys(self.tickets.ids, self.stage_new))
        self.assertTrue(all(self.tickets.mapped("closed_at")))

    def test_reopen(self):
        self.tickets.write({"stage_id": self.stage_solved.id})
        with self._recording() as calls:
            self.tickets.write({"stage_id": self.stage_progress.id})
        self.assertEqual(self._names(calls), ["_on_reopened", "_on_changed"])
        self.assertEqual(calls[0][1], set(self.tickets.ids))
        self.assertEqual(self.tickets.mapped("reopen_count"), [1, 1])
        self.assertFalse(any(self.tickets.mapped("closed_at")))

    def test_team_change(self):
        with self._recording() as calls:
            self.tickets.write({"team_id": self.team_field.id})
        self.assertEqual(self._names(calls), ["_on_team_changed", "_on_changed"])
        self.assertEqual(calls[0][2], (dict.fromkeys(self.tickets.ids, self.team_desk),))
        self.assertIsNone(calls[1][2][1], "no stage written")
        self.assertEqual(self.tickets.mapped("escalation_count"), [1, 1])

    def test_one_write_closing_one_ticket_and_moving_both(self):
        """Closing, then the team, then every change: each step once, with its own tickets."""
        self.ticket_b.stage_id = self.stage_solved
        with self._recording() as calls:
            self.tickets.write({"stage_id": self.stage_solved.id, "team_id": self.team_field.id})
        self.assertEqual(
            [(name, ids) for name, ids, _args in calls],
            [
                ("_check_closing", {self.ticket_a.id}),
                ("_on_closed", {self.ticket_a.id}),
                ("_on_team_changed", set(self.tickets.ids)),
                ("_on_changed", set(self.tickets.ids)),
            ],
        )
        with self._recording() as calls:
            self.tickets.write({"stage_id": self.stage_progress.id, "team_id": self.team_desk.id})
        self.assertEqual(
            self._names(calls), ["_on_reopened", "_on_team_changed", "_on_changed"], "both reopen"
        )

    def test_public_reply(self):
        ticket = self.ticket_a
        with self._recording() as calls:
            ticket.with_user(self.agent_1).message_post(
                body="Checking the logs", message_type="comment", subtype_xmlid="mail.mt_note"
            )
            ticket.with_user(self.portal_a).sudo().message_post(
                body="Any news?",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                author_id=self.portal_a.partner_id.id,
            )
        self.assertEqual(calls, [], "neither an internal note nor the requester's message is a reply")
        with self._recording() as calls:
            message = ticket.with_user(self.agent_1).message_post(
                body="We are on it", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        self.assertEqual(calls, [("_on_public_reply", {ticket.id}, (message,))])
        self.assertEqual(ticket.first_response_at, message.date)

    def test_refused_closing_writes_nothing(self):
        """A step that refuses (a major incident without its review) stops the write before it."""
        self.ticket_a.write({"impact": "1", "urgency": "1", "affected_user_count": 500})
        self.ticket_a.is_major_incident = True
        with self.assertRaises(UserError), self._recording() as calls:
            self.tickets.write({"stage_id": self.stage_solved.id})
        self.assertEqual(self._names(calls), ["_check_closing"])
        self.assertEqual(self.tickets.stage_id, self.stage_new)
