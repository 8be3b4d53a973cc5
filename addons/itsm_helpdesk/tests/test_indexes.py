import json

from odoo.tests import tagged, users
from odoo.tools import SQL

from .common import ItsmCommon


@tagged("post_install", "-at_install")
class TestPartialIndexes(ItsmCommon):
    """Flags that few records carry are indexed by a partial index that holds those records only."""

    def _plan(self, query):
        self.env.cr.execute("SET LOCAL enable_seqscan = off")
        try:
            self.env.cr.execute(SQL("EXPLAIN (FORMAT JSON) %s", query.select()))
            return json.dumps(self.env.cr.fetchone()[0])
        finally:
            self.env.cr.execute("SET LOCAL enable_seqscan = on")

    def test_acknowledgement_job_reads_a_partial_index(self):
        self.env.cr.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'itsm_ticket_ack_pending_index'"
        )
        indexdef = self.env.cr.fetchone()[0]
        self.assertIn(
            "WHERE is_ack_pending", indexdef, "false is stored: only a predicate keeps the index small"
        )
        self.env.cr.execute(
            "SELECT count(*) FROM pg_indexes"
            " WHERE tablename = 'itsm_ticket' AND indexdef LIKE '%(is_ack_pending)%'"
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0, "no index of every ticket on the flag")
        self._ticket(name="Pending acknowledgement")
        self.env.flush_all()
        # the job's own search
        query = self.env["itsm.ticket"]._search([("is_ack_pending", "=", True)], limit=1000, order="id")
        self.assertIn("itsm_ticket_ack_pending_index", self._plan(query))

    def test_flags_and_few_valued_columns(self):
        """A ticket's row is in no index of a column of a handful of values; the flags few tickets
        carry have indexes of those tickets only, which searches of the flag read."""
        self.env.cr.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'itsm_ticket'")
        indexes = dict(self.env.cr.fetchall())
        for fname in ("number", "kind", "priority", "support_line", "is_closed", "is_escalated"):
            self.assertNotIn(f"itsm_ticket__{fname}_index", indexes)
        self.assertNotIn("itsm_ticket__is_major_incident_index", indexes)
        self.assertIn("WHERE is_escalated", indexes["itsm_ticket_escalated_index"])
        self.assertIn("WHERE is_major_incident", indexes["itsm_ticket_major_incident_index"])
        self.assertIn("(number, company_id)", indexes["itsm_ticket_number_company_unique"])
        ticket = self._ticket(name="Flags")
        ticket.is_major_incident = True
        self.env.flush_all()
        Ticket = self.env["itsm.ticket"]
        self.assertIn(
            "itsm_ticket_major_incident_index", self._plan(Ticket._search([("is_major_incident", "=", True)]))
        )
        self.assertIn(
            "itsm_ticket_escalated_index", self._plan(Ticket._search([("is_escalated", "=", True)]))
        )
        # the mail gateway and the portal find a ticket by its number alone
        self.assertIn(
            "itsm_ticket_number_company_unique", self._plan(Ticket._search([("number", "=", ticket.number)]))
        )


@tagged("post_install", "-at_install")
class TestOpenQueue(ItsmCommon):
    """The open queue (kanban, list, team overview) reads partial indexes of the open tickets."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a stage whose sequence puts it before stages of lower id: the columns follow the sequence
        cls.stage_triage = cls.env["itsm.stage"].create({"name": "Triage", "sequence": 1})
        cls.tickets = cls.env["itsm.ticket"].create(
            [
                {
                    "name": f"Queue ticket {i}",
                    "partner_id": cls.portal_a.partner_id.id,
                    "team_id": cls.team_desk.id,
                    "stage_id": stage.id,
                    "color": 3,
                }
                for i, stage in enumerate(
                    (
                        cls.stage_triage,
                        cls.stage_new,
                        cls.stage_progress,
                        cls.stage_progress,
                        cls.stage_waiting,
                    )
                )
            ]
        )

    def _plan(self, sql):
        """The plan of ``sql`` among those that neither read the whole table nor sort its rows:
        on the few rows of a test, PostgreSQL would rightly do either."""
        self.env.flush_all()
        settings = ("enable_seqscan", "enable_bitmapscan", "enable_sort")
        for setting in settings:
            self.env.cr.execute(f"SET LOCAL {setting} = off")
        try:
            self.env.cr.execute(SQL("EXPLAIN (FORMAT JSON) %s", sql))
            return json.dumps(self.env.cr.fetchone()[0])
        finally:
            for setting in settings:
                self.env.cr.execute(f"RESET {setting}")

    @users("itsm_agent_1")
    def test_kanban_columns_in_stage_order(self):
        Ticket = self.env["itsm.ticket"]
        domain = [("id", "in", self.tickets.ids), ("is_closed", "=", False)]
        stages = self.env["itsm.stage"].search([("team_ids", "=", False)])
        # the kanban's own call: every stage, in the stages' order (the triage stage first)
        groups = Ticket.web_read_group(domain, [], ["stage_id"], lazy=True)["groups"]
        self.assertEqual([g["stage_id"][0] for g in groups], stages.ids)
        counts = {g["stage_id"][0]: g["stage_id_count"] for g in groups}
        self.assertEqual(counts[self.stage_progress.id], 2)
        self.assertEqual(counts[self.stage_triage.id], 1)
        self.assertNotIn("color", groups[0], "no sum of colours under a column")
        bars = Ticket.read_progress_bar(
            domain, "stage_id", {"field": "priority", "colors": dict.fromkeys("12345", "info")}
        )
        self.assertEqual(sum(bars[str(self.stage_progress.id)].values()), 2)
        # the groups themselves, both ways, as Odoo orders the stages (sequence, then id)
        used = self.tickets.stage_id.sorted(lambda s: (s.sequence, s.id))
        for order, expected in (("stage_id", used), ("stage_id desc", used[::-1])):
            groups = Ticket._read_group(domain, ["stage_id"], ["__count"], order=order)
            self.assertEqual([stage for stage, _count in groups], list(expected), order)

    def test_queue_reads_the_open_tickets_indexes(self):
        Ticket = self.env["itsm.ticket"]
        open_domain = [("is_closed", "=", False)]
        # the list's first page, in the model's order
        self.assertIn(
            "itsm_ticket_open_order_index",
            self._plan(Ticket._search(open_domain, limit=80, order=Ticket._order).select()),
        )
        # a kanban column's first cards
        column = Ticket._search(
            open_domain + [("stage_id", "=", self.stage_progress.id)], limit=40, order=Ticket._order
        )
        self.assertIn("itsm_ticket_open_queue_index", self._plan(column.select()))
        # the queue counted by stage
        query = Ticket._search(open_domain)
        query.groupby = SQL("itsm_ticket.stage_id")
        plan = self._plan(query.select("itsm_ticket.stage_id", "count(*)"))
        self.assertRegex(plan, "itsm_ticket_open_(stage_company|queue)_index")

    def test_autovacuum_keeps_the_visibility_map_current(self):
        self.env.cr.execute("SELECT reloptions FROM pg_class WHERE relname = 'itsm_ticket'")
        options = dict(option.split("=") for option in self.env.cr.fetchone()[0])
        self.assertEqual(options["autovacuum_vacuum_scale_factor"], "0")
        self.assertEqual(options["autovacuum_vacuum_insert_scale_factor"], "0")
        self.assertLessEqual(int(options["autovacuum_vacuum_threshold"]), 1000)
        self.assertLessEqual(int(options["autovacuum_vacuum_insert_threshold"]), 1000)
        self.assertEqual(options["vacuum_index_cleanup"], "on", "each pass marks the pages it cleaned")
