from odoo import fields, models

from .itsm_team import SUPPORT_LINES


class ItsmTicketEscalation(models.Model):
    """Audit record of one transfer of a ticket between support lines.

    Written by the ticket when its line changes; never edited afterwards.
    """

    _name = "itsm.ticket.escalation"
    _description = "Ticket Escalation"
    _order = "create_date desc, id desc"
    _rec_name = "ticket_id"

    ticket_id = fields.Many2one("itsm.ticket", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="ticket_id.company_id", store=True)
    direction = fields.Selection(
        [("up", "Escalation"), ("down", "De-escalation")], required=True, readonly=True
    )
    from_team_id = fields.Many2one("itsm.team", readonly=True)
    to_team_id = fields.Many2one("itsm.team", readonly=True)
    from_line = fields.Selection(SUPPORT_LINES, readonly=True)
    to_line = fields.Selection(SUPPORT_LINES, readonly=True)
    reason = fields.Text(required=True, readonly=True)
    user_id = fields.Many2one("res.users", "By", required=True, readonly=True)
    create_date = fields.Datetime("When", readonly=True)
