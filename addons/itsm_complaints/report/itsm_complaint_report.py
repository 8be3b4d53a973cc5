from odoo import fields, models
from odoo.tools import SQL

from odoo.addons.itsm_helpdesk.tools.periods import local_time_sql

from ..models.itsm_complaint import CHANNELS, FEEDBACKS, KINDS, SEVERITIES
from ..models.itsm_complaint_step import COMPLAINT_STATES, DONE_STATES


class ItsmComplaintReport(models.Model):
    """Complaints counted, without what identifies anyone: one row per complaint, with no
    complainant, agent, subject or text.

    Desk managers answer for the complaints about their desk without holding a complaint role:
    they read these figures (dashboards, management report) but not the complaints themselves.
    The link to the complaint is for complaint process owners only.
    """

    _name = "itsm.complaint.report"
    _inherit = "itsm.sql.report"
    _description = "Complaint Figures"
    _auto = False
    _order = "received_at desc"
    _rec_name = "received_at"

    complaint_id = fields.Many2one(
        "itsm.complaint", readonly=True, groups="itsm_complaints.group_complaint_process_owner"
    )
    company_id = fields.Many2one("res.company", readonly=True)
    kind = fields.Selection(KINDS, readonly=True)
    channel = fields.Selection(CHANNELS, readonly=True)
    category_id = fields.Many2one("itsm.complaint.category", readonly=True)
    severity = fields.Selection(SEVERITIES, readonly=True)
    service_id = fields.Many2one("itsm.service", readonly=True)
    team_id = fields.Many2one("itsm.team", readonly=True)
    state = fields.Selection(COMPLAINT_STATES, readonly=True)
    is_open = fields.Boolean("Open", readonly=True)
    is_overdue = fields.Boolean("Overdue", readonly=True, help="Open and past the due time of its step.")
    received_at = fields.Datetime(readonly=True)
    # the month of the company's time zone, whoever reads the report
    received_month = fields.Date("Month Received", readonly=True)
    closed_at = fields.Datetime(readonly=True)
    feedback = fields.Selection(FEEDBACKS, readonly=True)
    escalation_level = fields.Integer("Escalations", readonly=True, aggregator="max")
    complaint_count = fields.Integer("Complaints", readonly=True)
    response_days = fields.Float("Days to Response", readonly=True, aggregator="avg", digits=(16, 1))
    closing_days = fields.Float("Days to Closing", readonly=True, aggregator="avg", digits=(16, 1))
    satisfied_pct = fields.Float(
        "Complainants Satisfied (%)",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="Of the complainants who answered the feedback request.",
    )

    def _select(self):
        return SQL(
            """
            c.id, c.id AS complaint_id, c.company_id, c.kind, c.channel, c.category_id, c.severity,
            c.service_id, c.team_id, c.state,
            c.state NOT IN %(done)s AS is_open,
            c.state NOT IN %(done)s AND c.step_deadline < (NOW() AT TIME ZONE 'UTC') AS is_overdue,
            c.received_at, date_trunc('month', %(received_local)s)::date AS received_month,
            c.closed_at, c.feedback, COALESCE(c.escalation_level, 0) AS escalation_level,
            1 AS complaint_count,
            EXTRACT(EPOCH FROM c.responded_at - c.received_at) / 86400 AS response_days,
            EXTRACT(EPOCH FROM c.closed_at - c.received_at) / 86400 AS closing_days,
            CASE c.feedback WHEN 'satisfied' THEN 100.0 WHEN 'not_satisfied' THEN 0.0 END AS satisfied_pct
            """,
            done=DONE_STATES,
            received_local=local_time_sql(SQL("c.received_at"), SQL("co.itsm_tz")),
        )

    def _from(self):
        return SQL("itsm_complaint c JOIN res_company co ON co.id = c.company_id")

    def action_open_complaint(self):
        """The complaint behind the figure, for those who may read it (process owners)."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "itsm.complaint",
            "res_id": self.complaint_id.id,
            "view_mode": "form",
        }
