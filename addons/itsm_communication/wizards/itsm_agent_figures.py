from odoo import api, fields, models

from ..models.itsm_communication_period import period_bounds, utc_range


class ItsmAgentFigures(models.TransientModel):
    """An agent's own workload and recognition over a period: shown to the agent, about the agent only."""

    _name = "itsm.agent.figures"
    _description = "My Service Desk Figures"

    user_id = fields.Many2one("res.users", "Agent", default=lambda self: self.env.user, readonly=True)
    date_from = fields.Date(
        required=True, default=lambda self: period_bounds(fields.Date.context_today(self), "monthly")[0]
    )
    date_to = fields.Date(
        required=True, default=lambda self: period_bounds(fields.Date.context_today(self), "monthly")[1]
    )
    assigned_count = fields.Integer("Tickets Assigned", compute="_compute_figures")
    closed_count = fields.Integer("Tickets Closed", compute="_compute_figures")
    first_line_count = fields.Integer(
        "Resolved at First Line", compute="_compute_figures", help="Closed without a transfer to line 2."
    )
    open_count = fields.Integer("Open Now", compute="_compute_figures")
    compliment_count = fields.Integer(
        "Compliments", compute="_compute_figures", help="Ratings of 4 or 5 of the tickets you closed."
    )
    rating_average = fields.Float("Average Rating", compute="_compute_figures", digits=(3, 2))

    @api.model_create_multi
    def create(self, vals_list):
        # one's own figures only, whatever the client sends
        return super().create([dict(vals, user_id=self.env.user.id) for vals in vals_list])

    @api.depends("user_id", "date_from", "date_to")
    def _compute_figures(self):
        Ticket = self.env["itsm.ticket"].sudo()
        for figures in self:
            user = figures.user_id
            start, end = utc_range(self.env.company, figures.date_from, figures.date_to)
            mine = [("user_id", "=", user.id)]
            [(assigned,)] = Ticket._read_group(
                mine + [("assigned_at", ">=", start), ("assigned_at", "<", end)], [], ["__count"]
            )
            closed_domain = mine + [("closed_at", ">=", start), ("closed_at", "<", end)]
            closed = dict(Ticket._read_group(closed_domain, ["is_escalated"], ["__count"]))
            [(open_now,)] = Ticket._read_group(mine + [("is_closed", "=", False)], [], ["__count"])
            rated_domain = [
                ("res_model", "=", "itsm.ticket"),
                ("res_id", "in", Ticket._search(closed_domain)),
                ("consumed", "=", True),
                ("is_default", "=", False),
            ]
            Rating = self.env["rating.rating"].sudo()
            [(rated, average)] = Rating._read_group(rated_domain, [], ["__count", "rating:avg"])
            [(compliments,)] = Rating._read_group(rated_domain + [("rating", ">=", 4)], [], ["__count"])
            figures.assigned_count = assigned
            figures.closed_count = sum(closed.values())
            figures.first_line_count = closed.get(False, 0)
            figures.open_count = open_now
            figures.compliment_count = compliments
            figures.rating_average = average if rated else 0.0

    def action_open_team_morale(self):
        """The morale of the agent's own teams, month by month (figures from enough answers only)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("itsm_communication.itsm_morale_report_action")
        teams = self.env["itsm.team"].search(
            ["|", ("member_ids", "in", self.env.user.ids), ("leader_id", "=", self.env.user.id)]
        )
        action["domain"] = [("team_id", "in", teams.ids)]
        return action
