from odoo import fields, models

LINE_SECTIONS = [
    ("kind", "Ticket Kind"),
    ("service", "Service"),
    ("channel", "Channel"),
    ("support_line", "Support Line"),
    ("weekday", "Weekday"),
    ("hour", "Hour of Day"),
    ("complaint", "Complaint"),
    ("major_incident", "Major Incident"),
    ("comment", "Customer Comment"),
    ("improvement", "Improvement Action"),
]


class ItsmServiceReportLine(models.Model):
    """One figure of a service report's sections, as it was when the report was issued."""

    _name = "itsm.service.report.line"
    _description = "Service Report Figure"
    _inherit = ["itsm.issued.report.line.mixin"]

    report_id = fields.Many2one("itsm.service.report", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="report_id.company_id", store=True, index=True)
    section = fields.Selection(LINE_SECTIONS, required=True)
    count = fields.Integer()
    value = fields.Float("Score")
