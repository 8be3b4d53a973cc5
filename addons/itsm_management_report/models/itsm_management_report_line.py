from odoo import api, fields, models

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
    _order = "report_id, section, sequence, id"

    report_id = fields.Many2one("itsm.management.report", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="report_id.company_id", store=True, index=True)
    section = fields.Selection(LINE_SECTIONS, required=True)
    sequence = fields.Integer()
    name = fields.Char("Label")
    reference = fields.Char()
    category = fields.Char()
    status = fields.Char()
    date = fields.Datetime()
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
    hours = fields.Float("Duration (h)")

    @api.model_create_multi
    def create(self, vals_list):
        reports = self.env["itsm.management.report"].browse({vals["report_id"] for vals in vals_list})
        reports._check_draft_figures()
        return super().create(vals_list)

    def write(self, vals):
        self.check_access("write")
        self.report_id._check_draft_figures()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_issued(self):
        self.report_id._check_draft_figures()
