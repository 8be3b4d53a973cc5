from odoo import fields, models


class ItsmComplaintCategory(models.Model):
    _name = "itsm.complaint.category"
    _description = "Complaint Category"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)
    is_published = fields.Boolean(
        "Offered on the Portal", default=True, help="Complainants can choose this category on the portal."
    )
