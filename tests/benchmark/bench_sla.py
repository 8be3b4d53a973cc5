#!/usr/bin/env python3
"""SLA benchmark: the warning/escalation job, deadline recomputation and compliance at volume.

Run through ``make bench`` after the other benchmarks, or alone::

    python3 tests/benchmark/bench_sla.py --addons-path=<odoo addons>,<repo>/addons [--json PATH]

It (re)creates a database with ``itsm_helpdesk,itsm_sla`` (no demo data) and three active
customer contracts sharing one calendar (09:00-18:00, Monday to Friday), each with a
resolution target of 40 working hours and thresholds at 75 % (notify the assignee) and 100 %
(notify the team lead). Open tickets are then built in two steps:

* a sample is created through the ORM (``itsm.ticket.create``, which creates the SLA lines
  itself): it gives the ORM rate and the template rows;
* the rest is inserted with bulk SQL that copies every column of those template rows (ticket
  and SLA line) and only changes the subject, number, opening time and the dates of the clock;
  deadlines and ``next_threshold_at`` are computed in batch by the module's own planning code
  (``WorkClock.plan``), exactly as ``_schedule`` does for a new line. The bulk tickets follow
  who their template follows (its requester and assignee, subscribed by ``create``), so the
  job's to-dos find their user a follower already, as on a desk; their creation messages are
  not written: the measured code does not read them.

1 % of the lines are due (their 75 % threshold is past, ``next_threshold_at`` <= now), the
others are at least 21 working hours away. It measures, at 10,000 and at 100,000 tickets:

a. one run of the job ``_cron_process_due``: time, SQL queries and lines processed, with 1 %
   due, and at 100,000 also with the same 100 due lines as at 10,000 (its cost must follow the
   due lines, not the open ones); its cost per due line, and, from one more run with a timer
   around each phase, how it splits between the clocks, the events, the log notes and the to-dos;
   beside it, Odoo's own cost of a log note and of a to-do for each ticket of the due lines,
   through its batch calls (``_message_log_batch``, ``activity_schedule``), alone: the floor
   under the job's cost per due line while it leaves a note and a to-do per warned ticket;
b. recomputing the deadlines after a calendar change (a public holiday added on the next
   working day): the time to save the holiday, and the time until every open line of the
   three contracts has moved (beyond 5,000 open clocks the job ``ITSM SLA: move deadlines
   after a change of working hours`` moves them, run here until it is done), with how many
   tickets have one running clock (each bench ticket has one: a holiday leaves their SLA
   summary as it is, where a ticket with several running clocks is recomputed);
c. the monthly compliance report (``itsm.sla.report._compliance`` per contract over the
   31 days up to now, a ``_read_group`` on the report view, and the pivot's grouping by
   contract, service, team, priority and month with met %, averages and 90th percentiles of
   response and resolution).

The data is committed and vacuumed after each bulk step (as autovacuum would); measures that
change data are rolled back, so each runs on the same state. The database is dropped at the end
unless ``--keep``.
"""

import argparse
import json
import statistics
import sys
import time
from datetime import timedelta

from benchlib import (
    close_registry,
    default_data_dir,
    drop_database,
    install_database,
    machine_info,
    open_registry,
)

CONTRACTS = 3
TARGET_HOURS = 40.0
SMALL, LARGE = 10_000, 100_000
DUE_SHARE = 0.01
JOB_RUNS = 3
# the targets on 2 cores
TARGET_JOB_SECONDS = 2.0
TARGET_JOB_MS_PER_LINE = 1.0  # issue 13: the job's cost per due line, on a quiet machine
TARGET_QUEUE_SECONDS = 0.025
TARGET_COMPLIANCE_SECONDS = 1.0
TARGET_VIEW_SECONDS = 1.0  # issue 13: a list or kanban of the desk opens in 1 s


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--database", default="itsm_bench_sla")
    parser.add_argument("--small", type=int, default=SMALL, help="open tickets of the first step")
    parser.add_argument("--large", type=int, default=LARGE, help="open tickets of the second step")
    parser.add_argument("--orm", type=int, default=1500, help="tickets created through the ORM")
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON to PATH")
    parser.add_argument("--keep", action="store_true", help="do not drop the database at the end")
    parser.add_argument("--data-dir", default=default_data_dir())
    return parser.parse_args(argv)


# ----------------------------------------------------------------------
# data
# ----------------------------------------------------------------------
class Bench:
    def __init__(self, env):
        from odoo import fields

        from odoo.addons.itsm_sla.models.work_clock import WorkClocks

        self.env = env
        self.now = fields.Datetime.now()
        self.clocks = WorkClocks()
        self.plans = {}
        self.serial = 0

    def setup(self):
        env = self.env
        attendances = [
            (
                0,
                0,
                {
                    "name": f"{day} {period}",
                    "dayofweek": str(day),
                    "hour_from": a,
                    "hour_to": b,
                    "day_period": period,
                },
            )
            for day in range(5)
            for a, b, period in ((9, 13, "morning"), (13, 18, "afternoon"))
        ]
        self.calendar = env["resource.calendar"].create(
            {"name": "Bench 09:00-18:00", "tz": "Europe/Paris", "attendance_ids": attendances}
        )
        admin = env.ref("base.user_admin")
        self.team = env["itsm.team"].create({"name": "Bench SLA desk", "leader_id": admin.id})
        self.user = admin
        self.customers = env["res.partner"].create(
            [{"name": f"Bench Customer {i}", "is_company": True} for i in range(CONTRACTS)]
        )
        self.contracts = env["itsm.sla.contract"].create(
            [
                {
                    "name": f"Bench SLA {i}",
                    "partner_id": customer.id,
                    "calendar_id": self.calendar.id,
                    "date_start": "2000-01-01",
                    "review_interval_months": 0,
                    "target_ids": [(0, 0, {"metric": "resolution", "target_hours": TARGET_HOURS})],
                    "threshold_ids": [
                        (0, 0, {"percent": 75, "action": "notify_assignee"}),
                        (0, 0, {"percent": 100, "action": "notify_lead"}),
                    ],
                }
                for i, customer in enumerate(self.customers)
            ]
        )
        self.contracts.action_activate()
        clock = self.clocks[self.calendar]
        clock.prepare(self.now - timedelta(days=40), self.now + timedelta(days=60))
        # opening times whose 75 % threshold is past and deadline still ahead ("near a threshold")
        self.due_starts = []
        for minutes in range(30, 60 * 24 * 21, 37):
            start = self.now - timedelta(minutes=minutes)
            if 0.75 * TARGET_HOURS + 0.5 <= clock.worked(start, self.now) <= TARGET_HOURS - 0.5:
                self.due_starts.append(start)
        assert self.due_starts, "no opening time near the 75 % threshold"

    def plan(self, start):
        """(deadline, next_threshold_at) of a new line started at ``start``, as ``_schedule`` sets them."""
        if start not in self.plans:
            clock = self.clocks[self.calendar]
            self.plans[start] = (clock.plan(start, TARGET_HOURS), clock.plan(start, 0.75 * TARGET_HOURS))
        return self.plans[start]

    def create_orm(self, count, batch=500):
        """Tickets through ``itsm.ticket.create``: the reference rows, and the ORM rate."""
        Ticket = self.env["itsm.ticket"]
        start = time.perf_counter()
        for first in range(0, count, batch):
            Ticket.create(
                [
                    {
                        "name": f"Bench SLA ticket {k}",
                        "partner_id": self.customers[k % CONTRACTS].id,
                        "team_id": self.team.id,
                        "user_id": self.user.id,
                    }
                    for k in range(first, min(first + batch, count))
                ]
            )
            self.env.flush_all()
            self.env.invalidate_all()
        elapsed = time.perf_counter() - start
        self.env.cr.execute(
            "SELECT DISTINCT ON (l.contract_id) l.contract_id, l.ticket_id, l.id FROM itsm_ticket_sla l"
            " ORDER BY l.contract_id, l.id"
        )
        self.templates = [(ticket, line) for _contract, ticket, line in self.env.cr.fetchall()]
        assert len(self.templates) == CONTRACTS, "the ORM did not create one SLA line per contract"
        self.env.cr.execute("SELECT count(*) FROM itsm_ticket_sla")
        lines = self.env.cr.fetchone()[0]
        assert lines == count, f"{count} tickets through the ORM made {lines} SLA lines"
        return elapsed

    def _columns(self, table, replaced):
        self.env.cr.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s AND column_name <> 'id'"
            " ORDER BY ordinal_position",
            (table,),
        )
        columns = [row[0] for row in self.env.cr.fetchall()]
        assert set(replaced) <= set(columns), set(replaced) - set(columns)
        return columns

    def insert_sql(self, count, due):
        """``count`` open tickets, ``due`` of them due, copied from the ORM-made template rows.

        Each copy follows who its template follows (the requester and the assignee, as
        ``create`` subscribes them): the job's to-dos then find their user already a follower,
        as on a desk whose tickets are made through Odoo.
        """
        cr = self.env.cr
        ticket_new = {
            "name": "'Bench SLA ticket ' || v.n",
            "number": "'SLAB-' || v.n",
            "opened_at": "v.opened_at",
            "sla_line_id": "v.line_id",  # the ticket's one clock sets its pace
            "create_date": "%(now)s",
            "write_date": "%(now)s",
        }
        line_new = {
            "ticket_id": "v.ticket_id",
            "started_at": "v.opened_at",
            "running_since": "v.opened_at",
            "deadline": "v.deadline",
            "next_threshold_at": "v.next_at",
        }
        ticket_cols = self._columns("itsm_ticket", ticket_new)
        line_cols = self._columns("itsm_ticket_sla", line_new)
        step = max(count // due, 1) if due else 0
        for t, (template_ticket, template_line) in enumerate(self.templates):
            ns, starts, deadlines, next_ats = [], [], [], []
            for k in range(t, count, CONTRACTS):
                if step and k % step == 0 and k // step < due:
                    start = self.due_starts[(k // step) % len(self.due_starts)]
                else:  # opened in the last 24 hours: the 75 % threshold is 21 working hours away at least
                    start = self.now - timedelta(minutes=k % 1440)
                deadline, next_at = self.plan(start)
                self.serial += 1
                ns.append(self.serial)
                starts.append(start)
                deadlines.append(deadline)
                next_ats.append(next_at)
            params = {"now": self.now, "template": template_ticket, "line": template_line}
            params.update(ns=ns, starts=starts, deadlines=deadlines, next_ats=next_ats)
            # the ids of both rows are drawn first, so that each is inserted once, complete (the
            # ticket knows its clock and the clock its ticket; both foreign keys are checked at
            # the end of the statement)
            cr.execute(
                f"""
                WITH v AS MATERIALIZED (
                        SELECT x.*, nextval('itsm_ticket_id_seq') AS ticket_id,
                               nextval('itsm_ticket_sla_id_seq') AS line_id
                          FROM unnest(%(ns)s::int[], %(starts)s::timestamp[], %(deadlines)s::timestamp[],
                                      %(next_ats)s::timestamp[]) AS x(n, opened_at, deadline, next_at)),
                     t AS (INSERT INTO itsm_ticket (id, {", ".join(ticket_cols)})
                           SELECT v.ticket_id, {", ".join(ticket_new.get(c, "t." + c) for c in ticket_cols)}
                             FROM v, itsm_ticket t WHERE t.id = %(template)s
                           RETURNING id),
                     -- the followers of the template (its requester and assignee), with their subtypes
                     f AS (INSERT INTO mail_followers (res_model, res_id, partner_id)
                           SELECT f.res_model, t.id, f.partner_id
                             FROM t, mail_followers f
                            WHERE f.res_model = 'itsm.ticket' AND f.res_id = %(template)s
                           RETURNING id, partner_id),
                     fs AS (INSERT INTO mail_followers_mail_message_subtype_rel
                                        (mail_followers_id, mail_message_subtype_id)
                            SELECT f.id, s.mail_message_subtype_id
                              FROM f
                              JOIN mail_followers tf
                                ON tf.res_model = 'itsm.ticket' AND tf.res_id = %(template)s
                               AND tf.partner_id = f.partner_id
                              JOIN mail_followers_mail_message_subtype_rel s ON s.mail_followers_id = tf.id)
                INSERT INTO itsm_ticket_sla (id, {", ".join(line_cols)})
                SELECT v.line_id, {", ".join(line_new.get(c, "l." + c) for c in line_cols)}
                  FROM v, itsm_ticket_sla l
                 WHERE l.id = %(line)s
                """,
                params,
            )
        self.vacuum()

    def vacuum(self):
        """Commit the data and vacuum it, as autovacuum does on a live database after bulk changes.

        The queue counts read the tickets through index-only scans, which need the visibility
        map that only VACUUM sets; measured in the inserting transaction, they would read every
        row of the table instead.
        """
        import psycopg2

        self.env.cr.commit()
        con = psycopg2.connect(dbname=self.env.cr.dbname)
        con.autocommit = True
        with con.cursor() as cr:
            cr.execute("VACUUM ANALYZE itsm_ticket")
            cr.execute("VACUUM ANALYZE itsm_ticket_sla")
        con.close()
        self.env.invalidate_all()

    def make_due(self, count):
        """Move ``count`` bulk tickets back so that their 75 % threshold is past (1 % due at 100,000)."""
        cr = self.env.cr
        cr.execute(
            "SELECT l.id, l.ticket_id FROM itsm_ticket_sla l JOIN itsm_ticket t ON t.id = l.ticket_id"
            " WHERE t.number LIKE 'SLAB-%%' AND l.next_threshold_at > %s ORDER BY l.id DESC LIMIT %s",
            (self.now, count),
        )
        rows = cr.fetchall()
        starts = [self.due_starts[i % len(self.due_starts)] for i in range(len(rows))]
        plans = [self.plan(s) for s in starts]
        cr.execute(
            """
            WITH v AS (SELECT * FROM unnest(%s::int[], %s::int[], %s::timestamp[],
                                            %s::timestamp[], %s::timestamp[])
                                  AS v(line_id, ticket_id, opened_at, deadline, next_at)),
                 u AS (UPDATE itsm_ticket t SET opened_at = v.opened_at FROM v WHERE t.id = v.ticket_id)
            UPDATE itsm_ticket_sla l
               SET started_at = v.opened_at, running_since = v.opened_at, deadline = v.deadline,
                   next_threshold_at = v.next_at
              FROM v WHERE l.id = v.line_id
            """,
            (
                [r[0] for r in rows],
                [r[1] for r in rows],
                starts,
                [p[0] for p in plans],
                [p[1] for p in plans],
            ),
        )
        self.vacuum()

    def state(self):
        cr = self.env.cr
        cr.execute(
            "SELECT count(*), count(*) FILTER (WHERE next_threshold_at <= %s) FROM itsm_ticket_sla"
            " WHERE stopped_at IS NULL",
            (self.now,),
        )
        return cr.fetchone()


# ----------------------------------------------------------------------
# measures (each one rolled back)
# ----------------------------------------------------------------------
def timed(env, func, check=None):
    """Run ``func`` in a savepoint; return (its result, or ``check()`` if given), seconds, queries."""
    cr = env.cr
    env.flush_all()
    cr.execute("SAVEPOINT bench_measure")
    queries = cr.sql_log_count
    start = time.perf_counter()
    result = func()
    env.flush_all()
    elapsed = time.perf_counter() - start
    queries = cr.sql_log_count - queries
    if check:
        result = check()
    cr.execute("ROLLBACK TO SAVEPOINT bench_measure")
    env.invalidate_all()
    env.registry.clear_cache()
    return result, elapsed, queries


def measure_job(env, bench, runs=JOB_RUNS):
    """The job, ``runs`` times on the same due lines (rolled back): lines, median seconds, queries."""
    from unittest.mock import patch

    Line = env["itsm.ticket.sla"]
    results = []
    with patch("odoo.fields.Datetime.now", return_value=bench.now):
        for _run in range(runs):
            results.append(timed(env, lambda: Line._cron_process_due()))
    processed = {r[0] for r in results}
    assert len(processed) == 1, processed
    return processed.pop(), statistics.median(r[1] for r in results), max(r[2] for r in results)


# the job's phases, each timed around these methods (their own time, nested calls excluded);
# "clocks" is the rest of the job: reading and locking the due lines, the working time of each,
# the thresholds crossed, the new deadlines and next thresholds, and the tickets' SLA status
JOB_PHASES = (
    ("events", "itsm.ticket.sla.event", "_insert_once"),
    ("messages", "itsm.ticket", "_message_log_batch"),
    ("activities", "itsm.ticket.sla.event", "_notify_users"),
    ("escalations", "itsm.ticket", "_sla_raise_priority"),
    ("escalations", "itsm.ticket", "_sla_escalate"),
)


def measure_job_phases(env, bench):
    """One more run of the job (rolled back) with a timer around each phase: {phase: seconds}.

    Each phase is flushed before its timer stops (and what is pending before it is flushed
    first, counted with the clocks), so the UPDATEs, INSERTs and recomputations a phase causes
    are counted in it, not in the next one; this run is not one of the medians.
    """
    from unittest.mock import patch

    spent = dict.fromkeys(["clocks"] + [phase for phase, _model, _method in JOB_PHASES], 0.0)
    inner = []  # time of the phases running, to take nested phases out of the enclosing one

    def timer(phase, method):
        def timed_method(records, *args, **kwargs):
            start = time.perf_counter()
            records.env.flush_all()  # what is pending before the phase belongs to the clocks
            flushed = time.perf_counter()
            inner.append(0.0)
            result = method(records, *args, **kwargs)
            records.env.flush_all()
            nested = inner.pop()
            elapsed = time.perf_counter() - flushed
            spent[phase] += elapsed - nested
            if inner:
                inner[-1] += time.perf_counter() - start
            return result

        return timed_method

    patches = [
        patch.object(type(env[model]), method, timer(phase, getattr(type(env[model]), method)), create=True)
        for phase, model, method in JOB_PHASES
    ]
    Line = env["itsm.ticket.sla"]
    with patch("odoo.fields.Datetime.now", return_value=bench.now):
        for patcher in patches:
            patcher.start()
        try:
            processed, elapsed, _queries = timed(env, lambda: Line._cron_process_due())
        finally:
            for patcher in patches:
                patcher.stop()
    spent["clocks"] = elapsed - sum(spent.values())
    return processed, elapsed, spent


def measure_floor(env, bench, runs=JOB_RUNS):
    """Odoo's own cost of what the job writes for each warned ticket, alone (rolled back).

    A log note on each ticket of the due lines through ``_message_log_batch`` (Odoo's batch
    note), and a to-do each for its assignee through ``activity_schedule`` (Odoo's batch
    to-do, one call per assignee, without e-mail as the job does): what a warning costs Odoo
    before any SLA work, so the job's cost per due line can be read against it.
    Returns (tickets, median seconds of the notes, median seconds of the to-dos).
    """
    from unittest.mock import patch

    env.flush_all()
    env.cr.execute(
        "SELECT DISTINCT ticket_id FROM itsm_ticket_sla WHERE next_threshold_at <= %s", [bench.now]
    )
    tickets = env["itsm.ticket"].browse(sorted(row[0] for row in env.cr.fetchall()))
    body = "SLA: 75% of the resolution target used."

    def notes():
        tickets._message_log_batch(bodies=dict.fromkeys(tickets.ids, body))

    def todos():
        quiet = tickets.with_context(mail_activity_quick_update=True)
        for user, assigned in quiet.grouped("user_id").items():
            assigned.activity_schedule(
                "itsm_sla.mail_activity_sla_warning", summary="SLA deadline approaching", user_id=user.id
            )

    with patch("odoo.fields.Datetime.now", return_value=bench.now):
        note_runs = [timed(env, notes)[1] for _run in range(runs)]
        todo_runs = [timed(env, todos)[1] for _run in range(runs)]
    return len(tickets), statistics.median(note_runs), statistics.median(todo_runs)


def explain(env, func, label):
    """Print the plan PostgreSQL chose for the last SELECT of ``func``, as run (EXPLAIN ANALYZE).

    Printed twice: as the planner chose it, and with index-only scans disabled, which is what a
    busy desk gets when the visibility map of the table is not up to date (every row checked in
    the heap): the figure must hold in both cases.
    """
    import threading

    cr = env.cr
    env.flush_all()
    env.invalidate_all()
    captured = []
    thread = threading.current_thread()
    hooks = getattr(thread, "query_hooks", None)
    thread.query_hooks = (*(hooks or ()), lambda _cr, query, params, _s, _d: captured.append((query, params)))
    try:
        func()
    finally:
        thread.query_hooks = hooks or ()
    query, params = next(
        (q, p) for q, p in reversed(captured) if str(q).lstrip().upper().startswith("SELECT")
    )
    times = {}
    for variant, setting in (("as planned", None), ("without index-only scans", "enable_indexonlyscan")):
        cr.execute("SAVEPOINT bench_explain")
        if setting:
            cr.execute(f"SET LOCAL {setting} = off")
        cr.execute("EXPLAIN (ANALYZE, BUFFERS) " + str(query), params)
        plan = [row[0] for row in cr.fetchall()]
        cr.execute("ROLLBACK TO SAVEPOINT bench_explain")
        cr.execute(f"RESET {setting or 'enable_indexonlyscan'}")
        times[variant] = next(
            (float(line.split(":")[1].split()[0]) for line in plan if line.startswith("Execution Time")), None
        )
        print(f"  plan of {label}, {variant}:", flush=True)
        for line in plan:
            print(f"    {line}", flush=True)
    return times


def measure_queue(env):
    """What agents open all day: breached tickets counted, the open queue grouped by stage, and
    the first page of the SLA queue (open tickets by nearest deadline, read through each
    ticket's pacing clock) as the list view asks for it."""
    Ticket = env["itsm.ticket"]
    breached = timed(env, lambda: Ticket.search_count([("sla_status", "=", "breached")]))
    by_stage = timed(env, lambda: Ticket._read_group([("is_closed", "=", False)], ["stage_id"], ["__count"]))
    explain(
        env,
        lambda: Ticket._read_group([("is_closed", "=", False)], ["stage_id"], ["__count"]),
        "queue by stage",
    )
    spec = {name: {} for name in ("number", "name", "priority", "sla_deadline", "sla_status")}

    domain = [("sla_line_id", "!=", False), ("is_closed", "=", False)]

    def sla_queue():
        return Ticket.web_search_read(
            domain, spec, order="sla_deadline, priority", limit=80, count_limit=10001
        )

    page = timed(env, sla_queue)
    deadlines = [row["sla_deadline"] for row in page[0]["records"]]
    assert deadlines == sorted(deadlines), "the SLA queue is in the order of its deadlines"
    explain(
        env,
        lambda: Ticket.search(domain, order="sla_deadline, priority", limit=80),
        "the SLA queue's first page",
    )
    return breached, by_stage, page


def measure_recompute(env, bench):
    from datetime import datetime

    from pytz import timezone, utc

    tz = timezone(bench.calendar.tz)
    day = bench.now.date() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)

    def holiday():
        start = tz.localize(datetime.combine(day, datetime.min.time())).astimezone(utc).replace(tzinfo=None)
        env["resource.calendar.leaves"].create(
            {
                "name": "Bench public holiday",
                "calendar_id": bench.calendar.id,
                "date_from": start,
                "date_to": start + timedelta(days=1, seconds=-1),
            }
        )

    def moved():
        env.cr.execute(
            "SELECT count(*) FROM itsm_ticket_sla l JOIN bench_deadlines b ON b.id = l.id"
            " WHERE l.deadline IS DISTINCT FROM b.deadline"
        )
        return env.cr.fetchone()[0]

    def holiday_and_job():
        # beyond REPLAN_NOW open clocks, saving the holiday hands the deadlines to a job:
        # run it until it is done, as the cron runner does (batch after batch)
        holiday()
        Calendar = env["resource.calendar"]
        while Calendar.search_count([("itsm_sla_replan_pending", "=", True)]):
            Calendar._cron_itsm_sla_replan()

    env.cr.execute(
        "DROP TABLE IF EXISTS bench_deadlines;"
        " CREATE TEMP TABLE bench_deadlines AS"
        " SELECT id, deadline FROM itsm_ticket_sla WHERE stopped_at IS NULL"
    )
    # tickets with one running clock keep their pacing clock through a holiday, and are not
    # recomputed unless a clock changes status: how many the measure has of each
    env.cr.execute(
        "SELECT count(*) FILTER (WHERE n = 1), count(*) FROM (SELECT count(*) AS n FROM itsm_ticket_sla"
        " WHERE running_since IS NOT NULL AND stopped_at IS NULL GROUP BY ticket_id) AS running"
    )
    single, tickets = env.cr.fetchone()
    _none, save_seconds, save_queries = timed(env, holiday)
    moved_count, seconds, queries = timed(env, holiday_and_job, moved)
    return str(day), moved_count, seconds, queries, save_seconds, save_queries, (single, tickets)


def measure_compliance(env, bench):
    Report = env["itsm.sla.report"]
    domain = [
        ("opened_at", ">=", bench.now - timedelta(days=31)),
        ("opened_at", "<", bench.now + timedelta(days=1)),
    ]
    rows, elapsed, queries = timed(env, lambda: Report._compliance(domain, ["contract_id"]))
    _groups, elapsed_rg, queries_rg = timed(
        env, lambda: Report._read_group(domain, ["contract_id", "status"], ["__count", "met_rate:avg"])
    )
    _groups, elapsed_p90, queries_p90 = timed(
        env,
        lambda: Report._read_group(
            domain,
            ["contract_id", "service_id", "team_id", "priority", "opened_month:month"],
            [
                "__count",
                "met_rate:avg",
                "breached_count:sum",
                "response_hours:avg",
                "response_p90_hours:p90",
                "resolution_hours:avg",
                "resolution_p90_hours:p90",
            ],
        ),
    )
    return (
        sum(row["count"] for row in rows),
        elapsed,
        queries,
        elapsed_rg,
        queries_rg,
        elapsed_p90,
        queries_p90,
    )


def run_measures(env, bench, label, figures, queue=True):
    lines, due = bench.state()
    print(f"{label}: {lines} open SLA lines, {due} due", flush=True)
    processed, elapsed, queries = measure_job(env, bench)
    figures[f"job {label}"] = {
        "open": lines,
        "due": due,
        "processed": processed,
        "seconds": elapsed,
        "queries": queries,
    }
    print(
        f"  job: {processed} lines processed in {elapsed:.3f} s (median of {JOB_RUNS}), {queries} queries,"
        f" {elapsed / max(processed, 1) * 1000:.2f} ms per due line",
        flush=True,
    )
    processed, total, phases = measure_job_phases(env, bench)
    figures[f"job {label}"]["ms_per_line"] = elapsed / max(processed, 1) * 1000
    figures[f"job {label}"]["phases_ms_per_line"] = {
        phase: seconds / max(processed, 1) * 1000 for phase, seconds in phases.items()
    }
    print(
        f"  job by phase (one more run, timed per phase: {total:.3f} s), ms per due line: "
        + ", ".join(f"{phase} {seconds / max(processed, 1) * 1000:.2f}" for phase, seconds in phases.items()),
        flush=True,
    )
    tickets, note_s, todo_s = measure_floor(env, bench)
    figures[f"job {label}"]["floor"] = {
        "tickets": tickets,
        "note_ms_per_ticket": note_s / max(tickets, 1) * 1000,
        "todo_ms_per_ticket": todo_s / max(tickets, 1) * 1000,
    }
    print(
        f"  Odoo's own cost for the {tickets} tickets of the due lines, alone (median of {JOB_RUNS}):"
        f" a log note each (`_message_log_batch`) {note_s / max(tickets, 1) * 1000:.2f} ms per ticket,"
        f" a to-do each (`activity_schedule`) {todo_s / max(tickets, 1) * 1000:.2f} ms per ticket",
        flush=True,
    )
    if not queue:
        return lines, due
    (breached, b_s, b_q), (stages, s_s, s_q), (_page, p_s, p_q) = measure_queue(env)
    figures[f"queue {label}"] = {
        "open": lines,
        "breached": breached,
        "breached_seconds": b_s,
        "breached_queries": b_q,
        "stages": len(stages),
        "by_stage_seconds": s_s,
        "by_stage_queries": s_q,
        "sla_queue_seconds": p_s,
        "sla_queue_queries": p_q,
    }
    print(
        f"  queue: breached counted in {b_s * 1000:.1f} ms, grouped by stage in {s_s * 1000:.1f} ms,"
        f" the SLA queue's first 80 by deadline (and its count) in {p_s * 1000:.1f} ms, {p_q} queries",
        flush=True,
    )
    return lines, due


def markdown(figures):
    def target(seconds, limit):
        return f"≤ {limit:g} s: {'OK' if seconds <= limit else 'NOT MET'}"

    out = [
        "| Measure | Open tickets | Due lines | Lines processed | Time (s) | Queries | Target (issue) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for key, fig in figures.items():
        if key.startswith("job"):
            aim = target(fig["seconds"], TARGET_JOB_SECONDS) if fig["due"] >= fig["open"] * DUE_SHARE else ""
            out.append(
                f"| Warning/escalation job, one run | {fig['open']:,} | {fig['due']:,} | {fig['processed']:,}"
                f" | {fig['seconds']:.3f} | {fig['queries']} | {aim} |"
            )
        elif key.startswith("queue"):
            out.append(
                f"| Count breached tickets | {fig['open']:,} | | | {fig['breached_seconds']:.3f}"
                f" | {fig['breached_queries']} | {target(fig['breached_seconds'], TARGET_QUEUE_SECONDS)} |"
            )
            out.append(
                f"| Open queue grouped by stage | {fig['open']:,} | | | {fig['by_stage_seconds']:.3f}"
                f" | {fig['by_stage_queries']} | {target(fig['by_stage_seconds'], TARGET_QUEUE_SECONDS)} |"
            )
            out.append(
                f"| SLA queue, first 80 open tickets by deadline and the count | {fig['open']:,} | | |"
                f" {fig['sla_queue_seconds']:.3f} | {fig['sla_queue_queries']} |"
                f" {target(fig['sla_queue_seconds'], TARGET_VIEW_SECONDS)} |"
            )
        elif key.startswith("recompute"):
            out.append(
                f"| Public holiday saved | {fig['open']:,} | | | {fig['save_seconds']:.3f}"
                f" | {fig['save_queries']} | |"
            )
            out.append(
                f"| Deadlines after a public holiday, saved and moved | {fig['open']:,} | |"
                f" {fig['moved']:,} moved | {fig['seconds']:.3f} | {fig['queries']} | |"
            )
        elif key.startswith("compliance"):
            aim = target(fig["seconds"], TARGET_COMPLIANCE_SECONDS)
            out.append(
                f"| Monthly compliance, `_compliance` per contract | {fig['open']:,} | | {fig['lines']:,}"
                f" | {fig['seconds']:.3f} | {fig['queries']} | {aim} |"
            )
            aim = target(fig["read_group_seconds"], TARGET_COMPLIANCE_SECONDS)
            out.append(
                f"| Monthly compliance, `_read_group` on the view | {fig['open']:,} | | {fig['lines']:,}"
                f" | {fig['read_group_seconds']:.3f} | {fig['read_group_queries']} | {aim} |"
            )
            aim = target(fig["p90_seconds"], TARGET_COMPLIANCE_SECONDS)
            out.append(
                f"| Compliance pivot with 90th percentiles (contract, service, team, priority, month)"
                f" | {fig['open']:,} | | {fig['lines']:,} | {fig['p90_seconds']:.3f} | {fig['p90_queries']}"
                f" | {aim} |"
            )
    return "\n".join(out)


def main(argv=None):
    args = parse_args(argv)
    started = time.perf_counter()
    install_database(args.database, args.addons_path, args.data_dir, "itsm_helpdesk,itsm_sla")
    import odoo

    registry = open_registry(args.database, args.addons_path, args.data_dir)
    figures, info = {}, {}
    try:
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"mail_notify_force_send": False})
            info = machine_info(env)
            bench = Bench(env)
            bench.setup()
            orm = min(args.orm, args.small)
            print(f"Creating {orm} tickets through the ORM...", flush=True)
            orm_seconds = bench.create_orm(orm)
            rate = orm / orm_seconds
            info["orm_rate"] = rate
            print(
                f"  {rate:.0f} tickets/s with their SLA lines: {args.large:,} would take"
                f" {args.large / rate / 60:.1f} min, so the rest is inserted with bulk SQL"
                " (same columns, deadlines planned by WorkClock)",
                flush=True,
            )

            def size_measures(label):
                open_lines, _due = run_measures(env, bench, label, figures)
                day, moved, elapsed, queries, save_s, save_q, (single, tickets) = measure_recompute(
                    env, bench
                )
                figures[f"recompute {label}"] = {
                    "open": open_lines,
                    "seconds": elapsed,
                    "queries": queries,
                    "save_seconds": save_s,
                    "save_queries": save_q,
                    "holiday": day,
                    "moved": moved,
                    "tickets_running": tickets,
                    "tickets_one_running_clock": single,
                }
                print(
                    f"  public holiday on {day}: saved in {save_s:.3f} s ({save_q} queries); {moved} of"
                    f" {open_lines} deadlines moved in {elapsed:.3f} s with the job, {queries} queries;"
                    f" {single} of {tickets} tickets with running clocks have one (their SLA summary is"
                    " not recomputed unless its status changes)",
                    flush=True,
                )
                count, elapsed, queries, elapsed_rg, queries_rg, elapsed_p90, queries_p90 = (
                    measure_compliance(env, bench)
                )
                figures[f"compliance {label}"] = {
                    "open": open_lines,
                    "lines": count,
                    "seconds": elapsed,
                    "queries": queries,
                    "read_group_seconds": elapsed_rg,
                    "read_group_queries": queries_rg,
                    "p90_seconds": elapsed_p90,
                    "p90_queries": queries_p90,
                }
                print(
                    f"  compliance over {count} lines: {elapsed:.3f} s ({queries} queries),"
                    f" read_group {elapsed_rg:.3f} s ({queries_rg} queries),"
                    f" pivot with 90th percentiles {elapsed_p90:.3f} s ({queries_p90} queries)",
                    flush=True,
                )

            small_due = round(args.small * DUE_SHARE)
            print(f"Inserting {args.small - orm:,} tickets with SQL ({small_due} due)...", flush=True)
            start = time.perf_counter()
            bench.insert_sql(args.small - orm, small_due)
            print(f"  {time.perf_counter() - start:.1f} s", flush=True)
            size_measures(f"{args.small}")
            large_due = round(args.large * DUE_SHARE)
            print(f"Inserting {args.large - args.small:,} more tickets with SQL (none due)...", flush=True)
            start = time.perf_counter()
            bench.insert_sql(args.large - args.small, 0)
            print(f"  {time.perf_counter() - start:.1f} s", flush=True)
            run_measures(env, bench, f"{args.large}-same-due", figures, queue=False)
            bench.make_due(large_due - small_due)
            size_measures(f"{args.large}")
            cr.rollback()
    finally:
        close_registry(args.database)
        if not args.keep:
            drop_database(args.database, args.data_dir)
    table = markdown(figures)
    print("\n" + table)
    small, same = figures.get(f"job {args.small}"), figures.get(f"job {args.large}-same-due")
    if small and same:
        print(
            f"\nJob with the same {same['due']} due lines: {same['seconds'] / small['seconds']:.2f}x its time"
            f" and {same['queries'] - small['queries']:+d} queries at {args.large:,} open tickets"
            f" compared with {args.small:,}"
        )
    for key, fig in figures.items():
        if key.startswith("job") and "phases_ms_per_line" in fig:
            phases = ", ".join(f"{phase} {ms:.2f}" for phase, ms in fig["phases_ms_per_line"].items())
            print(
                f"Job at {fig['open']:,} open, {fig['due']:,} due: {fig['ms_per_line']:.2f} ms per due line"
                f" (target ≤ {TARGET_JOB_MS_PER_LINE:g}); by phase, ms per due line: {phases}"
            )
            floor = fig.get("floor")
            if floor:
                together = floor["note_ms_per_ticket"] + floor["todo_ms_per_ticket"]
                print(
                    f"  Odoo alone, for the same {floor['tickets']:,} tickets: a log note"
                    f" {floor['note_ms_per_ticket']:.2f} ms and a to-do {floor['todo_ms_per_ticket']:.2f} ms"
                    f" per ticket, {together:.2f} ms together"
                )
    total = time.perf_counter() - started
    print(f"\nWhole benchmark: {total:.0f} s on {info.get('nproc')} cores")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fp:
            json.dump({"machine": info, "figures": figures, "seconds": total}, fp, indent=2)
        print(f"Figures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
