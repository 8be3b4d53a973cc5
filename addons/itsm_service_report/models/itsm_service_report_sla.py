from odoo import api, fields, models

from odoo.addons.itsm_helpdesk.models.itsm_priority_rule import PRIORITIES
from odoo.addons.itsm_helpdesk.models.itsm_ticket import TICKET_KINDS
from odoo.addons.itsm_sla.models.itsm_sla_target import METRICS


class ItsmServiceReportSla(models.Model):
    """The result of one SLA target over the period, as it was when the report was issued."""

    _name = "itsm.service.report.sla"
    _description = "Service Report SLA Result"
    _order = "report_id, is_trial, sequence, id"

    report_id = fields.Many2one("itsm.service.report", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="report_id.company_id", store=True, index=True)
    sequence = fields.Integer()
    contract_name = fields.Char("Contract")
    target_id = fields.Many2one("itsm.sla.target", ondelete="set null")
    metric = fields.Selection(METRICS)
    priority = fields.Selection(PRIORITIES)
    ticket_kind = fields.Selection(TICKET_KINDS)
    target_hours = fields.Float("Target (working hours)")
    is_trial = fields.Boolean("Trial")
    measured_count = fields.Integer("Measured")
    met_count = fields.Integer("Met")
    breached_count = fields.Integer("Breached")
    met_pct = fields.Float("Met %")
    avg_hours = fields.Float("Average (working hours)")
    p90_hours = fields.Float("90th Percentile (working hours)")

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
