"""Root pytest configuration: a clean start for `make test`.

pytest-odoo imports Odoo's test framework (``odoo.tests``) while it reads its options, before it
turns Odoo's test mode on, and Odoo logs an ERROR at that import ("Importing test framework,
avoid importing from business modules ..."): a newcomer reads it as a failure. pytest loads this
file before its plugins' command-line hooks run, so the framework is imported here first, in
test mode, where Odoo only notes the import at INFO level; pytest-odoo's own import then finds it
loaded.
"""

from odoo.tools import config

_test_enable = config["test_enable"]
config["test_enable"] = True
try:
    import odoo.tests  # noqa: F401
finally:
    config["test_enable"] = _test_enable


# Browser tours: Odoo skips a tour (silently, for pytest a pass in all but name) when Chrome does
# not start within 10 s, which a loaded 2-core machine sometimes needs. Chrome gets 60 s here, and
# a tour that still cannot run its browser fails: a skipped tour is not a tested one.
import pytest  # noqa: E402

import odoo.tests.common  # noqa: E402

odoo.tests.common.CHECK_BROWSER_ITERATIONS = 600  # x 0.1 s
_BROWSER_SKIPS = ("chrome", "websocket-client")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and call.excinfo is not None:
        reason = str(call.excinfo.value)
        if any(word in reason.lower() for word in _BROWSER_SKIPS):
            report.outcome = "failed"
            report.longrepr = f"{item.nodeid}: the browser test could not run its browser ({reason})"
