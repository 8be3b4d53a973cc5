#!/usr/bin/env python3
"""ISO/IEC 20000 evidence export benchmark: a year of a large desk in one workbook.

Run through ``make bench`` after the other benchmarks, or alone::

    python3 tests/benchmark/bench_evidence.py --addons-path=<odoo addons>,<repo>/addons

It (re)creates a database with ``itsm_evidence`` (no demo data), inserts tickets over the last
year in bulk with SQL (default 100,000: incidents, service requests and changes, 1 % major, one
requester per 10 tickets, a rating on one ticket in ten), then exports the year as a desk
manager who is also complaint process owner (the user's rights and record rules applied) and
measures the time, the process's peak resident memory and the peak of Python allocations.
Targets: at most 60 s and 300 MB.
"""

import argparse
import os
import resource
import sys
import time
import tracemalloc
from datetime import timedelta

from benchlib import (
    close_registry,
    default_data_dir,
    drop_database,
    install_database,
    machine_info,
    open_registry,
)

TARGET_SECONDS = 60.0
TARGET_MB = 300.0


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--database", default="itsm_bench_evidence")
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="do not drop the database at the end")
    parser.add_argument("--data-dir", default=default_data_dir())
    return parser.parse_args(argv)


def populate(env, tickets):
    """Tickets spread over the last 365 days and their ratings, in a few INSERTs."""
    cr = env.cr
    company = env.company.id
    team = env["itsm.team"].create({"name": "Bench desk"}).id
    stage = env.ref("itsm_helpdesk.stage_solved").id
    people = max(tickets // 10, 1)
    cr.execute(
        """
        INSERT INTO res_partner (name, email, active, type, is_company, create_date, write_date)
        SELECT 'Bench user ' || n, 'bench' || n || '@example.com', TRUE, 'contact', FALSE, now(), now()
          FROM generate_series(1, %s) n
        RETURNING id
        """,
        (people,),
    )
    partner_ids = [row[0] for row in cr.fetchall()]
    cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE id = ANY(%s)", (partner_ids,))
    cr.execute(
        """
        INSERT INTO itsm_ticket (name, number, kind, channel, impact, urgency, priority, company_id, team_id,
                                 stage_id, is_closed, active, partner_id, commercial_partner_id,
                                 is_major_incident, opened_at, closed_at, create_date, write_date)
        SELECT CASE WHEN n %% 1000 = 0 THEN '=HYPERLINK("http://x","y") ' ELSE 'Bench ticket ' END || n,
               'BENCH-' || n,
               (ARRAY['incident', 'incident', 'incident', 'service_request', 'service_request',
                      'change_request'])[1 + n %% 6],
               'portal', '3', '3', '4', %(company)s, %(team)s, %(stage)s, TRUE, TRUE, p.id, p.id,
               n %% 600 = 0,
               now() - (n %% 364) * interval '1 day' - interval '2 hours',
               now() - (n %% 364) * interval '1 day', now(), now()
          FROM generate_series(1, %(tickets)s) n
          JOIN LATERAL (SELECT (%(partners)s::int[])[1 + (n %% %(people)s)] AS id) p ON TRUE
        """,
        {
            "company": company,
            "team": team,
            "stage": stage,
            "tickets": tickets,
            "partners": partner_ids,
            "people": people,
        },
    )
    model = env["ir.model"]._get_id("itsm.ticket")
    cr.execute(
        """
        INSERT INTO rating_rating (res_model_id, res_model, res_id, itsm_ticket_id, partner_id, rating,
                                   rating_text, consumed, is_default, itsm_channel, access_token,
                                   create_date, write_date)
        SELECT %s, 'itsm.ticket', t.id, t.id, t.partner_id, 1 + t.id %% 5,
               CASE WHEN t.id %% 5 >= 3 THEN 'top' WHEN t.id %% 5 = 2 THEN 'ok' ELSE 'ko' END,
               TRUE, t.id %% 20 = 0, CASE WHEN t.id %% 20 = 0 THEN NULL ELSE 'email' END,
               md5(t.id::text), t.closed_at, t.closed_at
          FROM itsm_ticket t WHERE t.team_id = %s AND t.id %% 10 = 0
        """,
        (model, team),
    )
    cr.execute("ANALYZE itsm_ticket; ANALYZE res_partner; ANALYZE rating_rating")
    env.invalidate_all()


def exporter(env):
    groups = env.ref("itsm_helpdesk.group_itsm_manager") | env.ref(
        "itsm_complaints.group_complaint_process_owner"
    )
    return env["res.users"].create(
        {
            "name": "Bench Evidence Manager",
            "login": "bench_evidence_manager",
            "groups_id": [(6, 0, groups.ids)],
        }
    )


def measure(env, user, trace=False):
    from odoo import fields

    today = fields.Date.context_today(env["res.partner"])
    wizard = (
        env["itsm.evidence.export.wizard"]
        .with_user(user)
        .create({"date_from": today - timedelta(days=365), "date_to": today})
    )
    env.invalidate_all()
    if trace:
        tracemalloc.start()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start, cpu = time.perf_counter(), time.process_time()
    queries = env.cr.sql_log_count
    wizard.action_export()
    env.flush_all()
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    queries = env.cr.sql_log_count - queries
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    peak = None
    if trace:
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        peak = peak / 1024 / 1024
    log = env["itsm.evidence.export"].search([], limit=1)
    return elapsed, cpu, queries, rss_before, rss_after, peak, log


def main(argv=None):
    args = parse_args(argv)
    install_database(args.database, args.addons_path, args.data_dir, "itsm_evidence")
    import odoo

    registry = open_registry(args.database, args.addons_path, args.data_dir)
    status = 0
    try:
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"mail_notify_force_send": False})
            print(f"Inserting {args.tickets} tickets over a year...", flush=True)
            populate(env, args.tickets)
            user = exporter(env)
            elapsed, cpu, queries, rss_before, rss_after, _peak, log = measure(env, user)
            print(
                f"evidence export of a year ({log.row_count} rows, "
                f"{log.attachment_id.file_size / 1024 / 1024:.1f} MB xlsx): {elapsed:.1f} s "
                f"({cpu:.1f} s of Odoo CPU), {queries} queries, "
                f"peak RSS {rss_after:.0f} MB (before the export {rss_before:.0f} MB)",
                flush=True,
            )
            print("rows per sheet: " + "; ".join(log.row_counts.splitlines()), flush=True)
            _elapsed, _cpu, _queries, _before, _after, peak, _log = measure(env, user, trace=True)
            print(f"peak of Python allocations during the export (tracemalloc): {peak:.0f} MB", flush=True)
            print(f"machine: {machine_info(env)}, load average {os.getloadavg()[0]:.1f}")
            growth = max(rss_after - rss_before, peak)
            time_ok, memory_ok = elapsed <= TARGET_SECONDS, growth <= TARGET_MB
            print(
                f"\n| Evidence export, a year, {args.tickets} tickets | {elapsed:.1f} s | "
                f"≤ {TARGET_SECONDS:.0f} s | {'OK' if time_ok else 'TOO SLOW'} |"
            )
            print(
                f"| Its memory (RSS growth / traced peak) | {rss_after - rss_before:.0f} / {peak:.0f} MB | "
                f"≤ {TARGET_MB:.0f} MB | {'OK' if memory_ok else 'TOO MUCH'} |"
            )
            status = 0 if time_ok and memory_ok else 1
            cr.rollback()
    finally:
        close_registry(args.database)
        if not args.keep:
            drop_database(args.database, args.data_dir)
    return status


if __name__ == "__main__":
    sys.exit(main())
