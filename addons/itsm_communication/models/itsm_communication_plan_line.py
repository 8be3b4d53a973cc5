import uuid
from datetime import timedelta

from odoo import api, fields, models

from odoo.addons.itsm_helpdesk.tools.locking import claim

from .itsm_communication_period import FREQUENCIES, local_today, period_bounds

CONTENT_KINDS = [
    ("service_report", "Service Report"),
    ("management_report", "Management Report"),
    ("kpi_digest", "KPI Digest"),
    ("satisfaction_results", "Satisfaction Results"),
    ("staff_figures", "Desk Figures for Staff"),
]
CHANNELS = [("email", "E-mail"), ("portal", "Portal"), ("meeting", "Meeting")]


class ItsmCommunicationPlanLine(models.Model):
    """One communication of a plan: a content, for a stakeholder, each period, through a channel."""

    _name = "itsm.communication.plan.line"
    _description = "Communication Plan Line"
    _order = "plan_id, sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    plan_id = fields.Many2one("itsm.communication.plan", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="plan_id.company_id", store=True, index=True)
    active = fields.Boolean(default=True)
    stakeholder_id = fields.Many2one("itsm.stakeholder", required=True, index=True, check_company=True)
    content_kind = fields.Selection(CONTENT_KINDS, "Content", required=True, default="kpi_digest")
    frequency = fields.Selection(FREQUENCIES, required=True, default="monthly")
    channel = fields.Selection(CHANNELS, required=True, default="email")
    owner_id = fields.Many2one(
        "res.users",
        required=True,
        domain=[("share", "=", False)],
        default=lambda self: self.env.user,
        help="Delivers this communication and answers the recipients.",
    )
    start_date = fields.Date(
        required=True,
        default=fields.Date.context_today,
        help="The first period delivered is the one that contains this date.",
    )
    grace_days = fields.Integer(
        "Days to Deliver", default=5, help="Days after the end of a period within which it is on time."
    )
    next_due_date = fields.Date(
        compute="_compute_next_due_date",
        store=True,
        readonly=False,
        index=True,
        help="Day after the end of the next period to deliver.",
    )
    delivery_ids = fields.One2many("itsm.communication.delivery", "line_id", "Deliveries")

    @api.depends("frequency", "start_date")
    def _compute_next_due_date(self):
        for line in self:
            if line.start_date and line.frequency:
                line.next_due_date = period_bounds(line.start_date, line.frequency)[1] + timedelta(days=1)

    @api.depends("stakeholder_id", "content_kind")
    def _compute_display_name(self):
        kinds = dict(self._fields["content_kind"]._description_selection(self.env))
        for line in self:
            line.display_name = f"{kinds.get(line.content_kind, '')} — {line.stakeholder_id.name or ''}"

    # ------------------------------------------------------------------
    # content (hooks: a module adds or replaces a content kind here)
    # ------------------------------------------------------------------
    def _get_content_payload(self, date_from, date_to):
        """The subject and HTML body of this line's content for the period ``date_from`` .. ``date_to``.

        Dispatches to ``_get_content_payload_<content kind>``; a module that produces a content
        (the service report of a customer) overrides that method and may add ``attachment_ids``.
        """
        self.ensure_one()
        values = getattr(self, f"_get_content_payload_{self.content_kind}")(date_from, date_to)
        kinds = dict(self._fields["content_kind"]._description_selection(self.env))
        values.setdefault(
            "subject",
            self.env._(
                "%(content)s for %(stakeholder)s, %(date_from)s – %(date_to)s",
                content=kinds[self.content_kind],
                stakeholder=self.stakeholder_id.name,
                date_from=date_from,
                date_to=date_to,
            ),
        )
        return values

    def _render_content(self, **values):
        return self.env["ir.qweb"]._render(
            "itsm_communication.communication_content", dict(values, line=self), minimal_qcontext=True
        )

    def _scope_figures(self, date_from, date_to, **scope):
        return self.env["itsm.communication.kpi"]._get_figures(self.company_id, date_from, date_to, **scope)

    def _get_content_payload_kpi_digest(self, date_from, date_to):
        stakeholder = self.stakeholder_id
        scope = {}
        if stakeholder.kind == "customer" and stakeholder.partner_id:
            scope["partner"] = stakeholder.partner_id
        elif stakeholder.team_id:
            scope["team"] = stakeholder.team_id
        return {"body": self._render_content(figures=self._scope_figures(date_from, date_to, **scope))}

    def _get_content_payload_service_report(self, date_from, date_to):
        return self._get_content_payload_kpi_digest(date_from, date_to)

    def _get_content_payload_satisfaction_results(self, date_from, date_to):
        return self._get_content_payload_kpi_digest(date_from, date_to)

    def _get_morale_rows(self, date_from, date_to, teams=None):
        """The staff morale of the months that start in the period (figures from enough answers only)."""
        domain = [
            ("company_id", "=", self.company_id.id),
            ("period_start", ">=", date_from),
            ("period_start", "<=", date_to),
        ]
        if teams:
            domain.append(("team_id", "in", teams.ids))
        return self.env["itsm.morale.report"].sudo().search(domain, order="period_start, team_id")

    def _get_content_payload_staff_figures(self, date_from, date_to):
        teams = self.stakeholder_id.team_id or self.env["itsm.team"].sudo().search(
            [("company_id", "=", self.company_id.id)]
        )
        team_figures = [(team, self._scope_figures(date_from, date_to, team=team)) for team in teams]
        return {
            "body": self._render_content(
                figures=self._scope_figures(date_from, date_to),
                team_figures=team_figures,
                morale=self._get_morale_rows(date_from, date_to, teams),
            )
        }

    def _get_content_payload_management_report(self, date_from, date_to):
        highlights = self.env["itsm.communication.highlight"]._get_period_highlights(
            self.company_id, date_from, date_to
        )
        return {
            "body": self._render_content(
                figures=self._scope_figures(date_from, date_to),
                highlights=highlights,
                morale=self._get_morale_rows(date_from, date_to),
            )
        }

    # ------------------------------------------------------------------
    # delivery job
    # ------------------------------------------------------------------
    @api.model
    def _cron_deliver(self, now=None, batch_size=200, companies=None):
        """Deliver each due line once for each period it has not delivered yet.

        Only due lines are read (``next_due_date`` is indexed). They are claimed: a run at the
        same moment on another node delivers others; the line's ``next_due_date`` is written in
        the same transaction as its delivery, and a unique constraint on line and period stays
        the last guard.
        """
        now = now or fields.Datetime.now()
        deliveries = self.env["itsm.communication.delivery"]
        for company in companies or self.env["res.company"].sudo().search([("active", "=", True)]):
            today = local_today(company, now)
            lines = claim(
                self.sudo(),
                [
                    ("company_id", "=", company.id),
                    ("plan_id.state", "=", "active"),
                    ("next_due_date", "<=", today),
                ],
                limit=batch_size,
                order="next_due_date, id",
            )
            deliveries |= lines._deliver_due(today, now)
        return deliveries

    def _deliver_due(self, today, now):
        """Create and send the deliveries of every period ended before ``today``, oldest first."""
        vals_list = []
        for line in self:
            due = line.next_due_date
            while due <= today:
                start, end = period_bounds(due - timedelta(days=1), line.frequency)
                vals_list.append(line._prepare_delivery(start, end))
                due = period_bounds(end + timedelta(days=1), line.frequency)[1] + timedelta(days=1)
            line.next_due_date = due
        deliveries = self.env["itsm.communication.delivery"].sudo().create(vals_list)
        deliveries._send(now)
        return deliveries

    def _prepare_delivery(self, date_from, date_to):
        """Values of this line's delivery for a period, its content computed now."""
        self.ensure_one()
        payload = self._get_content_payload(date_from, date_to)
        return {
            "line_id": self.id,
            "period_start": date_from,
            "period_end": date_to,
            "due_date": date_to + timedelta(days=1 + self.grace_days),
            "name": payload["subject"],
            "body": payload["body"],
            "attachment_ids": [(6, 0, payload.get("attachment_ids", []))],
            "recipient_partner_ids": [(6, 0, self.stakeholder_id._get_recipient_partners().ids)],
            "access_token": str(uuid.uuid4()),
        }
