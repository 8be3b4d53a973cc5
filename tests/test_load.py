"""A short run of the load test (tests/load/load.py): concurrent intake loses and duplicates nothing.

It builds its own throwaway database (the service desk and its monitoring alerts, to stay short),
starts its own Odoo in prefork mode on a free port of 127.0.0.1, drives ten clients of every
channel for a few operations each, and drops everything at the end. It shares nothing with the database of the
module tests.
"""

import os
import subprocess
import sys
from pathlib import Path

LOAD = Path(__file__).resolve().parent / "load" / "load.py"


def test_short_load_run_loses_nothing():
    db = f"itsm_load_test_{os.getpid()}"
    result = subprocess.run(
        [
            sys.executable,
            str(LOAD),
            "--modules=itsm_helpdesk,itsm_monitoring",
            "--clients=10",
            "--per-client=3",
            "--seconds=60",
            f"--db={db}",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    summary = [line for line in result.stdout.splitlines() if line.startswith("accepted ")]
    assert summary, result.stdout + result.stderr
    assert " lost 0, duplicated 0, alerts lost 0, half-written 0, errors 0," in summary[0], result.stdout
    assert result.returncode == 0, result.stdout
    # what the server did, read from its own request log: the portal's submissions among the routes
    assert "server (Odoo's request log" in result.stdout, result.stdout
    assert any(line.startswith("POST /my/tickets/new ") for line in result.stdout.splitlines()), result.stdout
    assert "workers busy " in result.stdout, result.stdout
