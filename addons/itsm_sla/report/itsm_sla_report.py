from odoo import api, fields, models, tools
from odoo.tools import SQL

from odoo.addons.itsm_helpdesk.models.itsm_priority_rule import PRIORITIES
from odoo.addons.itsm_helpdesk.models.itsm_team import SUPPORT_LINES
from odoo.addons.itsm_helpdesk.models.itsm_ticket import TICKET_KINDS
from odoo.addons.itsm_helpdesk.tools.periods import local_time_sql

from ..models.itsm_contract_constants import AGREEMENT_KINDS
from ..models.itsm_sla_target import METRICS
from ..models.itsm_ticket_sla import LINE_STATUSES

WEEKDAYS = [
    ("1", "Monday"),
    ("2", "Tuesday"),
    ("3", "Wednesday"),
    ("4", "Thursday"),
    ("5", "Friday"),
    ("6", "Saturday"),
    ("7", "Sunday"),
]


class ItsmSlaReport(models.Model):
    """SLA compliance, one row per ticket and target, aggregated by the database."""

    _name = "itsm.sla.report"
    _description = "SLA Compliance Analysis"
    _auto = False
    _order = "opened_at desc"
    _rec_name = "ticket_id"

    ticket_id = fields.Many2one("itsm.ticket", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    contract_id = fields.Many2one("itsm.sla.contract", readonly=True)
    agreement_kind = fields.Selection(AGREEMENT_KINDS, "Agreement", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    service_id = fields.Many2one("itsm.service", readonly=True)
    team_id = fields.Many2one("itsm.team", readonly=True)
    support_line = fields.Selection(SUPPORT_LINES, readonly=True)
    priority = fields.Selection(PRIORITIES, readonly=True)
    kind = fields.Selection(TICKET_KINDS, "Ticket Kind", readonly=True)
    metric = fields.Selection(METRICS, readonly=True)
    status = fields.Selection(LINE_STATUSES, readonly=True)
    opened_at = fields.Datetime("Reported At", readonly=True)
    # the month of the company's time zone, whoever reads the report
    opened_month = fields.Date("Month", readonly=True)
    is_trial = fields.Boolean("Trial", readonly=True)
    is_stopped = fields.Boolean("Met or Breached", readonly=True)
    met_count = fields.Integer("Met", readonly=True)
    breached_count = fields.Integer("Breached", readonly=True)
    met_rate = fields.Float("Met %", readonly=True, aggregator="avg")
    worked_hours = fields.Float("Working Hours", readonly=True, aggregator="avg")
    target_hours = fields.Float(readonly=True, aggregator="avg")
    is_resolved_by_line1 = fields.Boolean("Resolved by Line 1", readonly=True)
    line1_count = fields.Integer("Resolved by Line 1 (count)", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW %s AS (
                    SELECT l.id AS id,
                           l.ticket_id,
                           l.company_id,
                           l.contract_id,
                           c.kind AS agreement_kind,
                           t.commercial_partner_id AS partner_id,
                           t.service_id,
                           t.team_id,
                           t.support_line,
                           t.priority,
                           t.kind,
                           l.metric,
                           l.status,
                           t.opened_at,
                           date_trunc('month', %s)::date AS opened_month,
                           l.is_trial,
                           l.stopped_at IS NOT NULL AS is_stopped,
                           CASE WHEN l.status = 'met' THEN 1 ELSE 0 END AS met_count,
                           CASE WHEN l.status = 'breached' THEN 1 ELSE 0 END AS breached_count,
                           CASE WHEN l.status = 'met' THEN 100.0
                                WHEN l.status = 'breached' THEN 0.0 END AS met_rate,
                           l.worked_hours,
                           l.target_hours,
                           COALESCE(t.is_resolved_by_line1, FALSE) AS is_resolved_by_line1,
                           CASE WHEN t.is_resolved_by_line1 THEN 1 ELSE 0 END AS line1_count
                      FROM itsm_ticket_sla l
                      JOIN itsm_ticket t ON t.id = l.ticket_id
                      JOIN itsm_sla_contract c ON c.id = l.contract_id
                      JOIN res_company co ON co.id = t.company_id
                )
                """,
                SQL.identifier(self._table),
                local_time_sql(SQL("t.opened_at"), SQL("co.itsm_tz")),
            )
        )

    @api.model
    def _compliance(self, domain, groupby):
        """Compliance figures per group, computed in one SQL query.

        Each row: the group values, ``count``, ``met``, ``breached``, ``met_pct`` (of the lines
        met or breached), ``avg_hours`` and ``p90_hours`` (working hours of the lines met or
        breached), ``line1_pct`` (resolution lines resolved by line 1) and ``trial`` (lines
        measured in trial).
        """
        query = self._search(domain)
        table = self._table
        groups = [self._field_to_sql(table, fname, query) for fname in groupby]
        stopped = SQL("%s", SQL.identifier(table, "is_stopped"))
        hours = SQL.identifier(table, "worked_hours")
        select = query.select(
            *(
                SQL("%s AS %s", group, SQL.identifier(fname))
                for group, fname in zip(groups, groupby, strict=True)
            ),
            SQL("COUNT(*) AS count"),
            SQL("SUM(%s) AS met", SQL.identifier(table, "met_count")),
            SQL("SUM(%s) AS breached", SQL.identifier(table, "breached_count")),
            SQL(
                "ROUND(100.0 * SUM(%s) / NULLIF(COUNT(*) FILTER (WHERE %s), 0), 2) AS met_pct",
                SQL.identifier(table, "met_count"),
                stopped,
            ),
            SQL("AVG(%s) FILTER (WHERE %s) AS avg_hours", hours, stopped),
            SQL(
                "percentile_cont(0.9) WITHIN GROUP (ORDER BY %s) FILTER (WHERE %s) AS p90_hours",
                hours,
                stopped,
            ),
            SQL(
                "ROUND(100.0 * SUM(%s) FILTER (WHERE %s = 'resolution' AND %s)"
                " / NULLIF(COUNT(*) FILTER (WHERE %s = 'resolution' AND %s), 0), 2) AS line1_pct",
                SQL.identifier(table, "line1_count"),
                SQL.identifier(table, "metric"),
                stopped,
                SQL.identifier(table, "metric"),
                stopped,
            ),
            SQL("SUM(CASE WHEN %s THEN 1 ELSE 0 END) AS trial", SQL.identifier(table, "is_trial")),
        )
        if groups:
            group_sql = SQL(", ").join(groups)
            select = SQL("%s GROUP BY %s ORDER BY %s", select, group_sql, group_sql)
        return self.env.execute_query_dict(select)


class ItsmSlaDemandReport(models.Model):
    """Tickets reported per weekday and hour, in the company's time zone (``res.company.itsm_tz``)."""

    _name = "itsm.sla.demand.report"
    _description = "Demand Peaks"
    _auto = False
    _rec_name = "ticket_id"

    ticket_id = fields.Many2one("itsm.ticket", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    service_id = fields.Many2one("itsm.service", readonly=True)
    team_id = fields.Many2one("itsm.team", readonly=True)
    kind = fields.Selection(TICKET_KINDS, "Ticket Kind", readonly=True)
    opened_at = fields.Datetime("Reported At", readonly=True)
    weekday = fields.Selection(WEEKDAYS, readonly=True)
    hour = fields.Integer("Hour of Day", readonly=True, aggregator=None)
    ticket_count = fields.Integer("Tickets", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE VIEW %s AS (
                    SELECT t.id AS id,
                           t.id AS ticket_id,
                           t.company_id,
                           t.commercial_partner_id AS partner_id,
                           t.service_id,
                           t.team_id,
                           t.kind,
                           t.opened_at,
                           EXTRACT(ISODOW FROM local.at)::varchar AS weekday,
                           EXTRACT(HOUR FROM local.at)::int AS hour,
                           1 AS ticket_count
                      FROM itsm_ticket t
                      JOIN res_company co ON co.id = t.company_id
                      CROSS JOIN LATERAL (SELECT %s AS at) local
                )
                """,
                SQL.identifier(self._table),
                local_time_sql(SQL("t.opened_at"), SQL("co.itsm_tz")),
            )
        )
