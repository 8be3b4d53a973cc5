from odoo import api, fields, models
from odoo.exceptions import UserError


class ItsmTicketEscalate(models.TransientModel):
    """Transfer tickets to a team of another support line, with a reason."""

    _name = "itsm.ticket.escalate"
    _description = "Escalate or De-escalate Tickets"

    ticket_ids = fields.Many2many(
        "itsm.ticket", default=lambda self: self.env.context.get("active_ids"), required=True
    )
    direction = fields.Selection(
        [("up", "Escalate to a higher line"), ("down", "Hand back to a lower line")],
        required=True,
        default="up",
    )
    current_line = fields.Selection(related="ticket_ids.support_line", string="Current Line")
    team_id = fields.Many2one(
        "itsm.team",
        "To Team",
        required=True,
        domain="[('id', 'in', allowed_team_ids)]",
    )
    allowed_team_ids = fields.Many2many("itsm.team", compute="_compute_allowed_team_ids")
    reason = fields.Text(required=True)

    @api.depends("direction", "ticket_ids")
    def _compute_allowed_team_ids(self):
        for wizard in self:
            line = max(wizard.ticket_ids.mapped("support_line") or ["1"])
            operator = ">" if wizard.direction == "up" else "<"
            if wizard.direction == "down":
                line = min(wizard.ticket_ids.mapped("support_line") or ["1"])
            wizard.allowed_team_ids = self.env["itsm.team"].search(
                [
                    ("support_line", operator, line),
                    ("company_id", "in", wizard.ticket_ids.company_id.ids),
                ]
            )

    def action_confirm(self):
        self.ensure_one()
        if self.team_id not in self.allowed_team_ids:
            raise UserError(
                self.env._("Team %s is not on a line this transfer can reach.", self.team_id.display_name)
            )
        reason = (self.reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason of the transfer."))
        tickets = self.ticket_ids.with_context(itsm_transfer_reason=reason)
        tickets.write({"team_id": self.team_id.id})
        tickets.message_subscribe(partner_ids=self.env.user.partner_id.ids)
        return {"type": "ir.actions.act_window_close"}
