from odoo import models
from odoo.tools.sql import create_index


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
        return res
