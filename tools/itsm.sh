#!/usr/bin/env bash
# Entry point behind `make run`, `make test`, `make bench`, `make load` and `make lint`.
#
# Prerequisites: Odoo 18.0 importable as `odoo` by `python3`, and a reachable PostgreSQL.
# Connection settings come from the usual libpq variables (PGHOST, PGPORT, PGUSER, PGPASSWORD);
# unset, they fall back to the local server over its Unix socket.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
MODULES="${ITSM_MODULES:-}"
HTTP_PORT="${ITSM_HTTP_PORT:-8069}"

die() { echo "error: $*" >&2; exit 2; }

check_odoo() {
    command -v "$PYTHON" >/dev/null 2>&1 || die "$PYTHON not found; Odoo 18.0 needs Python 3.10+"
    local version
    version="$("$PYTHON" -c 'import odoo.release as r; print(r.version_info[0])' 2>/dev/null)" \
        || die "Odoo 18.0 is not importable as 'odoo' by $PYTHON; install Odoo 18.0 first (see README, Prerequisites)"
    [ "$version" = "18" ] || die "Odoo $version found, but this suite needs Odoo 18.0"
}

check_postgres() {
    "$PYTHON" - <<'PY' 2>/dev/null || die "PostgreSQL is not reachable (set PGHOST/PGPORT/PGUSER/PGPASSWORD, see README)"
import psycopg2
psycopg2.connect(dbname="postgres", connect_timeout=5).close()
PY
}

addons_path() {
    "$PYTHON" - "$ROOT/addons" <<'PY'
import os, sys
import odoo
base = os.path.dirname(odoo.__file__)
paths = [sys.argv[1], os.path.join(base, "addons"), os.path.join(os.path.dirname(base), "addons")]
print(",".join(p for p in paths if os.path.isdir(p)))
PY
}

suite_modules() {
    if [ -n "$MODULES" ]; then echo "$MODULES"; return; fi
    local mods=()
    for manifest in "$ROOT"/addons/*/__manifest__.py; do
        mods+=("$(basename "$(dirname "$manifest")")")
    done
    (IFS=,; echo "${mods[*]}")
}

db_exists() {
    "$PYTHON" - "$1" <<'PY'
import sys, psycopg2
con = psycopg2.connect(dbname="postgres")
cur = con.cursor()
cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (sys.argv[1],))
sys.exit(0 if cur.fetchone() else 1)
PY
}

drop_db() {
    "$PYTHON" - "$1" <<'PY' || true
import sys, psycopg2
con = psycopg2.connect(dbname="postgres")
con.autocommit = True
cur = con.cursor()
cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", (sys.argv[1],))
cur.execute('DROP DATABASE IF EXISTS "%s"' % sys.argv[1].replace('"', ""))
PY
    rm -rf "${ITSM_DATA_DIR:-$ROOT/var/data}/filestore/$1"
}

odoo_cmd() {
    "$PYTHON" -m odoo --addons-path="$(addons_path)" --data-dir="${ITSM_DATA_DIR:-$ROOT/var/data}" "$@"
}

ensure_test_tools() {
    if ! "$PYTHON" -c 'import pytest_odoo, websocket, freezegun, xlsxwriter, yaml' >/dev/null 2>&1; then
        echo "Installing the test requirements (requirements-test.txt)..."
        "$PYTHON" -m pip install --quiet -r "$ROOT/requirements-test.txt"
    fi
    local missing=()
    command -v chromium >/dev/null 2>&1 || command -v google-chrome >/dev/null 2>&1 || missing+=(chromium)
    command -v wkhtmltopdf >/dev/null 2>&1 || missing+=(wkhtmltopdf)
    if [ ${#missing[@]} -gt 0 ]; then
        command -v apt-get >/dev/null 2>&1 || die "missing ${missing[*]} and no apt-get to install them"
        echo "Installing ${missing[*]} from Debian's packages..."
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}

cmd_lint() {
    if ! "$PYTHON" -c 'import pre_commit' >/dev/null 2>&1; then
        echo "Installing the lint requirements (requirements-lint.txt)..."
        "$PYTHON" -m pip install --quiet -r "$ROOT/requirements-lint.txt"
    fi
    cd "$ROOT"
    # the first run creates the linters' environments (a minute or two), later runs reuse them
    exec "$PYTHON" -m pre_commit run --all-files --show-diff-on-failure "$@"
}

cmd_run() {
    check_odoo; check_postgres
    local db="${ITSM_DB:-itsm_demo}" modules
    modules="$(suite_modules)"
    if db_exists "$db"; then
        echo "Updating $db with $modules"
        odoo_cmd -d "$db" -u "$modules" --stop-after-init --log-level=warn
    else
        echo "Creating $db with $modules and demo data"
        odoo_cmd -d "$db" -i "$modules" --stop-after-init --log-level=warn
    fi
    echo "Serving $db on http://127.0.0.1:$HTTP_PORT (login admin / admin)"
    exec "$PYTHON" -m odoo --addons-path="$(addons_path)" --data-dir="${ITSM_DATA_DIR:-$ROOT/var/data}" \
        -d "$db" --db-filter="^$db\$" --http-interface=127.0.0.1 --http-port="$HTTP_PORT"
}

cmd_test() {
    check_odoo; check_postgres
    ensure_test_tools
    local db="${ITSM_TEST_DB:-itsm_test_$$}" modules rc=0
    modules="$(suite_modules)"
    trap 'drop_db "'"$db"'"' EXIT
    drop_db "$db"
    echo "Installing $modules into the throwaway database $db"
    odoo_cmd -d "$db" -i "$modules" --stop-after-init --log-level=warn --max-cron-threads=0
    cd "$ROOT"
    "$PYTHON" -m pytest -p no:cacheprovider -q \
        --odoo-database="$db" --odoo-addons-path="$(addons_path)" --odoo-http \
        --odoo-log-level=warn --odoo-extra="data-dir=${ITSM_DATA_DIR:-$ROOT/var/data}" \
        "$@" addons tests || rc=$?
    return $rc
}

cmd_bench() {
    check_odoo; check_postgres
    ensure_test_tools
    cd "$ROOT"
    "$PYTHON" tests/benchmark/bench.py --addons-path="$(addons_path),$ROOT/tests/benchmark/addons" "$@"
    "$PYTHON" tests/benchmark/bench.py --addons-path="$(addons_path),$ROOT/tests/benchmark/addons" --with-sla "$@"
    "$PYTHON" tests/benchmark/bench_satisfaction.py --addons-path="$(addons_path)"
    "$PYTHON" tests/benchmark/bench_knowledge.py --addons-path="$(addons_path)"
    "$PYTHON" tests/benchmark/bench_sla.py --addons-path="$(addons_path)"
    "$PYTHON" tests/benchmark/bench_evidence.py --addons-path="$(addons_path)"
    # the portal list, the XLSX export and the service report at 5,000 to 100,000 tickets
    "$PYTHON" tests/benchmark/bench_volume.py --addons-path="$(addons_path)"
    # the queue's kanban, list and team overview at 100,000 open and 1,000,000 closed tickets
    "$PYTHON" tests/benchmark/bench_queue.py --addons-path="$(addons_path)"
    # OCA's helpdesk_mgmt and helpdesk_mgmt_sla, downloaded as published, beside our ticket
    exec "$PYTHON" tests/benchmark/bench_peer.py --addons-path="$(addons_path),$ROOT/tests/benchmark/addons"
}

cmd_load() {
    check_odoo; check_postgres
    cd "$ROOT"
    exec "$PYTHON" tests/load/load.py "$@"
}

case "${1:-}" in
    run) shift; cmd_run "$@" ;;
    test) shift; cmd_test "$@" ;;
    bench) shift; cmd_bench "$@" ;;
    load) shift; cmd_load "$@" ;;
    lint) shift; cmd_lint "$@" ;;
    check) check_odoo; check_postgres; echo "Odoo 18.0 and PostgreSQL found" ;;
    *) echo "usage: $0 {run|test|bench|load|lint|check}" >&2; exit 2 ;;
esac
