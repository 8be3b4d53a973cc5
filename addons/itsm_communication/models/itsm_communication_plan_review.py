from odoo import api, fields, models


class ItsmCommunicationPlanReview(models.Model):
    """The owner's monthly review of a plan: its figures for the month, minutes and changes decided."""

    _name = "itsm.communication.plan.review"
    _description = "Communication Plan Review"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "period_start desc, id desc"
    _check_company_auto = True

    plan_id = fields.Many2one(
        "itsm.communication.plan", required=True, index=True, ondelete="cascade", check_company=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    owner_id = fields.Many2one(related="plan_id.owner_id", store=True)
    period_start = fields.Date(required=True)
    period_end = fields.Date(required=True)
    state = fields.Selection(
        [("open", "To Review"), ("done", "Reviewed")], default="open", required=True, tracking=True
    )
    due_count = fields.Integer("Deliveries Due", readonly=True)
    delivered_count = fields.Integer("Delivered", readonly=True)
    on_time_percent = fields.Float("Delivered on Time (%)", readonly=True, digits=(5, 1))
    read_percent = fields.Float("Read (%)", readonly=True, digits=(5, 1))
    feedback_count = fields.Integer("Feedback Received", readonly=True)
    minutes = fields.Html(sanitize=True)
    changes = fields.Html("Changes Decided", sanitize=True)
    reviewed_at = fields.Datetime(readonly=True, copy=False)

    _sql_constraints = [
        ("plan_period_unique", "unique(plan_id, period_start)", "A plan is reviewed once per month."),
    ]

    @api.depends("plan_id", "period_start")
    def _compute_display_name(self):
        for review in self:
            review.display_name = f"{review.plan_id.name or ''} {review.period_start or ''}"

    def action_refresh_figures(self):
        """Measure the deliveries due in the month: delivered on time, read, answered."""
        for review in self:
            values = (
                self.env["itsm.communication.delivery"]
                ._get_evaluation(
                    [
                        ("plan_id", "=", review.plan_id.id),
                        ("due_date", ">=", review.period_start),
                        ("due_date", "<=", review.period_end),
                    ]
                )
                .get(review.plan_id.id, {})
            )
            review.write(
                {
                    "due_count": values.get("due", 0),
                    "delivered_count": values.get("delivered", 0),
                    "on_time_percent": values.get("on_time_percent", 0.0),
                    "read_percent": values.get("read_percent", 0.0),
                    "feedback_count": values.get("feedback", 0),
                }
            )
        return True

    def _on_opened(self):
        """A new review gets its figures and asks its owner for the review."""
        self.action_refresh_figures()
        for review in self:
            review.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=review.owner_id.id,
                summary=self.env._("Review the communication plan %s", review.plan_id.name),
            )
        return self

    def action_done(self):
        self.write({"state": "done", "reviewed_at": fields.Datetime.now()})
        self.activity_feedback(["mail.mail_activity_data_todo"])
        return True
