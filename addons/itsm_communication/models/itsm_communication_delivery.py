from odoo import api, fields, models
from odoo.tools import consteq, html2plaintext

from odoo.addons.itsm_helpdesk.tools.locking import claim

from .itsm_communication_period import local_today

DELIVERY_STATES = [("scheduled", "To Deliver"), ("sent", "Delivered"), ("cancelled", "Cancelled")]
FEEDBACK_RATINGS = [
    ("1", "Not useful"),
    ("2", "Of little use"),
    ("3", "Useful"),
    ("4", "Very useful"),
]


class ItsmCommunicationDelivery(models.Model):
    """A plan line's content delivered for one period, and what its recipients did with it."""

    _name = "itsm.communication.delivery"
    _description = "Communication Delivery"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "period_start desc, id desc"
    _check_company_auto = True

    name = fields.Char("Subject", required=True)
    line_id = fields.Many2one(
        "itsm.communication.plan.line", required=True, index=True, ondelete="restrict", check_company=True
    )
    plan_id = fields.Many2one(related="line_id.plan_id", store=True, index=True)
    company_id = fields.Many2one(related="line_id.company_id", store=True, index=True)
    stakeholder_id = fields.Many2one(related="line_id.stakeholder_id", store=True, index=True)
    content_kind = fields.Selection(related="line_id.content_kind", store=True)
    channel = fields.Selection(related="line_id.channel", store=True)
    owner_id = fields.Many2one(related="line_id.owner_id", store=True)
    period_start = fields.Date(required=True)
    period_end = fields.Date(required=True)
    due_date = fields.Date("Deliver By", required=True, index=True)
    state = fields.Selection(DELIVERY_STATES, default="scheduled", required=True, tracking=True, index=True)
    body = fields.Html("Content Delivered", sanitize=True, readonly=True)
    attachment_ids = fields.Many2many("ir.attachment", string="Attachments")
    recipient_partner_ids = fields.Many2many("res.partner", string="Recipients")
    sent_at = fields.Datetime("Delivered At", readonly=True, copy=False)
    opened_at = fields.Datetime("First Opened At", readonly=True, copy=False)
    acknowledged_at = fields.Datetime(readonly=True, copy=False)
    acknowledged_by_id = fields.Many2one("res.partner", readonly=True, copy=False)
    feedback_at = fields.Datetime("Feedback Given At", readonly=True, copy=False)
    feedback_rating = fields.Selection(FEEDBACK_RATINGS, "Usefulness", readonly=True, copy=False)
    feedback_comment = fields.Text(readonly=True, copy=False)
    feedback_partner_id = fields.Many2one("res.partner", "Feedback From", readonly=True, copy=False)
    late_reminded_at = fields.Datetime(
        "Late Reminder Sent", readonly=True, copy=False, index="btree_not_null"
    )
    is_on_time = fields.Boolean("On Time", compute="_compute_is_on_time", store=True)
    is_read = fields.Boolean("Read", compute="_compute_is_read", store=True)
    has_feedback = fields.Boolean(compute="_compute_has_feedback", store=True)

    _sql_constraints = [
        ("line_period_unique", "unique(line_id, period_start)", "A plan line is delivered once per period."),
    ]

    @api.depends("sent_at", "due_date")
    def _compute_is_on_time(self):
        for delivery in self:
            delivery.is_on_time = bool(delivery.sent_at and delivery.sent_at.date() <= delivery.due_date)

    @api.depends("opened_at", "acknowledged_at")
    def _compute_is_read(self):
        for delivery in self:
            delivery.is_read = bool(delivery.opened_at or delivery.acknowledged_at)

    @api.depends("feedback_at")
    def _compute_has_feedback(self):
        for delivery in self:
            delivery.has_feedback = bool(delivery.feedback_at)

    @api.model_create_multi
    def create(self, vals_list):
        deliveries = super().create(vals_list)
        deliveries._link_attachments()
        return deliveries

    def _link_attachments(self):
        """A content attached before its delivery existed (``res_id`` 0) belongs to the delivery."""
        for delivery in self:
            delivery.attachment_ids.sudo().filtered(
                lambda a: a.res_model == self._name and not a.res_id
            ).write({"res_id": delivery.id})

    def _compute_access_url(self):
        super()._compute_access_url()
        for delivery in self:
            delivery.access_url = f"/my/communications/{delivery.id}"

    # ------------------------------------------------------------------
    # sending
    # ------------------------------------------------------------------
    def _send(self, now):
        """Deliver through each line's channel: e-mail it, publish it on the portal, or plan the meeting."""
        template = self.env.ref("itsm_communication.mail_template_delivery")
        emailed = self.filtered(lambda d: d.channel == "email")
        for delivery in emailed:
            # one message per recipient: each link is signed for its recipient only
            for partner in delivery.recipient_partner_ids:
                context = {"recipient_url": delivery._get_recipient_url(partner)}
                delivery.message_post(
                    body=template._render_field("body_html", delivery.ids, add_context=context)[delivery.id],
                    subject=delivery.name,
                    partner_ids=partner.ids,
                    attachment_ids=delivery.attachment_ids.ids,
                    subtype_xmlid="mail.mt_comment",
                    email_layout_xmlid="mail.mail_notification_light",
                )
        (self - emailed).filtered(lambda d: d.channel == "portal")._notify_published()
        self.filtered(lambda d: d.channel != "meeting").write({"state": "sent", "sent_at": now})
        for delivery in self.filtered(lambda d: d.channel == "meeting"):
            delivery.activity_schedule(
                "mail.mail_activity_data_meeting",
                date_deadline=delivery.due_date,
                user_id=delivery.owner_id.id,
                summary=self.env._("Present to %s at a meeting", delivery.stakeholder_id.name),
            )
        return self

    def _notify_published(self):
        """A portal delivery is announced to its recipients by a short note pointing to the portal."""
        for delivery in self:
            delivery.message_notify(
                partner_ids=delivery.recipient_partner_ids.ids,
                subject=delivery.name,
                body=self.env._("%s is available on your portal.", delivery.name),
                email_layout_xmlid="mail.mail_notification_light",
            )

    def action_mark_delivered(self):
        """The meeting was held (or the content handed over): the delivery counts as sent."""
        todo = self.filtered(lambda d: d.state == "scheduled")
        todo.write({"state": "sent", "sent_at": fields.Datetime.now()})
        todo.activity_feedback(["mail.mail_activity_data_meeting"])
        return True

    def action_cancel(self):
        self.filtered(lambda d: d.state == "scheduled").write({"state": "cancelled"})
        return True

    # ------------------------------------------------------------------
    # what the recipient does (portal and token routes)
    # ------------------------------------------------------------------
    def _get_recipient_url(self, partner):
        """The portal link of this delivery for ``partner``: it opens it for this recipient only."""
        self.ensure_one()
        return self.get_base_url() + self.get_portal_url(
            query_string=f"&pid={partner.id}&hash={self._sign_token(partner.id)}"
        )

    def _get_token_recipient(self, access_token, pid, token_hash):
        """The recipient a signed link was made for, or an empty recordset."""
        self.ensure_one()
        if not (access_token and pid and token_hash and str(pid).isdigit()):
            return self.env["res.partner"]
        partner = self.recipient_partner_ids.filtered(lambda p: p.id == int(pid))
        if not partner or not consteq(self.access_token or "", access_token):
            return self.env["res.partner"]
        return partner if consteq(self._sign_token(partner.id), token_hash) else self.env["res.partner"]

    def _is_recipient(self, partner):
        self.ensure_one()
        return partner in self.recipient_partner_ids

    def _mark_opened(self):
        self.filtered(lambda d: not d.opened_at).sudo().write({"opened_at": fields.Datetime.now()})

    def _acknowledge(self, partner):
        todo = self.filtered(lambda d: not d.acknowledged_at)
        todo.sudo().write({"acknowledged_at": fields.Datetime.now(), "acknowledged_by_id": partner.id})
        for delivery in todo:
            delivery.sudo().message_post(
                body=self.env._("Acknowledged by %s.", partner.name),
                author_id=partner.id,
                subtype_xmlid="mail.mt_note",
            )

    def _record_feedback(self, partner, rating, comment):
        """The recipient's answer: usefulness and a comment, told to the owner."""
        self.ensure_one()
        if rating not in dict(FEEDBACK_RATINGS):
            rating = False
        comment = (comment or "").strip()[:2000]
        self.sudo().write(
            {
                "feedback_at": fields.Datetime.now(),
                "feedback_rating": rating,
                "feedback_comment": comment,
                "feedback_partner_id": partner.id,
            }
        )
        self.sudo().message_post(
            body=self.env._(
                "Feedback from %(partner)s: %(rating)s. %(comment)s",
                partner=partner.name,
                rating=dict(self._fields["feedback_rating"]._description_selection(self.env)).get(
                    rating, "-"
                ),
                comment=html2plaintext(comment) if comment else "",
            ),
            author_id=partner.id,
            partner_ids=self.owner_id.partner_id.ids,
            subtype_xmlid="mail.mt_comment",
        )

    # ------------------------------------------------------------------
    # evaluation and reminders
    # ------------------------------------------------------------------
    @api.model
    def _get_evaluation(self, domain):
        """Per plan: deliveries due, delivered, on time, read, with feedback, in one grouped query."""
        result = {}
        groups = self.sudo()._read_group(
            domain + [("state", "!=", "cancelled")],
            ["plan_id", "state", "is_on_time", "is_read", "has_feedback"],
            ["__count"],
        )
        for plan, state, on_time, is_read, feedback, count in groups:
            values = result.setdefault(
                plan.id, {"due": 0, "delivered": 0, "on_time": 0, "read": 0, "feedback": 0}
            )
            values["due"] += count
            values["delivered"] += count if state == "sent" else 0
            values["on_time"] += count if on_time else 0
            values["read"] += count if is_read else 0
            values["feedback"] += count if feedback else 0
        for values in result.values():
            values["on_time_percent"] = round(100.0 * values["on_time"] / values["due"], 1)
            values["read_percent"] = (
                round(100.0 * values["read"] / values["delivered"], 1) if values["delivered"] else 0.0
            )
        return result

    @api.model
    def _cron_remind_late(self, now=None, batch_size=500):
        """Remind the owner once of each delivery past its date and still not delivered."""
        now = now or fields.Datetime.now()
        reminded = self.browse()
        for company in self.env["res.company"].sudo().search([("active", "=", True)]):
            late = claim(
                self.sudo(),
                [
                    ("company_id", "=", company.id),
                    ("state", "=", "scheduled"),
                    ("due_date", "<", local_today(company, now)),
                    ("late_reminded_at", "=", False),
                ],
                limit=batch_size,
            )
            for delivery in late:
                delivery.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=delivery.owner_id.id,
                    summary=self.env._("Late: %s", delivery.name),
                    note=self.env._(
                        "This communication was due on %s and is not delivered yet.", delivery.due_date
                    ),
                )
            late.write({"late_reminded_at": now})
            reminded |= late
        return reminded
