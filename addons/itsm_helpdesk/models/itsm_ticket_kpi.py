from datetime import timedelta

from odoo import api, fields, models


def _hours(start, end):
    return (end - start).total_seconds() / 3600 if start and end else 0.0


class ItsmTicket(models.Model):
    """Desk KPIs stored on the ticket, so that pivot and graph views aggregate them in SQL."""

    _inherit = "itsm.ticket"

    first_response_at = fields.Datetime(
        readonly=True,
        copy=False,
        help="First reply of an agent that the requester could read.",
    )
    first_response_hours = fields.Float(
        "Hours to First Response",
        compute="_compute_kpi_hours",
        store=True,
        precompute=True,
        aggregator="avg",
        groups="base.group_user",
    )
    assignment_hours = fields.Float(
        "Hours to Assignment",
        compute="_compute_kpi_hours",
        store=True,
        precompute=True,
        aggregator="avg",
        groups="base.group_user",
    )
    resolution_hours = fields.Float(
        compute="_compute_kpi_hours",
        store=True,
        precompute=True,
        aggregator="avg",
        help="Calendar hours from report to closing.",
    )
    resolution_work_hours = fields.Float(
        "Resolution Working Hours",
        compute="_compute_resolution_work_hours",
        store=True,
        precompute=True,
        aggregator="avg",
        help="Working hours of the team's calendar from report to closing.",
        groups="base.group_user",
    )
    is_resolved_by_line1 = fields.Boolean(
        "Resolved by Line 1",
        compute="_compute_is_resolved_by_line1",
        store=True,
        precompute=True,
        help="Closed by the service desk without ever leaving line 1.",
        groups="base.group_user",
    )
    is_advice_given = fields.Boolean(
        "Advice on Prevention Given",
        tracking=True,
        help="The agent told the user how to avoid the problem next time.",
    )

    # problem management
    # internal: related fields are read as superuser, so they carry the group themselves
    problem_id = fields.Many2one(
        "itsm.problem", tracking=True, index="btree_not_null", groups="base.group_user"
    )
    problem_workaround = fields.Html(
        related="problem_id.workaround", string="Workaround", groups="base.group_user"
    )
    problem_known_error_note = fields.Text(
        related="problem_id.known_error_note", string="Known Error Note", groups="base.group_user"
    )
    problem_is_known_error = fields.Boolean(related="problem_id.is_known_error", groups="base.group_user")
    similar_incident_count = fields.Integer(
        "Similar Incidents (30 days)",
        compute="_compute_similar_incident_count",
        groups="base.group_user",
        help="Other incidents of the same service and category reported in the last 30 days.",
    )

    @api.depends("opened_at", "first_response_at", "assigned_at", "closed_at")
    def _compute_kpi_hours(self):
        for ticket in self:
            ticket.first_response_hours = _hours(ticket.opened_at, ticket.first_response_at)
            ticket.assignment_hours = _hours(ticket.opened_at, ticket.assigned_at)
            ticket.resolution_hours = _hours(ticket.opened_at, ticket.closed_at)

    @api.depends("opened_at", "closed_at", "team_id.resource_calendar_id", "company_id.resource_calendar_id")
    def _compute_resolution_work_hours(self):
        for ticket in self:
            calendar = ticket.team_id.resource_calendar_id or ticket.company_id.resource_calendar_id
            if ticket.opened_at and ticket.closed_at and calendar:
                ticket.resolution_work_hours = calendar.get_work_hours_count(
                    ticket.opened_at, ticket.closed_at, compute_leaves=True
                )
            else:
                ticket.resolution_work_hours = 0.0

    @api.depends("is_closed", "support_line", "escalation_count")
    def _compute_is_resolved_by_line1(self):
        for ticket in self:
            by_line1 = ticket.is_closed and ticket.support_line == "1" and not ticket.escalation_count
            ticket.is_resolved_by_line1 = by_line1

    def _compute_similar_incident_count(self):
        since = fields.Datetime.now() - timedelta(days=30)
        keys = {(t.service_id.id, t.category_id.id) for t in self if t.service_id}
        counts = {}
        if keys:
            groups = self.env["itsm.ticket"]._read_group(
                [
                    ("kind", "=", "incident"),
                    ("opened_at", ">=", since),
                    ("service_id", "in", [service for service, _category in keys]),
                ],
                ["service_id", "category_id"],
                ["__count"],
            )
            counts = {(service.id, category.id): count for service, category, count in groups}
        for ticket in self:
            count = counts.get((ticket.service_id.id, ticket.category_id.id), 0) if ticket.service_id else 0
            ticket.similar_incident_count = max(count - 1, 0) if ticket.kind == "incident" else count

    def message_post(self, **kwargs):
        message = super().message_post(**kwargs)
        if len(self) == 1 and not self.first_response_at and self._is_agent_reply(message):
            self.first_response_at = message.date or fields.Datetime.now()
        return message

    def _is_agent_reply(self, message):
        """A reply that the requester can read, posted in the back office by an internal user as
        themselves.

        Nothing that arrives by e-mail counts: the mail gateway cannot authenticate a sender, so a
        mail bearing an agent's address may come from anyone. Agents answer from the back office.
        """
        user = self.env.user
        return (
            message.message_type == "comment"
            and not message.is_internal
            and not message.subtype_id.internal
            and not user.share
            and user.active
            and message.author_id == user.partner_id
        )

    def action_view_similar_incidents(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("itsm_helpdesk.itsm_ticket_action")
        action.update(
            domain=[
                ("kind", "=", "incident"),
                ("service_id", "=", self.service_id.id),
                ("category_id", "=", self.category_id.id),
                ("opened_at", ">=", fields.Datetime.now() - timedelta(days=30)),
            ],
            context={},
        )
        return action
