"""The modules' README.rst files are built from their readme/ fragments and kept in step."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session", autouse=True)
def load_registry():
    """These checks read files only: no Odoo registry (overrides pytest-odoo's fixture)."""
    yield


def test_module_readmes_are_up_to_date():
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "module_readme.py"), "--check"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout


def test_every_module_has_description_fragment():
    for manifest in ROOT.glob("addons/*/__manifest__.py"):
        assert (manifest.parent / "readme" / "DESCRIPTION.md").is_file(), manifest.parent.name
