import textwrap
import uuid
from datetime import timedelta

from lxml import html
from markupsafe import Markup, escape

from odoo import Command, api, fields, models, tools
from odoo.exceptions import UserError, ValidationError
from odoo.models import regex_order
from odoo.tools import SQL, groupby, is_html_empty
from odoo.tools.sql import create_index, drop_index, index_exists

from ..tools import demo_tickets
from ..tools.locking import claim
from .itsm_priority_rule import IMPACTS, PRIORITIES, URGENCIES
from .itsm_team import SUPPORT_LINES

# HTML characters of a description: room for the portal's 20,000 characters of text, escaped
MAX_DESCRIPTION_SIZE = 200000
TICKET_KINDS = [
    ("incident", "Incident"),
    ("service_request", "Service Request"),
    ("change_request", "Change Request"),
    ("question", "Question"),
]
CHANNELS = [
    ("portal", "Portal"),
    ("email", "E-mail"),
    ("phone", "Phone"),
    ("walk_in", "Walk-in"),
    ("monitoring", "Monitoring"),
    ("api", "API"),
]


# Fields without default that the precomputed fields of a new ticket read. Given empty in the
# create values, they spare the new-record precomputation one default_get per field and ticket
# (about a fifth of the creation time of a batch in the benchmark).
EMPTY_ON_CREATE = {
    "assigned_at": False,  # a ticket assigned at creation has its time already (setdefault)
    "closed_at": False,
    "first_line2_at": False,
    "first_response_at": False,
    "affected_user_count": 0,
    "checklist_ids": [],
    "affected_partner_ids": [],
}
# notification e-mails are queued for the mail queue, triggered this much ahead (see
# _notify_thread_by_email)
NOTIFICATION_QUEUE_DELAY = timedelta(seconds=1)
# the SQL of the domain [('active', '=', True), ('is_closed', '=', False)], word for word, so that
# PostgreSQL matches the partial indexes of the open queue with the ORM's queries
OPEN_TICKETS_SQL = "active = true AND (is_closed IS NULL OR is_closed = FALSE)"
# autovacuum passes on the tickets once this many rows changed or arrived since the last one (the
# default waits for a fifth of the table): the visibility map of the open queue stays current
QUEUE_VACUUM_THRESHOLD = 500
# the fields whose change may make a ticket a major incident
MAJOR_CRITERIA_FIELDS = {
    "kind",
    "priority",
    "impact",
    "urgency",
    "affected_user_count",
    "affected_partner_ids",
}


def _hours(start, end):
    return (end - start).total_seconds() / 3600 if start and end else 0.0


class ItsmTicket(models.Model):
    _name = "itsm.ticket"
    _description = "Service Desk Ticket"
    _inherit = ["itsm.intake.mixin", "itsm.portal.token.mixin", "mail.thread.cc", "mail.activity.mixin"]
    _intake_sequence_code = "itsm.ticket"
    _intake_sequence_prefix = "TKT%(y)s-"
    _order = "priority, id desc"
    _primary_email = "partner_email"
    _rec_names_search = ["number", "name"]
    _mail_post_access = "read"
    _check_company_auto = True

    number = fields.Char(
        "Ticket Number",
        readonly=True,
        copy=False,
        default=lambda self: self.env._("New"),
    )
    name = fields.Char("Subject", required=True, tracking=True)
    kind = fields.Selection(TICKET_KINDS, required=True, default="incident", tracking=True)
    description = fields.Html(sanitize=True, sanitize_attributes=True, sanitize_style=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    # a colour summed over a kanban column means nothing, and the sum would make the kanban's
    # grouping read every open ticket's row instead of the open queue's index
    color = fields.Integer(aggregator=None)

    # requester
    partner_id = fields.Many2one("res.partner", "Requester", tracking=True, index=True)
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", string="Customer", store=True, index=True, precompute=True
    )
    partner_email = fields.Char(
        "Requester E-mail", compute="_compute_partner_contact", store=True, readonly=False, precompute=True
    )
    partner_phone = fields.Char(
        "Requester Phone", compute="_compute_partner_contact", store=True, readonly=False, precompute=True
    )
    requester_user_id = fields.Many2one(
        "res.users",
        compute="_compute_requester_user_id",
        store=True,
        readonly=False,
        precompute=True,
        index="btree_not_null",
    )
    channel = fields.Selection(CHANNELS, required=True, default="phone", tracking=True)

    # classification
    service_id = fields.Many2one("itsm.service", tracking=True, index=True, check_company=True)
    category_id = fields.Many2one(
        "itsm.ticket.category",
        tracking=True,
        index=True,
        domain="['|', ('service_id', '=', False), ('service_id', '=', service_id)]",
    )
    tag_ids = fields.Many2many("itsm.tag", string="Tags")
    impact = fields.Selection(IMPACTS, required=True, default="3", tracking=True)
    urgency = fields.Selection(URGENCIES, required=True, default="3", tracking=True)
    priority = fields.Selection(
        PRIORITIES,
        compute="_compute_priority",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        help="Derived from impact and urgency through the priority matrix; an agent may override it.",
    )

    # dispatching
    team_id = fields.Many2one("itsm.team", tracking=True, index=True, check_company=True)
    support_line = fields.Selection(
        SUPPORT_LINES, compute="_compute_support_line", store=True, precompute=True
    )
    user_id = fields.Many2one(
        "res.users",
        "Assigned to",
        tracking=True,
        index=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    stage_id = fields.Many2one(
        "itsm.stage",
        compute="_compute_stage_id",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        index=True,
        ondelete="restrict",
        group_expand="_read_group_stage_ids",
        domain="['|', ('team_ids', '=', False), ('team_ids', 'in', team_id)]",
    )
    is_closed = fields.Boolean(related="stage_id.is_closed", store=True, precompute=True)
    is_paused = fields.Boolean(related="stage_id.is_paused", store=True, precompute=True)
    escalation_ids = fields.One2many(
        "itsm.ticket.escalation", "ticket_id", "Line Transfers", groups="base.group_user"
    )
    escalation_count = fields.Integer(readonly=True, copy=False)
    is_escalated = fields.Boolean(
        "Escalated",
        readonly=True,
        copy=False,
        help="Transferred to a back-office line and not handed back to line 1.",
    )

    # timeline
    opened_at = fields.Datetime(
        "Reported At",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        default=fields.Datetime.now,
        help="When the requester reported the issue; the start of every desk measurement.",
    )
    assigned_at = fields.Datetime("First Assigned At", readonly=True, copy=False)
    last_stage_update_at = fields.Datetime(
        "Last Stage Update", readonly=True, copy=False, default=fields.Datetime.now
    )
    closed_at = fields.Datetime(readonly=True, copy=False, index=True)
    reopen_count = fields.Integer(readonly=True, copy=False)
    is_ack_pending = fields.Boolean(
        "Acknowledgement Pending",
        readonly=True,
        copy=False,
        help="The requester has not yet been sent the e-mail of the ticket's first stage.",
        groups="base.group_user",
    )
    first_line2_at = fields.Datetime(
        "First Transfer to Line 2",
        readonly=True,
        copy=False,
        help="When the ticket first left line 1 for a back-office line.",
        groups="base.group_user",
    )
    line2_delay_hours = fields.Float(
        "Hours to Line 2",
        compute="_compute_line2_delay_hours",
        store=True,
        precompute=True,
        aggregator="avg",
        help="Calendar hours from creation to the first transfer to a back-office line.",
        groups="base.group_user",
    )

    # request catalogue
    template_id = fields.Many2one(
        "itsm.request.template",
        index="btree_not_null",
        tracking=True,
        domain="[('service_id', '=?', service_id)]",
    )
    checklist_ids = fields.One2many("itsm.ticket.checklist", "ticket_id", copy=True)
    checklist_progress = fields.Float(
        compute="_compute_checklist_progress",
        store=True,
        precompute=True,
        aggregator="avg",
        help="Share of the checklist steps done, in percent.",
    )
    answer_ids = fields.One2many("itsm.ticket.answer", "ticket_id", "Requester's Answers", copy=True)

    # major incidents
    affected_user_count = fields.Integer("Affected Users", tracking=True, groups="base.group_user")
    affected_partner_ids = fields.Many2many(
        "res.partner",
        "itsm_ticket_affected_partner_rel",
        "ticket_id",
        "partner_id",
        string="Affected Customers",
        domain=[("is_company", "=", True)],
        groups="base.group_user",
    )
    is_major_incident = fields.Boolean(
        "Major Incident",
        compute="_compute_is_major_incident",
        store=True,
        precompute=True,
        readonly=False,
        tracking=True,
        help="Set automatically when the company's criteria are met, or by hand; management is warned once.",
    )
    major_incident_manager_id = fields.Many2one(
        "res.users", tracking=True, domain=[("share", "=", False)], groups="base.group_user"
    )
    major_declared_at = fields.Datetime("Declared Major At", readonly=True, copy=False)
    major_review_ids = fields.One2many(
        "itsm.major.incident.review", "ticket_id", "Post-Incident Reviews", groups="base.group_user"
    )
    has_completed_review = fields.Boolean(compute="_compute_has_completed_review", groups="base.group_user")

    # desk KPIs, stored so that pivot and graph views aggregate them in SQL
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

    _sql_constraints = [
        ("number_company_unique", "UNIQUE(number, company_id)", "Ticket numbers are unique per company."),
    ]

    @api.constrains("description")
    def _check_description_size(self):
        for ticket in self:
            if ticket.description and len(ticket.description) > MAX_DESCRIPTION_SIZE:
                raise ValidationError(
                    self.env._(
                        "The description of a ticket is limited to %s characters: attach long logs as files.",
                        MAX_DESCRIPTION_SIZE,
                    )
                )

    # ------------------------------------------------------------------
    # computes
    # ------------------------------------------------------------------
    @api.depends("number", "name")
    def _compute_display_name(self):
        for ticket in self:
            ticket.display_name = f"{ticket.number} {ticket.name}" if ticket.number else ticket.name

    @api.depends("partner_id")
    def _compute_partner_contact(self):
        for ticket in self:
            if ticket.partner_id.email:
                ticket.partner_email = ticket.partner_id.email_normalized or ticket.partner_id.email
            if ticket.partner_id.phone or ticket.partner_id.mobile:
                ticket.partner_phone = ticket.partner_id.phone or ticket.partner_id.mobile

    @api.depends("partner_id")
    def _compute_requester_user_id(self):
        for ticket in self:
            users = ticket.partner_id.user_ids
            if users and ticket.requester_user_id not in users:
                ticket.requester_user_id = users[0]
            elif not ticket.partner_id:
                ticket.requester_user_id = False

    @api.depends("impact", "urgency", "company_id")
    def _compute_priority(self):
        rules = self.env["itsm.priority.rule"]
        for ticket in self:
            ticket.priority = rules._get_priority(ticket.company_id.id, ticket.impact, ticket.urgency)

    @api.depends("team_id.support_line")
    def _compute_support_line(self):
        for ticket in self:
            ticket.support_line = ticket.team_id.support_line or "1"

    @api.depends("team_id")
    def _compute_stage_id(self):
        stages_by_team = {}
        for ticket in self:
            team = ticket.team_id
            if team.id not in stages_by_team:
                stages_by_team[team.id] = ticket._get_team_stages()
            stages = stages_by_team[team.id]
            if ticket.stage_id not in stages:
                ticket.stage_id = stages[:1]

    @api.depends("first_line2_at")
    def _compute_line2_delay_hours(self):
        for ticket in self:
            if ticket.first_line2_at and ticket.opened_at:
                delta = ticket.first_line2_at - ticket.opened_at
                ticket.line2_delay_hours = delta.total_seconds() / 3600
            else:
                ticket.line2_delay_hours = 0.0

    @api.depends("checklist_ids.is_done")
    def _compute_checklist_progress(self):
        for ticket in self:
            steps = ticket.checklist_ids
            ticket.checklist_progress = 100.0 * len(steps.filtered("is_done")) / len(steps) if steps else 0.0

    @api.depends("kind", "priority", "affected_user_count", "affected_partner_ids", "company_id")
    def _compute_is_major_incident(self):
        for ticket in self:
            # once declared, a major incident stays one unless a person says otherwise
            ticket.is_major_incident = ticket.is_major_incident or ticket._meets_major_criteria()

    def _meets_major_criteria(self):
        self.ensure_one()
        company = self.company_id
        if self.kind != "incident":
            return False
        return bool(
            (
                company.itsm_major_min_priority
                and self.priority
                and self.priority <= company.itsm_major_min_priority
            )
            or (
                company.itsm_major_min_affected_users
                and self.affected_user_count >= company.itsm_major_min_affected_users
            )
            or (
                company.itsm_major_min_affected_customers
                and len(self.affected_partner_ids) >= company.itsm_major_min_affected_customers
            )
        )

    @api.depends("major_review_ids.state")
    def _compute_has_completed_review(self):
        for ticket in self:
            ticket.has_completed_review = "done" in ticket.major_review_ids.mapped("state")

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

    def _compute_access_url(self):
        super()._compute_access_url()
        for ticket in self:
            ticket.access_url = f"/my/tickets/{ticket.id}"

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        team_id = self.env.context.get("default_team_id")
        search_domain = [("team_ids", "=", False)]
        if team_id:
            search_domain = ["|", ("team_ids", "in", [team_id])] + search_domain
        return stages.search(search_domain)

    # ------------------------------------------------------------------
    # lifecycle: create, write, agents' replies
    # ------------------------------------------------------------------
    # Other modules extend the ticket's lifecycle through the steps below, never by overriding
    # create() or write(): what changes (closing, reopening, old stages and teams) is worked out
    # once, here, and each step runs once per call, for the whole batch, in this order.
    #
    # create(vals_list)
    #   1. _prepare_new_ticket_values(vals_list)
    #        the batch's values, completed in place before the INSERT (template defaults first)
    #   2. the INSERT; the followers of the batch subscribed in one statement
    #   3. _on_created()                          the new tickets
    # write(vals)
    #   1. _check_closing()                       the tickets about to close; may refuse, before
    #                                             anything is written
    #   2. the UPDATE, with the ticket's own dates: stage update, closing, first assignment
    #   3. _on_closed()                           the tickets that moved to a closing stage
    #   4. _on_reopened()                         the tickets that left a closing stage
    #   5. _on_team_changed(old_team_by_ticket)   when the team was written; then assignees who
    #                                             are not in their ticket's new team give way
    #   6. _on_changed(vals, old_stage_by_ticket) after every write, last
    # message_post()
    #   _on_public_reply(message)                 a reply the requester can read, posted by an
    #                                             agent in the back office (_is_agent_reply)
    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [dict(vals) for vals in vals_list]  # never alter the caller's dictionaries
        self._prepare_new_ticket_values(vals_list)
        # followers are subscribed below in one batch instead of record by record
        subscribe_creator = not self.env.context.get("mail_create_nosubscribe")
        tickets = super(
            ItsmTicket, self.with_context(itsm_batch_followers=True, mail_create_nosubscribe=True)
        ).create(vals_list)
        tickets = tickets.with_env(self.env)
        tickets._subscribe_followers(subscribe_creator)
        tickets._on_created()
        return tickets

    def write(self, vals):
        now = fields.Datetime.now()
        vals = dict(vals)
        old_team_by_ticket = {ticket.id: ticket.team_id for ticket in self} if "team_id" in vals else None
        old_stage_by_ticket = None
        closing = reopening = self.browse()
        if "stage_id" in vals:
            vals["last_stage_update_at"] = now
            old_stage_by_ticket = {ticket.id: ticket.stage_id for ticket in self}
            new_stage = self.env["itsm.stage"].browse(vals["stage_id"])
            # the old stages are read with the new one, in one query: the steps that compare
            # them (the SLA clocks) read no stage again
            (new_stage | self.stage_id).mapped("is_closed")
            if new_stage.is_closed:
                closing = self.filtered(lambda t: not t.is_closed)
            else:
                reopening = self.filtered("is_closed")
        if closing:
            closing._check_closing()
        newly_assigned = self.browse()
        if vals.get("user_id"):
            newly_assigned = self.filtered(lambda t: not t.assigned_at)
        # the common case (every ticket concerned) costs no extra UPDATE
        to_stamp = closing
        if closing and closing == self:
            vals["closed_at"], to_stamp = now, self.browse()
        if newly_assigned and newly_assigned == self:
            vals["assigned_at"], newly_assigned = now, self.browse()
        result = super().write(vals)
        if to_stamp:
            to_stamp.write({"closed_at": now})
        if newly_assigned:
            newly_assigned.write({"assigned_at": now})
        if closing:
            closing._on_closed()
        if reopening:
            reopening._on_reopened()
        if old_team_by_ticket is not None:
            self._on_team_changed(old_team_by_ticket)
            if "user_id" not in vals:
                self._reassign_outside_team(now)
        self._on_changed(vals, old_stage_by_ticket)
        return result

    @api.model
    def _prepare_new_ticket_values(self, vals_list):
        """Complete the values of a batch of new tickets, in place, before they are inserted.

        Called once per ``create`` with every ticket's values (copies the method may change).
        An extension adds its own values here, a batch at a time, rather than overriding
        ``create``: a value set now costs no UPDATE after the INSERT.
        """
        now = fields.Datetime.now()
        self._prepare_template_values(vals_list)
        teams = self.env["itsm.team"].browse({vals["team_id"] for vals in vals_list if vals.get("team_id")})
        team_company = {team.id: team.company_id.id for team in teams}
        default_company = self.env.context.get("default_company_id") or self.env.company.id
        for vals in vals_list:
            if not vals.get("company_id"):
                vals["company_id"] = team_company.get(vals.get("team_id")) or default_company
            if vals.get("user_id"):
                vals.setdefault("assigned_at", now)
            # the acknowledgement links to the portal: a token now saves an UPDATE later
            vals.setdefault("access_token", str(uuid.uuid4()))
            if vals.get("partner_id") or vals.get("partner_email"):
                vals.setdefault("is_ack_pending", True)
        self._prepare_numbers(vals_list)
        self._prepare_assignments(vals_list, now)
        self._prefetch_people(vals_list)
        for vals in vals_list:
            for fname, value in EMPTY_ON_CREATE.items():
                vals.setdefault(fname, value)

    def _on_created(self):
        """React to the creation of the tickets of ``self``, once per batch, after the INSERT.

        The desk gives the tickets of a request template their checklist and declares the
        major incidents among them.
        """
        self._copy_template_checklists()
        self._declare_new_major_incidents()

    def _check_closing(self):
        """Refuse, by raising, to close tickets of ``self`` that may not close yet.

        Called before the write, on the open tickets moving to a closing stage: a major
        incident closes once its post-incident review is completed.
        """
        unreviewed = self.filtered(lambda t: t.is_major_incident and not t.has_completed_review)
        if unreviewed:
            raise UserError(
                self.env._(
                    "A major incident can only be closed once its post-incident review is completed: %s",
                    ", ".join(unreviewed.mapped("display_name")),
                )
            )

    def _on_closed(self):
        """React to the tickets of ``self`` having moved from an open stage to a closing one.

        Their closing date is already set.
        """

    def _on_reopened(self):
        """React to the tickets of ``self`` having left a closing stage for an open one.

        The desk clears their closing date and counts the reopening.
        """
        self.write({"closed_at": False})
        for ticket in self:
            ticket.reopen_count += 1

    def _on_team_changed(self, old_team_by_ticket):
        """React to a new team on the tickets of ``self``; ``old_team_by_ticket``: {ticket id: team}.

        The desk records every change of support line (``itsm.ticket.escalation``).
        """
        self._log_line_transfers(old_team_by_ticket, fields.Datetime.now())

    def _on_changed(self, vals, old_stage_by_ticket):
        """React to any write on the tickets of ``self``, after the other steps.

        ``vals``: the values written. ``old_stage_by_ticket``: {ticket id: stage before the
        write} when the stage was written, else None.
        The desk declares the tickets that now meet the major incident criteria.
        """
        if MAJOR_CRITERIA_FIELDS.intersection(vals) or vals.get("is_major_incident"):
            self._declare_new_major_incidents()

    def _on_public_reply(self, message):
        """React to ``message``, an agent's reply to the requester posted on the ticket ``self``
        (see ``_is_agent_reply``). The first one is the ticket's first response."""
        self.ensure_one()
        if not self.first_response_at:
            self.first_response_at = message.date or fields.Datetime.now()

    @api.model
    def _prepare_template_values(self, vals_list):
        """Give the values of new tickets of a request template the template's defaults."""
        templates = self.env["itsm.request.template"].browse(
            {vals["template_id"] for vals in vals_list if vals.get("template_id")}
        )
        defaults = {template.id: template._get_ticket_defaults() for template in templates}
        for vals in vals_list:
            for key, value in defaults.get(vals.get("template_id"), {}).items():
                if value and not vals.get(key):
                    vals[key] = value

    @api.model
    def _prepare_assignments(self, vals_list, now):
        """Pre-fill the assignee of unassigned tickets of teams that assign automatically."""
        pending = [
            vals
            for vals in vals_list
            if vals.get("team_id") and not vals.get("user_id") and "user_id" not in vals
        ]
        for team_id, team_vals in groupby(pending, key=lambda vals: vals["team_id"]):
            team = self.env["itsm.team"].browse(team_id)
            if team.assignment_method == "manual":
                continue
            for vals, user_id in zip(team_vals, team._assign_agents(len(team_vals)), strict=True):
                if user_id:
                    vals.update(user_id=user_id, assigned_at=now)

    @api.model
    def _prefetch_people(self, vals_list):
        """Read the requesters, the assignees and the author of the new tickets in one query.

        Creation reads them one after the other (the requester's company and e-mail, the
        author of the creation message, the followers): prefetched together, they cost one
        query instead of three.
        """
        users = self.env.user | self.env["res.users"].browse(
            {vals["user_id"] for vals in vals_list if vals.get("user_id")}
        )
        partner_ids = {vals["partner_id"] for vals in vals_list if vals.get("partner_id")}
        partners = self.env["res.partner"].browse(partner_ids | set(users.partner_id.ids))
        partners.mapped("name")  # the first record read fetches them all

    def _subscribe_followers(self, subscribe_creator=True):
        """Subscribe creator, requester and assignee of new tickets, all tickets in one batch.

        Requesters who are customers only get the subtypes meant for customers. Nobody follows
        a ticket being created yet, so the followers are created at once, without looking for
        existing ones (Odoo's ``message_subscribe`` would do it ticket by ticket).
        """
        all_ids, _internal_ids, external_ids = self.env["mail.message.subtype"]._default_subtypes(self._name)
        creator = self.env["res.partner"]
        if subscribe_creator and self.env.user.active:
            creator = self.env.user.partner_id
        followers = []
        for ticket in self:
            for partner in creator | ticket.user_id.partner_id | ticket.partner_id:
                subtype_ids = external_ids if partner.partner_share else all_ids
                followers.append(
                    {
                        "res_model": self._name,
                        "res_id": ticket.id,
                        "partner_id": partner.id,
                        "subtype_ids": [Command.set(subtype_ids)],
                    }
                )
        if followers:
            self.env["mail.followers"].sudo().create(followers)

    def _message_auto_subscribe(self, updated_values, followers_existing_policy="skip"):
        if self.env.context.get("itsm_batch_followers"):
            return True
        return super()._message_auto_subscribe(updated_values, followers_existing_policy)

    def _copy_template_checklists(self):
        """Give each new ticket of a template its own copy of the template's steps, in one create."""
        values = [
            {"ticket_id": ticket.id, "sequence": item.sequence, "name": item.name}
            for ticket in self.filtered(lambda t: t.template_id and not t.checklist_ids)
            for item in ticket.template_id.checklist_item_ids
        ]
        if values:
            self.env["itsm.ticket.checklist"].create(values)

    def _log_line_transfers(self, old_teams, now):
        """Record every change of support line with who, when, why and which lines."""
        reason = self.env.context.get("itsm_transfer_reason") or self.env._("Team changed on the ticket")
        logs, bodies = [], {}
        to_line2, up, back_to_line1 = self.browse(), self.browse(), self.browse()
        for ticket in self:
            old_team = old_teams[ticket.id]
            old_line = old_team.support_line or "1"
            if old_line == ticket.support_line:
                continue
            direction = "up" if ticket.support_line > old_line else "down"
            logs.append(
                {
                    "ticket_id": ticket.id,
                    "direction": direction,
                    "from_team_id": old_team.id,
                    "to_team_id": ticket.team_id.id,
                    "from_line": old_line,
                    "to_line": ticket.support_line,
                    "reason": reason,
                    "user_id": self.env.uid,
                }
            )
            line_labels = dict(self._fields["support_line"]._description_selection(self.env))
            bodies[ticket.id] = Markup("<p><b>%s</b> %s → %s</p><p>%s</p>") % (
                self.env._("Escalated") if direction == "up" else self.env._("De-escalated"),
                line_labels[old_line],
                line_labels[ticket.support_line],
                reason,
            )
            if direction == "up":
                up |= ticket
                if not ticket.first_line2_at:
                    to_line2 |= ticket
            elif ticket.support_line == "1":
                back_to_line1 |= ticket
        if not logs:
            return
        self.env["itsm.ticket.escalation"].sudo().create(logs)
        for ticket in self.browse([log["ticket_id"] for log in logs]):
            ticket.escalation_count += 1
        if up:
            up.write({"is_escalated": True})
        if to_line2:
            to_line2.write({"first_line2_at": now})
        if back_to_line1:
            back_to_line1.write({"is_escalated": False})
        self.browse(list(bodies))._message_log_batch(bodies=bodies)

    def _reassign_outside_team(self, now):
        """After a team change, an assignee who is not in the new team gives way to it."""
        moved = self.filtered(lambda t: t.team_id and t.user_id and t.user_id not in t.team_id.member_ids)
        if not moved:
            return
        # automatic dispatch puts tickets in the agents' queues without an e-mail per ticket,
        # as on creation; an assignment made by a person notifies the assignee
        quiet = self.with_context(mail_auto_subscribe_no_notify=True)
        for team, tickets in groupby(moved, key=lambda t: t.team_id):
            agents = team._assign_agents(len(tickets))
            for user_id, user_tickets in groupby(zip(tickets, agents, strict=True), key=lambda pair: pair[1]):
                quiet.browse([t.id for t, _agent in user_tickets]).write({"user_id": user_id})

    def _declare_new_major_incidents(self):
        """Give new major incidents their manager and warn management, once per ticket.

        Tickets are stamped with one write per manager and the chatter records are posted in
        one batch; each ticket still sends its own warning, linked to it.
        """
        declared = self.filtered(lambda t: t.is_major_incident and not t.major_declared_at)
        if not declared:
            return
        now = fields.Datetime.now()
        by_manager = groupby(
            declared,
            key=lambda t: (
                t.major_incident_manager_id or t.company_id.itsm_major_manager_id or t.team_id.leader_id
            ),
        )
        for manager, tickets in by_manager:
            self.browse([t.id for t in tickets]).write(
                {"major_declared_at": now, "major_incident_manager_id": manager.id}
            )
        logs = {ticket.id: ticket._notify_major_incident() for ticket in declared}
        declared._message_log_batch(bodies=logs)

    def _notify_major_incident(self):
        """Warn the company's management (chosen users and group) and the manager, and nobody else.

        Returns the note that records the warning in the ticket's chatter.
        """
        self.ensure_one()
        recipients = self.company_id._itsm_major_recipients() | self.major_incident_manager_id.partner_id
        body = Markup("<p>%s</p><p>%s</p>") % (
            self.env._("Major incident declared: %(ticket)s", ticket=self.display_name),
            self.env._(
                "Priority %(priority)s, %(users)s affected users, %(customers)s affected customers. "
                "Manager: %(manager)s.",
                priority=dict(self._fields["priority"]._description_selection(self.env)).get(self.priority),
                users=self.affected_user_count,
                customers=len(self.affected_partner_ids),
                manager=self.major_incident_manager_id.name or "-",
            ),
        )
        if recipients:
            self.message_notify(
                partner_ids=recipients.ids,
                body=body,
                subject=self.env._("[Major incident] %s", self.display_name),
                email_layout_xmlid="mail.mail_notification_light",
            )
            for user in recipients.user_ids:
                user._bus_send(
                    "simple_notification",
                    {
                        "type": "danger",
                        "sticky": True,
                        "title": self.env._("Major incident"),
                        "message": self.display_name,
                    },
                )
        return Markup("%s<p>%s</p>") % (
            body,
            self.env._(
                "Warned: %s",
                ", ".join(recipients.mapped("name")) or self.env._("nobody (no management configured)"),
            ),
        )

    # ------------------------------------------------------------------
    # acknowledgements
    # ------------------------------------------------------------------
    @api.model
    def _cron_send_acknowledgements(self, batch_size=1000):
        """Send new tickets the e-mail of their first stage (the acknowledgement), in batches.

        Creating tickets only flags them (a partial index finds them); this job, run every
        minute, renders and queues the e-mails per template, so that creating a ticket
        stays cheap and a batch of tickets costs one rendering pass. The tickets are claimed
        (``claim``): a run on another node at the same moment acknowledges other tickets.
        """
        tickets = claim(self, [("is_ack_pending", "=", True)], limit=batch_size, order="id")
        to_notify = tickets.filtered(lambda t: t.stage_id.template_id and (t.partner_id or t.partner_email))
        for template, group in groupby(to_notify, key=lambda t: t.stage_id.template_id):
            self.browse(t.id for t in group)._send_acknowledgements(template)
        tickets.write({"is_ack_pending": False})
        if len(tickets) == batch_size:
            self.env.ref("itsm_helpdesk.ir_cron_send_acknowledgements")._trigger()
        return len(tickets)

    def _send_acknowledgements(self, template):
        """Queue ``template``'s e-mail to the requester of each ticket of ``self``; return the mails.

        What ``mail.template.send_mail_batch`` does, at a cost that does not follow the tickets
        in queries and much less in time: the subject and recipients are rendered by the
        template's batch rendering (``_generate_template``, one pass per language), the body's
        QWeb is compiled once per language instead of once per ticket, the light layout is
        rendered once per language and company (``_ack_layout``), and every ``mail.mail`` is
        created by one ``create``. The message that the chatter shows keeps the template's
        body, written as rendered: the template's source was sanitised when saved and its
        output escapes every value, so sanitising it again (a third of the time) adds nothing.
        """
        template.ensure_one()
        if not self:
            return self.env["mail.mail"]
        template._send_check_access(self.ids)
        langs = template._render_lang(self.ids) if template.lang else {}
        companies = self._mail_get_companies(default=self.env.company)
        layouts = {
            (lang, company): self._ack_layout(lang, company)
            for lang, company in {
                (langs.get(ticket.id) or False, companies.get(ticket.id) or self.env.company)
                for ticket in self
            }
        }
        if None in layouts.values():
            return template.send_mail_batch(
                self.ids,
                email_values={"is_notification": True, "message_type": "email_outgoing"},
                email_layout_xmlid="mail.mail_notification_light",
            )
        fnames = (
            "auto_delete",
            "email_cc",
            "email_from",
            "email_to",
            "mail_server_id",
            "model",
            "partner_to",
            "reply_to",
            "res_id",
            "scheduled_date",
            "subject",
        )
        values = {}
        # the requesters' languages are rendered above: each language's tickets are rendered in
        # it at once (the preview's context key), instead of rendering the languages a second time
        for lang, res_ids in groupby(self.ids, key=lambda res_id: langs.get(res_id) or False):
            values.update(
                template.with_context(template_preview_lang=lang)._generate_template(res_ids, fnames)
            )
        bodies = self._ack_render_bodies(template, langs)
        Render = self.env["mail.render.mixin"]
        vals_list, chatter_bodies = [], []
        for ticket in self:
            vals = values[ticket.id]
            lang = langs.get(ticket.id) or False
            company = companies.get(ticket.id) or self.env.company
            head, middle, tail, name_mark = layouts[lang, company]
            body = bodies[ticket.id]
            name = ticket.display_name.replace("/", "-")
            preview = textwrap.shorten(tools.mail.html_to_inner_content(body), 190)
            body_html = "".join(
                (
                    head.replace(name_mark, escape(name)),
                    escape(preview),
                    middle.replace(name_mark, escape(name)),
                    Render._replace_local_links(body),
                    tail.replace(name_mark, escape(name)),
                )
            )
            if not vals.get("email_from"):
                vals.pop("email_from", None)
            vals.pop("attachment_ids", None)
            vals.update(
                recipient_ids=[Command.link(pid) for pid in vals.pop("partner_ids", None) or ()],
                body_html=body_html,
                is_notification=True,
                message_type="email_outgoing",
            )
            vals_list.append(vals)
            chatter_bodies.append(body)
        mails = self.env["mail.mail"].sudo().create(vals_list)
        self.env.cr.execute(
            SQL(
                """
                UPDATE mail_message m SET body = b.body
                  FROM unnest(%s::int[], %s::text[]) AS b(id, body)
                 WHERE m.id = b.id
                """,
                [mail.mail_message_id.id for mail in mails],
                [str(body) for body in chatter_bodies],
            )
        )
        mails.mail_message_id.invalidate_recordset(["body"])
        return mails

    def _ack_render_bodies(self, template, langs):
        """``template``'s body rendered for each ticket of ``self``: {ticket id: Markup}.

        ``mail.template._render_field`` compiles the body's QWeb once per record; the source
        is the same for every ticket of a language, so it is compiled once per language here
        and the compiled function is called per ticket, with the variables Odoo's rendering
        gives a template (``object``, ``ctx``, formatting helpers).
        """
        result = {}
        variables = template._render_eval_context()
        restricted = not (
            template._unrestricted_rendering
            or self.env.is_admin()
            or self.env.user.has_group("mail.group_mail_template_editor")
        )
        for lang, tickets in groupby(self, key=lambda t: langs.get(t.id) or False):
            localized = template.with_context(lang=lang) if lang else template
            source = localized.body_html
            if not source:
                result.update(dict.fromkeys([t.id for t in tickets], Markup()))
                continue
            qweb = self.env["ir.qweb"].with_context(lang=lang) if lang else self.env["ir.qweb"]
            if restricted:
                qweb = qweb.with_context(raise_on_forbidden_code_for_model=self._name)
            functions, def_name = qweb._compile(html.fragment_fromstring(source, create_parent="div"))
            for ticket in tickets:
                ticket_values = dict(variables, object=ticket.with_context(lang=lang) if lang else ticket)
                rendering = functions[def_name](qweb._prepare_environment(ticket_values), ticket_values)
                # without the <div> that wraps the template's nodes into one
                result[ticket.id] = Markup("".join(rendering)[5:-6])
        return result

    def _ack_layout(self, lang, company):
        """The light e-mail layout of ``lang`` and ``company`` split around the message.

        Returns (head, middle, tail, name_mark): an acknowledgement is head + its preview +
        middle + its body + tail, with its ticket's name in place of ``name_mark``. The
        layout depends on the ticket only through the message's body, preview and record
        name: it is rendered once, with marks in their place.
        """
        mark = uuid.uuid4().hex
        body_mark, name_mark = f"itsmbody{mark}", f"itsmname{mark}"
        ir_model = self.env["ir.model"]._get(self._name)
        model_lang = ir_model.with_context(lang=lang) if lang else ir_model
        message = (
            self.env["mail.message"]
            .sudo()
            .new({"body": Markup("<p>%s</p>") % body_mark, "record_name": name_mark})
        )
        layout = model_lang.env["ir.qweb"]._render(
            "mail.mail_notification_light",
            {
                "message": message,
                "subtype": self.env["mail.message.subtype"].sudo(),
                "model_description": model_lang.display_name,
                "record": self.browse(),
                "record_name": False,
                "subtitles": False,
                "company": company,
                "email_add_signature": False,
                "signature": "",
                "website_url": "",
                "is_html_empty": is_html_empty,
            },
            minimal_qcontext=True,
        )
        layout = self.env["mail.render.mixin"]._replace_local_links(layout)
        head, _sep, rest = str(layout).partition(body_mark)
        middle, _sep, tail = rest.partition(f"<p>{body_mark}</p>")
        if not _sep or body_mark in tail:
            return None  # a layout that places the message otherwise: rendered per ticket
        return head, middle, tail, name_mark

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------
    def _get_team_stages(self):
        self.ensure_one()
        if self.team_id:
            return self.team_id._get_stages()
        return self.env["itsm.stage"].search([("team_ids", "=", False)])

    def _get_closing_stage(self):
        self.ensure_one()
        return self._get_team_stages().filtered("is_closed")[:1]

    def _get_reopen_stage(self):
        self.ensure_one()
        return self._get_team_stages().filtered(lambda s: not s.is_closed and not s.is_paused)[:1]

    def _can_reopen(self):
        """Closed less than the team's reopen window ago."""
        self.ensure_one()
        if not self.is_closed or not self.closed_at:
            return False
        window = self.team_id.reopen_window_days if self.team_id else 7
        return fields.Datetime.now() <= self.closed_at + timedelta(days=window)

    def action_close(self):
        for ticket in self.filtered(lambda t: not t.is_closed):
            stage = ticket._get_closing_stage()
            if not stage:
                raise UserError(
                    self.env._("No closing stage is configured for team %s.", ticket.team_id.display_name)
                )
            ticket.stage_id = stage
        return True

    def action_reopen(self):
        for ticket in self:
            if not ticket._can_reopen():
                raise UserError(
                    self.env._(
                        "Ticket %s can no longer be reopened: its reopen window has passed.", ticket.number
                    )
                )
            ticket.stage_id = ticket._get_reopen_stage()
        return True

    def action_assign_to_me(self):
        self.write({"user_id": self.env.uid})
        return True

    def action_open_escalate_wizard(self):
        return self._open_transfer_wizard("up")

    def action_open_deescalate_wizard(self):
        return self._open_transfer_wizard("down")

    def _open_transfer_wizard(self, direction):
        action = self.env["ir.actions.act_window"]._for_xml_id("itsm_helpdesk.itsm_ticket_escalate_action")
        action["context"] = {"active_ids": self.ids, "default_direction": direction}
        return action

    @api.onchange("template_id")
    def _onchange_template_id(self):
        if self.template_id:
            self.update(self.template_id._get_ticket_defaults())

    def action_declare_major_incident(self):
        self.write({"is_major_incident": True})
        return True

    def action_open_major_update(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Status Update"),
            "res_model": "itsm.major.incident.update",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

    def action_open_major_review(self):
        self.ensure_one()
        review = self.major_review_ids[:1] or self.env["itsm.major.incident.review"].create(
            {"ticket_id": self.id}
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "itsm.major.incident.review",
            "res_id": review.id,
            "view_mode": "form",
        }

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

    # ------------------------------------------------------------------
    # mail
    # ------------------------------------------------------------------
    def _track_template(self, changes):
        res = super()._track_template(changes)
        ticket = self[0]
        if (
            "stage_id" in changes
            and ticket.stage_id.template_id
            and (ticket.partner_id or ticket.partner_email)
        ):
            res["stage_id"] = (
                ticket.stage_id.template_id,
                {
                    "auto_delete_keep_log": False,
                    "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note"),
                    "email_layout_xmlid": "mail.mail_notification_light",
                },
            )
        return res

    def message_post(self, **kwargs):
        message = super().message_post(**kwargs)
        if len(self) == 1 and self._is_agent_reply(message):
            self._on_public_reply(message)
        return message

    def _notify_thread_by_email(self, message, recipients_data, msg_vals=False, **kwargs):
        """Queue the e-mails that notify a ticket's followers for the mail queue, which sends them
        within the minute.

        Odoo sends them by default in the request that posted the message, once it is committed:
        a requester on the portal, an agent replying or the mail gateway would wait for the SMTP
        server, each e-mail with a cursor and a connection of its own. Queued, they are sent
        together by the mail queue. Its trigger is set a moment ahead: an immediate one would wake
        the cron threads through a new database connection per message; this one is found by
        their next poll (every minute at most). A caller that asks for sending at once
        (``force_send`` or the ``mail_notify_force_send`` context) still gets it.
        """
        force_send = self.env.context.get("mail_notify_force_send", kwargs.setdefault("force_send", False))
        result = super()._notify_thread_by_email(message, recipients_data, msg_vals=msg_vals, **kwargs)
        if not force_send and any(recipient["notif"] == "email" for recipient in recipients_data):
            mail_queue_id = self.env["ir.model.data"]._xmlid_to_res_id("mail.ir_cron_mail_scheduler_action")
            self.env["ir.cron"].sudo().browse(mail_queue_id)._trigger(
                fields.Datetime.now() + NOTIFICATION_QUEUE_DELAY
            )
        return result

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

    def _creation_message(self):
        return self.env._("Ticket created")

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A new e-mail to a team alias opens a ticket for its sender.

        ``custom_values`` may carry ``itsm_reply_to_ticket_id``: the ticket an outsider replied to
        (see ``_get_reply_as_new_values``), which the new ticket mentions in an internal note.
        """
        values, _author = self._prepare_mail_intake_values(msg_dict, custom_values)
        replied_ticket = self.browse(values.pop("itsm_reply_to_ticket_id", None) or [])
        if len(values["description"] or "") > MAX_DESCRIPTION_SIZE:
            # the whole mail stays in the conversation; the description keeps its beginning
            values["description"] = values["description"][: MAX_DESCRIPTION_SIZE - 1000] + str(
                Markup("<p><em>%s</em></p>")
                % self.env._("(truncated: the whole e-mail is in the conversation)")
            )
        ticket = super(ItsmTicket, self.with_context(mail_create_nosubscribe=True)).message_new(
            msg_dict, values
        )
        if replied_ticket:
            ticket._message_log(
                body=Markup("<p>%s</p>")
                % self.env._(
                    "This e-mail replied to ticket %s, in which its sender takes no part: "
                    "it was opened as a ticket of its own.",
                    replied_ticket.number,
                )
            )
        return ticket

    @api.model
    def _intake_sequence_name(self):
        return self.env._("Service Desk Tickets")

    def _get_reply_as_new_values(self, route):
        """An outsider's reply opens a ticket for the same team, which mentions this one."""
        return dict(
            super()._get_reply_as_new_values(route), team_id=self.team_id.id, itsm_reply_to_ticket_id=self.id
        )

    def _is_mail_participant(self, author, email_from):
        """The requester, a follower, or a contact of the ticket's customer."""
        return super()._is_mail_participant(author, email_from) or bool(
            author
            and self.commercial_partner_id
            and author.commercial_partner_id == self.commercial_partner_id
        )

    def _message_get_suggested_recipients(self):
        recipients = super()._message_get_suggested_recipients()
        if self.partner_id:
            self._message_add_suggested_recipient(
                recipients, partner=self.partner_id, reason=self.env._("Requester")
            )
        elif self.partner_email:
            self._message_add_suggested_recipient(
                recipients, email=self.partner_email, reason=self.env._("Requester E-mail")
            )
        return recipients

    def _get_report_base_filename(self):
        self.ensure_one()
        return self.env._("Ticket %s", self.number)

    # ------------------------------------------------------------------
    # database and demo
    # ------------------------------------------------------------------
    @api.model
    def _read_group_orderby(self, order, groupby_terms, query):
        # Grouped by stage (the kanban's columns and progress bars), Odoo orders the groups by the
        # stages' own order through a join of every ticket to its stage, made before the
        # grouping: at 100,000 open tickets the join costs more than the count. The groups are
        # ordered by their stage's sequence after the grouping instead: the same order.
        if not order or "stage_id" not in groupby_terms:
            return super()._read_group_orderby(order, groupby_terms, query)
        terms = []
        for part in order.split(","):
            match = regex_order.match(part)
            if not match or match["term"] != "stage_id":
                terms.append(super()._read_group_orderby(part, groupby_terms, query))
                continue
            direction = SQL((match["direction"] or "ASC").upper())
            nulls = SQL((match["nulls"] or "").upper())
            stage = groupby_terms["stage_id"]
            terms.append(
                SQL(
                    "(SELECT sequence FROM itsm_stage WHERE id = %s) %s %s, %s %s %s",
                    stage,
                    direction,
                    nulls,
                    stage,
                    direction,
                    nulls,
                )
            )
        return SQL(", ").join(term for term in terms if term)

    def init(self):
        res = super().init()
        cr = self.env.cr
        # The open queue, three partial indexes of the open tickets only (closed ones are in
        # none), each read by index-only scans:
        # - by stage and company (every user's domain holds the company rule): the queue
        #   counted by stage, the kanban's columns; the narrowest, its entries deduplicated;
        # - by stage in the model's order (_order), with the columns of the agents' record rules
        #   and of the team overview's counters: each column's first cards and its count, the
        #   progress bars by priority, and the counts of an agent or of the overview;
        # - in the model's order: the first page of the ticket list.
        drop_index(cr, "itsm_ticket_open_stage_index", self._table)  # by stage only, before the company
        create_index(
            cr,
            "itsm_ticket_open_stage_company_index",
            self._table,
            ["stage_id", "company_id"],
            where=OPEN_TICKETS_SQL,
        )
        if not index_exists(cr, "itsm_ticket_open_queue_index"):
            cr.execute(
                SQL(
                    "CREATE INDEX itsm_ticket_open_queue_index ON itsm_ticket (stage_id, priority, id DESC)"
                    " INCLUDE (company_id, team_id, user_id, support_line, is_escalated) WHERE %s",
                    SQL(OPEN_TICKETS_SQL),
                )
            )
        create_index(
            cr, "itsm_ticket_open_order_index", self._table, ["priority", "id DESC"], where=OPEN_TICKETS_SQL
        )
        # Index-only scans skip the rows of the pages that the visibility map marks all-visible;
        # only VACUUM sets those marks. By default autovacuum waits for a fifth of the table to
        # change: on a desk with a million closed tickets, months during which the open queue's
        # pages are read row by row. A pass starts after QUEUE_VACUUM_THRESHOLD changed or new
        # rows and reads only the pages changed since the last one. It always cleans the
        # indexes (vacuum_index_cleanup): left to itself, PostgreSQL skips them while dead rows
        # are on fewer than 2 % of the pages, and a page whose dead rows stay listed in the
        # indexes is not marked all-visible, which would leave the changed pages unmarked.
        cr.execute(
            SQL(
                "ALTER TABLE itsm_ticket SET (autovacuum_vacuum_scale_factor = 0,"
                " autovacuum_vacuum_threshold = %s, autovacuum_vacuum_insert_scale_factor = 0,"
                " autovacuum_vacuum_insert_threshold = %s, vacuum_index_cleanup = on)",
                QUEUE_VACUUM_THRESHOLD,
                QUEUE_VACUUM_THRESHOLD,
            )
        )
        # the tickets whose acknowledgement is still to send, in the order the job reads them: a
        # handful among all tickets. The ORM stores False, not NULL, so the btree_not_null index
        # the field once declared held every ticket; this one holds the pending ones only
        drop_index(self.env.cr, "itsm_ticket__is_ack_pending_index", self._table)
        create_index(
            self.env.cr, "itsm_ticket_ack_pending_index", self._table, ["id"], where="is_ack_pending"
        )
        # A change of a ticket's row that cannot stay on its page (a stage change, a deadline
        # moved by a public holiday: every open ticket at once) writes an entry in each index
        # whose predicate the new row meets: the ticket's cost of writing grows with its
        # indexes. The flags few tickets carry have an index of those tickets only; columns of
        # a handful of values (kind, priority, support line, closed) have none, since a search
        # on one value reads a large share of the table, which PostgreSQL reads whole, and the
        # open queue's indexes above hold priority, support line and escalation; the ticket
        # number is found through the unique index of (number, company).
        for flag in ("is_escalated", "is_major_incident"):
            drop_index(cr, f"itsm_ticket__{flag}_index", self._table)
            create_index(cr, f"itsm_ticket_{flag[3:]}_index", self._table, ["id"], where=flag)
        for fname in ("number", "kind", "priority", "support_line", "is_closed"):
            drop_index(cr, f"itsm_ticket__{fname}_index", self._table)
        return res

    @api.model
    def _demo_generate_tickets(self):
        """Demo data (demo/itsm_demo.xml): a year of the desk's history, see tools/demo_tickets.py."""
        return demo_tickets.generate_tickets(self.env)
