from random import randint

from odoo import fields, models


class ItsmKbTag(models.Model):
    _name = "itsm.kb.tag"
    _description = "Knowledge Tag"
    _order = "name"

    name = fields.Char(required=True, translate=True)
    color = fields.Integer(default=lambda self: randint(1, 11))

    _sql_constraints = [("name_unique", "UNIQUE(name)", "A knowledge tag with this name already exists.")]
