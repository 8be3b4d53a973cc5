from odoo import fields, models


class ItsmComplaintSharedResponse(models.Model):
    """The response to a complaint, as shared with the agent it is about.

    The agent concerned never reads the complaint itself (its description, findings and chatter stay
    confidential): sharing copies the response into this record, which only that agent and the
    complaint roles may read.
    """

    _name = "itsm.complaint.shared.response"
    _description = "Complaint Response Shared with the Agent"
    _inherit = ["mail.thread"]
    _order = "shared_at desc, id desc"
    _rec_name = "number"

    number = fields.Char("Complaint Number", required=True, readonly=True)
    response = fields.Html(sanitize=True, readonly=True)
    shared_at = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    agent_id = fields.Many2one("res.users", required=True, readonly=True, index=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    complaint_id = fields.Many2one(
        "itsm.complaint",
        readonly=True,
        index=True,
        ondelete="cascade",
        groups="itsm_complaints.group_complaint_process_owner",
    )
