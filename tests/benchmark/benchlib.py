"""What the benchmark scripts share: their database, its installation and the machine."""

import os
import platform
import shutil
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def default_data_dir():
    return os.environ.get("ITSM_DATA_DIR") or os.path.join(REPO, "var", "data")


def drop_database(db, data_dir):
    """Drop ``db`` (closing its other connections) and its filestore."""
    import psycopg2

    con = psycopg2.connect(dbname="postgres")
    con.autocommit = True
    try:
        with con.cursor() as cur:
            cur.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                (db,),
            )
            cur.execute('DROP DATABASE IF EXISTS "%s"' % db.replace('"', ""))
    finally:
        con.close()
    shutil.rmtree(os.path.join(data_dir, "filestore", db), ignore_errors=True)


def install_database(db, addons_path, data_dir, modules):
    """(Re)create ``db`` with ``modules`` installed, without demo data."""
    drop_database(db, data_dir)
    cmd = [
        sys.executable,
        "-m",
        "odoo",
        "-d",
        db,
        f"--addons-path={addons_path}",
        f"--data-dir={data_dir}",
        "-i",
        modules,
        "--stop-after-init",
        "--without-demo=all",
        "--log-level=warn",
        "--max-cron-threads=0",
    ]
    print(f"Installing {modules} without demo data into {db}...", flush=True)
    start = time.perf_counter()
    subprocess.run(cmd, check=True)
    print(f"  installed in {time.perf_counter() - start:.1f} s", flush=True)


def open_registry(db, addons_path, data_dir):
    """Configure Odoo for ``db`` (warnings only, no cron threads) and return its registry."""
    import odoo
    from odoo.modules.registry import Registry

    odoo.tools.config.parse_config(
        [
            f"--addons-path={addons_path}",
            f"--data-dir={data_dir}",
            "-d",
            db,
            "--log-level=warn",
            "--max-cron-threads=0",
        ],
        setup_logging=True,
    )
    return Registry(db)


def close_registry(db):
    """Forget ``db``'s registry and close its connections, before the database is dropped."""
    import odoo
    from odoo.modules.registry import Registry

    Registry.delete(db)
    odoo.sql_db.close_db(db)


def machine_info(env):
    import odoo.release

    env.cr.execute("SHOW server_version")
    return {
        "nproc": os.cpu_count(),
        "python": platform.python_version(),
        "postgresql": env.cr.fetchone()[0],
        "odoo": odoo.release.version,
        "platform": platform.platform(),
    }


def markdown_table(rows, machine, extra=""):
    """Rows of cells as a Markdown table's body, closed by a row that names the machine and code."""
    load = f", load {machine['load']:.1f}" if "load" in machine else ""
    text = (
        f"Machine: nproc {machine['nproc']}{load}, PostgreSQL {machine['postgresql']},"
        f" Odoo {machine['odoo']}, code {machine['code']}{extra}"
    )
    width = len(rows[0]) if rows else 4
    rows = [*rows, (text, *[""] * (width - 1))]
    return "\n".join("| " + " | ".join(row) + " |" for row in rows)


def vacuum(env, tables=("itsm_ticket",), analyze=True):
    """Commit, then vacuum (and analyse) ``tables``, as autovacuum does after a bulk load."""
    cr = env.cr
    cr.commit()
    old = cr._cnx.autocommit
    cr._cnx.autocommit = True
    try:
        for table in tables:
            cr.execute(f"VACUUM {'ANALYZE ' if analyze else ''}{table}")
    finally:
        cr._cnx.autocommit = old
    env.invalidate_all()
