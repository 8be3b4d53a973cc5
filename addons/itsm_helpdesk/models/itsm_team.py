from odoo import fields, models

SUPPORT_LINES = [
    ("1", "Line 1 - Service Desk"),
    ("2", "Line 2 - Field Support / Vendors"),
    ("3", "Line 3 - Experts"),
]


class ItsmTeam(models.Model):
    _name = "itsm.team"
    _description = "Service Desk Team"
    _inherit = ["mail.alias.mixin", "mail.thread"]
    _order = "support_line, sequence, name"

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    support_line = fields.Selection(SUPPORT_LINES, required=True, default="1", tracking=True, index=True)
    leader_id = fields.Many2one("res.users", "Team Lead", tracking=True, domain=[("share", "=", False)])
    member_ids = fields.Many2many(
        "res.users",
        "itsm_team_member_rel",
        "team_id",
        "user_id",
        string="Agents",
        domain=[("share", "=", False)],
    )
    visibility = fields.Selection(
        [
            ("all", "Every agent of its line"),
            ("members", "Team members only"),
        ],
        default="all",
        required=True,
        help="Who sees this team's tickets besides desk managers, the assignee and the ticket's followers.",
    )
    assignment_method = fields.Selection(
        [
            ("manual", "Manual"),
            ("round_robin", "Round robin"),
            ("least_open", "Least open tickets"),
        ],
        default="manual",
        required=True,
        tracking=True,
        help="Automatic methods skip agents who are on leave today.",
    )
    last_assigned_user_id = fields.Many2one("res.users", readonly=True, copy=False)
    stage_ids = fields.Many2many("itsm.stage", string="Stages")
    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        "Working Hours",
        default=lambda self: self.env.company.resource_calendar_id,
        help="Calendar of the team's working time, used for working-hours measures.",
    )
    reopen_window_days = fields.Integer(
        "Reopen Window (days)",
        default=7,
        help="Days after closing during which the requester may reopen a ticket from the portal.",
    )
    ticket_ids = fields.One2many("itsm.ticket", "team_id")
    open_ticket_count = fields.Integer(compute="_compute_ticket_counters")
    unassigned_ticket_count = fields.Integer(compute="_compute_ticket_counters")
    urgent_ticket_count = fields.Integer(compute="_compute_ticket_counters")
    escalated_ticket_count = fields.Integer(compute="_compute_ticket_counters")

    _sql_constraints = [
        (
            "reopen_window_positive",
            "CHECK (reopen_window_days >= 0)",
            "The reopen window cannot be negative.",
        ),
    ]

    def _compute_ticket_counters(self):
        """All counters of the overview come from one grouped query."""
        counters = {team.id: dict.fromkeys(("open", "unassigned", "urgent", "escalated"), 0) for team in self}
        if self.ids:
            groups = self.env["itsm.ticket"]._read_group(
                [("team_id", "in", self.ids), ("is_closed", "=", False)],
                ["team_id", "priority", "is_escalated"],
                ["__count", "user_id:count"],
            )
            for team, priority, is_escalated, count, assigned in groups:
                counter = counters[team.id]
                counter["open"] += count
                counter["unassigned"] += count - assigned
                if priority in ("1", "2"):
                    counter["urgent"] += count
                if is_escalated:
                    counter["escalated"] += count
        for team in self:
            counter = counters.get(team.id) or dict.fromkeys(("open", "unassigned", "urgent", "escalated"), 0)
            team.open_ticket_count = counter["open"]
            team.unassigned_ticket_count = counter["unassigned"]
            team.urgent_ticket_count = counter["urgent"]
            team.escalated_ticket_count = counter["escalated"]

    def _alias_get_creation_values(self):
        values = super()._alias_get_creation_values()
        values["alias_model_id"] = self.env["ir.model"]._get("itsm.ticket").id
        if self.id:
            defaults = dict(values.get("alias_defaults") or {})
            defaults["team_id"] = self.id
            defaults.setdefault("channel", "email")
            values["alias_defaults"] = defaults
        return values

    def _get_stages(self):
        """Stages usable by the team, in order: its own, plus the shared ones."""
        self.ensure_one()
        return self.env["itsm.stage"].search(["|", ("team_ids", "=", False), ("team_ids", "in", self.ids)])

    def _get_available_agents(self, at=None):
        """Members who are not on a personal leave at ``at`` (default: now).

        Leaves are those of the agents' resources in their working calendar
        (the Time Off app records them there too); public holidays concern the
        whole team and do not exclude anybody.
        """
        self.ensure_one()
        at = at or fields.Datetime.now()
        members = self.member_ids.filtered("active")
        if not members:
            return members
        leaves = (
            self.env["resource.calendar.leaves"]
            .sudo()
            ._read_group(
                [
                    ("resource_id.user_id", "in", members.ids),
                    ("date_from", "<=", at),
                    ("date_to", ">", at),
                ],
                ["resource_id"],
            )
        )
        absent = {resource.user_id.id for (resource,) in leaves}
        return members.filtered(lambda user: user.id not in absent)

    def _assign_agents(self, count):
        """Return ``count`` agents (res.users ids) picked by the team's method.

        Round robin continues after the last agent served; least open tickets
        balances open workloads, counting the agents picked in this batch.
        """
        self.ensure_one()
        if self.assignment_method == "manual" or count <= 0:
            return [False] * count
        agents = self._get_available_agents().sorted("id")
        if not agents:
            return [False] * count
        ids = agents.ids
        if self.assignment_method == "round_robin":
            last = self.last_assigned_user_id.id
            start = (ids.index(last) + 1) if last in ids else 0
            picked = [ids[(start + i) % len(ids)] for i in range(count)]
        else:
            groups = (
                self.env["itsm.ticket"]
                .sudo()
                ._read_group(
                    [("user_id", "in", ids), ("is_closed", "=", False)],
                    ["user_id"],
                    ["__count"],
                )
            )
            load = dict.fromkeys(ids, 0)
            load.update({user.id: n for user, n in groups})
            picked = []
            for _i in range(count):
                user_id = min(ids, key=lambda uid: (load[uid], uid))
                load[user_id] += 1
                picked.append(user_id)
        self.sudo().last_assigned_user_id = picked[-1]
        return picked

    def action_view_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("itsm_helpdesk.itsm_ticket_action")
        action["domain"] = [("team_id", "=", self.id)]
        action["context"] = {"default_team_id": self.id, "search_default_open": 1}
        action["display_name"] = self.name
        return action

    def action_view_unassigned(self):
        action = self.action_view_tickets()
        action["context"] = dict(action["context"], search_default_unassigned=1)
        return action

    def action_view_urgent(self):
        action = self.action_view_tickets()
        action["context"] = dict(action["context"], search_default_urgent=1)
        return action

    def action_view_escalated(self):
        action = self.action_view_tickets()
        action["context"] = dict(action["context"], search_default_escalated=1)
        return action
