from odoo import api, fields, models


class ItsmImprovementAction(models.Model):
    _inherit = "itsm.improvement.action"

    source = fields.Selection(
        selection_add=[("service_report", "Service Report"), ("other",)],
        ondelete={"service_report": lambda actions: actions.write({"source": "other"})},
    )
    service_report_id = fields.Many2one(
        "itsm.service.report",
        "Source Service Report",
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
    )

    @api.model
    def _source_fields(self):
        return {**super()._source_fields(), "service_report": "service_report_id"}
