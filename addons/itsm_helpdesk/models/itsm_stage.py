from odoo import fields, models


class ItsmStage(models.Model):
    _name = "itsm.stage"
    _description = "Ticket Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    description = fields.Text(translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    team_ids = fields.Many2many(
        "itsm.team",
        string="Teams",
        help="Teams using this stage. A stage without teams is shared by every team.",
    )
    is_closed = fields.Boolean(
        "Closing Stage",
        help="Tickets in this stage are resolved or closed: they leave the queues "
        "and the requester may reopen them within the team's reopen window.",
    )
    is_paused = fields.Boolean(
        "Waiting Stage",
        help="Tickets in this stage wait for the customer or a vendor.",
    )
    fold = fields.Boolean("Folded in Kanban")
    template_id = fields.Many2one(
        "mail.template",
        "E-mail Template",
        domain=[("model", "=", "itsm.ticket")],
        help="Sent to the requester when a ticket reaches this stage.",
    )
