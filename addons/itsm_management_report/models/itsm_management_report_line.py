from odoo import fields, models

LINE_SECTIONS = [
    ("service", "Service"),
    ("team", "Team"),
    ("staff", "Staff Workload"),
    ("supplier", "Supplier"),
    ("major_incident", "Major Incident"),
    ("complaint", "Complaint"),
    ("improvement", "Improvement Action"),
    ("highlight", "Highlight"),
]


class ItsmManagementReportLine(models.Model):
    """One figure of a management report's sections, as it was when the report was issued."""

    _name = "itsm.management.report.line"
    _description = "Management Report Figure"
    _inherit = ["itsm.issued.report.line.mixin"]

    report_id = fields.Many2one("itsm.management.report", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="report_id.company_id", store=True, index=True)
    section = fields.Selection(LINE_SECTIONS, required=True)
    note = fields.Text()
    ticket_count = fields.Integer("Tickets")
    incident_count = fields.Integer("Incidents")
    request_count = fields.Integer("Service Requests")
    change_count = fields.Integer("Change Requests")
    question_count = fields.Integer("Questions")
    closed_count = fields.Integer("Resolved")
    open_count = fields.Integer("Open")
    line1_rate = fields.Float("First-Line Resolution %")
    reopen_rate = fields.Float("Reopen %")
    met_count = fields.Integer("SLA Met")
    breached_count = fields.Integer("SLA Breaches")
    met_pct = fields.Float("SLA Met %")
    p90_hours = fields.Float("Resolution, 90th Percentile (Working Hours)")
    avg_hours = fields.Float("Average Response (h)")
