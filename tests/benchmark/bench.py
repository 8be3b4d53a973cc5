#!/usr/bin/env python3
"""Performance benchmark of itsm.ticket against a minimal tracked mail.thread model.

Run through ``make bench`` (``tools/itsm.sh bench``), which passes the addons path
computed from the installed Odoo, plus this directory's ``addons`` folder::

    python3 tests/benchmark/bench.py --addons-path=<odoo addons>,<repo>/addons,<repo>/tests/benchmark/addons

The script (re)creates a database, installs ``itsm_helpdesk`` and ``itsm_bench_minimal``
without demo data, then measures in the same process and with the same settings:

a. batch creation throughput (records/s) of ``itsm.ticket`` and ``itsm.bench.minimal``,
   batches of both models interleaved; then the headline figure, intake including its
   acknowledgement: the job that ticket creation leaves the requesters' e-mails to
   (``_cron_send_acknowledgements``) runs until done, and its time is added to the batch
   creation time of the tickets, against the same minimal model of the same run (with the
   job's time and queries per run, i.e. per batch of acknowledgements);
b. SQL queries of one create and of one stage change (ticket: ``stage_id`` to another
   stage; minimal: ``state``) for both models, counted like Odoo's ``assertQueryCount``
   with ``@warmup``: registry caches warm, record cache empty, ``cr.sql_log_count``
   deltas with the flushes and the precommit hooks (hence mail tracking) inside the
   counted window. Counted as the superuser and as an internal agent (access rules).

With ``--with-sla`` it also installs ``itsm_sla`` and activates a company-wide SLA contract
(response and resolution targets per priority, warnings at 75 % and 100 %) on the company's
working hours: every ticket then gets its SLA clocks, planned, in the measured create; the
script checks that each bench ticket got them.

It prints a Markdown table (and writes it with every figure as JSON with ``--json``).
Nothing a user gets is disabled: creation messages, tracking, followers and
notifications all happen; e-mails are only queued (``mail_notify_force_send=False``),
as the mail queue would send them later. The database is dropped at the end unless
``--keep``. ``--profile`` also prints every query of the counted single operations with
the methods that issued it, and a summary by cause.
"""

import argparse
import collections
import contextlib
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import traceback
from unittest.mock import patch

from benchlib import (
    REPO,
    close_registry,
    default_data_dir,
    drop_database,
    install_database,
    machine_info,
    open_registry,
)

MODULES = "itsm_helpdesk,itsm_bench_minimal"
TARGET_BATCH_RATIO = 3.0
TARGET_INTAKE_RATIO = 5.0  # batch creation plus its acknowledgement job, against the minimal model
TARGET_QUERIES_CREATE = 20
TARGET_QUERIES_STAGE = 14
N_PARTNERS = 50
N_AGENTS = 3
WARMUP = 2  # runs of each single operation before the counted ones
COUNTED = 3  # counted runs; the highest count is reported
IMPACTS = ("1", "2", "3")
URGENCIES = ("1", "2", "3")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument(
        "--addons-path",
        required=True,
        help="Odoo addons path, including this suite's addons and tests/benchmark/addons",
    )
    parser.add_argument(
        "--database", default="itsm_bench", help="database to (re)create (default: %(default)s)"
    )
    parser.add_argument("--keep", action="store_true", help="do not drop the database at the end")
    parser.add_argument(
        "--tickets",
        type=int,
        default=10000,
        help="records of each model created in batches (default: %(default)s)",
    )
    parser.add_argument("--batch", type=int, default=1000, help="records per batch (default: %(default)s)")
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON to PATH")
    parser.add_argument(
        "--with-sla",
        action="store_true",
        help="also install itsm_sla with a contract that applies to every ticket (SLA lines in each create)",
    )
    parser.add_argument(
        "--data-dir",
        default=default_data_dir(),
        help="Odoo data directory (default: $ITSM_DATA_DIR or <repo>/var/data)",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="print the SQL of the counted single create / stage change, grouped by method",
    )
    args = parser.parse_args(argv)
    if args.tickets <= 0 or args.batch <= 0:
        parser.error("--tickets and --batch must be positive")
    return args


# ----------------------------------------------------------------------
# database
# ----------------------------------------------------------------------
# ----------------------------------------------------------------------
# query counting and profiling
# ----------------------------------------------------------------------
class QueryRecorder:
    """Collects the queries of the current thread with the addon methods that issued them."""

    def __init__(self):
        self.queries = []

    def __call__(self, cr, query, params, start, delay):
        if isinstance(query, bytes):
            query = query.decode(errors="replace")
        self.queries.append((" ".join(str(query).split()), delay, self._callers()))

    @staticmethod
    def _callers():
        chain = []
        for frame in traceback.extract_stack()[:-3]:
            path = frame.filename.replace("\\", "/")
            if "/addons/" not in path or "/tests/benchmark/bench.py" in path:
                continue
            module = path.split("/addons/")[-1].split("/")[0]
            name = f"{module}.{os.path.splitext(os.path.basename(path))[0]}.{frame.name}:{frame.lineno}"
            chain.append(name)
        return chain


@contextlib.contextmanager
def counted(env, recorder=None):
    """Count the queries of the block the way assertQueryCount does (flushes and precommit included).

    The record cache is empty when the block starts (previous transaction committed), as in a
    fresh request; registry caches are warm because the operation was warmed up before.
    """
    cr = env.cr
    env.flush_all()
    cr.flush()
    thread = threading.current_thread()
    hooks = getattr(thread, "query_hooks", None)
    if recorder is not None:
        thread.query_hooks = (*(hooks or ()), recorder)
    result = {}
    try:
        # like assertQueryCount: no random garbage collection inside the counted window
        with patch("random.random", lambda: 1):
            count0 = cr.sql_log_count
            start = time.perf_counter()
            yield result
            env.flush_all()
            cr.flush()
            result["seconds"] = time.perf_counter() - start
            result["queries"] = cr.sql_log_count - count0
    finally:
        if recorder is not None:
            if hooks is None:
                del thread.query_hooks
            else:
                thread.query_hooks = hooks
    cr.commit()


# ----------------------------------------------------------------------
# data
# ----------------------------------------------------------------------
def setup_data(env):
    partners = env["res.partner"].create(
        [
            {"name": f"Bench Requester {i:02d}", "email": f"requester{i:02d}@bench.example.com"}
            for i in range(N_PARTNERS)
        ]
    )
    agent_group = env.ref("itsm_helpdesk.group_itsm_agent")
    agents = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            [
                {
                    "name": f"Bench Agent {i}",
                    "login": f"bench_agent_{i}",
                    "email": f"agent{i}@bench.example.com",
                    "groups_id": [(6, 0, agent_group.ids)],
                }
                for i in range(N_AGENTS)
            ]
        )
    )
    assert all(not agent.share for agent in agents), "bench agents must be internal users"
    team = env["itsm.team"].create(
        {
            "name": "Bench Service Desk",
            "support_line": "1",
            "assignment_method": "round_robin",
            "member_ids": [(6, 0, agents.ids)],
        }
    )
    stage_to = env.ref("itsm_helpdesk.stage_in_progress")
    env.cr.commit()
    return {"partners": partners.ids, "agents": agents.ids, "team": team.id, "stage_to": stage_to.id}


def setup_sla(env):
    """The company's default SLA contract: it applies to every bench ticket."""
    contract = env["itsm.sla.contract"].create(
        {
            "name": "Bench company SLA",
            "calendar_id": env.company.resource_calendar_id.id,
            "date_start": "2000-01-01",
            "review_interval_months": 0,
            "target_ids": [
                (0, 0, {"metric": metric, "priority": priority, "target_hours": hours * factor})
                for metric, factor in (("response", 1), ("resolution", 4))
                for priority, hours in zip("12345", (1, 2, 4, 8, 16), strict=True)
            ],
            "threshold_ids": [
                (0, 0, {"percent": 75, "action": "notify_assignee"}),
                (0, 0, {"percent": 100, "action": "notify_lead"}),
            ],
        }
    )
    contract.action_activate()
    env.cr.commit()
    return contract


def check_sla_lines(env, tickets):
    """Every bench ticket has its response and resolution clocks (the measure is real)."""
    env.cr.execute(
        "SELECT count(*), count(DISTINCT l.ticket_id), count(l.deadline) FROM itsm_ticket_sla l"
        " JOIN itsm_ticket t ON t.id = l.ticket_id WHERE t.name LIKE 'Bench ticket %%'"
    )
    lines, with_lines, planned = env.cr.fetchone()
    assert with_lines == tickets and lines == 2 * tickets, (
        f"{tickets} bench tickets got {lines} SLA lines on {with_lines} tickets"
    )
    print(f"  SLA: {lines} lines on {with_lines} tickets, {planned} with a deadline", flush=True)
    return {"lines": lines, "tickets": with_lines, "planned": planned}


def ticket_vals(data, k):
    return {
        "name": f"Bench ticket {k}",
        "partner_id": data["partners"][k % len(data["partners"])],
        "team_id": data["team"],
        "impact": IMPACTS[k % 3],
        "urgency": URGENCIES[(k // 3) % 3],
    }


def minimal_vals(_data, k):
    return {"name": f"Bench record {k}", "state": "new"}


MODELS = {
    "ticket": ("itsm.ticket", ticket_vals),
    "minimal": ("itsm.bench.minimal", minimal_vals),
}


# ----------------------------------------------------------------------
# measures
# ----------------------------------------------------------------------
def measure_batches(env, data, total, batch):
    """Create ``total`` records of each model in batches, alternating which model goes first."""
    print(
        f"\nBatch creation: {total} records per model, batches of {batch} (create, flush, commit)", flush=True
    )
    print(f"{'batch':>7} {'tickets/s':>10} {'minimal/s':>10} {'ratio':>6}", flush=True)
    times = {"ticket": [], "minimal": []}
    sizes = []
    done, index = 0, 0
    while done < total:
        size = min(batch, total - done)
        order = ("ticket", "minimal") if index % 2 == 0 else ("minimal", "ticket")
        for key in order:
            model, make_vals = MODELS[key]
            vals_list = [make_vals(data, done + i) for i in range(size)]
            start = time.perf_counter()
            env[model].create(vals_list)
            env.flush_all()
            env.cr.commit()
            times[key].append(time.perf_counter() - start)
        sizes.append(size)
        t, m = times["ticket"][-1], times["minimal"][-1]
        print(
            f"{index + 1:>3}/{-(-total // batch):<3} {size / t:>10.1f} {size / m:>10.1f} {t / m:>6.2f}",
            flush=True,
        )
        done += size
        index += 1
    t_total, m_total = sum(times["ticket"]), sum(times["minimal"])
    ratio = round(t_total / m_total, 3)  # as reported in the table and the JSON
    print(
        f"{'total':>7} {total / t_total:>10.1f} {total / m_total:>10.1f} {ratio:>6.2f}"
        f"   ({t_total:.2f} s vs {m_total:.2f} s)",
        flush=True,
    )
    return {
        "records": total,
        "batch_size": batch,
        "batches": [
            {"size": s, "ticket_seconds": round(t, 4), "minimal_seconds": round(m, 4)}
            for s, t, m in zip(sizes, times["ticket"], times["minimal"], strict=True)
        ],
        "ticket_seconds": round(t_total, 4),
        "minimal_seconds": round(m_total, 4),
        "ticket_records_per_s": round(total / t_total, 1),
        "minimal_records_per_s": round(total / m_total, 1),
        "time_ratio": ratio,
    }


def measure_deferred(env, batch):
    """Intake including its acknowledgement: the job that ticket creation leaves the e-mails to.

    It is what a user gets too, only later: its time is added to the batch creation time of
    the tickets (the "intake incl. acknowledgement" ratio against the minimal model), so that
    moving work out of create() does not go unnoticed. Each run of the job handles one batch;
    its queries per run show that the cost per acknowledgement is not in the database.
    """
    tickets = env["itsm.ticket"]
    if "is_ack_pending" not in tickets._fields or not hasattr(tickets, "_cron_send_acknowledgements"):
        return None
    env.cr.execute("SELECT count(*) FROM itsm_ticket WHERE is_ack_pending")
    pending = env.cr.fetchone()[0]
    env.cr.execute("SELECT count(*) FROM mail_mail")
    mails_before = env.cr.fetchone()[0]
    runs = []
    done = 0
    while True:
        env.invalidate_all()
        queries0 = env.cr.sql_log_count
        run_start = time.perf_counter()
        count = tickets._cron_send_acknowledgements()
        env.flush_all()
        env.cr.commit()
        runs.append((count or 0, time.perf_counter() - run_start, env.cr.sql_log_count - queries0))
        done += count or 0
        if not count or done > 2 * pending:  # the guard keeps a faulty job from looping forever
            break
    seconds = sum(run[1] for run in runs)
    env.cr.execute("SELECT count(*) FROM mail_mail")
    mails = env.cr.fetchone()[0] - mails_before
    ticket_total = batch["ticket_seconds"] + seconds
    worked = [run for run in runs if run[0]]
    result = {
        "job": "itsm.ticket._cron_send_acknowledgements",
        "pending": pending,
        "processed": done,
        "mail_mail_created": mails,
        "seconds": round(seconds, 4),
        "ms_per_acknowledgement": round(1000 * seconds / max(done, 1), 3),
        "runs": [{"tickets": n, "seconds": round(t, 4), "queries": q} for n, t, q in runs],
        "queries_per_run_max": max((run[2] for run in worked), default=0),
        "ticket_records_per_s_incl_deferred": round(batch["records"] / ticket_total, 1),
        "time_ratio_incl_deferred": round(ticket_total / batch["minimal_seconds"], 3),
    }
    print(
        f"\nIntake incl. acknowledgement: {result['job']} queued {mails} e-mails for {done} tickets in"
        f" {seconds:.2f} s ({result['ms_per_acknowledgement']:.2f} ms each, against"
        f" {1000 * batch['ticket_seconds'] / batch['records']:.2f} ms per ticket created);"
        f" {len(worked)} runs of up to {max((run[0] for run in worked), default=0)} tickets,"
        f" queries per run {sorted({run[2] for run in worked})} (not growing with the tickets);"
        f" tickets/s including it {result['ticket_records_per_s_incl_deferred']:.1f},"
        f" ratio to the minimal model {result['time_ratio_incl_deferred']:.2f}"
        f" (target <= {TARGET_INTAKE_RATIO:g})",
        flush=True,
    )
    return result


def measure_single(env, data, profile, offset):
    """Queries of one create and of one stage change per model.

    Each operation runs WARMUP times to warm the registry caches, then COUNTED times;
    the figure is the highest count of the counted runs (the assignee changes from one
    run to the next with round robin).
    """
    figures, profiles = {}, {}
    runs = WARMUP + COUNTED
    for key, (model, make_vals) in MODELS.items():
        creates, changes = [], []
        for i in range(runs):
            recorder = QueryRecorder() if profile and i >= WARMUP else None
            with counted(env, recorder) as res:
                env[model].create(make_vals(data, offset + i))
            if i >= WARMUP:
                creates.append((res["queries"], res["seconds"], recorder))
        offset += 100
        # fresh records in their initial stage, committed, then one stage change each
        ids = env[model].create([make_vals(data, offset + i) for i in range(runs)]).ids
        env.cr.commit()
        for i, rec_id in enumerate(ids):
            recorder = QueryRecorder() if profile and i >= WARMUP else None
            with counted(env, recorder) as res:
                record = env[model].browse(rec_id)
                if key == "ticket":
                    record.write({"stage_id": data["stage_to"]})
                else:
                    record.write({"state": "done"})
            if i >= WARMUP:
                changes.append((res["queries"], res["seconds"], recorder))
        offset += 100
        worst_create = max(creates, key=lambda run: run[0])
        worst_change = max(changes, key=lambda run: run[0])
        if profile:
            profiles[(key, "create")] = worst_create[2].queries
            profiles[(key, "stage change")] = worst_change[2].queries
        figures[key] = {
            "queries_per_create": worst_create[0],
            "queries_per_create_runs": [run[0] for run in creates],
            "ms_per_create": round(1000 * statistics.median(run[1] for run in creates), 2),
            "queries_per_stage_change": worst_change[0],
            "queries_per_stage_change_runs": [run[0] for run in changes],
            "ms_per_stage_change": round(1000 * statistics.median(run[1] for run in changes), 2),
        }
        f = figures[key]
        print(
            f"  {model}: create {f['queries_per_create_runs']} queries "
            f"({f['ms_per_create']} ms median), stage change {f['queries_per_stage_change_runs']} "
            f"queries ({f['ms_per_stage_change']} ms median)",
            flush=True,
        )
    return figures, profiles


def _frame_name(frame):
    return frame.rsplit(":", 1)[0]


def _cause(sql, chain):
    """Where a query comes from: the first three addon frames, or the flushed table."""
    if chain:
        return " > ".join(_frame_name(frame) for frame in chain[:3])
    words = sql.split()
    table = words[1] if words[0].upper() == "UPDATE" else words[2] if words[0].upper() == "INSERT" else "?"
    return f"(ORM flush) {words[0].upper()} {table.strip(chr(34))}"


def print_profile(profiles):
    for (who, key, operation), queries in profiles.items():
        print(f"\n### {MODELS[key][0]}: {operation} as {who}, {len(queries)} queries\n")
        causes = collections.Counter()
        for n, (sql, delay, chain) in enumerate(queries, 1):
            causes[_cause(sql, chain)] += 1
            print(f"{n:3}. [{1000 * delay:6.2f} ms] {sql[:200]}")
            print(f"       from {' > '.join(chain[-4:]) or '(ORM flush)'}")
        print(f"\n  queries  cause ({MODELS[key][0]}: {operation} as {who})")
        for name, count in causes.most_common():
            print(f"  {count:7}  {name}")


def code_revision():
    """The suite's commit, marked ``-dirty`` when the measured addons have uncommitted changes."""

    def git(*args):
        return subprocess.run(["git", "-C", REPO, *args], capture_output=True, text=True, check=True).stdout

    try:
        revision = git("rev-parse", "--short", "HEAD").strip()
        dirty = git("status", "--porcelain", "--", "addons", "tests/benchmark/addons").strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{revision}-dirty" if dirty else revision


def _query_row(title, figures, fname, target, met):
    ticket, minimal = figures["ticket"][fname], figures["minimal"][fname]
    ratio = f"{ticket / max(minimal, 1):.2f}x"
    return (title, str(ticket), str(minimal), ratio, f"<= {target}", met(ticket <= target))


def markdown_table(figures):
    batch = figures["batch"]
    single = figures["single"]
    machine = figures["machine"]
    deferred = figures.get("deferred")

    def met(ok):
        return "yes" if ok else "**no**"

    rows = [
        ("Measure", "itsm.ticket", "itsm.bench.minimal", "Ticket / minimal", "Target", "Met"),
        ("---", "---:", "---:", "---:", "---", "---"),
        (
            f"Batch create{' with SLA lines' if figures.get('sla') else ''}, records/s"
            f" ({batch['records']} in batches of {batch['batch_size']})",
            f"{batch['ticket_records_per_s']:.1f}",
            f"{batch['minimal_records_per_s']:.1f}",
            f"{batch['time_ratio']:.2f}x time",
            f"<= {TARGET_BATCH_RATIO:g}x",
            met(batch["time_ratio"] <= TARGET_BATCH_RATIO),
        ),
        *(
            [
                (
                    "**Intake incl. acknowledgement**, records/s (the same batches, plus the"
                    f" acknowledgement job: {deferred['ms_per_acknowledgement']:.2f} ms and at most"
                    f" {deferred['queries_per_run_max']} queries per run)",
                    f"{deferred['ticket_records_per_s_incl_deferred']:.1f}",
                    f"{batch['minimal_records_per_s']:.1f}",
                    f"{deferred['time_ratio_incl_deferred']:.2f}x time",
                    f"<= {TARGET_INTAKE_RATIO:g}x",
                    met(deferred["time_ratio_incl_deferred"] <= TARGET_INTAKE_RATIO),
                )
            ]
            if deferred
            else []
        ),
        *[
            _query_row(f"Queries per {label} ({who})", single[who], fname, target, met)
            for label, fname, target in (
                ("create", "queries_per_create", TARGET_QUERIES_CREATE),
                ("stage change", "queries_per_stage_change", TARGET_QUERIES_STAGE),
            )
            for who in single
        ],
        (
            "Machine",
            f"nproc {machine['nproc']}",
            f"Python {machine['python']}",
            f"PostgreSQL {machine['postgresql']}",
            f"Odoo {machine['odoo']}",
            f"code {machine['code']}",
        ),
    ]
    return "\n".join("| " + " | ".join(row) + " |" for row in rows)


# ----------------------------------------------------------------------
def main(argv=None):
    args = parse_args(argv)
    os.makedirs(args.data_dir, exist_ok=True)
    code = code_revision()  # before installing: the code that gets measured
    drop_database(args.database, args.data_dir)
    install_database(
        args.database, args.addons_path, args.data_dir, MODULES + (",itsm_sla" if args.with_sla else "")
    )

    import odoo

    registry = open_registry(args.database, args.addons_path, args.data_dir)
    try:
        with registry.cursor() as cr:
            # e-mails are queued (mail.mail), not sent during the transaction; everything else as for a user
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"mail_notify_force_send": False})
            figures = {"database": args.database, "machine": dict(machine_info(env), code=code)}
            data = setup_data(env)
            if args.with_sla:
                setup_sla(env)
            figures["batch"] = measure_batches(env, data, args.tickets, args.batch)
            if args.with_sla:
                figures["sla"] = check_sla_lines(env, args.tickets)
            figures["deferred"] = measure_deferred(env, figures["batch"])
            print(
                f"\nQueries per operation ({WARMUP} warm-up runs, then the highest of {COUNTED} "
                "counted runs; flushes and precommit hooks counted, record cache empty at start):",
                flush=True,
            )
            figures["single"], profiles = {}, {}
            agent_env = env(user=data["agents"][0], su=False)
            for offset, (who, who_env) in enumerate((("superuser", env), ("agent", agent_env)), 1):
                print(f" as {who} ({who_env.user.login}):", flush=True)
                figures["single"][who], who_profiles = measure_single(
                    who_env, data, args.profile, offset * 10_000_000
                )
                profiles.update({(who, *key): queries for key, queries in who_profiles.items()})
            cr.execute("SELECT count(*) FROM mail_mail")
            figures["queued_mail_mail"] = cr.fetchone()[0]
        figures["targets"] = {
            "batch_time_ratio_max": TARGET_BATCH_RATIO,
            "intake_incl_acknowledgement_time_ratio_max": TARGET_INTAKE_RATIO,
            "queries_per_create_max": TARGET_QUERIES_CREATE,
            "queries_per_stage_change_max": TARGET_QUERIES_STAGE,
        }
        if args.profile:
            print_profile(profiles)
        table = markdown_table(figures)
        figures["markdown"] = table
        print("\n" + table + "\n", flush=True)
        if args.json:
            with open(args.json, "w", encoding="utf-8") as fp:
                json.dump(figures, fp, indent=2)
                fp.write("\n")
            print(f"Figures written to {args.json}")
    finally:
        close_registry(args.database)
        if args.keep:
            print(f"Database {args.database} kept.")
        else:
            drop_database(args.database, args.data_dir)
            print(f"Database {args.database} dropped.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
