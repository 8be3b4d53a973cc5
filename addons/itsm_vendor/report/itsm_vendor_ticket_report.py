from odoo import fields, models
from odoo.tools import SQL

from ..models.itsm_vendor_ticket import VENDOR_OUTCOMES, VENDOR_TICKET_STATES


class ItsmVendorTicketReport(models.Model):
    """Vendor performance: one line per vendor ticket, aggregated in the database.

    A vendor ticket not yet answered (or resolved) has no response (or resolution)
    time here rather than zero hours, so that it does not lower the vendor's averages.
    """

    _name = "itsm.vendor.ticket.report"
    _inherit = "itsm.sql.report"
    _description = "Vendor Performance Analysis"
    _auto = False
    _order = "sent_at desc"
    _rec_name = "vendor_ticket_id"

    vendor_ticket_id = fields.Many2one("itsm.vendor.ticket", readonly=True)
    ticket_id = fields.Many2one("itsm.ticket", readonly=True)
    vendor_id = fields.Many2one("res.partner", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    service_id = fields.Many2one("itsm.service", readonly=True)
    team_id = fields.Many2one("itsm.team", readonly=True)
    user_id = fields.Many2one("res.users", "Escalated By", readonly=True)
    state = fields.Selection(VENDOR_TICKET_STATES, "Status", readonly=True)
    outcome = fields.Selection(VENDOR_OUTCOMES, readonly=True)
    sent_at = fields.Datetime(readonly=True)
    response_hours = fields.Float("Response Time (h)", readonly=True, aggregator="avg")
    resolution_hours = fields.Float("Resolution Time (h)", readonly=True, aggregator="avg")
    answered_count = fields.Integer("Answered", readonly=True)
    resolved_count = fields.Integer("Resolved", readonly=True)

    def _select(self):
        return SQL(
            """
            vt.id AS id, vt.id AS vendor_ticket_id, vt.ticket_id, vt.vendor_id, vt.company_id,
            t.service_id, t.team_id, vt.user_id, vt.state, vt.outcome, vt.sent_at,
            CASE WHEN vt.answered_at IS NOT NULL THEN vt.response_hours END AS response_hours,
            CASE WHEN vt.resolved_at IS NOT NULL THEN vt.resolution_hours END AS resolution_hours,
            (vt.answered_at IS NOT NULL)::int AS answered_count,
            (vt.resolved_at IS NOT NULL)::int AS resolved_count
            """
        )

    def _from(self):
        return SQL("itsm_vendor_ticket vt JOIN itsm_ticket t ON t.id = vt.ticket_id")
