from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from odoo.addons.itsm_helpdesk.tools.locking import claim_keys

REVIEW_STEPS = {
    "monthly": relativedelta(months=1),
    "quarterly": relativedelta(months=3),
    "half_yearly": relativedelta(months=6),
    "yearly": relativedelta(years=1),
}


class ItsmRelationshipReview(models.Model):
    """A service review meeting with a customer (ISO/IEC 20000-1 8.3.2), scheduled by its review frequency."""

    _name = "itsm.relationship.review"
    _description = "Service Relationship Review"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "review_date desc, id desc"
    _check_company_auto = True

    partner_id = fields.Many2one(
        "res.partner",
        "Customer",
        required=True,
        index=True,
        tracking=True,
        domain=[("parent_id", "=", False)],
    )
    manager_id = fields.Many2one(
        "res.users", "Relationship Manager", required=True, tracking=True, domain=[("share", "=", False)]
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    review_date = fields.Date("Meeting Date", required=True, tracking=True)
    period_start = fields.Date(required=True)
    period_end = fields.Date(required=True)
    state = fields.Selection(
        [("planned", "Planned"), ("done", "Held"), ("cancelled", "Cancelled")],
        default="planned",
        required=True,
        tracking=True,
        index=True,
    )
    attendee_user_ids = fields.Many2many("res.users", string="Our Attendees")
    contact_partner_ids = fields.Many2many(
        "res.partner",
        "itsm_relationship_review_contact_rel",
        "review_id",
        "partner_id",
        string="Customer Contacts",
        help="The customer's designated contacts: they attend and read the minutes on the portal.",
    )
    figures = fields.Html(
        "Figures of the Period", sanitize=True, readonly=True, help="Service figures of the period reviewed."
    )
    customer_feedback = fields.Html("Customer's Feedback", sanitize=True)
    minutes = fields.Html(sanitize=True)
    decisions = fields.Html(sanitize=True)
    improvement_action_ids = fields.One2many(
        "itsm.improvement.action", "relationship_review_id", "Improvement Actions"
    )
    done_at = fields.Datetime("Held On", readonly=True, copy=False)

    _sql_constraints = [
        (
            "partner_date_unique",
            "unique(partner_id, review_date)",
            "A customer has one service review per date.",
        ),
    ]

    @api.depends("partner_id", "review_date")
    def _compute_display_name(self):
        for review in self:
            review.display_name = self.env._(
                "Service review %(customer)s %(date)s",
                customer=review.partner_id.name or "",
                date=review.review_date or "",
            )

    def _compute_access_url(self):
        super()._compute_access_url()
        for review in self:
            review.access_url = f"/my/relationship-reviews/{review.id}"

    def _get_figures_html(self):
        """The service figures of the period reviewed (a service report module may replace them)."""
        self.ensure_one()
        figures = self.env["itsm.communication.kpi"]._get_figures(
            self.company_id, self.period_start, self.period_end, partner=self.partner_id
        )
        return self.env["ir.qweb"]._render(
            "itsm_communication.communication_content", {"figures": figures}, minimal_qcontext=True
        )

    def action_refresh_figures(self):
        for review in self:
            review.figures = review._get_figures_html()
        return True

    def action_done(self):
        """The meeting was held: the customer's next review date follows from its frequency."""
        for review in self.filtered(lambda r: r.state == "planned"):
            review.write({"state": "done", "done_at": fields.Datetime.now()})
            step = REVIEW_STEPS.get(review.partner_id.itsm_review_frequency)
            if step:
                review.partner_id.sudo().itsm_next_review_date = review.review_date + step
        self.activity_feedback(["mail.mail_activity_data_meeting"])
        return True

    def action_cancel(self):
        self.filtered(lambda r: r.state == "planned").write({"state": "cancelled"})
        return True

    @api.model
    def _cron_schedule(self, today=None, lead_days=14):
        """Plan each customer's next service review ``lead_days`` ahead, once per review date.

        Only customers whose next review is near are read. They are locked for this run
        (another node plans the others); the unique constraint on customer and date stays the
        last guard. The relationship manager gets a meeting activity due on the review date.
        """
        today = today or fields.Date.context_today(self)
        partners = claim_keys(
            self.env["res.partner"].sudo(),
            [
                ("parent_id", "=", False),
                ("itsm_review_frequency", "!=", False),
                ("itsm_relationship_manager_id", "!=", False),
                ("itsm_next_review_date", "!=", False),
                ("itsm_next_review_date", "<=", today + timedelta(days=lead_days)),
            ],
            "itsm_relationship_review",
        )
        planned = {
            (review.partner_id.id, review.review_date)
            for review in self.sudo().search([("partner_id", "in", partners.ids)])
        }
        vals_list = [
            partner._itsm_prepare_relationship_review()
            for partner in partners
            if (partner.id, partner.itsm_next_review_date) not in planned
        ]
        reviews = self.sudo().create(vals_list)
        for review in reviews:
            review.action_refresh_figures()
            review.activity_schedule(
                "mail.mail_activity_data_meeting",
                date_deadline=review.review_date,
                user_id=review.manager_id.id,
                summary=self.env._("Service review with %s", review.partner_id.name),
            )
        return reviews
