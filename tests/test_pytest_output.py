"""`make test` starts clean: no ERROR logged by Odoo before the first test (see conftest.py)."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session", autouse=True)
def load_registry():
    """This check starts its own pytest: no Odoo registry (overrides pytest-odoo's fixture)."""
    yield


def test_no_error_logged_when_pytest_odoo_starts():
    from odoo.tools import config  # noqa: PLC0415 - configured by pytest-odoo by now

    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "-q",
            "--collect-only",
            f"--odoo-database={config['db_name']}",
            f"--odoo-addons-path={config['addons_path']}",
            "--odoo-log-level=warn",
            "tests/test_module_readmes.py",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    output = result.stdout + result.stderr
    assert "Importing test framework" not in output, output
    assert " ERROR " not in output, output
