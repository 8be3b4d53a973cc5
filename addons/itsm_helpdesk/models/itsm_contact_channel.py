from odoo import fields, models


class ItsmContactChannel(models.Model):
    """A way of communicating agreed with a customer (e-mail, phone, review meeting...)."""

    _name = "itsm.contact.channel"
    _description = "Agreed Communication Channel"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
