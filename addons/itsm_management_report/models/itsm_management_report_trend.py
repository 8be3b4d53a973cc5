from odoo import api, fields, models


class ItsmManagementReportTrend(models.Model):
    """One period of a management report's trend (the period reported and those before it)."""

    _name = "itsm.management.report.trend"
    _description = "Management Report Trend"
    _order = "report_id, sequence, id"

    report_id = fields.Many2one("itsm.management.report", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="report_id.company_id", store=True, index=True)
    sequence = fields.Integer()
    name = fields.Char("Period")
    date_from = fields.Date("Period From")
    ticket_count = fields.Integer("Tickets")
    sla_met_pct = fields.Float("SLA Met %")
    satisfaction_avg = fields.Float("Average Satisfaction (1-5)")
    complaint_count = fields.Integer("Complaints")
    major_incident_count = fields.Integer("Major Incidents")
    is_current = fields.Boolean("Reported Period")

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
