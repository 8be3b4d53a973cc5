#!/usr/bin/env python3
"""A peer in the same run: our ticket, OCA's helpdesk ticket and the minimal model side by side.

Run through ``make bench`` (last step), or alone::

    python3 tests/benchmark/bench_peer.py \
        --addons-path=<odoo addons>,<repo>/addons,<repo>/tests/benchmark/addons

OCA's ``helpdesk_mgmt`` and ``helpdesk_mgmt_sla`` for Odoo 18.0 are taken as published: their
addon wheels are downloaded by pip (without dependencies) into ``var/bench/peer/wheels`` and
unpacked into ``var/bench/peer/addons``, which this script adds to the addons path (``--peer-addons``
uses a folder that already holds both instead). One database gets ``itsm_helpdesk``, ``itsm_sla``,
``itsm_bench_minimal``, ``helpdesk_mgmt`` and ``helpdesk_mgmt_sla``, without demo data. Each
product is set up as a desk would use it: a team of three agents, an SLA that applies to every
ticket (ours: a company contract with response and resolution targets per priority and two
warning thresholds; OCA's: a team SLA of 4 hours on the company's working hours).

In the same process, with the same settings, it measures:

a. batch creation (records/s) of the three models, batches interleaved;
b. SQL queries of one create and of one stage change (to an open stage), counted as
   ``assertQueryCount`` does, as the superuser and as an agent;
c. at 100,000 open tickets of each product (the tickets of (a) copied with bulk SQL across the
   open stages, then vacuumed and analysed): the team counters of the team overview and the
   queue grouped by stage through the web client's own call (``web_read_group``), time (median
   of 5) and queries.

The figures are printed as a Markdown table (and JSON with ``--json``); the database is dropped
at the end unless ``--keep``.
"""

import argparse
import glob
import json
import os
import statistics
import subprocess
import sys
import time
import zipfile

from bench import COUNTED, WARMUP, code_revision, counted, minimal_vals, setup_data, setup_sla, ticket_vals
from benchlib import (
    REPO,
    close_registry,
    default_data_dir,
    drop_database,
    install_database,
    machine_info,
    markdown_table,
    open_registry,
    vacuum,
)

PEER_MODULES = ("helpdesk_mgmt", "helpdesk_mgmt_sla")
PEER_REQUIREMENTS = [f"odoo-addon-{name}>=18.0,<18.1" for name in PEER_MODULES]
MODULES = "itsm_helpdesk,itsm_sla,itsm_bench_minimal," + ",".join(PEER_MODULES)
LARGE = 100_000
READS = 5


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--addons-path", required=True, help="Odoo addons path with this suite's addons")
    parser.add_argument("--database", default="itsm_bench_peer", help="database (default: %(default)s)")
    parser.add_argument("--keep", action="store_true", help="do not drop the database at the end")
    parser.add_argument(
        "--tickets", type=int, default=2000, help="records per model in (a) (default: %(default)s)"
    )
    parser.add_argument("--batch", type=int, default=500, help="records per batch (default: %(default)s)")
    parser.add_argument("--large", type=int, default=LARGE, help="open tickets in (c) (default: %(default)s)")
    parser.add_argument("--peer-addons", help="folder that already holds helpdesk_mgmt and helpdesk_mgmt_sla")
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON to PATH")
    parser.add_argument("--data-dir", default=default_data_dir(), help="Odoo data directory")
    return parser.parse_args(argv)


# ----------------------------------------------------------------------
# the peer's addons, as published
# ----------------------------------------------------------------------
def peer_addons(folder=None):
    """The folder holding OCA's two addons: given, or unpacked from their wheels."""
    if folder:
        missing = [name for name in PEER_MODULES if not os.path.isdir(os.path.join(folder, name))]
        if missing:
            sys.exit(f"--peer-addons {folder} lacks {', '.join(missing)}")
        return folder
    base = os.path.join(REPO, "var", "bench", "peer")
    wheels, addons = os.path.join(base, "wheels"), os.path.join(base, "addons")
    os.makedirs(wheels, exist_ok=True)
    print(f"Downloading {', '.join(PEER_REQUIREMENTS)} (wheels, without dependencies)...", flush=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--dest", wheels, "-q"]
        + PEER_REQUIREMENTS,
        check=True,
    )
    os.makedirs(addons, exist_ok=True)
    versions = {}
    for name in PEER_MODULES:
        found = sorted(glob.glob(os.path.join(wheels, f"odoo_addon_{name}-18.0.*.whl")))
        if not found:
            sys.exit(f"no wheel of {name} for Odoo 18.0 in {wheels}")
        with zipfile.ZipFile(found[-1]) as wheel:
            prefix = f"odoo/addons/{name}/"
            for member in wheel.namelist():
                if member.startswith(prefix) and not member.endswith("/"):
                    target = os.path.join(addons, name, member[len(prefix) :])
                    os.makedirs(os.path.dirname(target), exist_ok=True)
                    with wheel.open(member) as src, open(target, "wb") as dst:
                        dst.write(src.read())
        versions[name] = os.path.basename(found[-1]).split("-")[1]
    print(f"  {versions}", flush=True)
    return addons


# ----------------------------------------------------------------------
# the three products, set up as a desk uses them
# ----------------------------------------------------------------------
def setup_peer(env, data):
    """OCA's desk: the same agents in a team with a 4-hour SLA on the company's working hours."""
    agents = env["res.users"].browse(data["agents"])
    agents.write({"groups_id": [(4, env.ref("helpdesk_mgmt.group_helpdesk_user").id)]})
    team = env["helpdesk.ticket.team"].create(
        {
            "name": "Bench OCA desk",
            "user_ids": [(6, 0, agents.ids)],
            "use_sla": True,
            "resource_calendar_id": env.company.resource_calendar_id.id,
        }
    )
    env["helpdesk.sla"].create({"name": "Bench 4 hours", "team_ids": [(6, 0, team.ids)], "hours": 4})
    stages = env["helpdesk.ticket.stage"].search([("closed", "=", False)], order="sequence, id")
    env.cr.commit()
    return {"team": team.id, "stage_to": stages[1].id, "open_stages": stages.ids}


def peer_vals(data, k):
    return {
        "name": f"Bench OCA ticket {k}",
        "description": f"<p>Bench OCA ticket {k}</p>",
        "partner_id": data["partners"][k % len(data["partners"])],
        "team_id": data["peer"]["team"],
        "priority": str(k % 4),
    }


PRODUCTS = {
    "ticket": ("itsm.ticket", ticket_vals, "stage_id"),
    "oca": ("helpdesk.ticket", peer_vals, "stage_id"),
    "minimal": ("itsm.bench.minimal", minimal_vals, "state"),
}
LABELS = {"ticket": "itsm.ticket + SLA", "oca": "OCA helpdesk.ticket + SLA", "minimal": "minimal model"}


def target_stage(key, data):
    return {"ticket": data["stage_to"], "oca": data["peer"]["stage_to"], "minimal": "done"}[key]


# ----------------------------------------------------------------------
# measures
# ----------------------------------------------------------------------
def measure_batches(env, data, total, batch):
    print(
        f"\nBatch creation: {total} records per model, batches of {batch} (create, flush, commit)", flush=True
    )
    seconds = dict.fromkeys(PRODUCTS, 0.0)
    done, index = 0, 0
    while done < total:
        size = min(batch, total - done)
        keys = list(PRODUCTS)
        keys = keys[index % 3 :] + keys[: index % 3]  # each model goes first in turn
        for key in keys:
            model, make_vals, _field = PRODUCTS[key]
            vals_list = [make_vals(data, done + i) for i in range(size)]
            start = time.perf_counter()
            env[model].create(vals_list)
            env.flush_all()
            env.cr.commit()
            seconds[key] += time.perf_counter() - start
        done += size
        index += 1
    figures = {
        key: {"records_per_s": round(total / secs, 1), "seconds": round(secs, 3)}
        for key, secs in seconds.items()
    }
    for key, fig in figures.items():
        fig["ratio_to_minimal"] = round(seconds[key] / seconds["minimal"], 2)
        print(
            f"  {LABELS[key]:<28} {fig['records_per_s']:>9.1f}/s  {fig['ratio_to_minimal']:>6.2f}x",
            flush=True,
        )
    # the measure is real: every ticket of both desks got its SLA clocks
    env.cr.execute("SELECT count(DISTINCT ticket_id) FROM itsm_ticket_sla")
    ours = env.cr.fetchone()[0]
    env.cr.execute("SELECT count(DISTINCT ticket_id) FROM helpdesk_ticket_sla")
    theirs = env.cr.fetchone()[0]
    assert ours >= total and theirs >= total, f"SLA clocks on {ours} and {theirs} of {total} tickets"
    return figures


def measure_single(env, data, offset):
    figures = {}
    runs = WARMUP + COUNTED
    for key, (model, make_vals, field) in PRODUCTS.items():
        creates, changes = [], []
        for i in range(runs):
            with counted(env) as res:
                env[model].create(make_vals(data, offset + i))
            if i >= WARMUP:
                creates.append(res["queries"])
        offset += 100
        ids = env[model].create([make_vals(data, offset + i) for i in range(runs)]).ids
        env.cr.commit()
        for i, rec_id in enumerate(ids):
            with counted(env) as res:
                env[model].browse(rec_id).write({field: target_stage(key, data)})
            if i >= WARMUP:
                changes.append(res["queries"])
        offset += 100
        figures[key] = {"queries_per_create": max(creates), "queries_per_stage_change": max(changes)}
        print(f"  {LABELS[key]:<28} create {creates} queries, stage change {changes} queries", flush=True)
    return figures


def _columns(cr, table):
    cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s AND column_name <> 'id'"
        " ORDER BY ordinal_position",
        (table,),
    )
    return [row[0] for row in cr.fetchall()]


def grow(env, table, count, replaced, template_domain):
    """Copy the ORM-made rows of ``table`` until it holds ``count`` more, with bulk SQL."""
    cr = env.cr
    cr.execute(f"SELECT id FROM {table} WHERE {template_domain} ORDER BY id")  # noqa: S608 - fixed names
    templates = [row[0] for row in cr.fetchall()]
    columns = _columns(cr, table)
    rounds = -(-count // len(templates))
    select = ", ".join(replaced.get(c, "t." + c) for c in columns)
    cr.execute(
        f"""
        INSERT INTO {table} ({", ".join(columns)})
        SELECT {select}
          FROM (SELECT t.*, row_number() OVER () AS n FROM {table} t WHERE t.id = ANY(%(templates)s)) t,
               generate_series(1, %(rounds)s) g
         ORDER BY g, t.id
         LIMIT %(count)s
        """,  # noqa: S608 - fixed names
        {"templates": templates, "rounds": rounds, "count": count},
    )
    env.cr.commit()


def timed_reads(env, func):
    runs = []
    for _ in range(READS):
        env.invalidate_all()
        env.cr.commit()
        with counted(env) as res:
            func()
        runs.append(res)
    return {
        "ms": round(1000 * statistics.median(r["seconds"] for r in runs), 1),
        "queries": max(r["queries"] for r in runs),
    }


def measure_large(env, data, large):
    print(
        f"\nCopying tickets to {large:,} open tickets per desk (bulk SQL across the open stages)...",
        flush=True,
    )
    ours = env["itsm.stage"].search([("is_closed", "=", False)], order="sequence, id").ids
    theirs = data["peer"]["open_stages"]
    env.cr.execute("SELECT count(*) FROM itsm_ticket WHERE NOT is_closed")
    grow(
        env,
        "itsm_ticket",
        large - env.cr.fetchone()[0],
        {
            "name": "'Bench copy ' || g || '-' || t.n",
            "number": "'BCP-' || g || '-' || t.n",
            "stage_id": f"(ARRAY{ours})[1 + ((g + t.n) %% {len(ours)})]",
        },
        "NOT is_closed",
    )
    env.cr.execute("SELECT count(*) FROM helpdesk_ticket")
    grow(
        env,
        "helpdesk_ticket",
        large - env.cr.fetchone()[0],
        {
            "name": "'Bench copy ' || g || '-' || t.n",
            "number": "'OCP-' || g || '-' || t.n",
            "stage_id": f"(ARRAY{theirs})[1 + ((g + t.n) %% {len(theirs)})]",
        },
        "true",
    )
    vacuum(env, ("itsm_ticket", "helpdesk_ticket"))
    env.cr.execute("SELECT count(*) FROM itsm_ticket WHERE NOT is_closed")
    open_ours = env.cr.fetchone()[0]
    env.cr.execute(
        "SELECT count(*) FROM helpdesk_ticket t"
        " JOIN helpdesk_ticket_stage s ON s.id = t.stage_id WHERE NOT s.closed"
    )
    open_theirs = env.cr.fetchone()[0]
    print(f"  open tickets: ours {open_ours:,}, OCA {open_theirs:,}", flush=True)
    team = env["itsm.team"].browse(data["team"])
    peer_team = env["helpdesk.ticket.team"].browse(data["peer"]["team"])
    figures = {
        "open": {"ticket": open_ours, "oca": open_theirs},
        "team_counters": {
            "ticket": timed_reads(
                env,
                lambda: (
                    env["itsm.team"]
                    .browse(team.id)
                    .read(["open_ticket_count", "unassigned_ticket_count", "urgent_ticket_count"])
                ),
            ),
            "oca": timed_reads(
                env,
                lambda: (
                    env["helpdesk.ticket.team"]
                    .browse(peer_team.id)
                    .read(
                        [
                            "todo_ticket_count",
                            "todo_ticket_count_unassigned",
                            "todo_ticket_count_high_priority",
                        ]
                    )
                ),
            ),
        },
        "queue_by_stage": {
            "ticket": timed_reads(
                env,
                lambda: env["itsm.ticket"].web_read_group(
                    [("is_closed", "=", False)], ["stage_id"], ["stage_id"], lazy=True
                ),
            ),
            "oca": timed_reads(
                env,
                lambda: env["helpdesk.ticket"].web_read_group(
                    [("closed", "=", False)], ["stage_id"], ["stage_id"], lazy=True
                ),
            ),
        },
    }
    for measure in ("team_counters", "queue_by_stage"):
        for key, fig in figures[measure].items():
            print(
                f"  {measure:<15} {LABELS[key]:<28} {fig['ms']:>8.1f} ms {fig['queries']:>3} queries",
                flush=True,
            )
    return figures


def markdown(figures):
    batch, single, large = figures["batch"], figures["single"], figures["large"]
    keys = ("ticket", "oca", "minimal")
    rows = [
        ("Measure", *(LABELS[k] for k in keys)),
        ("---", "---:", "---:", "---:"),
        (
            f"Batch create, records/s ({figures['tickets']} in batches of {figures['batch_size']})",
            *(f"{batch[k]['records_per_s']:.1f} ({batch[k]['ratio_to_minimal']:.2f}x)" for k in keys),
        ),
    ]
    for who in single:
        for label, fname in (("create", "queries_per_create"), ("stage change", "queries_per_stage_change")):
            rows.append((f"Queries per {label} ({who})", *(str(single[who][k][fname]) for k in keys)))
    for label, measure in (
        ("Team counters", "team_counters"),
        ("Open queue grouped by stage", "queue_by_stage"),
    ):
        rows.append(
            (
                f"{label}, {large['open']['ticket']:,} open (ms, queries)",
                *(
                    f"{large[measure][k]['ms']:.1f} ms, {large[measure][k]['queries']} q"
                    for k in ("ticket", "oca")
                ),
                "",
            )
        )
    return markdown_table(rows, figures["machine"], extra=f", OCA {figures['peer_versions']}")


def main(argv=None):
    args = parse_args(argv)
    code = code_revision()
    try:
        addons = peer_addons(args.peer_addons)
    except subprocess.CalledProcessError as exc:
        print(f"OCA's helpdesk_mgmt could not be downloaded ({exc}); the peer is not measured.", flush=True)
        return 0
    addons_path = f"{args.addons_path},{addons}"
    versions = {}
    for name in PEER_MODULES:
        with open(os.path.join(addons, name, "__manifest__.py"), encoding="utf-8") as fp:
            versions[name] = eval(fp.read(), {})["version"]  # noqa: S307 - a manifest is a literal dict
    install_database(args.database, addons_path, args.data_dir, MODULES)

    import odoo

    registry = open_registry(args.database, addons_path, args.data_dir)
    try:
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"mail_notify_force_send": False})
            figures = {
                "machine": dict(machine_info(env), code=code),
                "peer_versions": versions,
                "tickets": args.tickets,
                "batch_size": args.batch,
            }
            data = setup_data(env)
            setup_sla(env)
            data["peer"] = setup_peer(env, data)
            figures["batch"] = measure_batches(env, data, args.tickets, args.batch)
            print("\nQueries per operation (warm caches, highest of the counted runs):", flush=True)
            agent_env = env(user=data["agents"][0], su=False)
            figures["single"] = {}
            for offset, (who, who_env) in enumerate((("superuser", env), ("agent", agent_env)), 1):
                print(f" as {who}:", flush=True)
                figures["single"][who] = measure_single(who_env, data, offset * 10_000_000)
            figures["large"] = measure_large(env, data, args.large)
        table = markdown(figures)
        figures["markdown"] = table
        print("\n" + table + "\n", flush=True)
        if args.json:
            with open(args.json, "w", encoding="utf-8") as fp:
                json.dump(figures, fp, indent=2)
                fp.write("\n")
    finally:
        close_registry(args.database)
        if args.keep:
            print(f"Database {args.database} kept.")
        else:
            drop_database(args.database, args.data_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
