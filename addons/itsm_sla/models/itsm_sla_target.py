import math

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.itsm_helpdesk.models.itsm_priority_rule import PRIORITIES
from odoo.addons.itsm_helpdesk.models.itsm_ticket import TICKET_KINDS

METRICS = [
    ("response", "Response"),
    ("resolution", "Resolution"),
    ("update", "Update"),
]
RECOMMENDATIONS = [
    ("no_data", "Not enough data"),
    ("keep", "Keep"),
    ("adjust", "Adjust"),
]


class ItsmSlaTarget(models.Model):
    """A target of a contract: so many working hours for a metric, per priority and ticket kind."""

    _name = "itsm.sla.target"
    _inherit = ["itsm.sla.contract.rule"]
    _description = "SLA Target"
    _order = "contract_id, metric, priority, ticket_kind, id"

    company_id = fields.Many2one(related="contract_id.company_id", store=True)
    metric = fields.Selection(
        METRICS,
        required=True,
        default="resolution",
        help="Response: until the first reply. Resolution: until the ticket is resolved. "
        "Update: between two public updates of an agent.",
    )
    priority = fields.Selection(PRIORITIES, help="Leave empty for every priority.")
    ticket_kind = fields.Selection(TICKET_KINDS, help="Leave empty for every kind.")
    target_hours = fields.Float("Target (working hours)", required=True)
    # the trial evaluation: what the clocks measured in trial achieved against this proposed target
    trial_measured_count = fields.Integer(
        "Decided in Trial",
        compute="_compute_trial_evaluation",
        groups="base.group_user",
        help="Clocks of this target met or breached while the contract was in trial.",
    )
    trial_met_pct = fields.Float(
        "Met % in Trial", compute="_compute_trial_evaluation", groups="base.group_user"
    )
    trial_avg_hours = fields.Float(
        "Average in Trial (h)", compute="_compute_trial_evaluation", groups="base.group_user"
    )
    trial_p90_hours = fields.Float(
        "90th Percentile in Trial (h)", compute="_compute_trial_evaluation", groups="base.group_user"
    )
    trial_recommendation = fields.Selection(
        RECOMMENDATIONS,
        "Recommendation",
        compute="_compute_trial_evaluation",
        groups="base.group_user",
        help="Keep: the trial met the target as often as the contract expects. Adjust: it did not; "
        "the suggested target is the time nine tickets in ten took.",
    )
    trial_suggested_hours = fields.Float(
        "Suggested Target (h)", compute="_compute_trial_evaluation", groups="base.group_user"
    )

    _sql_constraints = [
        ("target_positive", "CHECK (target_hours > 0)", "A target must be a positive number of hours."),
    ]

    @api.depends("metric", "priority", "ticket_kind", "target_hours")
    def _compute_display_name(self):
        metrics = dict(self._fields["metric"]._description_selection(self.env))
        priorities = dict(self._fields["priority"]._description_selection(self.env))
        for target in self:
            scope = priorities.get(target.priority) or self.env._("any priority")
            hours = f"{target.target_hours:g}"
            target.display_name = self.env._(
                "%(metric)s in %(hours)sh (%(scope)s)",
                metric=metrics.get(target.metric, ""),
                hours=hours,
                scope=scope,
            )

    @api.depends("target_hours", "contract_id.trial_goal_pct")
    def _compute_trial_evaluation(self):
        """Achieved against proposed, per target, from the compliance report's figures (one query).

        A target is kept when the clocks decided in trial met it at least as often as the
        contract's expected met %; otherwise the suggestion is their 90th percentile, rounded up
        to the half hour.
        """
        ids = [target._origin.id for target in self if target._origin.id]
        rows = {}
        if ids:
            rows = {
                row["target_id"]: row
                for row in self.env["itsm.sla.report"]
                .sudo()
                ._compliance([("target_id", "in", ids), ("is_trial", "=", True)], ["target_id"])
            }
        for target in self:
            row = rows.get(target._origin.id) or {}
            decided = (row.get("met") or 0) + (row.get("breached") or 0)
            met_pct = float(row.get("met_pct") or 0.0)
            p90 = row.get("p90_hours") or 0.0
            target.trial_measured_count = decided
            target.trial_met_pct = met_pct
            target.trial_avg_hours = row.get("avg_hours") or 0.0
            target.trial_p90_hours = p90
            if not decided:
                target.trial_recommendation = "no_data"
            elif met_pct >= target.contract_id.trial_goal_pct:
                target.trial_recommendation = "keep"
            else:
                target.trial_recommendation = "adjust"
            target.trial_suggested_hours = (
                math.ceil(p90 * 2) / 2 if target.trial_recommendation == "adjust" and p90 else 0.0
            )

    @api.constrains("contract_id", "metric", "priority", "ticket_kind")
    def _check_unique_scope(self):
        for target in self:
            twins = target.contract_id.target_ids.filtered(
                lambda t, me=target: (
                    t != me
                    and (t.metric, t.priority, t.ticket_kind) == (me.metric, me.priority, me.ticket_kind)
                )
            )
            if twins:
                raise ValidationError(
                    self.env._(
                        "Contract %s already has a target for this metric, priority and kind.",
                        target.contract_id.name,
                    )
                )


class ItsmSlaThreshold(models.Model):
    """A warning or escalation fired once per ticket and target when this share of the target is used."""

    _name = "itsm.sla.threshold"
    _inherit = ["itsm.sla.contract.rule"]
    _description = "SLA Warning Threshold"
    _order = "contract_id, percent, id"

    percent = fields.Integer(
        required=True, default=75, help="Share of the target's working time, in percent."
    )
    action = fields.Selection(
        [
            ("notify_assignee", "Notify the assignee"),
            ("notify_lead", "Notify the team lead"),
            ("notify_user", "Notify a manager"),
            ("raise_priority", "Raise the priority"),
            ("escalate", "Escalate to the next support line"),
        ],
        required=True,
        default="notify_assignee",
    )
    user_id = fields.Many2one("res.users", "Manager", domain=[("share", "=", False)])
    apply_in_trial = fields.Boolean(
        "Also During Trial",
        help="Run this action for contracts in trial too; otherwise a trial only measures.",
    )

    _sql_constraints = [
        (
            "percent_range",
            "CHECK (percent > 0 AND percent <= 1000)",
            "A threshold is a percentage between 1 and 1000.",
        ),
    ]

    @api.constrains("action", "user_id")
    def _check_user(self):
        for threshold in self:
            if threshold.action == "notify_user" and not threshold.user_id:
                raise ValidationError(self.env._("Choose the manager to notify."))
