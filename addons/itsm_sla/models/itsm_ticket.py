from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models

from .itsm_ticket_sla import plan_running
from .prefetch import prefetch_one2many
from .work_clock import CHUNK, WorkClocks

SLA_FIELDS = {"priority", "kind", "service_id", "partner_id", "team_id", "stage_id", "company_id"}
TICKET_SLA_STATUSES = [
    ("breached", "Breached"),
    ("at_risk", "At Risk"),
    ("running", "On Track"),
    ("paused", "Paused"),
    ("met", "Met"),
]
STATUS_RANK = {status: rank for rank, (status, _label) in enumerate(TICKET_SLA_STATUSES)}


class ItsmTicket(models.Model):
    _inherit = "itsm.ticket"

    sla_line_ids = fields.One2many("itsm.ticket.sla", "ticket_id", "SLA Targets", groups="base.group_user")
    # The SLA summary of a ticket: the clock that sets its pace (the running one with the
    # nearest deadline) and the worst status of its clocks. The deadline itself is read
    # through the pacing clock rather than copied onto the ticket: a public holiday or a
    # change of working hours moves every open clock's deadline, and a copy on the wide ticket
    # row would rewrite every open ticket (an entry in each of the ticket table's indexes),
    # while the pacing clock and the status of a ticket rarely change with them.
    sla_line_id = fields.Many2one(
        "itsm.ticket.sla",
        "Pacing SLA Target",
        compute="_compute_sla_summary",
        store=True,
        precompute=True,
        index="btree_not_null",
        ondelete="set null",
        groups="base.group_user",
        help="The running SLA target of the ticket with the nearest deadline.",
    )
    sla_deadline = fields.Datetime(
        "SLA Deadline",
        related="sla_line_id.deadline",
        help="The nearest deadline of the ticket's running SLA targets.",
    )
    sla_status = fields.Selection(
        TICKET_SLA_STATUSES,
        "SLA Status",
        compute="_compute_sla_summary",
        store=True,
        precompute=True,
        index="btree_not_null",
        help="The worst status of the ticket's SLA targets; at risk once a warning threshold is reached.",
    )

    @api.depends(
        "sla_line_ids.deadline",
        "sla_line_ids.status",
        "sla_line_ids.running_since",
        "sla_line_ids.last_threshold_pct",
    )
    def _compute_sla_summary(self):
        # a public holiday recomputes thousands of tickets: their lines are read in one query,
        # and the tickets that end up with the same value are assigned together (a ticket whose
        # values were read before and did not change is not written: see `_replan`)
        names = ["deadline", "status", "running_since", "last_threshold_pct"]
        prefetch_one2many(self, "sla_line_ids", names)
        line_ids = [ticket.sla_line_ids._ids for ticket in self]
        lines = self.env["itsm.ticket.sla"].browse([lid for ids in line_ids for lid in ids])
        # the lines' values for all of them at once (one pass per field, not one read per value)
        values = dict(zip(lines._ids, zip(*(lines.mapped(name) for name in names), strict=True), strict=True))
        by_value = defaultdict(list)  # (field name, value) -> ticket ids
        for ticket, ids in zip(self, line_ids, strict=True):
            pacing, nearest, status = False, False, False
            for line_id in ids:
                deadline, line_status, running_since, last_pct = values[line_id]
                if running_since and deadline and (not nearest or deadline < nearest):
                    pacing, nearest = line_id, deadline
                if line_status == "running" and last_pct:
                    line_status = "at_risk"
                if not status or STATUS_RANK[line_status] < STATUS_RANK[status]:
                    status = line_status
            by_value["sla_line_id", pacing].append(ticket.id)
            by_value["sla_status", status].append(ticket.id)
        for (fname, value), ids in by_value.items():
            self.browse(ids)[fname] = value

    # ------------------------------------------------------------------
    # hooks
    # ------------------------------------------------------------------
    def _on_created(self):
        result = super()._on_created()
        self._sla_sync(fields.Datetime.now(), new=True)
        return result

    def _on_changed(self, vals, old_stage_by_ticket):
        super()._on_changed(vals, old_stage_by_ticket)
        sla_fields = SLA_FIELDS.intersection(vals)
        if not sla_fields and "first_response_at" not in vals:
            return
        old_stages = old_stage_by_ticket or {}
        was_closed = {ticket_id for ticket_id, stage in old_stages.items() if stage.is_closed}
        tickets = self
        if sla_fields == {"stage_id"} and "first_response_at" not in vals:
            # a move between two stages that mean the same to the clocks (both open and
            # working, say) leaves them as they are: they are not even read
            tickets = self.filtered(lambda t: t._sla_stage_state() != t._sla_stage_state(old_stages[t.id]))
        if tickets:
            tickets._sla_sync(fields.Datetime.now(), was_closed=was_closed)

    def _sla_stage_state(self, stage=None):
        """What the clocks read of the ticket's stage (or of ``stage``): closed, paused and, where
        a contract of its company takes the first move into a working stage as the response,
        the stage."""
        stage = self.stage_id if stage is None else stage
        rules = self.env["itsm.sla.contract"]._get_rules()
        by_stage = any(r.response_on == "stage" and r.company_id == self.company_id.id for r in rules)
        return (stage.is_closed, stage.is_paused, stage.id if by_stage else None)

    def _on_public_reply(self, message):
        result = super()._on_public_reply(message)
        # the reply restarts the update clock: the system moves it, agents only read clocks
        self.sudo().sla_line_ids.filtered(lambda ln: ln.metric == "update")._new_cycle(fields.Datetime.now())
        return result

    # ------------------------------------------------------------------
    # clock rules
    # ------------------------------------------------------------------
    def _sla_sync(self, now, new=False, was_closed=()):
        """Create, re-target, pause, resume, stop or restart the SLA clocks of the tickets.

        Targets follow the ticket (priority, kind, customer, service, team); the clocks follow
        its stage: paused in waiting stages, stopped by the first reply (response) and the
        closing stage (resolution), restarted by a reopening. The clocks of a new ticket that
        start running are planned before they are inserted, so creating them is one INSERT.
        """
        # the system keeps the clocks, whoever changes the ticket: lines are read and moved in sudo
        Line = self.env["itsm.ticket.sla"].sudo()
        prefetch_one2many(self.sudo(), "sla_line_ids", Line._sla_fields())
        tickets = self.filtered(lambda t: t.sudo().sla_line_ids or not t.is_closed)
        if not tickets:
            return
        Contract = self.env["itsm.sla.contract"]
        applicable = Contract._get_applicable(tickets.filtered(lambda t: not t.is_closed))
        to_create, to_plan, retarget, first_stage = [], [], {}, {}
        for ticket in tickets:
            lines = ticket.sudo().sla_line_ids
            by_key = {ln._sla_key(): ln for ln in lines}
            for rule in applicable.get(ticket.id, ()):
                for metric in rule.metrics:
                    target = rule.target(metric, ticket.priority, ticket.kind)
                    if not target:
                        continue
                    target_id, hours = target
                    key = (metric, rule.id if rule.kind != "customer" else "customer")
                    line = by_key.get(key)
                    if not line:
                        start = ticket.opened_at if new else now
                        vals = {
                            "ticket_id": ticket.id,
                            "company_id": ticket.company_id.id,
                            "contract_id": rule.id,
                            "agreement_kind": rule.kind,
                            "target_id": target_id,
                            "metric": metric,
                            "target_hours": hours,
                            "is_trial": rule.state == "trial",
                            "started_at": start,
                            "running_since": start,
                        }
                        to_create.append(vals)
                        if new and ticket._sla_clock_action(rule, metric, first_stage) == "run":
                            to_plan.append((vals, rule))
                    elif not line.stopped_at and (
                        line.target_id.id != target_id or line.contract_id.id != rule.id
                    ):
                        retarget[line] = (rule.id, target_id, hours)
        clocks = self._sla_plan_new_clocks(to_plan, now)
        lines = Line.create(to_create) if to_create else Line
        planned_ids = {id(vals) for vals, _rule in to_plan}
        planned = Line.browse(
            [ln.id for ln, vals in zip(lines, to_create, strict=True) if id(vals) in planned_ids]
        )
        others = tickets.sudo().sla_line_ids - planned
        if not others:
            return
        others._prepare_clocks(now, clocks)
        if retarget:
            Line.browse([ln.id for ln in retarget])._retarget(retarget, now, clocks)
        tickets._sla_apply_clock_rules(now, clocks, was_closed, skip=planned)

    @api.model
    def _sla_plan_new_clocks(self, to_plan, now):
        """Add deadline, next action time and status to the values of new running clocks.

        ``to_plan`` holds (values, ContractRule) pairs; each calendar is loaded once for all
        of them, and a batch, whose clocks share few distinct starts and targets, plans each
        combination once. Returns the loaded clocks, for the other lines of the tickets.
        """
        clocks, plans = WorkClocks(), {}
        Calendar = self.env["resource.calendar"]
        starts = defaultdict(list)
        for vals, rule in to_plan:
            starts[rule.calendar_id].append(vals["started_at"])
        for calendar_id, values in starts.items():
            if calendar_id:
                clocks[Calendar.browse(calendar_id)].prepare(min(values), now + CHUNK)
        for vals, rule in to_plan:
            scope = (
                rule.calendar_id,
                vals["started_at"],
                vals["target_hours"],
                next(iter(rule.percents), None),
            )
            if scope not in plans:
                plans[scope] = plan_running(
                    clocks[Calendar.browse(rule.calendar_id)],
                    vals["started_at"],
                    vals["target_hours"],
                    0.0,
                    scope[3],
                    False,
                )
            vals.update(plans[scope])
        return clocks

    def _sla_apply_clock_rules(self, now, clocks, was_closed, skip=()):
        """Run, pause, stop or restart each clock as the ticket's state wants (``skip``: already planned)."""
        Line = self.env["itsm.ticket.sla"].sudo()
        run, pause, stop, restart = Line, Line, Line, Line
        reopened = self.browse()
        first_stage = {}
        rules = self.env["itsm.sla.contract"]._sla_rules(self.sudo().sla_line_ids.contract_id.ids)
        for ticket in self:
            lines = ticket.sudo().sla_line_ids - skip
            if ticket.id in was_closed and not ticket.is_closed:
                reopened |= ticket
                restart |= lines.filtered(lambda ln: ln.metric in ("resolution", "update") and ln.stopped_at)
                lines -= restart
            for line in lines:
                action = ticket._sla_clock_action(rules[line.contract_id.id], line.metric, first_stage)
                if action == "stop":
                    stop |= line
                elif action == "pause":
                    pause |= line
                else:
                    run |= line
        stop._stop(now, clocks)
        pause._pause(now, clocks)
        run._run(now, clocks)
        restart._restart(now, clocks)
        if reopened:
            reopened._message_log_batch(
                bodies={
                    t.id: Markup("<p>%s</p>") % self.env._("Reopened: the SLA resolution clock continues.")
                    for t in reopened
                }
            )

    def _sla_clock_action(self, contract, metric, first_stage):
        """What the clock of ``metric`` under ``contract`` (its ``ContractRule``) must do now:
        "stop", "pause" or "run"."""
        if self.is_closed:
            return "stop"
        if metric == "response" and self._sla_responded(contract, first_stage):
            return "stop"
        if self.is_paused or (contract.kind != "customer" and self.team_id.id != contract.team_id):
            return "pause"
        return "run"

    def _sla_get_party_rules(self, rules):
        """The rules of ``rules`` ({(company id, kind, party id): [ContractRule]}, the contracts
        of kinds added by other modules) that apply to this ticket; none here."""
        self.ensure_one()
        return []

    def _sla_responded(self, contract, first_stage):
        """Whether the response target of ``contract`` is reached for this ticket."""
        if self.first_response_at:
            return True
        if contract.response_on != "stage" or self.is_paused:
            return False
        if self.team_id.id not in first_stage:
            first_stage[self.team_id.id] = self._get_team_stages()[:1]
        return self.stage_id != first_stage[self.team_id.id]

    # ------------------------------------------------------------------
    # escalation actions
    # ------------------------------------------------------------------
    def _sla_raise_priority(self, steps=None):
        """Raise each ticket's priority by one step, or by ``steps[ticket id]`` steps (P1 stays P1)."""
        steps = steps or {}
        for priority, tickets in (
            self.filtered(lambda t: t.priority > "1")
            .grouped(lambda t: str(max(int(t.priority) - steps.get(t.id, 1), 1)))
            .items()
        ):
            tickets.write({"priority": priority})

    def _sla_escalate(self):
        """Transfer each ticket to the first team of the next support line of its company."""
        if not self:
            return
        teams = self.env["itsm.team"].sudo().search([("company_id", "in", self.company_id.ids)])
        reason = self.env._("SLA escalation: the target is at risk.")
        for (company, line), tickets in (
            self.filtered(lambda t: t.support_line < "3")
            .grouped(lambda t: (t.company_id, t.support_line))
            .items()
        ):
            team = teams.filtered(lambda tm, c=company, ln=line: tm.company_id == c and tm.support_line > ln)[
                :1
            ]
            if team:
                tickets.with_context(itsm_transfer_reason=reason).write({"team_id": team.id})

    # ------------------------------------------------------------------
    def action_view_sla(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("itsm_sla.itsm_ticket_sla_action")
        action["domain"] = [("ticket_id", "=", self.id)]
        return action
