from odoo import fields, models


class ItsmService(models.Model):
    _name = "itsm.service"
    _description = "IT Service"
    _inherit = ["mail.thread"]
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    code = fields.Char()
    description = fields.Html(translate=True, help="Shown to users on the portal.")
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
    team_id = fields.Many2one("itsm.team", "Support Team", tracking=True)
    owner_id = fields.Many2one("res.users", "Service Owner", tracking=True)
    is_published = fields.Boolean(
        "Offered on the Portal", default=True, help="Portal users can report tickets on this service."
    )
    category_ids = fields.One2many("itsm.ticket.category", "service_id", "Categories")
    hours_calendar_id = fields.Many2one(
        "resource.calendar", "Service Hours", help="When the service is supported; shown on the portal."
    )
    request_template_ids = fields.One2many("itsm.request.template", "service_id", "Request Templates")
