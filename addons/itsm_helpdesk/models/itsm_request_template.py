from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .itsm_priority_rule import IMPACTS, URGENCIES

FIELD_TYPES = [
    ("char", "Short text"),
    ("text", "Long text"),
    ("selection", "Choice"),
    ("date", "Date"),
    ("integer", "Number"),
    ("boolean", "Yes / No"),
]


class ItsmRequestTemplate(models.Model):
    """A routine operation of the service catalogue (password reset, new account...).

    It sets the ticket's defaults, the checklist the agent works through and the
    questions the portal asks the requester.
    """

    _name = "itsm.request.template"
    _description = "Request Template"
    _order = "service_id, sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    service_id = fields.Many2one("itsm.service", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="service_id.company_id", store=True)
    description = fields.Text(translate=True, help="Shown to the requester on the portal.")
    is_published = fields.Boolean("Offered on the Portal", default=True)
    kind = fields.Selection(
        [
            ("incident", "Incident"),
            ("service_request", "Service Request"),
            ("change_request", "Change Request"),
            ("question", "Question"),
        ],
        required=True,
        default="service_request",
    )
    team_id = fields.Many2one("itsm.team", help="Defaults to the service's support team.")
    impact = fields.Selection(IMPACTS, required=True, default="3")
    urgency = fields.Selection(URGENCIES, required=True, default="3")
    checklist_item_ids = fields.One2many(
        "itsm.request.template.checklist", "template_id", "Checklist", copy=True
    )
    field_ids = fields.One2many("itsm.request.template.field", "template_id", "Portal Questions", copy=True)

    def _get_ticket_defaults(self):
        """Ticket values a new ticket of this template starts with."""
        self.ensure_one()
        team = self.team_id or self.service_id.team_id
        return {
            "service_id": self.service_id.id,
            "kind": self.kind,
            "impact": self.impact,
            "urgency": self.urgency,
            "team_id": team.id or False,
        }


class ItsmRequestTemplateChecklist(models.Model):
    _name = "itsm.request.template.checklist"
    _description = "Request Template Checklist Item"
    _order = "sequence, id"

    template_id = fields.Many2one("itsm.request.template", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char("Step", required=True, translate=True)


class ItsmRequestTemplateField(models.Model):
    """A question the portal asks when a user picks the template."""

    _name = "itsm.request.template.field"
    _description = "Request Template Question"
    _order = "sequence, id"

    template_id = fields.Many2one("itsm.request.template", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    name = fields.Char("Question", required=True, translate=True)
    field_type = fields.Selection(FIELD_TYPES, required=True, default="char")
    is_required = fields.Boolean("Required", default=True)
    options = fields.Text(translate=True, help="For a choice: one option per line.")
    help = fields.Char(translate=True)

    @api.constrains("field_type", "options")
    def _check_options(self):
        for field in self:
            if field.field_type == "selection" and not field._get_options():
                raise ValidationError(self.env._("The choice %s needs at least one option.", field.name))

    def _get_options(self):
        self.ensure_one()
        return [line.strip() for line in (self.options or "").splitlines() if line.strip()]
