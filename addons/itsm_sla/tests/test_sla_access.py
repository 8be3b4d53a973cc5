from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from odoo.addons.itsm_sla.models.batch_write import write_rows
from odoo.addons.itsm_sla.models.prefetch import prefetch_one2many

from .common import MONDAY_0900, SlaCommon


@tagged("post_install", "-at_install")
class TestSlaClockRights(SlaCommon):
    """Agents only read clocks: they move them through the ticket (the system's path), never
    by writing a clock, and no path bypasses the rights on the clocks."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contract.target_ids = [Command.create({"metric": "update", "target_hours": 1.0})]
        with freeze_time(MONDAY_0900):
            cls.ticket = cls._ticket(user_id=cls.agent_1.id, priority="2")

    def test_agent_cannot_write_a_clock(self):
        line = self._line(self.ticket, "update").with_user(self.agent_1)
        self.assertEqual(line.status, "running", "agents read the clocks of their tickets")
        with self.assertRaises(AccessError):
            line.write({"worked_hours": 0.0, "running_since": datetime(2025, 1, 6, 11, 0)})
        with self.assertRaises(AccessError):
            line._write_changes({line: {"running_since": datetime(2025, 1, 6, 11, 0)}})

    def test_agent_reply_moves_the_update_clock_through_the_system(self):
        line = self._line(self.ticket, "update")
        ticket = self.ticket.with_user(self.agent_1)
        with freeze_time("2025-01-06 09:45:00"):
            ticket.message_post(body="Working on it", message_type="comment", subtype_xmlid="mail.mt_comment")
        self.env.invalidate_all()
        self.assertEqual(line.cycle, 1, "the public reply starts a new update cycle")
        self.assertEqual(line.running_since, datetime(2025, 1, 6, 9, 45))
        self.assertEqual(line.deadline, datetime(2025, 1, 6, 10, 45))

    def test_agent_stage_change_moves_clocks(self):
        ticket = self.ticket.with_user(self.agent_1)
        with freeze_time("2025-01-06 10:00:00"):
            ticket.stage_id = self.stage_waiting
        self.env.invalidate_all()
        self.assertEqual(set(self.ticket.sla_line_ids.mapped("status")), {"paused"})
        self.assertEqual(self._line(self.ticket, "resolution").worked_hours, 1.0)

    def test_portal_user_cannot_read_clocks_through_the_prefetch(self):
        tickets = self.ticket.with_user(self.portal_a)
        with self.assertRaises(AccessError):
            prefetch_one2many(tickets, "sla_line_ids", ["status"])


@tagged("post_install", "-at_install")
class TestSlaPrefetch(SlaCommon):
    """The one helper that fills the record cache (``prefetch_one2many``) leaves it as the database is."""

    def test_cache_equals_database_after_prefetch(self):
        with freeze_time(MONDAY_0900):
            tickets = self._ticket(priority="2") | self._ticket(priority="3") | self._ticket(priority="2")
        with freeze_time("2025-01-06 10:00:00"):
            tickets[1].stage_id = self.stage_waiting
        Line = self.env["itsm.ticket.sla"]
        fnames = Line._sla_fields()
        self.env.flush_all()
        self.env.invalidate_all()
        prefetch_one2many(tickets, "sla_line_ids", fnames)
        with self.assertQueryCount(0):
            cached = {
                ticket.id: [[line[fname] for fname in fnames] for line in ticket.sla_line_ids]
                for ticket in tickets
            }
        self.env.invalidate_all()
        database = {
            ticket.id: [
                [line[fname] for fname in fnames]
                for line in Line.search([("ticket_id", "=", ticket.id)], order="metric, id")
            ]
            for ticket in tickets
        }
        self.assertEqual(
            {tid: sorted(rows, key=repr) for tid, rows in cached.items()},
            {tid: sorted(rows, key=repr) for tid, rows in database.items()},
        )
        self.assertEqual(len(database[tickets[0].id]), 2)

    def test_prefetch_keeps_what_the_cache_holds(self):
        with freeze_time(MONDAY_0900):
            ticket = self._ticket(priority="2")
        lines = ticket.sla_line_ids
        self.env.cr.execute("DELETE FROM itsm_ticket_sla WHERE id = %s", [lines[0].id])
        prefetch_one2many(ticket, "sla_line_ids", ["status"])
        self.assertEqual(ticket.sla_line_ids, lines, "nothing in the cache is overwritten")
        self.env.invalidate_all()
        prefetch_one2many(ticket, "sla_line_ids", ["status"])
        self.assertEqual(ticket.sla_line_ids, lines[1:], "once invalidated, what the database holds")


@tagged("post_install", "-at_install")
class TestSlaWriteRows(SlaCommon):
    """The batch write of the clocks (``write_rows``): what the cache holds is what the database
    gets, the tickets follow, and the rights are those of ``write``."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time(MONDAY_0900):
            cls.tickets = cls._ticket(priority="2") | cls._ticket(priority="3") | cls._ticket(priority="2")

    def test_cache_equals_database_after_write_rows(self):
        lines = self.tickets.sla_line_ids.sudo()
        values = [
            {"deadline": datetime(2025, 1, 7, 9, i), "next_threshold_at": datetime(2025, 1, 7, 8, i)}
            for i in range(len(lines))
        ]
        values[0]["status"] = "breached"
        values[1]["deadline"] = values[2]["deadline"]  # same value, set together
        write_rows(lines, values)
        fnames = ["deadline", "next_threshold_at", "status"]
        cached = [[line[fname] for fname in fnames] for line in lines]
        self.assertEqual(cached[0][2], "breached")
        self.assertEqual(cached[1][0], datetime(2025, 1, 7, 9, 2))
        self.env.flush_all()
        self.env.invalidate_all()
        self.assertEqual([[line[fname] for fname in fnames] for line in lines], cached)

    def test_tickets_follow_the_lines_written(self):
        line = self._line(self.tickets[0], "resolution").sudo()
        write_rows(line, [{"deadline": datetime(2025, 1, 6, 9, 30)}])
        self.assertEqual(self.tickets[0].sla_deadline, datetime(2025, 1, 6, 9, 30), "the nearest deadline")
        write_rows(line, [{"status": "breached"}])
        self.assertEqual(self.tickets[0].sla_status, "breached")
        self.env.flush_all()
        self.env.invalidate_all()
        self.assertEqual(self.tickets[0].sla_status, "breached")

    def test_agent_cannot_write_clocks_through_write_rows(self):
        lines = self.tickets.sla_line_ids.with_user(self.agent_1)
        with self.assertRaises(AccessError):
            write_rows(lines, [{"worked_hours": 0.0}] * len(lines))

    def test_only_plain_stored_fields(self):
        line = self.tickets[0].sla_line_ids[:1].sudo()
        with self.assertRaises(ValueError):
            write_rows(line, [{"hours_left": 1.0}])
        with self.assertRaises(ValueError):
            write_rows(line, [{"event_ids": []}])
