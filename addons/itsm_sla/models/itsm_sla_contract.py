from collections import defaultdict
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models, tools
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression

from odoo.addons.itsm_helpdesk.tools.locking import claim

from ..tools import demo_contracts
from .itsm_contract_constants import AGREEMENT_KINDS, CONTRACT_STATES


@dataclass(frozen=True)
class ContractRule:
    """What matching and the clock rules read of a contract: plain values, kept in the registry cache.

    Ids stand for records (``False`` for none); ``targets`` holds (id, metric, priority, ticket
    kind, hours) per target and ``percents`` the warning thresholds in ascending order.
    ``party_id`` is the party of a kind of agreement added by another module (the vendor of an
    underpinning contract with *itsm_sla_vendor*): see ``_get_rule_party``.
    """

    id: int
    company_id: int
    kind: str
    partner_id: int
    team_id: int
    party_id: int
    service_ids: frozenset
    calendar_id: int  # False for a 24x7 contract
    state: str
    response_on: str
    targets: tuple
    percents: tuple

    @property
    def metrics(self):
        return sorted({target[1] for target in self.targets})

    def covers(self, service_id):
        return not self.service_ids or service_id in self.service_ids

    def target(self, metric, priority, kind):
        """The most specific target (id, hours) for a metric, priority and ticket kind, or None."""
        candidates = [
            t for t in self.targets if t[1] == metric and t[2] in (priority, False) and t[3] in (kind, False)
        ]
        if not candidates:
            return None
        best = min(candidates, key=lambda t: (not t[2], not t[3], t[0]))
        return best[0], best[4]


# the contract fields of its ContractRule, and those that put it in force or out
RULE_FIELDS = [
    "company_id",
    "kind",
    "partner_id",
    "team_id",
    "service_ids",
    "calendar_id",
    "is_24x7",
    "state",
    "response_on",
    "target_ids",
    "threshold_ids",
    "active",
    "date_end",
]


class ItsmSlaContract(models.Model):
    """A service level agreement with a customer, or an operational level agreement with a team.

    Other modules add kinds of underpinning agreements (*itsm_sla_vendor*: contracts with
    vendors) through the ``_get_rule_*`` hooks and ``itsm.ticket._sla_get_party_rules``.

    A contract without customer is the company's default agreement: it applies to every
    ticket whose customer has no contract of its own for the ticket's service.
    """

    _name = "itsm.sla.contract"
    _description = "SLA Contract"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "state_sequence, name"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    kind = fields.Selection(AGREEMENT_KINDS, required=True, default="customer", tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        "Customer",
        tracking=True,
        index=True,
        domain=[("is_company", "=", True)],
        help="Leave empty for the company's default agreement.",
    )
    team_id = fields.Many2one(
        "itsm.team",
        "Internal Team",
        tracking=True,
        check_company=True,
        help="Operational level agreements measure the time tickets spend with this team.",
    )
    service_ids = fields.Many2many(
        "itsm.service", string="Services", help="Services covered; none means every service."
    )
    requirement_id = fields.Many2one(
        "itsm.sla.requirement", "Service Level Requirement", readonly=True, groups="base.group_user"
    )
    calendar_id = fields.Many2one(
        "resource.calendar",
        "Working Hours",
        default=lambda self: self.env.company.resource_calendar_id,
        help="Targets count the working time of this calendar, in its time zone, minus its public holidays.",
    )
    is_24x7 = fields.Boolean("24x7", help="Targets count every hour of every day.")
    tz = fields.Selection(related="calendar_id.tz", string="Time Zone")
    date_start = fields.Date("Valid From", required=True, default=fields.Date.context_today, tracking=True)
    date_end = fields.Date("Valid Until", tracking=True)
    state = fields.Selection(CONTRACT_STATES, default="draft", required=True, tracking=True, index=True)
    state_sequence = fields.Integer(compute="_compute_state_sequence", store=True)
    signed_date = fields.Date("Signed On", tracking=True)
    owner_id = fields.Many2one(
        "res.users",
        "Service Level Manager",
        default=lambda self: self.env.user,
        tracking=True,
        domain=[("share", "=", False)],
        groups="base.group_user",
    )
    review_interval_months = fields.Integer("Review Every (months)", default=12, groups="base.group_user")
    next_review_date = fields.Date(tracking=True, groups="base.group_user")
    response_on = fields.Selection(
        [
            ("reply", "First public reply of an agent"),
            ("stage", "First move into a working stage"),
        ],
        "Response Met By",
        default="reply",
        required=True,
    )
    target_ids = fields.One2many("itsm.sla.target", "contract_id", "Targets", copy=True)
    trial_goal_pct = fields.Float(
        "Expected Met %",
        default=90.0,
        groups="base.group_user",
        help="The trial evaluation recommends keeping a target met at least this often, and "
        "adjusting the others.",
    )
    # internal: how the provider escalates, reviews and comments the agreement
    threshold_ids = fields.One2many(
        "itsm.sla.threshold", "contract_id", "Warnings and Escalations", copy=True, groups="base.group_user"
    )
    review_ids = fields.One2many("itsm.sla.review", "contract_id", "Reviews", groups="base.group_user")
    line_count = fields.Integer("Measured Tickets", compute="_compute_line_count", groups="base.group_user")
    notes = fields.Html(sanitize=True, groups="base.group_user")

    _sql_constraints = [
        (
            "dates_ordered",
            "CHECK (date_end IS NULL OR date_end >= date_start)",
            "A contract cannot end before it starts.",
        ),
        (
            "review_interval_positive",
            "CHECK (review_interval_months >= 0)",
            "The review interval cannot be negative.",
        ),
    ]

    @api.depends("state")
    def _compute_state_sequence(self):
        order = {"active": 0, "trial": 1, "draft": 2, "expired": 3, "terminated": 4}
        for contract in self:
            contract.state_sequence = order.get(contract.state, 9)

    def _compute_line_count(self):
        counts = dict(
            self.env["itsm.ticket.sla"]._read_group(
                [("contract_id", "in", self.ids)], ["contract_id"], ["ticket_id:count_distinct"]
            )
        )
        for contract in self:
            contract.line_count = counts.get(contract, 0)

    @api.constrains("kind", "team_id", "is_24x7", "calendar_id")
    def _check_kind(self):
        for contract in self:
            if contract.kind == "ola" and not contract.team_id:
                raise ValidationError(
                    self.env._(
                        "Contract %s measures a team's part of the work: choose the team.", contract.name
                    )
                )
            if not contract.is_24x7 and not contract.calendar_id:
                raise ValidationError(
                    self.env._("Contract %s needs working hours, or must run 24x7.", contract.name)
                )

    # ------------------------------------------------------------------
    # lifecycle
    # ------------------------------------------------------------------
    def _check_state(self, allowed):
        wrong = self.filtered(lambda c: c.state not in allowed)
        if wrong:
            raise UserError(
                self.env._(
                    "This action is not possible for contract(s) %s in their current state.",
                    ", ".join(wrong.mapped("name")),
                )
            )

    def action_start_trial(self):
        self._check_state(("draft",))
        self._check_targets()
        self.write({"state": "trial"})
        self._attach_open_tickets()
        return True

    def action_activate(self):
        self._check_state(("draft", "trial"))
        self._check_targets()
        vals = {"state": "active"}
        self.filtered(lambda c: not c.signed_date).write({"signed_date": fields.Date.context_today(self)})
        self.write(vals)
        self.filtered(lambda c: not c.next_review_date and c.review_interval_months)._schedule_next_review()
        self._attach_open_tickets()
        return True

    def _attach_open_tickets(self):
        """A contract coming into force measures the open tickets it covers, from now on.

        New and changed tickets find their contracts themselves; this brings in those already
        open when the contract is signed (their clocks start now, not at their opening).
        """
        domains = [contract._open_tickets_domain() for contract in self]
        if domains:
            self.env["itsm.ticket"].sudo().search(expression.OR(domains))._sla_sync(fields.Datetime.now())

    def _open_tickets_domain(self):
        self.ensure_one()
        domain = [("company_id", "=", self.company_id.id), ("is_closed", "=", False)]
        if self.kind == "customer" and self.partner_id:
            domain.append(("commercial_partner_id", "=", self.partner_id.id))
        elif self.kind == "ola":
            domain.append(("team_id", "=", self.team_id.id))
        if self.service_ids:
            domain.append(("service_id", "in", self.service_ids.ids))
        return domain

    def action_terminate(self):
        self._check_state(("draft", "trial", "active"))
        self.write({"state": "terminated"})
        return True

    def action_reset_draft(self):
        self._check_state(("trial", "terminated", "expired"))
        self.write({"state": "draft"})
        return True

    def _check_targets(self):
        for contract in self:
            if not contract.target_ids:
                raise UserError(self.env._("Contract %s has no targets yet.", contract.name))

    @api.model
    def _cron_expire(self):
        """Expire the contracts whose validity has ended (claimed: once, whoever runs the job)."""
        today = fields.Date.context_today(self)
        claim(self, [("state", "in", ("trial", "active")), ("date_end", "<", today)]).write(
            {"state": "expired"}
        )

    # ------------------------------------------------------------------
    # periodic reviews
    # ------------------------------------------------------------------
    def _schedule_next_review(self):
        """Set the next review date and schedule a review activity for the contract owner."""
        today = fields.Date.context_today(self)
        activity_type = self.env.ref("itsm_sla.mail_activity_sla_review", raise_if_not_found=False)
        for contract in self:
            base = contract.next_review_date or today
            contract.next_review_date = base + relativedelta(months=contract.review_interval_months or 12)
            if activity_type and contract.owner_id:
                contract.activity_schedule(
                    activity_type_id=activity_type.id,
                    date_deadline=contract.next_review_date,
                    user_id=contract.owner_id.id,
                    summary=self.env._("Service level review of %s", contract.name),
                )

    @api.model
    def _cron_prepare_reviews(self):
        """Open a review record, with its compliance report attached, for every review that is due.

        The due contracts are claimed, so two runs at once open each review once.
        """
        today = fields.Date.context_today(self)
        contracts = claim(self, [("state", "in", ("trial", "active")), ("next_review_date", "<=", today)])
        reviews = self.env["itsm.sla.review"]
        for contract in contracts:
            months = contract.review_interval_months or 12
            # the days since the previous review date, this one included: consecutive reviews
            # cover each day once
            reviews |= reviews.create(
                {
                    "contract_id": contract.id,
                    "date_from": contract.next_review_date - relativedelta(months=months, days=-1),
                    "date_to": contract.next_review_date,
                }
            )
        reviews.action_attach_report()
        contracts._schedule_next_review()
        return reviews

    # ------------------------------------------------------------------
    # matching
    # ------------------------------------------------------------------
    @api.model
    def _get_applicable(self, tickets):
        """Contracts that apply to each ticket: {ticket id: [ContractRule], most specific customer SLA first}.

        The contracts in force are indexed once by company and customer (customer SLAs), team
        (OLAs) or kind and party (agreements added by other modules, matched by
        ``itsm.ticket._sla_get_party_rules``), so matching costs the same with three contracts or
        three hundred.
        """
        customer, internal, party = defaultdict(list), defaultdict(list), defaultdict(list)
        companies = set(tickets.company_id.ids)
        for rule in self._get_rules():
            if rule.company_id not in companies:
                continue
            if rule.kind == "customer":
                customer[rule.company_id, rule.partner_id].append(rule)
            elif rule.kind == "ola":
                internal[rule.company_id, rule.team_id].append(rule)
            else:
                party[rule.company_id, rule.kind, rule.party_id].append(rule)
        for rules in customer.values():
            rules.sort(key=lambda r: (not r.service_ids, r.id))
        result = {}
        for ticket in tickets:
            company, service_id = ticket.company_id.id, ticket.service_id.id
            candidates = customer.get((company, ticket.commercial_partner_id.id), []) + customer.get(
                (company, False), []
            )
            chosen = [next((rule for rule in candidates if rule.covers(service_id)), None)]
            underpinning = list(internal.get((company, ticket.team_id.id), ()))
            if party:  # what the ticket's parties are is read only when it matters
                underpinning += ticket._sla_get_party_rules(party)
            chosen += [rule for rule in underpinning if rule.covers(service_id)]
            result[ticket.id] = [rule for rule in chosen if rule]
        return result

    @api.model
    def _sla_rules(self, contract_ids):
        """{contract id: ContractRule} of these contracts, in force or not (ended contracts
        still have open clocks): those in force from the registry cache, the others read."""
        rules = {rule.id: rule for rule in self._get_rules()}
        missing = [cid for cid in dict.fromkeys(contract_ids) if cid and cid not in rules]
        if missing:
            rules.update((rule.id, rule) for rule in self.sudo().browse(missing)._make_rules())
        return rules

    @api.model
    @tools.ormcache()
    def _get_rules(self):
        """The rules of the contracts in force, as plain values (``ContractRule``).

        Kept in the registry cache, cleared whenever a contract, a target or a threshold
        changes: creating a ticket then finds its contracts and plans its clocks without
        reading them.
        """
        contracts = self.sudo().with_context(active_test=True).search([("state", "in", ("trial", "active"))])
        return tuple(contracts._make_rules())

    def _make_rules(self):
        """The ``ContractRule`` of each contract, read in a few queries."""
        self.fetch(self._get_rule_fields())
        self.target_ids.fetch(["metric", "priority", "ticket_kind", "target_hours"])
        self.threshold_ids.fetch(["percent"])
        return [
            ContractRule(
                id=contract.id,
                company_id=contract.company_id.id,
                kind=contract.kind,
                partner_id=contract.partner_id.id,
                team_id=contract.team_id.id,
                party_id=contract._get_rule_party(),
                service_ids=frozenset(contract.service_ids.ids),
                calendar_id=False if contract.is_24x7 else contract.calendar_id.id,
                state=contract.state,
                response_on=contract.response_on,
                targets=tuple(
                    (t.id, t.metric, t.priority, t.ticket_kind, t.target_hours) for t in contract.target_ids
                ),
                percents=tuple(sorted(contract.threshold_ids.mapped("percent"))),
            )
            for contract in self
        ]

    @api.model
    def _get_rule_fields(self):
        """The contract fields its ``ContractRule`` is made of, read together; changing one of
        them clears the cached rules. A module adding a kind of agreement adds its fields."""
        return [
            "company_id",
            "kind",
            "partner_id",
            "team_id",
            "service_ids",
            "calendar_id",
            "is_24x7",
            "state",
            "response_on",
        ]

    def _get_rule_party(self):
        """The id of the party a contract of a kind added by another module is with (the
        ``party_id`` of its ``ContractRule``); False for customer SLAs and OLAs."""
        self.ensure_one()
        return False

    @api.model_create_multi
    def create(self, vals_list):
        contracts = super().create(vals_list)
        self.env.registry.clear_cache()
        return contracts

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result

    # ------------------------------------------------------------------
    # deadlines after a calendar change
    # ------------------------------------------------------------------
    def write(self, vals):
        result = super().write(vals)
        if {*RULE_FIELDS, *self._get_rule_fields()} & set(vals):
            self.env.registry.clear_cache()
        if {"calendar_id", "is_24x7"} & set(vals):
            # the clocks follow the contract's new working hours: the system moves them
            self.env["itsm.ticket.sla"].sudo().search(
                [("contract_id", "in", self.ids), ("stopped_at", "=", False)]
            )._retarget()
        return result

    def _itsm_sla_targets_changed(self):
        """Targets or thresholds changed: open clocks re-read them, keeping the time spent."""
        lines = (
            self.env["itsm.ticket.sla"]
            .sudo()
            .search([("contract_id", "in", self.ids), ("stopped_at", "=", False)])
        )
        lines._retarget()

    def action_apply_trial_suggestions(self):
        """Set each target the trial evaluation recommends adjusting to its suggested hours, before
        the contract is signed; the open clocks follow (``_itsm_sla_targets_changed``)."""
        self._check_state(("trial",))
        by_hours = defaultdict(lambda: self.env["itsm.sla.target"])
        for target in self.target_ids:
            if target.trial_recommendation == "adjust" and target.trial_suggested_hours:
                by_hours[target.trial_suggested_hours] |= target
        for hours, targets in by_hours.items():
            targets.write({"target_hours": hours})
        return True

    def action_print_trial_evaluation(self):
        return self.env.ref("itsm_sla.action_report_sla_trial_evaluation").report_action(self)

    def action_view_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("itsm_sla.itsm_ticket_sla_action")
        action["domain"] = [("contract_id", "=", self.id)]
        return action

    @api.model
    def _demo_play_history(self, contract_id):
        """Demo data (demo/itsm_sla_demo.xml): a year of tickets, see tools/demo_contracts.py."""
        return demo_contracts.play_history(self.env, contract_id)
