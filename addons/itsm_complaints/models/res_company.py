from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    itsm_complaint_process_owner_id = fields.Many2one(
        "res.users",
        "Complaint Escalation: Level 1",
        domain=[("share", "=", False)],
        help="Takes over a complaint the first time its complainant is not satisfied with the response.",
    )
    itsm_complaint_management_id = fields.Many2one(
        "res.users",
        "Complaint Escalation: Level 2",
        domain=[("share", "=", False)],
        help="Takes over a complaint whose complainant is still not satisfied after the first escalation.",
    )
