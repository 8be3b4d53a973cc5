from odoo import fields, models

from odoo.addons.itsm_helpdesk.models.itsm_priority_rule import PRIORITIES
from odoo.addons.itsm_helpdesk.models.itsm_ticket import TICKET_KINDS
from odoo.addons.itsm_sla.models.itsm_sla_target import METRICS


class ItsmServiceReportSla(models.Model):
    """The result of one SLA target over the period, as it was when the report was issued."""

    _name = "itsm.service.report.sla"
    _description = "Service Report SLA Result"
    _inherit = ["itsm.issued.report.figure"]
    _order = "report_id, is_trial, sequence, id"

    report_id = fields.Many2one("itsm.service.report", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="report_id.company_id", store=True, index=True)
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
