#!/usr/bin/env python3
"""Portal, exports and service reports at volume (issue 13 §5, issue 14 speed).

Run through ``make bench``, or alone::

    python3 tests/benchmark/bench_volume.py --addons-path=<repo>/addons,<odoo addons>

One database gets the suite (``itsm``, without demo data) and a customer company with a designated
contact (who sees the company's tickets on the portal), a colleague and a customer SLA contract.
The customer's tickets are made by the ORM (with their SLA clocks), then copied with bulk SQL
(opened over the twelve months up to the reported month, a third of them resolved, each with the
SLA clocks of its template) up to each size measured. Requests go through Odoo's WSGI application
(werkzeug's test client: routing, session, rendering and the response as a browser gets them).

a. ``GET /my/tickets`` as the designated contact, with 500 and with 5,000 tickets of the
   company: time (median of 5, warm caches) and SQL queries; target 300 ms, the same count.
b. a service report of the customer for one month: ``_compute_figures`` (every section) with
   10,000 and with 100,000 tickets of the customer: time (median of 5) and queries; target 2 s,
   the same count. At the same sizes, the company's management report
   (``itsm_management_report``) for the quarter and for the year that hold the reported month:
   time (median of 5) and queries; target 2 s, the same count.
c. an XLSX export of every ticket (100,000 and more) through the export controller
   (``POST /web/export/xlsx``) with the columns of the ticket list view: time, peak memory of
   the process (``ru_maxrss`` growth) and of Python's allocations (``tracemalloc`` peak, a
   second run); targets 30 s and 300 MB.

The figures are printed as a Markdown table (and JSON with ``--json``); the database is dropped at
the end unless ``--keep``.
"""

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
import tracemalloc
from datetime import date, datetime, timedelta

from bench import code_revision
from bench_peer import _columns
from benchlib import (
    close_registry,
    default_data_dir,
    drop_database,
    install_database,
    machine_info,
    markdown_table,
    open_registry,
    vacuum,
)

READS = 5
ORM_TICKETS = 120
PORTAL_SIZES = (500, 5_000)
REPORT_SIZES = (10_000, 100_000)
TARGET_PORTAL_MS = 300
TARGET_REPORT_S = 2
TARGET_EXPORT_S = 30
TARGET_EXPORT_MB = 300
PASSWORD = "bench-volume-1"  # noqa: S105 - a throwaway bench database


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--addons-path", required=True, help="Odoo addons path with this suite's addons")
    parser.add_argument("--database", default="itsm_bench_volume", help="database (default: %(default)s)")
    parser.add_argument("--modules", default="itsm", help="modules to install (default: %(default)s)")
    parser.add_argument("--keep", action="store_true", help="do not drop the database at the end")
    parser.add_argument(
        "--template", help="copy this database (the suite installed, no demo) instead of installing"
    )
    parser.add_argument(
        "--scale", type=float, default=1.0, help="multiply every size (0.1 for a short run; default 1)"
    )
    parser.add_argument(
        "--reports-only", action="store_true", help="measure the service and management reports only"
    )
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON to PATH")
    parser.add_argument("--data-dir", default=default_data_dir(), help="Odoo data directory")
    return parser.parse_args(argv)


def report_month(today=None):
    """The first day of last month: the month a monthly service report is issued for."""
    first = (today or date.today()).replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


# ----------------------------------------------------------------------
# data
# ----------------------------------------------------------------------
class Data:
    def __init__(self, env):
        self.env = env

    def setup(self):
        env = self.env
        self.month = report_month()
        self.month_end = (self.month + timedelta(days=32)).replace(day=1)
        self.customer = env["res.partner"].create({"name": "Bench Volume Customer", "is_company": True})
        self.other = env["res.partner"].create({"name": "Bench Other Customer", "is_company": True})
        portal = env.ref("base.group_portal")
        users = (
            env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                [
                    {
                        "name": name,
                        "login": login,
                        "password": PASSWORD,
                        "email": f"{login}@bench.example.com",
                        "groups_id": [(6, 0, portal.ids)],
                    }
                    for name, login in (
                        ("Dana Designated", "bench_designated"),
                        ("Colin Colleague", "bench_colleague"),
                        ("Otto Other", "bench_other"),
                    )
                ]
            )
        )
        self.designated, self.colleague, other_user = users
        self.designated.partner_id.write({"parent_id": self.customer.id, "itsm_company_access": True})
        self.colleague.partner_id.parent_id = self.customer
        other_user.partner_id.parent_id = self.other
        env.ref("base.user_admin").password = PASSWORD
        self.team = env["itsm.team"].create({"name": "Bench Volume Desk", "support_line": "1"})
        contract = env["itsm.sla.contract"].create(
            {
                "name": "Bench Volume Gold",
                "partner_id": self.customer.id,
                "calendar_id": env.company.resource_calendar_id.id,
                "date_start": "2000-01-01",
                "review_interval_months": 0,
                "target_ids": [
                    (0, 0, {"metric": metric, "priority": priority, "target_hours": hours * factor})
                    for metric, factor in (("response", 1), ("resolution", 4))
                    for priority, hours in zip("12345", (1, 2, 4, 8, 16), strict=True)
                ],
            }
        )
        contract.action_activate()
        kinds = ("incident", "service_request", "question")
        channels = ("portal", "email", "phone")
        reporters = (self.designated.partner_id, self.colleague.partner_id)
        vals = [
            {
                "name": f"Bench volume ticket {k}",
                "description": f"<p>Bench volume ticket {k}</p>",
                "partner_id": reporters[k % 2].id,
                "team_id": self.team.id,
                "kind": kinds[k % 3],
                "channel": channels[k % 3],
                "priority": str(1 + k % 5),
            }
            for k in range(ORM_TICKETS)
        ]
        vals += [
            {"name": f"Other ticket {k}", "partner_id": other_user.partner_id.id, "team_id": self.team.id}
            for k in range(20)
        ]
        env["itsm.ticket"].create(vals)
        env.flush_all()
        env.cr.commit()
        stages = env["itsm.stage"].search([], order="sequence, id")
        self.open_stages = stages.filtered(lambda s: not s.is_closed).ids
        self.closed_stage = stages.filtered("is_closed")[:1].id
        self.cr = env.cr
        self.cr.execute(
            "SELECT min(id), max(id) FROM itsm_ticket WHERE commercial_partner_id = %s", (self.customer.id,)
        )
        self.templates = self.cr.fetchone()
        self.serial = 0

    def customer_tickets(self):
        self.cr.execute(
            "SELECT count(*) FROM itsm_ticket WHERE commercial_partner_id = %s AND active",
            (self.customer.id,),
        )
        return self.cr.fetchone()[0]

    def grow(self, total):
        """Copy the customer's ORM-made tickets (and their SLA clocks) up to ``total`` tickets."""
        count = total - self.customer_tickets()
        if count <= 0:
            return
        cr = self.cr
        cr.execute("SELECT max(id) FROM itsm_ticket")
        last = cr.fetchone()[0]
        first, stop = self.templates
        end = datetime.combine(self.month_end, datetime.min.time())
        # spread evenly over the twelve months up to the reported one (a multiplicative hash)
        opened = (
            "%(end)s - interval '1 second'"
            " * ((((g + %(serial)s) * 1000 + t.n)::bigint * 2654435761) %% (365 * 86400))"
        )
        closed = "(g + t.n) %% 3 = 0"
        replaced = {
            "name": "'Bench volume copy ' || (g + %(serial)s) || '-' || t.n",
            "number": "'BVC-' || (g + %(serial)s) || '-' || t.n",
            "opened_at": opened,
            "create_date": opened,
            "write_date": opened,
            "is_closed": closed,
            "sla_line_id": "NULL",  # the copy's own clocks are inserted below
            "closed_at": f"CASE WHEN {closed} THEN {opened} + interval '1 hour' * (1 + (g %% 30)) END",
            "stage_id": (
                f"CASE WHEN {closed} THEN %(closed_stage)s"
                f" ELSE (ARRAY{self.open_stages})[1 + ((g + t.n) %% {len(self.open_stages)})] END"
            ),
        }
        columns = _columns(cr, "itsm_ticket")
        replaced = {c: v for c, v in replaced.items() if c in columns}
        rounds = -(-count // (stop - first + 1))
        cr.execute(
            f"""
            INSERT INTO itsm_ticket ({", ".join(columns)})
            SELECT {", ".join(replaced.get(c, "t." + c) for c in columns)}
              FROM (SELECT t.*, row_number() OVER () AS n FROM itsm_ticket t
                     WHERE t.id BETWEEN %(first)s AND %(stop)s AND t.commercial_partner_id = %(customer)s) t,
                   generate_series(1, %(rounds)s) g
             ORDER BY g, t.id
             LIMIT %(count)s
            """,  # noqa: S608 - fixed names
            {
                "first": first,
                "stop": stop,
                "customer": self.customer.id,
                "rounds": rounds,
                "count": count,
                "end": end,
                "serial": self.serial,
                "closed_stage": self.closed_stage,
            },
        )
        self.serial += rounds
        # the SLA clocks of each copy: those of a template, started when the copy was opened,
        # met or breached when it was resolved
        line_cols = _columns(cr, "itsm_ticket_sla")
        line_new = {
            "ticket_id": "c.id",
            "started_at": "c.opened_at",
            "running_since": "CASE WHEN c.is_closed THEN NULL ELSE c.opened_at END",
            "deadline": "c.opened_at + interval '1 hour' * l.target_hours",
            "next_threshold_at": "NULL",
            "status": (
                "CASE WHEN NOT c.is_closed THEN 'running' WHEN (c.id + l.id) %% 5 = 0 THEN 'breached'"
                " ELSE 'met' END"
            ),
            "stopped_at": "c.closed_at",
            "worked_hours": "CASE WHEN c.is_closed THEN ((c.id + l.id) %% 40) / 4.0 ELSE 0 END",
            "breached_at": "CASE WHEN c.is_closed AND (c.id + l.id) %% 5 = 0 THEN c.closed_at END",
        }
        line_new = {c: v for c, v in line_new.items() if c in line_cols}
        cr.execute(
            f"""
            INSERT INTO itsm_ticket_sla ({", ".join(line_cols)})
            SELECT {", ".join(line_new.get(col, "l." + col) for col in line_cols)}
              FROM itsm_ticket c
              JOIN itsm_ticket tpl ON tpl.id = %(first)s + (c.id %% (%(stop)s - %(first)s + 1))
              JOIN itsm_ticket_sla l ON l.ticket_id = tpl.id
             WHERE c.id > %(last)s
            """,  # noqa: S608 - fixed names
            {"first": first, "stop": stop, "last": last},
        )
        if (
            "sla_line_id" in columns
        ):  # an open copy's pacing clock: its running clock with the nearest deadline
            cr.execute(
                """
                UPDATE itsm_ticket c SET sla_line_id = p.line_id
                  FROM (SELECT DISTINCT ON (l.ticket_id) l.ticket_id, l.id AS line_id
                          FROM itsm_ticket_sla l
                         WHERE l.ticket_id > %(last)s AND l.running_since IS NOT NULL
                         ORDER BY l.ticket_id, l.deadline, l.id) p
                 WHERE c.id = p.ticket_id
                """,
                {"last": last},
            )
        vacuum(self.env, ("itsm_ticket", "itsm_ticket_sla"))
        self.env.invalidate_all()


# ----------------------------------------------------------------------
# measures
# ----------------------------------------------------------------------
def queries():
    import odoo.sql_db

    return odoo.sql_db.sql_counter


ENVIRON = {"REMOTE_ADDR": "127.0.0.1"}


class Browser:
    """A browser's session on Odoo's WSGI application."""

    def __init__(self, db, login):
        from werkzeug.test import Client

        import odoo.http

        self.client = Client(odoo.http.root, use_cookies=True)
        response = self.client.post(
            "/web/session/authenticate",
            json={"jsonrpc": "2.0", "params": {"db": db, "login": login, "password": PASSWORD}},
            environ_base=ENVIRON,
        )
        assert response.json.get("result", {}).get("uid"), f"{login} could not log in: {response.json}"

    def get(self, url):
        response = self.client.get(url, environ_base=ENVIRON)
        assert response.status_code == 200, f"{url}: {response.status_code}"
        return response

    def post(self, url, data):
        response = self.client.post(url, data=data, environ_base=ENVIRON)
        assert response.status_code == 200, f"{url}: {response.status_code} {response.get_data()[:500]}"
        return response


def timed(func, runs=READS):
    results = []
    for _ in range(runs):
        count0 = queries()
        start = time.perf_counter()
        value = func()
        results.append((time.perf_counter() - start, queries() - count0))
    return {
        "ms": round(1000 * statistics.median(s for s, _q in results), 1),
        "queries": max(q for _s, q in results),
        "queries_min": min(q for _s, q in results),
        "value": value,
    }


def measure_portal(env, db, data, size):
    data.grow(size)
    browser = Browser(db, "bench_designated")
    for _warm in range(2):  # warm the caches (assets, views, translations)
        browser.get("/my/tickets")
    fig = timed(lambda: browser.get("/my/tickets").get_data(as_text=True))
    page = fig.pop("value")
    rows = page.count("o_itsm_ticket_row")
    data.cr.execute(
        "SELECT count(*) FROM itsm_ticket WHERE commercial_partner_id = %s AND active AND NOT is_closed",
        (data.customer.id,),
    )
    assert rows == min(80, data.cr.fetchone()[0]), f"{rows} rows on the first page"
    assert "Other ticket" not in page, "another customer's ticket is listed"
    fig["tickets"] = data.customer_tickets()
    print(
        f"  /my/tickets at {fig['tickets']:>7,} tickets: {fig['ms']:>8.1f} ms {fig['queries']:>4} queries",
        flush=True,
    )
    return fig


def measure_report(env, data, size):
    data.grow(size)
    Report = env["itsm.service.report"]
    report = Report.search(
        [("partner_id", "=", data.customer.id), ("date_from", "=", data.month), ("period_kind", "=", "month")]
    ) or Report.create({"partner_id": data.customer.id, "period_kind": "month", "date_from": data.month})
    env.cr.commit()

    def compute():
        env.invalidate_all()
        return report._compute_figures()

    compute()  # warm
    fig = timed(compute)
    values = fig.pop("value")
    fig["tickets"] = data.customer_tickets()
    fig["month_tickets"] = values["ticket_count"]
    fig["sla_measured"] = values["sla_measured_count"]
    assert values["ticket_count"] > 0 and values["sla_measured_count"] > 0, "the month is empty"
    print(
        f"  service report at {fig['tickets']:>7,} tickets ({fig['month_tickets']:,} in the month,"
        f" {fig['sla_measured']:,} SLA clocks): {fig['ms']:>8.1f} ms {fig['queries']:>4} queries",
        flush=True,
    )
    return fig


def measure_management(env, data, kind):
    """The management report of the company for the quarter or year holding the reported month,
    at the size ``measure_report`` just grew the tickets to."""
    Report = env["itsm.management.report"]
    first = data.month.replace(month=1 + 3 * ((data.month.month - 1) // 3)) if kind == "quarter" else None
    date_from = first or data.month.replace(month=1, day=1)
    report = Report.search(
        [("company_id", "=", env.company.id), ("date_from", "=", date_from), ("period_kind", "=", kind)]
    ) or Report.create({"company_id": env.company.id, "period_kind": kind, "date_from": date_from})
    env.cr.commit()

    def compute():
        env.invalidate_all()
        return report._compute_figures()

    compute()  # warm
    fig = timed(compute)
    values = fig.pop("value")
    fig["kind"] = kind
    fig["tickets"] = data.customer_tickets()
    fig["period_tickets"] = values["ticket_count"]
    assert values["ticket_count"] > 0, "the period is empty"
    print(
        f"  management report, {kind}, at {fig['tickets']:>7,} tickets ({fig['period_tickets']:,} in the"
        f" {kind}): {fig['ms']:>8.1f} ms {fig['queries']:>4} queries",
        flush=True,
    )
    return fig


def list_columns(env):
    """The columns of the ticket list view, as the export dialog sends them."""
    from lxml import etree

    Ticket = env["itsm.ticket"]
    arch = Ticket.get_views([(False, "list")])["views"]["list"]["arch"]
    names = [
        node.get("name")
        for node in etree.fromstring(arch).iter("field")
        if node.getparent().tag == "list" and node.get("column_invisible") not in ("1", "True")
    ]
    described = Ticket.fields_get(names, ["string", "type"])
    return [{"name": n, "label": described[n]["string"], "type": described[n]["type"]} for n in names]


def measure_export(env, db):
    columns = list_columns(env)
    browser = Browser(db, "admin")
    page = browser.get("/odoo").get_data(as_text=True)
    token = re.search(r'csrf_token: "([^"]+)"', page).group(1)
    env.cr.execute("SELECT count(*) FROM itsm_ticket WHERE active")
    total = env.cr.fetchone()[0]
    payload = {
        "data": json.dumps(
            {
                "model": "itsm.ticket",
                "fields": columns,
                "ids": False,
                "domain": [],
                "groupby": [],
                "context": {"lang": "en_US"},
                "import_compat": False,
            }
        ),
        "csrf_token": token,
    }
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    count0 = queries()
    start = time.perf_counter()
    body = browser.post("/web/export/xlsx", payload).get_data()
    seconds = time.perf_counter() - start
    count = queries() - count0
    rss = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss0) / 1024
    assert body[:2] == b"PK", "not an XLSX file"
    tracemalloc.start()
    start = time.perf_counter()
    browser.post("/web/export/xlsx", payload)
    traced_seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
    tracemalloc.stop()
    # the rows alone (``export_data``, as the controller calls it): the suite's part of the export
    records = env["itsm.ticket"].with_user(env.ref("base.user_admin")).with_context(import_compat=False)
    records = records.search([])
    env.invalidate_all()
    tracemalloc.start()
    start = time.perf_counter()
    rows = records.export_data([column["name"] for column in columns])["datas"]
    rows_seconds = time.perf_counter() - start
    rows_peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
    tracemalloc.stop()
    assert len(rows) == total
    del rows
    env.invalidate_all()
    fig = {
        "rows_traced_seconds": round(rows_seconds, 1),
        "rows_tracemalloc_peak_mb": round(rows_peak, 1),
        "tickets": total,
        "columns": len(columns),
        "seconds": round(seconds, 1),
        "queries": count,
        "rss_growth_mb": round(rss, 1),
        "tracemalloc_peak_mb": round(peak, 1),
        "traced_seconds": round(traced_seconds, 1),
        "file_mb": round(len(body) / 1024 / 1024, 1),
    }
    print(
        f"  XLSX export of {total:,} tickets x {len(columns)} columns: {fig['seconds']} s, {count} queries,"
        f" peak RSS +{fig['rss_growth_mb']} MB, tracemalloc peak {fig['tracemalloc_peak_mb']} MB"
        f" (in {fig['traced_seconds']} s), file {fig['file_mb']} MB; the rows alone (export_data):"
        f" tracemalloc peak {fig['rows_tracemalloc_peak_mb']} MB in {fig['rows_traced_seconds']} s",
        flush=True,
    )
    return fig


def markdown(figures):
    def mark(ok):
        return "yes" if ok else "**no**"

    portal, report, export = figures["portal"], figures["report"], figures["export"]
    management = figures["management"]
    rows = [("Measure", "Figure", "Target", "Met"), ("---", "---:", "---", "---")]
    for fig in portal:
        rows.append(
            (
                f"`GET /my/tickets`, designated contact, {fig['tickets']:,} company tickets",
                f"{fig['ms']:.1f} ms, {fig['queries']} queries",
                f"≤ {TARGET_PORTAL_MS} ms",
                mark(fig["ms"] <= TARGET_PORTAL_MS),
            )
        )
    if portal:
        rows.append(
            (
                "Portal list queries, ratio large/small",
                f"{portal[-1]['queries']}/{portal[0]['queries']}",
                "same count",
                mark(portal[-1]["queries"] == portal[0]["queries"]),
            )
        )
    for fig in report:
        rows.append(
            (
                f"Service report, one customer and month, {fig['tickets']:,} tickets"
                f" ({fig['month_tickets']:,} in the month)",
                f"{fig['ms'] / 1000:.2f} s, {fig['queries']} queries",
                f"≤ {TARGET_REPORT_S} s",
                mark(fig["ms"] <= 1000 * TARGET_REPORT_S),
            )
        )
    rows.append(
        (
            "Service report queries, ratio large/small",
            f"{report[-1]['queries']}/{report[0]['queries']}",
            "same count",
            mark(report[-1]["queries"] == report[0]["queries"]),
        )
    )
    for fig in management:
        rows.append(
            (
                f"Management report, the company's {fig['kind']}, {fig['tickets']:,} tickets"
                f" ({fig['period_tickets']:,} in the {fig['kind']})",
                f"{fig['ms'] / 1000:.2f} s, {fig['queries']} queries",
                f"≤ {TARGET_REPORT_S} s",
                mark(fig["ms"] <= 1000 * TARGET_REPORT_S),
            )
        )
    for kind in ("quarter", "year"):
        sizes = [fig for fig in management if fig["kind"] == kind]
        small, large = sizes[0], sizes[-1]
        rows.append(
            (
                f"Management report queries ({kind}), ratio large/small",
                f"{large['queries']}/{small['queries']}",
                "same count",
                mark(large["queries"] == small["queries"]),
            )
        )
    if export:
        rows.append(
            (
                f"XLSX export (`/web/export/xlsx`), {export['tickets']:,} tickets"
                f" x {export['columns']} columns",
                f"{export['seconds']:.1f} s, {export['queries']} queries",
                f"≤ {TARGET_EXPORT_S} s",
                mark(export["seconds"] <= TARGET_EXPORT_S),
            )
        )
        rows.append(
            (
                "XLSX export memory: peak RSS growth / tracemalloc peak",
                f"{export['rss_growth_mb']:.0f} MB / {export['tracemalloc_peak_mb']:.0f} MB",
                f"≤ {TARGET_EXPORT_MB} MB",
                mark(max(export["rss_growth_mb"], export["tracemalloc_peak_mb"]) <= TARGET_EXPORT_MB),
            )
        )
        rows.append(
            (
                "of which the rows (`export_data`, traced): tracemalloc peak, time",
                f"{export['rows_tracemalloc_peak_mb']:.0f} MB, {export['rows_traced_seconds']:.1f} s",
                "",
                "",
            )
        )
    return markdown_table(rows, figures["machine"])


def main(argv=None):
    args = parse_args(argv)
    code = code_revision()
    if args.template:
        drop_database(args.database, args.data_dir)
        subprocess.run(["createdb", "-T", args.template, args.database], check=True)
        filestore = os.path.join(args.data_dir, "filestore", args.template)
        if os.path.isdir(filestore):
            shutil.copytree(filestore, os.path.join(args.data_dir, "filestore", args.database))
    else:
        install_database(args.database, args.addons_path, args.data_dir, args.modules)

    import odoo

    registry = open_registry(args.database, args.addons_path, args.data_dir)
    try:
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"mail_notify_force_send": False})
            figures = {"machine": dict(machine_info(env), code=code, load=os.getloadavg()[0])}
            data = Data(env)
            data.setup()
            figures["portal"] = []
            if not args.reports_only:
                print("\nPortal list of the designated contact:", flush=True)
                figures["portal"] = [
                    measure_portal(env, args.database, data, int(size * args.scale)) for size in PORTAL_SIZES
                ]
            print(
                "\nService report of the customer for one month, management report of the company:",
                flush=True,
            )
            figures["report"], figures["management"] = [], []
            for size in REPORT_SIZES:
                figures["report"].append(measure_report(env, data, int(size * args.scale)))
                figures["management"] += [measure_management(env, data, kind) for kind in ("quarter", "year")]
            figures["export"] = None
            if not args.reports_only:
                print("\nXLSX export of every ticket:", flush=True)
                figures["export"] = measure_export(env, args.database)
        table = markdown(figures)
        figures["markdown"] = table
        print("\n" + table + "\n", flush=True)
        if args.json:
            with open(args.json, "w", encoding="utf-8") as fp:
                json.dump(figures, fp, indent=2, default=str)
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
