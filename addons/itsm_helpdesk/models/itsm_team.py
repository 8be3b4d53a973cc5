from odoo import api, fields, models
from odoo.tools import SQL

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

    def init(self):
        res = super().init()
        # teams of a database created before the rotation sequences existed
        self.env.cr.execute("SELECT id FROM itsm_team")
        self.browse(id_ for (id_,) in self.env.cr.fetchall())._create_rotation_sequences()
        return res

    @api.model_create_multi
    def create(self, vals_list):
        teams = super().create(vals_list)
        teams._create_rotation_sequences()
        return teams

    def write(self, vals):
        result = super().write(vals)
        if {"assignment_method", "member_ids"} & set(vals):
            self._restart_rotation()
        return result

    def unlink(self):
        ids = self.ids
        result = super().unlink()
        for team_id in ids:
            self.env.cr.execute(
                SQL("DROP SEQUENCE IF EXISTS %s", SQL.identifier(f"itsm_team_rotation_{team_id}"))
            )
        return result

    # ------------------------------------------------------------------
    # round robin: the turn comes from a PostgreSQL sequence per team
    # ------------------------------------------------------------------
    # nextval() is neither transactional nor locking: concurrent creations of tickets for
    # one team each take their own turn without writing (and so without locking) a row
    # that they share. A value lost by a rolled-back transaction only skips one turn.
    def _rotation_sequence_name(self):
        self.ensure_one()
        return f"itsm_team_rotation_{self.id}"

    def _create_rotation_sequences(self):
        for team in self:
            self.env.cr.execute(
                SQL(
                    "CREATE SEQUENCE IF NOT EXISTS %s MINVALUE 0 START 0",
                    SQL.identifier(team._rotation_sequence_name()),
                )
            )

    def _restart_rotation(self):
        """The next automatic assignment goes to the first available agent (by id)."""
        self._create_rotation_sequences()
        for team in self:
            self.env.cr.execute(SQL("SELECT setval(%s::regclass, 0, false)", team._rotation_sequence_name()))

    def _next_turns(self, count):
        """Return ``count`` consecutive turns (0, 1, 2...) of the team's rotation."""
        self.ensure_one()
        self.env.cr.execute(
            SQL(
                "SELECT nextval(%s::regclass) FROM generate_series(1, %s)",
                self._rotation_sequence_name(),
                count,
            )
        )
        return [turn for (turn,) in self.env.cr.fetchall()]

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

        Round robin gives each ticket the next turn of the team's rotation, modulo
        its available agents; least open tickets balances open workloads, counting the
        agents picked in this batch. Neither writes the team: tickets created at the
        same moment for one team never wait for one another.
        """
        self.ensure_one()
        if self.assignment_method == "manual" or count <= 0:
            return [False] * count
        agents = self._get_available_agents().sorted("id")
        if not agents:
            return [False] * count
        ids = agents.ids
        if self.assignment_method == "round_robin":
            picked = [ids[turn % len(ids)] for turn in self._next_turns(count)]
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
