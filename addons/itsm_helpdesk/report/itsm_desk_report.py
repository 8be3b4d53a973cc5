from odoo import fields, models
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
    _inherit = "itsm.sql.report"
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

    def _select(self):
        # the ticket's stored KPIs, defined once on itsm.ticket; NULL where they do not apply yet
        return SQL(
            """
            t.id, t.id AS ticket_id, t.company_id, t.team_id, t.user_id, t.service_id,
            t.category_id, t.commercial_partner_id, t.kind, t.priority, t.channel, t.support_line,
            COALESCE(t.is_closed, FALSE) AS is_closed,
            COALESCE(t.is_major_incident, FALSE) AS is_major_incident,
            t.opened_at, date_trunc('month', %(opened_local)s)::date AS opened_month,
            t.closed_at, 1 AS ticket_count,
            CASE WHEN t.first_response_at IS NOT NULL THEN t.first_response_hours END
                AS first_response_hours,
            CASE WHEN t.assigned_at IS NOT NULL THEN t.assignment_hours END AS assignment_hours,
            CASE WHEN t.first_line2_at IS NOT NULL THEN t.line2_delay_hours END AS line2_delay_hours,
            CASE WHEN t.is_closed THEN t.resolution_hours END AS resolution_hours,
            CASE WHEN t.is_closed THEN t.resolution_work_hours END AS resolution_work_hours,
            CASE WHEN t.is_closed THEN CASE WHEN t.is_resolved_by_line1 THEN 100.0 ELSE 0.0 END END
                AS line1_resolution_pct,
            CASE WHEN t.is_closed THEN CASE WHEN t.is_advice_given THEN 100.0 ELSE 0.0 END END
                AS advice_pct,
            t.reopen_count, t.escalation_count
            """,
            opened_local=local_time_sql(SQL("t.opened_at"), SQL("co.itsm_tz")),
        )

    def _from(self):
        return SQL("itsm_ticket t JOIN res_company co ON co.id = t.company_id")

    def _where(self):
        return SQL("t.active")

    def action_open_ticket(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "itsm.ticket",
            "res_id": self.ticket_id.id,
            "view_mode": "form",
        }
