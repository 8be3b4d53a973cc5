from odoo import api, fields, models
from odoo.models import parse_read_group_spec
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


P90 = "p90"  # the aggregator of the 90th-percentile fields, see ``_read_group_select``


def p90_sql(expr):
    """The 90th percentile of ``expr`` over a group's rows, NULLs left out, interpolated between
    the two nearest rows (as a spreadsheet's PERCENTILE.INC)."""
    return SQL("percentile_cont(0.9) WITHIN GROUP (ORDER BY %s)", expr)


def met_pct_sql(met, breached):
    """Met %: the clocks met among those met or breached (a running clock past its target is
    breached already; a running clock within it is not decided yet)."""
    return SQL("ROUND(100.0 * SUM(%s) / NULLIF(SUM(%s) + SUM(%s), 0), 2)", met, met, breached)


class ItsmSlaReport(models.Model):
    """SLA compliance, one row per clock (a target on a ticket), aggregated by the database.

    The SQL is built like ``project.report`` (``itsm.sql.report``): ``_select``, ``_from``,
    ``_where`` and ``_group_by`` are the steps another module extends. The figures are defined once, here:
    met % (``met_rate``, averaged; ``met_pct_sql``), and averages and 90th percentiles of the
    working hours of the stopped clocks (``*_hours`` fields, NULL on running clocks). The
    90th-percentile fields carry the aggregator ``p90``: whatever the grouping (pivot, list,
    ``_read_group``), a group shows the true 90th percentile of its own clocks, computed by
    PostgreSQL in the same grouped query as the other figures.
    """

    _name = "itsm.sla.report"
    _inherit = "itsm.sql.report"
    _description = "SLA Compliance Analysis"
    _auto = False
    _order = "opened_at desc"
    _rec_name = "ticket_id"

    ticket_id = fields.Many2one("itsm.ticket", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    contract_id = fields.Many2one("itsm.sla.contract", readonly=True)
    target_id = fields.Many2one("itsm.sla.target", readonly=True)
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
    stopped_hours = fields.Float(
        "Average (h)", readonly=True, aggregator="avg", help="Working hours of the stopped clocks."
    )
    p90_hours = fields.Float(
        "90th Percentile (h)", readonly=True, aggregator=P90, help="Working hours of the stopped clocks."
    )
    response_hours = fields.Float("Response Average (h)", readonly=True, aggregator="avg")
    response_p90_hours = fields.Float("Response 90th Percentile (h)", readonly=True, aggregator=P90)
    resolution_hours = fields.Float("Resolution Average (h)", readonly=True, aggregator="avg")
    resolution_p90_hours = fields.Float("Resolution 90th Percentile (h)", readonly=True, aggregator=P90)
    is_resolved_by_line1 = fields.Boolean("Resolved by Line 1", readonly=True)
    line1_count = fields.Integer("Resolved by Line 1 (count)", readonly=True)

    def _select(self):
        stopped = SQL("l.stopped_at IS NOT NULL")
        return SQL(
            """
                    l.id AS id,
                    l.ticket_id,
                    l.company_id,
                    l.contract_id,
                    l.target_id,
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
                    date_trunc('month', %(local)s)::date AS opened_month,
                    l.is_trial,
                    %(stopped)s AS is_stopped,
                    CASE WHEN l.status = 'met' THEN 1 ELSE 0 END AS met_count,
                    CASE WHEN l.status = 'breached' THEN 1 ELSE 0 END AS breached_count,
                    CASE WHEN l.status = 'met' THEN 100.0
                         WHEN l.status = 'breached' THEN 0.0 END AS met_rate,
                    l.worked_hours,
                    l.target_hours,
                    CASE WHEN %(stopped)s THEN l.worked_hours END AS stopped_hours,
                    CASE WHEN %(stopped)s THEN l.worked_hours END AS p90_hours,
                    CASE WHEN %(stopped)s AND l.metric = 'response' THEN l.worked_hours END AS response_hours,
                    CASE WHEN %(stopped)s AND l.metric = 'response' THEN l.worked_hours END
                        AS response_p90_hours,
                    CASE WHEN %(stopped)s AND l.metric = 'resolution' THEN l.worked_hours END
                        AS resolution_hours,
                    CASE WHEN %(stopped)s AND l.metric = 'resolution' THEN l.worked_hours END
                        AS resolution_p90_hours,
                    COALESCE(t.is_resolved_by_line1, FALSE) AS is_resolved_by_line1,
                    CASE WHEN t.is_resolved_by_line1 THEN 1 ELSE 0 END AS line1_count
            """,
            local=local_time_sql(SQL("t.opened_at"), SQL("co.itsm_tz")),
            stopped=stopped,
        )

    def _from(self):
        return SQL(
            """
                    itsm_ticket_sla l
                    JOIN itsm_ticket t ON t.id = l.ticket_id
                    JOIN itsm_sla_contract c ON c.id = l.contract_id
                    JOIN res_company co ON co.id = t.company_id
            """
        )

    def _read_group_select(self, aggregate_spec, query):
        """``<field>:p90``: the 90th percentile of the group's rows (Odoo's aggregators have none)."""
        if aggregate_spec != "__count":
            fname, property_name, func = parse_read_group_spec(aggregate_spec)
            if func == P90 and not property_name:
                if fname not in self._fields:
                    raise ValueError(f"Invalid field {fname!r} on model {self._name!r}")
                return p90_sql(self._field_to_sql(self._table, fname, query))
        return super()._read_group_select(aggregate_spec, query)

    @api.model
    def _compliance(self, domain, groupby):
        """Compliance figures per group, computed in one SQL query.

        Each row: the group values, ``count``, ``met``, ``breached``, ``met_pct`` (of the lines
        met or breached), ``avg_hours`` and ``p90_hours`` (working hours of the stopped lines),
        ``target_hours`` (the largest target of the group), ``line1_pct`` (resolution lines
        resolved by line 1) and ``trial`` (lines measured in trial).
        """
        query = self._search(domain)
        table = self._table

        def column(fname):
            return SQL.identifier(table, fname)

        groups = [self._field_to_sql(table, fname, query) for fname in groupby]
        stopped = column("is_stopped")
        select = query.select(
            *(
                SQL("%s AS %s", group, SQL.identifier(fname))
                for group, fname in zip(groups, groupby, strict=True)
            ),
            SQL("COUNT(*) AS count"),
            SQL("SUM(%s) AS met", column("met_count")),
            SQL("SUM(%s) AS breached", column("breached_count")),
            SQL("%s AS met_pct", met_pct_sql(column("met_count"), column("breached_count"))),
            SQL("AVG(%s) AS avg_hours", column("stopped_hours")),
            SQL("%s AS p90_hours", p90_sql(column("p90_hours"))),
            SQL("MAX(%s) AS target_hours", column("target_hours")),
            SQL(
                "ROUND(100.0 * SUM(%s) FILTER (WHERE %s = 'resolution' AND %s)"
                " / NULLIF(COUNT(*) FILTER (WHERE %s = 'resolution' AND %s), 0), 2) AS line1_pct",
                column("line1_count"),
                column("metric"),
                stopped,
                column("metric"),
                stopped,
            ),
            SQL("SUM(CASE WHEN %s THEN 1 ELSE 0 END) AS trial", column("is_trial")),
        )
        if groups:
            group_sql = SQL(", ").join(groups)
            select = SQL("%s GROUP BY %s ORDER BY %s", select, group_sql, group_sql)
        return self.env.execute_query_dict(select)

    def action_open_tickets(self):
        """The tickets behind the selected clocks, in the tickets' own list and form."""
        action = self.env["ir.actions.act_window"]._for_xml_id("itsm_helpdesk.itsm_ticket_action")
        action.update(
            {
                "name": self.env._("Tickets"),
                "domain": [("id", "in", self.ticket_id.ids)],
                "context": {"create": False},
                "view_mode": "list,form",
                "views": [(False, "list"), (False, "form")],
            }
        )
        return action


class ItsmSlaDemandReport(models.Model):
    """Tickets reported per weekday and hour, in the company's time zone (``res.company.itsm_tz``)."""

    _name = "itsm.sla.demand.report"
    _inherit = "itsm.sql.report"
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

    def _select(self):
        return SQL(
            """
            t.id AS id, t.id AS ticket_id, t.company_id, t.commercial_partner_id AS partner_id,
            t.service_id, t.team_id, t.kind, t.opened_at,
            EXTRACT(ISODOW FROM local.at)::varchar AS weekday,
            EXTRACT(HOUR FROM local.at)::int AS hour,
            1 AS ticket_count
            """
        )

    def _from(self):
        return SQL(
            """
            itsm_ticket t
            JOIN res_company co ON co.id = t.company_id
            CROSS JOIN LATERAL (SELECT %s AS at) local
            """,
            local_time_sql(SQL("t.opened_at"), SQL("co.itsm_tz")),
        )
