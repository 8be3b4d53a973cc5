from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import is_html_empty


class ItsmMajorIncidentReview(models.Model):
    """Post-incident review of a major incident: what happened, why, what we change."""

    _name = "itsm.major.incident.review"
    _description = "Post-Incident Review"
    _inherit = ["mail.thread", "itsm.improvement.source.mixin"]
    _order = "id desc"
    _improvement_source_field = "major_incident_review_id"

    ticket_id = fields.Many2one(
        "itsm.ticket", "Major Incident", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="ticket_id.company_id", store=True)
    name = fields.Char(related="ticket_id.display_name", string="Incident")
    reviewer_id = fields.Many2one("res.users", default=lambda self: self.env.user, tracking=True)
    review_date = fields.Date(default=fields.Date.context_today, tracking=True)
    timeline = fields.Html(help="Detection, escalation, communication and recovery, with times.")
    root_cause = fields.Text(tracking=True)
    impact_summary = fields.Text("Impact", help="Users, customers and services affected, and for how long.")
    actions = fields.Html("Corrective and Preventive Actions")
    lessons_learned = fields.Text()
    state = fields.Selection([("draft", "Draft"), ("done", "Completed")], default="draft", tracking=True)
    completed_at = fields.Datetime(readonly=True)
    improvement_action_ids = fields.One2many(
        "itsm.improvement.action", "major_incident_review_id", "Improvement Actions"
    )

    def action_complete(self):
        for review in self:
            missing = [
                label
                for label, empty in (
                    (self.env._("Timeline"), is_html_empty(review.timeline)),
                    (self.env._("Root Cause"), not (review.root_cause or "").strip()),
                    (self.env._("Corrective and Preventive Actions"), is_html_empty(review.actions)),
                )
                if empty
            ]
            if missing:
                raise UserError(self.env._("Fill in before completing the review: %s", ", ".join(missing)))
        self.write({"state": "done", "completed_at": fields.Datetime.now()})
        return True

    def action_reopen(self):
        self.write({"state": "draft", "completed_at": False})
        return True
