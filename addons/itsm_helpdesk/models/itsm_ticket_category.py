from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ItsmTicketCategory(models.Model):
    _name = "itsm.ticket.category"
    _description = "Ticket Category"
    _parent_store = True
    _rec_name = "complete_name"
    _order = "complete_name"

    name = fields.Char(required=True, translate=True)
    complete_name = fields.Char(compute="_compute_complete_name", store=True, recursive=True)
    parent_id = fields.Many2one("itsm.ticket.category", "Parent Category", index=True, ondelete="cascade")
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("itsm.ticket.category", "parent_id")
    service_id = fields.Many2one("itsm.service", index=True)
    active = fields.Boolean(default=True)

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for category in self:
            if category.parent_id:
                category.complete_name = f"{category.parent_id.complete_name} / {category.name}"
            else:
                category.complete_name = category.name

    @api.constrains("parent_id")
    def _check_parent(self):
        if self._has_cycle():
            raise ValidationError(self.env._("Categories cannot be nested in themselves."))
