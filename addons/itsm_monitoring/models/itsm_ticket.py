from odoo import fields, models
from odoo.tools.sql import create_index

from .itsm_monitoring_source import SEVERITIES


class ItsmTicket(models.Model):
    _inherit = "itsm.ticket"

    alert_source_id = fields.Many2one(
        "itsm.monitoring.source",
        readonly=True,
        copy=False,
        index="btree_not_null",
        ondelete="restrict",
        help="Monitoring source whose alert opened this incident.",
        groups="base.group_user",
    )
    alert_fingerprint = fields.Char(
        readonly=True,
        copy=False,
        help="Identifies the alert: its repeats are folded into this ticket.",
        groups="base.group_user",
    )
    alert_host = fields.Char("Host", readonly=True, copy=False, groups="base.group_user")
    alert_service_name = fields.Char("Monitored Service", readonly=True, copy=False, groups="base.group_user")
    alert_severity = fields.Selection(SEVERITIES, readonly=True, copy=False, groups="base.group_user")
    alert_count = fields.Integer(
        "Alerts",
        readonly=True,
        copy=False,
        help="Alerts received for this ticket, repeats included.",
        groups="base.group_user",
    )
    last_alert_at = fields.Datetime("Last Alert", readonly=True, copy=False, groups="base.group_user")

    def init(self):
        res = super().init()
        # finds the open incident of a source's alert; the predicate repeats, word for word,
        # the SQL of the domain ('is_closed', '=', False) so that PostgreSQL can use it
        create_index(
            self.env.cr,
            "itsm_ticket_open_alert_index",
            self._table,
            ["alert_source_id", "alert_fingerprint"],
            where="alert_fingerprint IS NOT NULL AND (is_closed IS NULL OR is_closed = FALSE)",
        )
        return res
