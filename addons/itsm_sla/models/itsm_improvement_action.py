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
