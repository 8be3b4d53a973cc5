#!/usr/bin/env python3
"""Satisfaction benchmark: campaign sampling and the default-rating job at volume.

Run through ``make bench`` after the desk benchmark, or alone::

    python3 tests/benchmark/bench_satisfaction.py --addons-path=<odoo addons>,<repo>/addons

It (re)creates a database with ``itsm_satisfaction`` (no demo data), inserts resolved tickets
in bulk with SQL (default 100,000, one requester per 3 tickets, a contact log of 20,000 recent
requests so that the fatigue rule has work), then measures:

a. sampling a campaign over every resolved ticket, fatigue rule included (count and
   percentage), in the database: the target is at most 2 s;
b. the default-rating job when 200 tickets are due among 100,000 with a pending or answered
   request: the time and the SQL queries, which must not grow with the tickets not due.
"""

import argparse
import sys
import time

from benchlib import close_registry, default_data_dir, drop_database, install_database, open_registry

TARGET_SAMPLING_SECONDS = 2.0


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--database", default="itsm_bench_satisfaction")
    parser.add_argument("--tickets", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="do not drop the database at the end")
    parser.add_argument("--data-dir", default=default_data_dir())
    return parser.parse_args(argv)


def populate(env, tickets):
    """Resolved tickets over the last 90 days, one requester per 3 tickets, in a few INSERTs."""
    cr = env.cr
    company = env.company.id
    team = env["itsm.team"].create({"name": "Bench desk"}).id
    stage = env.ref("itsm_helpdesk.stage_solved").id
    people = tickets // 3
    cr.execute(
        """
        INSERT INTO res_partner (name, email, active, type, is_company, company_id, create_date, write_date)
        SELECT 'Bench user ' || n, 'bench' || n || '@example.com', TRUE, 'contact', FALSE, NULL, now(), now()
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
                                 opened_at, closed_at, create_date, write_date)
        SELECT 'Bench ticket ' || n, 'BENCH-' || n,
               (ARRAY['incident', 'service_request', 'question'])[1 + n %% 3], 'portal', '3', '3', '4',
               %(company)s, %(team)s, %(stage)s, TRUE, TRUE, p.id, p.id,
               now() - (n %% 90) * interval '1 day' - interval '2 hours',
               now() - (n %% 90) * interval '1 day', now(), now()
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
    # 20,000 people asked in the last 30 days: the fatigue rule excludes them
    cr.execute(
        """
        INSERT INTO itsm_survey_contact (partner_id, contact_date, channel, res_model, res_id, company_id)
        SELECT id, now() - (id %% 30) * interval '1 day', 'email', 'res.partner', id, %s
          FROM unnest(%s::int[]) WITH ORDINALITY AS u(id, n) WHERE n <= 20000
        """,
        (company, partner_ids),
    )
    # pending rating requests: 200 due (10 days old), the rest recent
    cr.execute(
        """
        UPDATE itsm_ticket SET rating_requested_at = now() - CASE WHEN id %% 500 = 0
                                                                   THEN interval '10 days'
                                                                   ELSE interval '1 day' END
         WHERE team_id = %s
        """,
        (team,),
    )
    cr.execute("ANALYZE itsm_ticket; ANALYZE res_partner; ANALYZE itsm_survey_contact")
    env.invalidate_all()
    return team


def measure(env, team):
    from odoo import fields

    Campaign = env["itsm.callback.campaign"]
    today = fields.Date.context_today(Campaign)
    results = {}
    for label, values in (
        ("count 500", {"sample_type": "count", "sample_count": 500}),
        ("10 %", {"sample_type": "percentage", "sample_percentage": 10}),
    ):
        campaign = Campaign.create(
            dict(values, name=label, period_start="2000-01-01", period_end=today, seed="bench")
        )
        campaign._draw()  # warm the caches
        start = time.perf_counter()
        sample, population = campaign._draw()
        elapsed = time.perf_counter() - start
        results[label] = (elapsed, len(sample), population)
        print(
            f"sampling ({label}) over {population} resolved tickets: {len(sample)} drawn in {elapsed:.3f} s",
            flush=True,
        )
    Ticket = env["itsm.ticket"]
    env.company.itsm_default_rating_days = 7
    env.flush_all()
    start = time.perf_counter()
    queries = env.cr.sql_log_count
    done = Ticket._cron_record_default_ratings()
    env.flush_all()
    queries = env.cr.sql_log_count - queries
    elapsed = time.perf_counter() - start
    print(
        f"default-rating job: {done} due tickets defaulted in {elapsed:.3f} s, {queries} queries", flush=True
    )
    return results, (done, elapsed, queries)


def main(argv=None):
    args = parse_args(argv)
    install_database(args.database, args.addons_path, args.data_dir, "itsm_satisfaction")
    import odoo

    registry = open_registry(args.database, args.addons_path, args.data_dir)
    status = 0
    try:
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"mail_notify_force_send": False})
            print(f"Inserting {args.tickets} resolved tickets...", flush=True)
            team = populate(env, args.tickets)
            sampling, _default = measure(env, team)
            worst = max(elapsed for elapsed, _n, _p in sampling.values())
            verdict = "OK" if worst <= TARGET_SAMPLING_SECONDS else "TOO SLOW"
            print(f"\n| Sampling, worst case | {worst:.3f} s | ≤ {TARGET_SAMPLING_SECONDS} s | {verdict} |")
            status = 0 if worst <= TARGET_SAMPLING_SECONDS else 1
            cr.rollback()
    finally:
        close_registry(args.database)
        if not args.keep:
            drop_database(args.database, args.data_dir)
    return status


if __name__ == "__main__":
    sys.exit(main())
