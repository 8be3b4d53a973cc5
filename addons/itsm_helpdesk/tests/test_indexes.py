import json

from odoo.tests import tagged
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
