from odoo import fields, models


class ItsmImprovementAction(models.Model):
    _inherit = "itsm.improvement.action"

    relationship_review_id = fields.Many2one(
        "itsm.relationship.review",
        "Source Service Review",
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
    )
    morale_pulse_id = fields.Many2one(
        "itsm.morale.pulse",
        "Source Morale Pulse",
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
        readonly=True,
    )
