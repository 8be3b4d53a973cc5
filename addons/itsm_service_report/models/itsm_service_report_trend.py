from odoo import fields, models


class ItsmServiceReportTrend(models.Model):
    """One period of a service report's trend (the period reported and those before it)."""

    _name = "itsm.service.report.trend"
    _description = "Service Report Trend"
    _inherit = ["itsm.issued.report.trend.mixin"]

    report_id = fields.Many2one("itsm.service.report", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="report_id.company_id", store=True, index=True)
