from odoo import fields, models


class ItsmTicketAnswer(models.Model):
    """The requester's answer to a question of the request template."""

    _name = "itsm.ticket.answer"
    _description = "Ticket Template Answer"
    _order = "sequence, id"

    ticket_id = fields.Many2one("itsm.ticket", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="ticket_id.company_id", store=True)
    field_id = fields.Many2one("itsm.request.template.field", "Template Question", ondelete="set null")
    sequence = fields.Integer(default=10)
    name = fields.Char("Question", required=True)
    value = fields.Text("Answer")
