from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL

from .itsm_sla_target import METRICS
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
    # precomputed: set in the INSERT of the line rather than by an UPDATE after it
    company_id = fields.Many2one(related="ticket_id.company_id", store=True, index=True)
    contract_id = fields.Many2one("itsm.sla.contract", required=True, index=True, ondelete="cascade")
    agreement_kind = fields.Selection(related="contract_id.kind", store=True, string="Agreement")
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

    def _compute_hours_left(self):
        now = fields.Datetime.now()
        clocks = WorkClocks()
        for line in self:
            worked = line._worked_at(now, clocks)
            line.worked_hours_now = worked
            line.hours_left = line.target_hours - worked

    # ------------------------------------------------------------------
    # arithmetic
    # ------------------------------------------------------------------
    @api.model
    def _insert_new(self, vals_list):
        """Insert new clocks in one statement; return them, in the record cache.

        Creating lines through the ORM costs about a quarter of a millisecond each (defaults,
        related fields, inverse caches): enough to make a batch of tickets a third slower.
        ``vals_list`` holds complete values built by ``itsm.ticket._sla_sync`` (ticket,
        contract, target, metric, hours, trial flag, start and, when running, the planned
        deadline); the related company and agreement kind and the defaults are added here.
        Then, as ``create`` does, the fields that depend on the lines (the ticket's nearest
        deadline and status) are marked for recomputation.
        """
        if not vals_list:
            return self.browse()
        tickets = self.env["itsm.ticket"].browse({vals["ticket_id"] for vals in vals_list})
        company = {ticket.id: ticket.company_id.id for ticket in tickets}
        contracts = self.env["itsm.sla.contract"].browse({vals["contract_id"] for vals in vals_list})
        kind = {contract.id: contract.kind for contract in contracts}
        defaults = dict.fromkeys(
            ("running_since", "deadline", "next_threshold_at", "stopped_at", "breached_at"), False
        )
        defaults.update(
            status="running",
            worked_hours=0.0,
            last_threshold_pct=0,
            cycle=0,
            reopen_count=0,
            is_trial=False,
        )
        rows = [
            defaults
            | vals
            | {"company_id": company[vals["ticket_id"]], "agreement_kind": kind[vals["contract_id"]]}
            for vals in vals_list
        ]
        names = sorted(rows[0])
        fields_ = [self._fields[name] for name in names]
        # one array per column, unnested: the statement stays small whatever the batch size
        self.env.cr.execute(
            SQL(
                "INSERT INTO %s (%s) SELECT * FROM unnest(%s) RETURNING id, ticket_id, contract_id, metric",
                SQL.identifier(self._table),
                SQL(", ").join(SQL.identifier(name) for name in names),
                SQL(", ").join(
                    SQL(
                        f"%s::{field.column_type[1]}[]",
                        [
                            None if row[field.name] is False and field.type != "boolean" else row[field.name]
                            for row in rows
                        ],
                    )
                    for field in fields_
                ),
            )
        )
        # a ticket has one new clock per contract and metric: the returned rows map back by them
        new_ids = {
            (ticket_id, contract_id, metric): line_id
            for line_id, ticket_id, contract_id, metric in self.env.cr.fetchall()
        }
        lines = self.browse([new_ids[row["ticket_id"], row["contract_id"], row["metric"]] for row in rows])
        for field in fields_:
            # the values are ids, strings, numbers and naive datetimes: the cache's own format
            empty = field.convert_to_cache(False, self)
            self.env.cache.update(
                lines, field, [empty if row[field.name] is False else row[field.name] for row in rows]
            )
        self.env.cache.update(lines, self._fields["event_ids"], [()] * len(lines))
        # the new lines join their tickets' lines where those are in the cache
        o2m = self.env["itsm.ticket"]._fields["sla_line_ids"]
        added = defaultdict(list)
        for line_id, row in zip(lines._ids, rows, strict=True):
            added[row["ticket_id"]].append(line_id)
        missing = set(self.env.cache.get_missing_ids(tickets, o2m))
        for ticket_id, line_ids in added.items():
            if ticket_id not in missing:
                ticket = tickets.browse(ticket_id)
                self.env.cache.set(ticket, o2m, self.env.cache.get(ticket, o2m) + tuple(line_ids))
        lines.modified(names, create=True)
        return lines

    @api.model
    def _sla_fields(self):
        """The stored fields of a line: what the clock rules read."""
        return [name for name, field in self._fields.items() if field.store and field.column_type]

    def _sla_key(self):
        """Customer SLAs keep one clock per metric across contract changes; internal ones one per contract."""
        return (self.metric, self.contract_id.id if self.agreement_kind != "customer" else "customer")

    def _calendar(self):
        return self.contract_id._calendar()

    def _worked_at(self, now, clocks):
        if not self.running_since:
            return self.worked_hours
        return self.worked_hours + clocks[self._calendar()].worked(self.running_since, now)

    def _schedule(self, clocks):
        """Set deadline, next action time and status of running and paused lines."""
        changes = {}
        percents = {}  # contract -> its threshold percentages, in order
        self.contract_id._prefetch_rules()
        for line in self:
            if line.stopped_at:
                vals = {"next_threshold_at": False}
            elif not line.running_since:
                vals = {"deadline": False, "next_threshold_at": False}
                if line.status != "breached":
                    vals["status"] = "paused"
            else:
                contract = line.contract_id
                if contract not in percents:
                    percents[contract] = contract._threshold_percents()
                vals = plan_running(
                    clocks[line._calendar()],
                    line.running_since,
                    line.target_hours,
                    line.worked_hours,
                    next((p for p in percents[contract] if p > line.last_threshold_pct), None),
                    line.status == "breached",
                )
            changes[line] = vals
        self._write_changes(changes)

    def _write_changes(self, changes):
        """Write ``{line: values}``: only the values that change, all lines at once.

        A public holiday moves the clocks of every open ticket, the job those of every due
        one, each to its own values: written line by line, that is a query and the ORM's
        bookkeeping per line and field. Here each field gets the new values of all its lines
        in one record-cache update marked dirty, and what depends on them (the tickets'
        nearest deadline, the agreement kind) is marked for recomputation, as ``write`` does;
        Odoo's flush then writes the lines in a few multi-row UPDATEs. Values are in the
        ``write`` format (ids, naive UTC datetimes, False for empty).
        """
        by_field = defaultdict(dict)  # field name -> {line id: new value}
        for line, vals in changes.items():
            for name, value in vals.items():
                if line[name] != (value if name not in MANY2ONE else line[name].browse(value)):
                    by_field[name][line.id] = value
        for name, values in by_field.items():
            field = self._fields[name]
            lines = self.browse(list(values))
            if name in MANY2ONE:
                lines.modified([name], before=True)
            self.env.cache.update(
                lines, field, [field.convert_to_cache(value, lines) for value in values.values()], dirty=True
            )
            lines.modified([name])

    def _prepare_clocks(self, now, clocks=None):
        """One working-time computation per calendar, spanning every line's running period.

        The span reaches as far ahead as ``WorkClock.plan`` looks, so that planning the
        deadlines afterwards does not load the calendar a second time.
        """
        clocks = WorkClocks() if clocks is None else clocks
        for calendar, lines in self.grouped(lambda ln: ln._calendar()).items():
            starts = [ln.running_since for ln in lines if ln.running_since]
            if calendar and starts:
                clocks[calendar].prepare(min(starts), now + CHUNK)
        return clocks

    # ------------------------------------------------------------------
    # clock transitions (all batched: values are set in cache and flushed together)
    # ------------------------------------------------------------------
    def _fold(self, now, clocks):
        """Add the running period to the working time spent, restarting it at ``now``."""
        self._write_changes(
            {
                line: {"worked_hours": line._worked_at(now, clocks), "running_since": now}
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

        ``targets`` maps a line to its new (contract, target); without it, each line re-reads
        its own target (its hours or the calendar changed).
        """
        now = now or fields.Datetime.now()
        clocks = clocks or self._prepare_clocks(now)
        lines = self.filtered(lambda ln: not ln.stopped_at)
        lines._fold(now, clocks)
        changes = {}
        for line in lines:
            contract, target = (targets or {}).get(line, (line.contract_id, line.target_id))
            breached = line.worked_hours > target.target_hours + EPSILON
            changes[line] = {
                "contract_id": contract.id,
                "target_id": target.id,
                "target_hours": target.target_hours,
                "status": "breached" if breached else ("running" if line.running_since else "paused"),
            }
            if not breached:
                changes[line]["breached_at"] = False
        self._write_changes(changes)
        lines._schedule(clocks)

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
        lines = self.browse([row[0] for row in self.env.cr.fetchall()])
        if lines:
            lines._process_due(now)
        if len(lines) == limit:
            self.env.ref("itsm_sla.ir_cron_sla_process_due")._trigger()
        return len(lines)

    def _process_due(self, now):
        clocks = self._prepare_clocks(now)
        rows = []
        reached, breaches = defaultdict(list), {}
        for line in self:
            worked = line._worked_at(now, clocks)
            crossed = line.contract_id.threshold_ids.filtered(
                lambda t, ln=line, w=worked: (
                    t.percent > ln.last_threshold_pct and w + EPSILON >= t.percent / 100 * ln.target_hours
                )
            )
            for threshold in crossed:
                skipped = line.is_trial and not threshold.apply_in_trial
                rows.append((line.id, threshold.id, line.cycle, threshold.percent, skipped))
            if crossed:
                reached[max(crossed.mapped("percent"))].append(line.id)
            if worked + EPSILON >= line.target_hours and line.status != "breached":
                breaches[line] = {"status": "breached", "breached_at": line.deadline or now}
        for percent, ids in reached.items():
            self.browse(ids).last_threshold_pct = percent
        self._write_changes(breaches)
        self._schedule(clocks)
        fired = self.env["itsm.ticket.sla.event"]._insert_once(rows, now)
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
    def _insert_once(self, rows, now):
        """Insert the events, skipping those another transaction already inserted; return the new ones."""
        if not rows:
            return self.browse()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO itsm_ticket_sla_event
                    (line_id, threshold_id, cycle, percent, is_skipped, fired_at,
                     ticket_id, company_id, create_uid, create_date, write_uid, write_date)
                SELECT v.line_id, v.threshold_id, v.cycle, v.percent, v.is_skipped, %(now)s,
                       l.ticket_id, l.company_id, %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM (VALUES %(values)s) AS v(line_id, threshold_id, cycle, percent, is_skipped)
                  JOIN itsm_ticket_sla l ON l.id = v.line_id
                ON CONFLICT (line_id, threshold_id, cycle) DO NOTHING
                RETURNING id
                """,
                now=now,
                uid=self.env.uid,
                values=SQL(", ").join(SQL("(%s, %s, %s, %s, %s)", *row) for row in rows),
            )
        )
        events = self.browse([row[0] for row in self.env.cr.fetchall()])
        self.env["itsm.ticket.sla"].invalidate_model(["event_ids"])
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
        activity_type = self.env.ref("itsm_sla.mail_activity_sla_warning")
        model_id = self.env["ir.model"]._get_id("itsm.ticket")
        today = fields.Date.context_today(self)
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": ticket_id,
                    "activity_type_id": activity_type.id,
                    "user_id": user_id,
                    "date_deadline": today,
                    "summary": self.env._("SLA deadline approaching"),
                }
                for user_id, ticket_ids in notify.items()
                for ticket_id in sorted(ticket_ids)
            ]
        )
