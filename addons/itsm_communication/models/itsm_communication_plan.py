from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from odoo.addons.itsm_helpdesk.tools.locking import claim_keys

from ..tools import demo_plans
from .itsm_communication_period import local_today, period_bounds


class ItsmCommunicationPlan(models.Model):
    """What each stakeholder receives, how often, by which channel and from whom; evaluated monthly."""

    _name = "itsm.communication.plan"
    _description = "Communication Plan"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    active = fields.Boolean(default=True)
    state = fields.Selection(
        [("draft", "Draft"), ("active", "Running"), ("closed", "Closed")],
        default="draft",
        required=True,
        tracking=True,
        index=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    owner_id = fields.Many2one(
        "res.users",
        required=True,
        tracking=True,
        domain=[("share", "=", False)],
        default=lambda self: self.env.user,
        help="Reviews the plan each month: what was delivered, read and answered.",
    )
    description = fields.Html(sanitize=True, help="How the plan was agreed with its stakeholders.")
    line_ids = fields.One2many("itsm.communication.plan.line", "plan_id", "Lines", copy=True)
    delivery_ids = fields.One2many("itsm.communication.delivery", "plan_id", "Deliveries")
    review_ids = fields.One2many("itsm.communication.plan.review", "plan_id", "Reviews")
    delivery_count = fields.Integer(compute="_compute_evaluation")
    on_time_percent = fields.Float("Delivered on Time (%)", compute="_compute_evaluation", digits=(5, 1))
    read_percent = fields.Float("Read (%)", compute="_compute_evaluation", digits=(5, 1))
    feedback_count = fields.Integer("Feedback Received", compute="_compute_evaluation")

    def _compute_evaluation(self):
        figures = self.env["itsm.communication.delivery"]._get_evaluation([("plan_id", "in", self.ids)])
        for plan in self:
            values = figures.get(plan.id, {})
            plan.delivery_count = values.get("delivered", 0)
            plan.on_time_percent = values.get("on_time_percent", 0.0)
            plan.read_percent = values.get("read_percent", 0.0)
            plan.feedback_count = values.get("feedback", 0)

    def action_start(self):
        self.write({"state": "active"})
        return True

    def action_close(self):
        self.write({"state": "closed"})
        return True

    def action_draft(self):
        self.write({"state": "draft"})
        return True

    @api.model
    def _cron_evaluate(self, now=None):
        """Open the owner's review of each running plan for the month just ended, once per month.

        The plans are locked for this run (another node evaluates others); the unique
        constraint on plan and month stays the last guard.
        """
        now = now or fields.Datetime.now()
        reviews = self.env["itsm.communication.plan.review"]
        for company in self.env["res.company"].sudo().search([("active", "=", True)]):
            last_month = local_today(company, now).replace(day=1) - relativedelta(days=1)
            start, end = period_bounds(last_month, "monthly")
            plans = claim_keys(
                self.sudo(),
                [("state", "=", "active"), ("company_id", "=", company.id)],
                "itsm_communication_plan_review",
            )
            done = set(
                reviews.sudo()
                .search([("plan_id", "in", plans.ids), ("period_start", "=", start)])
                .plan_id.ids
            )
            # a month before any line of the plan started has nothing to review
            todo = plans.filtered(
                lambda p, done=done, end=end: (
                    p.id not in done and any(line.start_date <= end for line in p.line_ids)
                )
            )
            if todo:
                reviews |= (
                    reviews.sudo()
                    .create(
                        [
                            {
                                "plan_id": plan.id,
                                "period_start": start,
                                "period_end": end,
                                "company_id": company.id,
                            }
                            for plan in todo
                        ]
                    )
                    ._on_opened()
                )
        return reviews

    @api.model
    def _demo_run_history(self, months=4):
        """Demo data (demo/itsm_communication_demo.xml): the plans' last months, see tools/demo_plans.py."""
        return demo_plans.run_history(self.env, months=months)
