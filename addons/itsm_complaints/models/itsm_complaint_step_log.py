from odoo import api, fields, models

from .itsm_complaint_step import COMPLAINT_STATES


class ItsmComplaintStepLog(models.Model):
    _name = "itsm.complaint.step.log"
    _description = "Complaint Step History"
    _order = "complaint_id, entered_at, id"

    complaint_id = fields.Many2one("itsm.complaint", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="complaint_id.company_id", store=True, index=True)
    state = fields.Selection(COMPLAINT_STATES, "Step", required=True, index=True)
    entered_at = fields.Datetime(required=True, index=True)
    left_at = fields.Datetime(index="btree_not_null")
    deadline = fields.Datetime("Due")
    user_id = fields.Many2one("res.users", "Moved by")
    escalation_level = fields.Integer()
    duration_hours = fields.Float(
        "Hours in Step", compute="_compute_duration", store=True, aggregator="avg", digits=(16, 2)
    )
    is_late = fields.Boolean("Left Late", compute="_compute_duration", store=True)

    @api.depends("entered_at", "left_at", "deadline")
    def _compute_duration(self):
        for log in self:
            if log.left_at and log.entered_at:
                log.duration_hours = (log.left_at - log.entered_at).total_seconds() / 3600
                log.is_late = bool(log.deadline and log.left_at > log.deadline)
            else:
                log.duration_hours = 0.0
                log.is_late = False
