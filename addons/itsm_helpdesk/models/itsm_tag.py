from random import randint

from odoo import fields, models


class ItsmTag(models.Model):
    _name = "itsm.tag"
    _description = "Ticket Tag"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    color = fields.Integer(default=lambda self: randint(1, 11))

    _sql_constraints = [("name_unique", "UNIQUE(name)", "A tag with this name already exists.")]
