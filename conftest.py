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
