from odoo import api, fields, models

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
    _order = "report_id, section, sequence, id"

    report_id = fields.Many2one("itsm.service.report", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="report_id.company_id", store=True, index=True)
    section = fields.Selection(LINE_SECTIONS, required=True)
    sequence = fields.Integer()
    name = fields.Char("Label")
    reference = fields.Char()
    category = fields.Char()
    status = fields.Char()
    date = fields.Datetime()
    count = fields.Integer()
    value = fields.Float("Score")
    hours = fields.Float("Duration (h)")

    @api.model_create_multi
    def create(self, vals_list):
        reports = self.env["itsm.service.report"].browse({vals["report_id"] for vals in vals_list})
        reports._check_draft_figures()
        return super().create(vals_list)

    def write(self, vals):
        self.report_id._check_draft_figures()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_issued(self):
        self.report_id._check_draft_figures()
