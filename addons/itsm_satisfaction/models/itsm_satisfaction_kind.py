from odoo import fields, models

from odoo.addons.itsm_helpdesk.models.itsm_ticket import TICKET_KINDS


class ItsmSatisfactionKind(models.Model):
    """The ticket kinds as records, so that a campaign can pick several of them."""

    _name = "itsm.satisfaction.kind"
    _description = "Ticket Kind (campaign scope)"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    code = fields.Selection(TICKET_KINDS, required=True)

    _sql_constraints = [("code_unique", "UNIQUE(code)", "Each ticket kind exists once.")]
