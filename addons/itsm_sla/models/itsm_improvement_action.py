from odoo import api, fields, models


class ItsmImprovementAction(models.Model):
    _inherit = "itsm.improvement.action"

    source = fields.Selection(
        selection_add=[("sla_review", "SLA Review"), ("other",)],
        ondelete={"sla_review": lambda actions: actions.write({"source": "other"})},
    )
    sla_review_id = fields.Many2one(
        "itsm.sla.review",
        "Source SLA Review",
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
    )

    @api.model
    def _source_fields(self):
        return {**super()._source_fields(), "sla_review": "sla_review_id"}


class ItsmSlaReview(models.Model):
    _name = "itsm.sla.review"
    _inherit = ["itsm.sla.review", "itsm.improvement.source.mixin"]
    _improvement_source_field = "sla_review_id"

    improvement_action_ids = fields.One2many(
        "itsm.improvement.action", "sla_review_id", "Improvement Actions"
    )
