from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL

from .batch_write import write_rows
from .itsm_contract_constants import AGREEMENT_KINDS
from .itsm_sla_target import METRICS
from .prefetch import prefetch_one2many
from .work_clock import CHUNK, WorkClocks

EPSILON = 1e-6  # hours: a second is 0.00028 h, so this only absorbs float noise
LINE_STATUSES = [
    ("running", "Running"),
    ("paused", "Paused"),
    ("met", "Met"),
    ("breached", "Breached"),
]


def plan_running(clock, running_since, target_hours, worked_hours, next_percent, breached):
    """Deadline, next action time and status of a running clock.

    ``next_percent`` is the next warning threshold not reached yet (None when none is left);
    a breached clock has no deadline left to act on, only its remaining thresholds.
    """
    deadline = clock.plan(running_since, target_hours - worked_hours)
    moments = [] if breached else [deadline]
    if next_percent:
        hours = next_percent / 100 * target_hours - worked_hours
        moments.append(clock.plan(running_since, max(hours, 0.0)))
    moments = [moment for moment in moments if moment]
    return {
        "deadline": deadline,
        "next_threshold_at": min(moments) if moments else False,
        "status": "breached" if breached else "running",
    }


MANY2ONE = {"contract_id", "target_id"}  # the relational fields the clock rules change


class ItsmTicketSla(models.Model):
    """The clock of one target on one ticket.

    The clock keeps the working time already spent (``worked_hours``, up to
    ``running_since``) and, while it runs, the instant since when it runs: the working time
    at any moment is ``worked_hours`` plus the working hours of the calendar since
    ``running_since``. Pauses and re-targeting fold the running part into ``worked_hours``,
    so no working time is ever lost or counted twice.

    ``next_threshold_at`` is the next instant at which the job has something to do for the
    line (a warning threshold, or the breach); it is indexed so the job reads only due lines.
    """

    _name = "itsm.ticket.sla"
    _description = "Ticket SLA Status"
    _order = "ticket_id, metric, id"
    _rec_name = "target_id"
    # clocks are kept by the system, never edited by a person: their own dates (started, met,
    # breached) are the record, and without the four log columns (two of them foreign keys)
    # inserting the clocks of a batch of tickets costs a third less in the database
    _log_access = False

    ticket_id = fields.Many2one("itsm.ticket", required=True, index=True, ondelete="cascade")
    # computed before the INSERT of the line, not by an UPDATE after it; the clock rules give
    # both values (they know the ticket's company and the contract's kind), so creating the
    # lines reads neither the ticket nor the contract again. Clocks are kept by the system:
    # editable only in the sense that a value given at creation is kept.
    company_id = fields.Many2one(
        "res.company",
        compute="_compute_company_id",
        store=True,
        precompute=True,
        readonly=False,
        index=True,
    )
    contract_id = fields.Many2one("itsm.sla.contract", required=True, index=True, ondelete="cascade")
    agreement_kind = fields.Selection(
        AGREEMENT_KINDS,
        "Agreement",
        compute="_compute_agreement_kind",
        store=True,
        precompute=True,
        readonly=False,
    )
    target_id = fields.Many2one("itsm.sla.target", required=True, ondelete="cascade")
    metric = fields.Selection(METRICS, required=True)
    target_hours = fields.Float("Target (working hours)", required=True)
    is_trial = fields.Boolean("Trial", readonly=True, help="Measured while the contract was in trial.")
    status = fields.Selection(LINE_STATUSES, required=True, default="running", index=True)
    started_at = fields.Datetime(required=True)
    running_since = fields.Datetime(
        help="Start of the current running period; empty while paused or stopped."
    )
    worked_hours = fields.Float(
        "Working Hours Spent", help="Working time spent until the start of the current running period."
    )
    deadline = fields.Datetime(index=True)
    next_threshold_at = fields.Datetime(index="btree_not_null")
    last_threshold_pct = fields.Integer("Last Threshold Reached (%)", readonly=True)
    cycle = fields.Integer(
        default=0, readonly=True, help="Update targets start a new cycle on every public reply."
    )
    stopped_at = fields.Datetime("Met or Breached At")
    breached_at = fields.Datetime(readonly=True)
    reopen_count = fields.Integer(readonly=True)
    event_ids = fields.One2many("itsm.ticket.sla.event", "line_id", "Warnings")
    hours_left = fields.Float("Working Hours Left", compute="_compute_hours_left")
    worked_hours_now = fields.Float("Working Hours Used", compute="_compute_hours_left")

    @api.depends("ticket_id.company_id")
    def _compute_company_id(self):
        for line in self:
            line.company_id = line.ticket_id.company_id

    @api.depends("contract_id.kind")
    def _compute_agreement_kind(self):
        for line in self:
            line.agreement_kind = line.contract_id.kind

    def _compute_hours_left(self):
        now = fields.Datetime.now()
        clocks = WorkClocks()
        rules = self._rules()
        for line in self:
            worked = line._worked_at(now, clocks, rules)
            line.worked_hours_now = worked
            line.hours_left = line.target_hours - worked

    # ------------------------------------------------------------------
    # arithmetic
    # ------------------------------------------------------------------
    @api.model
    def _sla_fields(self):
        """The stored fields of a line: what the clock rules read."""
        return [name for name, field in self._fields.items() if field.store and field.column_type]

    def _sla_key(self):
        """Customer SLAs keep one clock per metric across contract changes; internal ones one per contract."""
        return (self.metric, self.contract_id.id if self.agreement_kind != "customer" else "customer")

    def _rules(self):
        """{contract id: ContractRule} of the lines' contracts."""
        return self.env["itsm.sla.contract"]._sla_rules(self.contract_id.ids)

    def _calendar(self, rules=None):
        """The calendar whose working time the line counts; empty for 24x7."""
        rules = rules or self._rules()
        return self.env["resource.calendar"].browse(rules[self.contract_id.id].calendar_id)

    def _worked_at(self, now, clocks, rules=None):
        if not self.running_since:
            return self.worked_hours
        return self.worked_hours + clocks[self._calendar(rules)].worked(self.running_since, now)

    def _schedule(self, clocks):
        """Set deadline, next action time and status of running and paused lines."""
        changes = {}
        rules = self._rules()
        for line in self:
            if line.stopped_at:
                vals = {"next_threshold_at": False}
            elif not line.running_since:
                vals = {"deadline": False, "next_threshold_at": False}
                if line.status != "breached":
                    vals["status"] = "paused"
            else:
                rule = rules[line.contract_id.id]
                vals = plan_running(
                    clocks[line._calendar(rules)],
                    line.running_since,
                    line.target_hours,
                    line.worked_hours,
                    next((p for p in rule.percents if p > line.last_threshold_pct), None),
                    line.status == "breached",
                )
            changes[line] = vals
        self._write_changes(changes)

    def _write_changes(self, changes, current=None):
        """Write ``{line: values}``: only the values that change, for all the lines at once.

        A public holiday moves the clocks of every open ticket, each to its own deadline, the
        job those of every due one: the values go through ``write_rows`` (the checks and
        triggers of one ``write`` for the whole batch, lines getting the same value set
        together), and Odoo's flush writes them in a few multi-row UPDATEs. Values are in the
        ``write`` format (ids, naive UTC datetimes, False for empty). The rights are those of
        ``self``: the clock rules call it on lines in sudo, since the system, not the user,
        moves a clock. ``current`` ({field name: {line id: value}}) holds the values the
        caller has read already, of every line of ``changes``.
        """
        # the current values of the plain fields, read for all the lines at once (one pass per
        # field instead of one read per line and field)
        changed_lines = self.browse([line.id for line in changes])
        names = set().union(*changes.values()) - MANY2ONE
        current = dict(current or {})
        for name in names - set(current):
            current[name] = dict(zip(changed_lines._ids, changed_lines.mapped(name), strict=True))
        lines, values = [], []
        for line, vals in changes.items():
            changed = {
                name: value
                for name, value in vals.items()
                if (line[name].id if name in MANY2ONE else current[name][line.id]) != value
            }
            if changed:
                lines.append(line.id)
                values.append(changed)
        write_rows(self.browse(lines), values)

    def _prepare_clocks(self, now, clocks=None):
        """One working-time computation per calendar, spanning every line's running period.

        The span reaches as far ahead as ``WorkClock.plan`` looks, so that planning the
        deadlines afterwards does not load the calendar a second time.
        """
        clocks = WorkClocks() if clocks is None else clocks
        rules = self._rules()
        for calendar, lines in self.grouped(lambda ln: ln._calendar(rules)).items():
            starts = [ln.running_since for ln in lines if ln.running_since]
            if calendar and starts:
                clocks[calendar].prepare(min(starts), now + CHUNK)
        return clocks

    # ------------------------------------------------------------------
    # clock transitions (all batched: values are set in cache and flushed together)
    # ------------------------------------------------------------------
    def _fold(self, now, clocks):
        """Add the running period to the working time spent, restarting it at ``now``."""
        rules = self._rules()
        self._write_changes(
            {
                line: {"worked_hours": line._worked_at(now, clocks, rules), "running_since": now}
                for line in self.filtered("running_since")
            }
        )

    def _run(self, now, clocks=None):
        clocks = clocks or self._prepare_clocks(now)
        self.filtered(lambda ln: not ln.running_since and not ln.stopped_at).running_since = now
        self._schedule(clocks)

    def _pause(self, now, clocks=None):
        clocks = clocks or self._prepare_clocks(now)
        running = self.filtered(lambda ln: ln.running_since and not ln.stopped_at)
        running._fold(now, clocks)
        running.running_since = False
        running._schedule(clocks)

    def _stop(self, now, clocks=None):
        """Met or breached: the target is reached (first reply, resolution)."""
        clocks = clocks or self._prepare_clocks(now)
        open_lines = self.filtered(lambda ln: not ln.stopped_at)
        open_lines._fold(now, clocks)
        changes = {}
        for line in open_lines:
            breached = line.status == "breached" or line.worked_hours > line.target_hours + EPSILON
            changes[line] = {
                "running_since": False,
                "stopped_at": now,
                "next_threshold_at": False,
                "status": "breached" if breached else "met",
                "breached_at": line.breached_at or (line.deadline if breached else False),
            }
        self._write_changes(changes)

    def _restart(self, now, clocks=None):
        """Reopening: the clock continues from the working time already spent."""
        clocks = clocks or self._prepare_clocks(now)
        stopped = self.filtered("stopped_at")
        self._write_changes(
            {
                line: {
                    "stopped_at": False,
                    "running_since": now,
                    "reopen_count": line.reopen_count + 1,
                    "status": "breached" if line.status == "breached" else "running",
                }
                for line in stopped
            }
        )
        stopped._schedule(clocks)

    def _new_cycle(self, now, clocks=None):
        """Update targets measure the time between two public updates: start over."""
        clocks = clocks or self._prepare_clocks(now)
        lines = self.filtered(lambda ln: not ln.stopped_at)
        self._write_changes(
            {
                line: {
                    "worked_hours": 0.0,
                    "running_since": now if line.running_since else False,
                    "last_threshold_pct": 0,
                    "cycle": line.cycle + 1,
                    "status": "running" if line.running_since else "paused",
                    "breached_at": False,
                }
                for line in lines
            }
        )
        lines._schedule(clocks)

    def _retarget(self, targets=None, now=None, clocks=None):
        """Apply new targets (priority, kind or contract changed), keeping the working time spent.

        ``targets`` maps a line to its new (contract id, target id, hours); without it, each
        line re-reads its own target (its hours or the calendar changed).
        """
        now = now or fields.Datetime.now()
        clocks = clocks or self._prepare_clocks(now)
        lines = self.filtered(lambda ln: not ln.stopped_at)
        lines._fold(now, clocks)
        changes = {}
        for line in lines:
            contract_id, target_id, hours = (targets or {}).get(line) or (
                line.contract_id.id,
                line.target_id.id,
                line.target_id.target_hours,
            )
            breached = line.worked_hours > hours + EPSILON
            changes[line] = {
                "contract_id": contract_id,
                "target_id": target_id,
                "target_hours": hours,
                "status": "breached" if breached else ("running" if line.running_since else "paused"),
            }
            if not breached:
                changes[line]["breached_at"] = False
        self._write_changes(changes)
        lines._schedule(clocks)

    @api.model
    def _replan_fields(self):
        """What ``_replan`` reads of a line: fetched at once with the lines to move."""
        return [
            "ticket_id",
            "contract_id",
            "target_id",
            "target_hours",
            "status",
            "running_since",
            "worked_hours",
            "deadline",
            "next_threshold_at",
            "last_threshold_pct",
            "stopped_at",
            "breached_at",
        ]

    def _replan(self, now=None):
        """The working hours of the lines' calendar changed: move their deadlines.

        The values of ``_retarget()`` (each line re-reads its target's hours, its status follows
        the working time spent), without folding the running period into ``worked_hours``: the
        working time at any instant is ``worked_hours`` plus the working hours since
        ``running_since`` counted with the current calendar, so a new calendar needs no new
        starting point, and the lines only get their new plan, from the start of their running
        period as ``_schedule`` plans. A deadline still ahead is the one re-targeting gives; a
        deadline already missed stays the instant the target was reached with the new working
        hours (re-targeting, which plans from ``now``, would move it to the moment of the
        change), and a clock found past its target gets that instant as its breach.
        """
        now = now or fields.Datetime.now()
        # the values planned with and those compared with, read for all the lines at once (one
        # pass per field), once for the plan, the steady tickets and the changes
        current = {
            name: dict(zip(self._ids, self.mapped(name), strict=True))
            for name in (
                "stopped_at",
                "running_since",
                "worked_hours",
                "last_threshold_pct",
                "breached_at",
                "status",
                "deadline",
                "next_threshold_at",
                "target_hours",
            )
        }
        stopped_at = current["stopped_at"]
        lines = self.browse([line_id for line_id in self._ids if not stopped_at[line_id]])
        plan_of = {line.id: (line.contract_id.id, line.target_id.id) for line in lines}
        rules = lines._rules()
        hours_of = {target.id: target.target_hours for target in lines.target_id}
        Calendar = self.env["resource.calendar"]
        clocks = WorkClocks()
        clock_of = {
            cid: clocks[Calendar.browse(rules[cid].calendar_id)] for cid in {c for c, _t in plan_of.values()}
        }
        running_since, worked_hours = current["running_since"], current["worked_hours"]
        starts = defaultdict(list)  # clock -> running periods' starts
        for line_id in lines._ids:
            if running_since[line_id]:
                starts[clock_of[plan_of[line_id][0]]].append(running_since[line_id])
        for clock, values in starts.items():
            clock.prepare(min(values), now + CHUNK)  # one computation of the calendar per batch
        last_pct, breached_at = current["last_threshold_pct"], current["breached_at"]
        next_percent = {}  # (contract id, last percent reached) -> next threshold's percent
        changes = {}
        for line in lines:
            line_id = line.id
            contract_id, target_id = plan_of[line_id]
            since, worked = running_since[line_id], worked_hours[line_id]
            hours = hours_of[target_id]
            if not since:
                breached = worked > hours + EPSILON
                vals = {
                    "deadline": False,
                    "next_threshold_at": False,
                    "status": "breached" if breached else "paused",
                }
            else:
                clock = clock_of[contract_id]
                breached = worked + clock.worked(since, now) > hours + EPSILON
                scope = (contract_id, last_pct[line_id])
                if scope not in next_percent:
                    next_percent[scope] = next((p for p in rules[contract_id].percents if p > scope[1]), None)
                # planned from the start of the running period, as `_schedule` plans: a deadline
                # still ahead is the one planning from now gives, and a deadline already missed
                # stays the instant the target was reached with the new working hours
                vals = plan_running(clock, since, hours, worked, next_percent[scope], breached)
                if breached and not breached_at[line_id]:
                    vals["breached_at"] = vals["deadline"]
            vals["target_hours"] = hours
            if not breached:
                vals["breached_at"] = False
            changes[line] = vals
        steady = lines._steady_tickets(changes, current)
        # most tickets keep their pacing clock and status when the deadlines move: Odoo writes a
        # recomputed value only where it differs from the one known, so reading them first leaves
        # those tickets' rows alone (unread, every recomputed ticket would count as changed)
        (lines.ticket_id - steady).fetch(["sla_line_id", "sla_status"])
        Ticket = self.env["itsm.ticket"]
        with self.env.protecting([Ticket._fields["sla_line_id"], Ticket._fields["sla_status"]], steady):
            lines._write_changes(changes, current)

    def _steady_tickets(self, changes, current):
        """The tickets of ``self`` whose SLA summary cannot change with ``changes`` ({line: values}).

        A ticket with one running clock keeps it as its pacing clock whatever its deadline, and
        keeps its status while none of its clocks changes status: most open tickets once
        answered, whose summary a public holiday then need not recompute (their clocks are read
        again for it, a query per thousand tickets, and each ticket's clocks compared).
        ``current`` ({field name: {line id: value}}) holds the lines' status and deadline.
        """
        self.flush_model(["ticket_id", "running_since", "stopped_at"])
        single = self.env.execute_query(
            SQL(
                """
                SELECT ticket_id FROM itsm_ticket_sla
                 WHERE ticket_id = ANY(%s::int[]) AND running_since IS NOT NULL AND stopped_at IS NULL
                 GROUP BY ticket_id HAVING count(*) = 1
                """,
                self.ticket_id.ids,
            )
        )
        status, deadline = current["status"], current["deadline"]
        unsteady = [
            line.id
            for line, vals in changes.items()
            if vals.get("status", status[line.id]) != status[line.id]
            or bool(vals.get("deadline", deadline[line.id])) != bool(deadline[line.id])
        ]
        steady = {row[0] for row in single} - set(self.browse(unsteady).ticket_id.ids)
        return self.env["itsm.ticket"].browse(sorted(steady))

    # ------------------------------------------------------------------
    # the warning and escalation job
    # ------------------------------------------------------------------
    @api.model
    def _cron_process_due(self, limit=5000):
        """Fire the thresholds and breaches that are due, once each.

        Due lines are read through the index on ``next_threshold_at`` and locked with
        SKIP LOCKED, so a second run at the same time takes other lines; the unique
        constraint on the events is the final guard against firing a threshold twice.
        """
        now = fields.Datetime.now()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT id FROM itsm_ticket_sla WHERE next_threshold_at <= %s"
                " ORDER BY next_threshold_at LIMIT %s FOR UPDATE SKIP LOCKED",
                now,
                limit,
            )
        )
        # the job moves the clocks and logs the warnings, whoever runs it
        lines = self.sudo().browse([row[0] for row in self.env.cr.fetchall()])
        if lines:
            lines._process_due(now)
        if len(lines) == limit:
            self.env.ref("itsm_sla.ir_cron_sla_process_due")._trigger()
        return len(lines)

    def _process_due(self, now):
        """Record the thresholds the lines crossed and the breaches, then run their actions.

        Lines are grouped by contract, last threshold reached and the thresholds now
        reached: each group's crossed thresholds are found once, its lines written at once.
        """
        # the tickets' clocks, which their SLA status reads once these are written, and the
        # contracts' thresholds: one query each
        prefetch_one2many(self.ticket_id, "sla_line_ids", self._sla_fields(), order="metric, id")
        threshold_fields = ["contract_id", "percent", "action", "user_id", "apply_in_trial"]
        prefetch_one2many(self.contract_id, "threshold_ids", threshold_fields, order="percent, id")
        clocks = self._prepare_clocks(now)
        rules = self._rules()
        thresholds = {contract: contract.threshold_ids for contract in self.contract_id}
        groups = defaultdict(list)  # (contract, last percent, reached percent) -> lines
        breaches = defaultdict(list)  # breach date -> lines
        for line in self:
            worked = line._worked_at(now, clocks, rules)
            reached = max(
                (
                    t.percent
                    for t in thresholds[line.contract_id]
                    if worked + EPSILON >= t.percent / 100 * line.target_hours
                ),
                default=0,
            )
            if reached > line.last_threshold_pct:
                groups[line.contract_id, line.last_threshold_pct, reached].append(line)
            if worked + EPSILON >= line.target_hours and line.status != "breached":
                breaches[line.deadline or now].append(line.id)
        rows = []
        for (contract, last, reached), lines in groups.items():
            crossed = [t for t in thresholds[contract] if last < t.percent <= reached]
            rows += [
                (line.id, t.id, line.cycle, t.percent, line.is_trial and not t.apply_in_trial)
                for line in lines
                for t in crossed
            ]
        reached_ids = defaultdict(list)
        for (_contract, _last, reached), lines in groups.items():
            reached_ids[reached] += [line.id for line in lines]
        for percent, ids in reached_ids.items():
            self.browse(ids).last_threshold_pct = percent
        self._write_changes(
            {
                line: {"status": "breached", "breached_at": breached_at}
                for breached_at, ids in breaches.items()
                for line in self.browse(ids)
            }
        )
        self._schedule(clocks)
        fired = self.env["itsm.ticket.sla.event"]._insert_once(self, rows, now)
        fired._run_actions()


class ItsmTicketSlaEvent(models.Model):
    """A threshold reached by a ticket's SLA clock: the log that makes each warning fire once."""

    _name = "itsm.ticket.sla.event"
    _description = "SLA Warning"
    _order = "fired_at desc, id desc"
    _rec_name = "threshold_id"

    line_id = fields.Many2one("itsm.ticket.sla", required=True, index=True, ondelete="cascade")
    ticket_id = fields.Many2one(related="line_id.ticket_id", store=True, index=True)
    company_id = fields.Many2one(related="line_id.company_id", store=True)
    threshold_id = fields.Many2one("itsm.sla.threshold", required=True, ondelete="cascade")
    cycle = fields.Integer(required=True, default=0)
    percent = fields.Integer(required=True)
    action = fields.Selection(related="threshold_id.action")
    fired_at = fields.Datetime(required=True)
    is_skipped = fields.Boolean(
        "Not Applied (Trial)", help="Reached during a trial: recorded, but its action was not run."
    )

    _sql_constraints = [
        (
            "threshold_once",
            "UNIQUE(line_id, threshold_id, cycle)",
            "A threshold fires only once per ticket target.",
        ),
    ]

    @api.model
    def _insert_once(self, lines, rows, now):
        """Create the events not recorded yet, in one batch; return the new ones.

        ``rows`` are (line id, threshold id, cycle, percent, skipped). The job holds the lines'
        rows locked (``FOR UPDATE``), so no other run records events for them meanwhile: the
        events already there are read once and left out, and the unique constraint stays the
        last guard. Ticket and company are given from the lines already read.
        """
        if not rows:
            return self.browse()
        existing = set(
            self.search_fetch([("line_id", "in", lines.ids)], ["line_id", "threshold_id", "cycle"]).mapped(
                lambda ev: (ev.line_id.id, ev.threshold_id.id, ev.cycle)
            )
        )
        by_id = {line.id: line for line in lines}
        events = self.create(
            [
                {
                    "line_id": line_id,
                    "threshold_id": threshold_id,
                    "cycle": cycle,
                    "percent": percent,
                    "is_skipped": skipped,
                    "fired_at": now,
                    "ticket_id": by_id[line_id].ticket_id.id,
                    "company_id": by_id[line_id].company_id.id,
                }
                for line_id, threshold_id, cycle, percent, skipped in rows
                if (line_id, threshold_id, cycle) not in existing
            ]
        )
        # stored with the values given, those of their clock: marked computed, as Odoo's own apps
        # do after a create, so that the flush does not compute them again for every event
        for fname in ("ticket_id", "company_id"):
            self.env.remove_to_compute(self._fields[fname], events)
        return events

    def _run_actions(self):
        """Log every warning on its ticket and run the actions of those not skipped, grouped."""
        Ticket = self.env["itsm.ticket"]
        bodies = defaultdict(list)
        notify = defaultdict(set)  # user id -> ticket ids
        raise_steps = defaultdict(set)  # ticket id -> thresholds raising its priority
        escalate = Ticket
        metrics = dict(self.env["itsm.ticket.sla"]._fields["metric"]._description_selection(self.env))
        for event in self:
            line, ticket, threshold = event.line_id, event.line_id.ticket_id, event.threshold_id
            text = self.env._(
                "SLA %(contract)s: %(percent)s%% of the %(metric)s target used.",
                contract=line.contract_id.name,
                percent=event.percent,
                metric=metrics[line.metric].lower(),
            )
            if event.is_skipped:
                text += " " + self.env._("(trial: no action taken)")
            bodies[ticket.id].append(text)
            if event.is_skipped:
                continue
            if threshold.action == "notify_assignee" and ticket.user_id:
                notify[ticket.user_id.id].add(ticket.id)
            elif threshold.action == "notify_lead" and ticket.team_id.leader_id:
                notify[ticket.team_id.leader_id.id].add(ticket.id)
            elif threshold.action == "notify_user":
                notify[threshold.user_id.id].add(ticket.id)
            elif threshold.action == "raise_priority":
                raise_steps[ticket.id].add(threshold.id)
            elif threshold.action == "escalate":
                escalate |= ticket
        if bodies:
            Ticket.browse(list(bodies))._message_log_batch(
                bodies={tid: Markup("<br/>").join(texts) for tid, texts in bodies.items()}
            )
        self._notify_users(notify)
        Ticket.browse(list(raise_steps))._sla_raise_priority(
            {ticket_id: len(thresholds) for ticket_id, thresholds in raise_steps.items()}
        )
        escalate._sla_escalate()

    def _notify_users(self, notify):
        """One to-do activity per user and ticket, shown in their activities, without an e-mail per line."""
        if not notify:
            return
        # the id from the cached xmlid, without checking that the record exists (env.ref's query)
        activity_type_id = self.env["ir.model.data"]._xmlid_to_res_id(
            "itsm_sla.mail_activity_sla_warning", raise_if_not_found=True
        )
        model_id = self.env["ir.model"]._get_id("itsm.ticket")
        today = fields.Date.context_today(self)
        # a to-do keeps its ticket's name, its user's time zone and its done date, which Odoo
        # computes after the INSERT, one ticket name at a time, and writes in a second UPDATE:
        # they are given here, read for all the tickets and users at once
        tickets = self.env["itsm.ticket"].sudo().browse({tid for ids in notify.values() for tid in ids})
        names = dict(zip(tickets.ids, tickets.mapped("display_name"), strict=True))
        users = self.env["res.users"].sudo().browse(notify)
        zones = dict(zip(users.ids, users.mapped("tz"), strict=True))
        todos = (
            self.env["mail.activity"]
            .sudo()
            .with_context(mail_activity_quick_update=True)
            .create(
                [
                    {
                        "res_model_id": model_id,
                        "res_id": ticket_id,
                        "res_name": names[ticket_id],
                        "activity_type_id": activity_type_id,
                        "user_id": user_id,
                        "user_tz": zones[user_id],
                        "date_deadline": today,
                        "date_done": False,
                        "summary": self.env._("SLA deadline approaching"),
                    }
                    for user_id, ticket_ids in notify.items()
                    for ticket_id in sorted(ticket_ids)
                ]
            )
        )
        # the values given are those Odoo computes for a to-do; marked computed, as Odoo's own
        # apps do after a create, so that the flush does not compute them again for every to-do
        for fname in ("res_name", "user_tz", "date_done"):
            self.env.remove_to_compute(todos._fields[fname], todos)
