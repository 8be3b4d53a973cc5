from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

VENDOR_TICKET_STATES = [
    ("sent", "Sent"),
    ("answered", "Answered"),
    ("resolved", "Resolved"),
    ("cancelled", "Cancelled"),
]
VENDOR_OUTCOMES = [
    ("resolved", "Resolved"),
    ("workaround", "Workaround"),
    ("rejected", "Rejected"),
    ("no_response", "No Response"),
]
OPEN_STATES = ("sent", "answered")


class ItsmVendorTicket(models.Model):
    """A ticket escalated to an IT vendor: the vendor's reference, when it was sent,
    answered and resolved, and with which outcome."""

    _name = "itsm.vendor.ticket"
    _description = "Vendor Ticket"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "sent_at desc, id desc"
    _rec_names_search = ["vendor_reference", "ticket_id", "vendor_id"]
    _check_company_auto = True

    ticket_id = fields.Many2one(
        "itsm.ticket", required=True, index=True, ondelete="cascade", tracking=True, check_company=True
    )
    company_id = fields.Many2one(
        related="ticket_id.company_id", store=True, index=True, precompute=True, string="Company"
    )
    service_id = fields.Many2one(related="ticket_id.service_id", string="Service")
    vendor_id = fields.Many2one(
        "res.partner",
        required=True,
        index=True,
        tracking=True,
        ondelete="restrict",
        check_company=True,
        domain=[("is_itsm_vendor", "=", True)],
    )
    vendor_reference = fields.Char(tracking=True, copy=False, help="The vendor's own case number.")
    note = fields.Text("Escalation Note", help="What was sent to the vendor.")
    user_id = fields.Many2one(
        "res.users",
        "Escalated By",
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
        tracking=True,
    )
    state = fields.Selection(
        VENDOR_TICKET_STATES, "Status", required=True, default="sent", tracking=True, index=True, copy=False
    )
    is_open = fields.Boolean("Open", compute="_compute_is_open", store=True, precompute=True)
    sent_at = fields.Datetime(required=True, default=fields.Datetime.now, tracking=True, copy=False)
    answered_at = fields.Datetime(tracking=True, copy=False)
    resolved_at = fields.Datetime(tracking=True, copy=False)
    outcome = fields.Selection(VENDOR_OUTCOMES, tracking=True, copy=False)
    outcome_note = fields.Text("Outcome Details")
    response_hours = fields.Float(
        "Response Time (h)",
        compute="_compute_hours",
        store=True,
        aggregator="avg",
        help="Calendar hours from sending to the vendor's first answer.",
    )
    resolution_hours = fields.Float(
        "Resolution Time (h)",
        compute="_compute_hours",
        store=True,
        aggregator="avg",
        help="Calendar hours from sending to the vendor's resolution.",
    )

    @api.depends("ticket_id.number", "vendor_id.name", "vendor_reference")
    def _compute_display_name(self):
        for vendor_ticket in self:
            parts = [
                vendor_ticket.ticket_id.number,
                vendor_ticket.vendor_id.name,
                vendor_ticket.vendor_reference,
            ]
            vendor_ticket.display_name = " / ".join(part for part in parts if part)

    @api.depends("state")
    def _compute_is_open(self):
        for vendor_ticket in self:
            vendor_ticket.is_open = vendor_ticket.state in OPEN_STATES

    @api.depends("sent_at", "answered_at", "resolved_at")
    def _compute_hours(self):
        for vendor_ticket in self:
            sent = vendor_ticket.sent_at
            answered, resolved = vendor_ticket.answered_at, vendor_ticket.resolved_at
            vendor_ticket.response_hours = (
                (answered - sent).total_seconds() / 3600 if sent and answered else 0.0
            )
            vendor_ticket.resolution_hours = (
                (resolved - sent).total_seconds() / 3600 if sent and resolved else 0.0
            )

    @api.constrains("vendor_id")
    def _check_vendor(self):
        not_vendors = self.vendor_id.filtered(lambda p: not p.is_itsm_vendor)
        if not_vendors:
            raise ValidationError(
                self.env._(
                    "%s is not marked as an IT vendor: tick IT Vendor on the partner first.",
                    ", ".join(not_vendors.mapped("display_name")),
                )
            )

    @api.constrains("sent_at", "answered_at", "resolved_at")
    def _check_timeline(self):
        for vendor_ticket in self:
            sent = vendor_ticket.sent_at
            for moment, label in (
                (vendor_ticket.answered_at, self.env._("answered")),
                (vendor_ticket.resolved_at, self.env._("resolved")),
            ):
                if moment and moment < sent:
                    raise ValidationError(
                        self.env._(
                            "Vendor ticket %(name)s cannot be %(event)s before it was sent.",
                            name=vendor_ticket.display_name,
                            event=label,
                        )
                    )
            if (
                vendor_ticket.answered_at
                and vendor_ticket.resolved_at
                and vendor_ticket.resolved_at < vendor_ticket.answered_at
            ):
                raise ValidationError(
                    self.env._(
                        "Vendor ticket %s cannot be resolved before it was answered.",
                        vendor_ticket.display_name,
                    )
                )

    # ------------------------------------------------------------------
    # actions: each stamps its moment once
    # ------------------------------------------------------------------
    def _check_open(self):
        closed = self.filtered(lambda v: v.state not in OPEN_STATES)
        if closed:
            raise UserError(
                self.env._(
                    "Vendor ticket %s is already resolved or cancelled.",
                    ", ".join(closed.mapped("display_name")),
                )
            )

    def action_answered(self):
        self._check_open()
        now = fields.Datetime.now()
        self.filtered(lambda v: not v.answered_at).write({"answered_at": now})
        self.write({"state": "answered"})
        return True

    def action_resolved(self):
        """The vendor solved it: a resolution is also an answer; the outcome defaults to resolved."""
        self._check_open()
        now = fields.Datetime.now()
        self.filtered(lambda v: not v.answered_at).write({"answered_at": now})
        self.filtered(lambda v: not v.outcome).write({"outcome": "resolved"})
        self.write({"state": "resolved", "resolved_at": now})
        return True

    def action_cancel(self):
        self._check_open()
        self.write({"state": "cancelled"})
        return True

    def action_reopen(self):
        """Back to the vendor: the first answer is kept, the resolution is cleared."""
        to_reopen = self.filtered(lambda v: v.state not in OPEN_STATES)
        to_reopen.write({"state": "sent", "resolved_at": False, "outcome": False})
        to_reopen.filtered("answered_at").write({"state": "answered"})
        return True
