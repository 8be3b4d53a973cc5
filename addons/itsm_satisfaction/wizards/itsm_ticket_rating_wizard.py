from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.itsm_callback import SCORES


class ItsmTicketRatingWizard(models.TransientModel):
    """The agent records the requester's rating at the end of a visit or a call."""

    _name = "itsm.ticket.rating.wizard"
    _description = "On-site Rating"

    ticket_id = fields.Many2one("itsm.ticket", required=True, readonly=True)
    partner_id = fields.Many2one(related="ticket_id.partner_id", string="Requester")
    rating = fields.Selection(SCORES, required=True)
    feedback = fields.Text("Comment")

    @api.constrains("ticket_id")
    def _check_partner(self):
        for wizard in self:
            if not wizard.ticket_id.partner_id:
                raise UserError(self.env._("Ticket %s has no requester to rate it.", wizard.ticket_id.number))

    def _check_not_rated_agent(self, ticket, rating):
        """Nobody records the opinion about their own work: the agent who handled the ticket
        (the one its rating rates) leaves it to another agent or the desk manager."""
        partner = self.env.user.partner_id
        if ticket.user_id == self.env.user or (rating and rating.rated_partner_id == partner):
            raise UserError(
                self.env._(
                    "You handled ticket %s: another agent or the desk manager records the "
                    "requester's rating.",
                    ticket.number,
                )
            )

    def action_confirm(self):
        """Record the rating (it answers a pending request, or a default one) and log the contact."""
        self.ensure_one()
        ticket = self.ticket_id
        ticket.check_access("write")
        rating = ticket._itsm_pending_rating()
        self._check_not_rated_agent(ticket, rating)
        if not rating:
            rating = (
                self.env["rating.rating"]
                .sudo()
                .create(
                    {
                        "partner_id": ticket.partner_id.id,
                        "rated_partner_id": ticket.user_id.partner_id.id,
                        "res_model_id": self.env["ir.model"]._get_id(ticket._name),
                        "res_id": ticket.id,
                        "is_internal": False,
                    }
                )
            )
        rating = ticket.with_context(itsm_rating_channel="on_site").rating_apply(
            int(self.rating), rating=rating, feedback=self.feedback
        )
        rating.sudo().recorded_by_id = self.env.user
        self.env["itsm.survey.contact"]._itsm_log(ticket, "on_site")
        return {"type": "ir.actions.act_window_close"}
