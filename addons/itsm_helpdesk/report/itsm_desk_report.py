from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.itsm_priority_rule import PRIORITIES
from ..models.itsm_team import SUPPORT_LINES
from ..models.itsm_ticket import CHANNELS, TICKET_KINDS
from ..tools.periods import local_time_sql


class ItsmDeskReport(models.Model):
    """One row per ticket with the desk's measures, NULL where a measure does not apply yet
    (no response, not closed), so that averages in pivot and graph views count only the
    tickets they concern: the first-line resolution rate is over closed tickets only."""

    _name = "itsm.desk.report"
    _description = "Service Desk Analysis"
    _auto = False
    _rec_name = "ticket_id"
    _order = "opened_at desc"

    ticket_id = fields.Many2one("itsm.ticket", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    team_id = fields.Many2one("itsm.team", readonly=True)
    user_id = fields.Many2one("res.users", "Assigned to", readonly=True)
    service_id = fields.Many2one("itsm.service", readonly=True)
    category_id = fields.Many2one("itsm.ticket.category", readonly=True)
    commercial_partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    kind = fields.Selection(TICKET_KINDS, readonly=True)
    priority = fields.Selection(PRIORITIES, readonly=True)
    channel = fields.Selection(CHANNELS, readonly=True)
    support_line = fields.Selection(SUPPORT_LINES, readonly=True)
    is_closed = fields.Boolean("Closed", readonly=True)
    is_major_incident = fields.Boolean("Major Incident", readonly=True)
    opened_at = fields.Datetime("Reported At", readonly=True)
    # the month of the company's time zone, whoever reads the report
    opened_month = fields.Date("Month", readonly=True)
    closed_at = fields.Datetime(readonly=True)
    ticket_count = fields.Integer("Tickets", readonly=True)
    first_response_hours = fields.Float("Hours to First Response", readonly=True, aggregator="avg")
    assignment_hours = fields.Float("Hours to Assignment", readonly=True, aggregator="avg")
    line2_delay_hours = fields.Float("Hours to Line 2", readonly=True, aggregator="avg")
    resolution_hours = fields.Float(readonly=True, aggregator="avg")
    resolution_work_hours = fields.Float("Resolution Working Hours", readonly=True, aggregator="avg")
    line1_resolution_pct = fields.Float("First-Line Resolution (%)", readonly=True, aggregator="avg")
    advice_pct = fields.Float("Advice on Prevention (%)", readonly=True, aggregator="avg")
    reopen_count = fields.Integer("Reopened", readonly=True)
    escalation_count = fields.Integer("Line Transfers", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE VIEW %s AS (
                SELECT t.id, t.id AS ticket_id, t.company_id, t.team_id, t.user_id, t.service_id,
                       t.category_id, t.commercial_partner_id, t.kind, t.priority, t.channel,
                       t.support_line, COALESCE(t.is_closed, FALSE) AS is_closed,
                       COALESCE(t.is_major_incident, FALSE) AS is_major_incident,
                       t.opened_at, date_trunc('month', %s)::date AS opened_month,
                       t.closed_at, 1 AS ticket_count,
                       EXTRACT(EPOCH FROM t.first_response_at - t.opened_at) / 3600 AS first_response_hours,
                       EXTRACT(EPOCH FROM t.assigned_at - t.opened_at) / 3600 AS assignment_hours,
                       EXTRACT(EPOCH FROM t.first_line2_at - t.opened_at) / 3600 AS line2_delay_hours,
                       CASE WHEN t.is_closed THEN EXTRACT(EPOCH FROM t.closed_at - t.opened_at) / 3600 END
                           AS resolution_hours,
                       CASE WHEN t.is_closed THEN t.resolution_work_hours END AS resolution_work_hours,
                       CASE WHEN t.is_closed THEN CASE WHEN t.is_resolved_by_line1 THEN 100.0 ELSE 0.0 END END
                           AS line1_resolution_pct,
                       CASE WHEN t.is_closed THEN CASE WHEN t.is_advice_given THEN 100.0 ELSE 0.0 END END
                           AS advice_pct,
                       t.reopen_count, t.escalation_count
                  FROM itsm_ticket t
                  JOIN res_company co ON co.id = t.company_id
                 WHERE t.active
            )
            """,
                SQL.identifier(self._table),
                local_time_sql(SQL("t.opened_at"), SQL("co.itsm_tz")),
            )
        )

    def action_open_ticket(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "itsm.ticket",
            "res_id": self.ticket_id.id,
            "view_mode": "form",
        }
