from odoo import models
from odoo.tools.sql import create_index, drop_index


class ItsmTicket(models.Model):
    _inherit = "itsm.ticket"

    def init(self):
        res = super().init()
        # the open queue grouped by stage (kanban, dashboards): an index-only scan of the open
        # tickets; the predicate repeats, word for word, the SQL of the domain
        # [('active', '=', True), ('is_closed', '=', False)] so that PostgreSQL can use it
        create_index(
            self.env.cr,
            "itsm_ticket_open_stage_index",
            self._table,
            ["stage_id"],
            where="active = true AND (is_closed IS NULL OR is_closed = FALSE)",
        )
        # the tickets whose acknowledgement is still to send, in the order the job reads them: a
        # handful among all tickets. The ORM stores False, not NULL, so the btree_not_null index
        # the field once declared held every ticket; this one holds the pending ones only
        drop_index(self.env.cr, "itsm_ticket__is_ack_pending_index", self._table)
        create_index(
            self.env.cr, "itsm_ticket_ack_pending_index", self._table, ["id"], where="is_ack_pending"
        )
        return res
