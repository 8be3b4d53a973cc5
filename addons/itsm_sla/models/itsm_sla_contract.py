from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models, tools
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression

from odoo.addons.itsm_helpdesk.tools.locking import claim

from .itsm_contract_constants import AGREEMENT_KINDS, CONTRACT_STATES
from .prefetch import prefetch_one2many

# what ticket creation and the job read of the contracts in force (cached, see _get_rules)
CONTRACT_RULE_FIELDS = [
    "company_id",
    "kind",
    "partner_id",
    "team_id",
    "vendor_id",
    "service_ids",
    "calendar_id",
    "is_24x7",
    "state",
    "response_on",
    "target_ids",
    "threshold_ids",
]
TARGET_RULE_FIELDS = ["contract_id", "metric", "priority", "ticket_kind", "target_hours"]
THRESHOLD_RULE_FIELDS = ["contract_id", "percent", "action", "user_id", "apply_in_trial"]


class ItsmSlaContract(models.Model):
    """A service level agreement with a customer, or an underpinning agreement (OLA, vendor contract).

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
    vendor_id = fields.Many2one(
        "res.partner",
        tracking=True,
        domain=[("is_itsm_vendor", "=", True)],
        help="Underpinning contracts measure the time tickets wait on this vendor: from the "
        "escalation to the vendor's answer (response) and resolution.",
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

    @api.constrains("kind", "team_id", "vendor_id", "is_24x7", "calendar_id")
    def _check_kind(self):
        for contract in self:
            if contract.kind == "ola" and not contract.team_id:
                raise ValidationError(
                    self.env._(
                        "Contract %s measures a team's part of the work: choose the team.", contract.name
                    )
                )
            if contract.kind == "vendor" and not contract.vendor_id:
                raise ValidationError(self.env._("Underpinning contract %s needs its vendor.", contract.name))
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
        elif self.kind == "vendor":
            domain.append(("vendor_ticket_ids.vendor_id", "=", self.vendor_id.id))
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
        """Contracts that apply to each ticket: {ticket id: contracts, most specific customer SLA first}.

        The contracts in force are indexed once by company and customer (customer SLAs), team
        (OLAs) or vendor (underpinning contracts, for the tickets escalated to that vendor), so
        matching costs the same with three contracts or three hundred.
        """
        customer, internal, vendor = defaultdict(list), defaultdict(list), defaultdict(list)
        for contract in self._in_force().filtered(lambda c: c.company_id in tickets.company_id):
            if contract.kind == "customer":
                customer[contract.company_id.id, contract.partner_id.id].append(contract)
            elif contract.kind == "vendor":
                vendor[contract.company_id.id, contract.vendor_id.id].append(contract)
            else:
                internal[contract.company_id.id, contract.team_id.id].append(contract)
        for contracts in customer.values():
            contracts.sort(key=lambda c: (not c.service_ids, c.id))
        result = {}
        for ticket in tickets:
            company = ticket.company_id.id
            candidates = customer.get((company, ticket.commercial_partner_id.id), []) + customer.get(
                (company, False), []
            )
            chosen = self.browse()
            for contract in candidates:
                if not contract.service_ids or ticket.service_id in contract.service_ids:
                    chosen = contract
                    break
            underpinning = list(internal.get((company, ticket.team_id.id), ()))
            if vendor:  # the vendors the ticket was escalated to, read only when they matter
                for vendor_id in dict.fromkeys(ticket.vendor_ticket_ids.vendor_id.ids):
                    underpinning += vendor.get((company, vendor_id), ())
            for contract in underpinning:
                if not contract.service_ids or ticket.service_id in contract.service_ids:
                    chosen |= contract
            result[ticket.id] = chosen
        return result

    def _in_force(self):
        """The contracts in trial or active, with their rules in the record cache (see ``_get_rules``)."""
        contracts = self.browse()
        for model, values in self._get_rules().items():
            Model = self.env[model].sudo()
            records = Model.browse(values["id"])
            for fname, column in values.items():
                if fname != "id":
                    self.env.cache.insert_missing(records, Model._fields[fname], column)
            if model == self._name:
                contracts = self.browse(values["id"])
        return contracts

    @api.model
    @tools.ormcache()
    def _get_rules(self):
        """What matching and planning read of the contracts in force, their targets and thresholds.

        Kept in the registry cache, cleared whenever a contract, a target or a threshold
        changes: creating a ticket then finds its contracts and plans its clocks without
        reading them. Values are in the record cache's format, per model and field.
        """
        contracts = self.sudo().with_context(active_test=True).search([("state", "in", ("trial", "active"))])
        contracts._prefetch_rules()
        rules = {}
        for records, names in (
            (contracts, CONTRACT_RULE_FIELDS),
            (contracts.target_ids, TARGET_RULE_FIELDS),
            (contracts.threshold_ids, THRESHOLD_RULE_FIELDS),
        ):
            records.fetch(names)
            rules[records._name] = {"id": records._ids} | {
                fname: tuple(self.env.cache.get(rec, records._fields[fname]) for rec in records)
                for fname in names
            }
        return rules

    @api.model_create_multi
    def create(self, vals_list):
        contracts = super().create(vals_list)
        self.env.registry.clear_cache()
        return contracts

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result

    def _prefetch_rules(self):
        """Read the targets and thresholds of the contracts in one query each."""
        prefetch_one2many(self, "target_ids", TARGET_RULE_FIELDS)
        prefetch_one2many(self, "threshold_ids", THRESHOLD_RULE_FIELDS)

    def _calendar(self):
        """The calendar whose working time the targets count; empty for 24x7."""
        self.ensure_one()
        return self.env["resource.calendar"] if self.is_24x7 else self.calendar_id

    def _threshold_percents(self):
        """The percentages at which this contract's thresholds fire, in ascending order."""
        self.ensure_one()
        return sorted(self.threshold_ids.mapped("percent"))

    def _get_target(self, metric, priority, kind):
        """The most specific target of this contract for a metric, priority and ticket kind."""
        self.ensure_one()
        targets = self.target_ids.filtered(
            lambda t: (
                t.metric == metric and t.priority in (priority, False) and t.ticket_kind in (kind, False)
            )
        )
        return targets.sorted(lambda t: (not t.priority, not t.ticket_kind, t.id))[:1]

    # ------------------------------------------------------------------
    # deadlines after a calendar change
    # ------------------------------------------------------------------
    def write(self, vals):
        result = super().write(vals)
        if (set(CONTRACT_RULE_FIELDS) | {"active", "date_end"}) & set(vals):
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

    def action_view_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("itsm_sla.itsm_ticket_sla_action")
        action["domain"] = [("contract_id", "=", self.id)]
        return action
