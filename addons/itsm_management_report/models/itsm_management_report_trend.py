from odoo import fields, models


class ItsmManagementReportTrend(models.Model):
    """One period of a management report's trend (the period reported and those before it)."""

    _name = "itsm.management.report.trend"
    _description = "Management Report Trend"
    _inherit = ["itsm.issued.report.trend.mixin"]

    report_id = fields.Many2one("itsm.management.report", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="report_id.company_id", store=True, index=True)
    complaint_count = fields.Integer("Complaints")
    major_incident_count = fields.Integer("Major Incidents")
