"""Running a scheduled job from two real transactions at once, as two Odoo nodes would.

The test's own transaction is never committed, so the records a concurrent run sees are
created and committed in a cursor of their own (``committed_env``) and removed again by the
test's cleanup.
"""

import threading
from contextlib import closing, contextmanager

from odoo import SUPERUSER_ID, api, sql_db
from odoo.tests import TransactionCase


@contextmanager
def committed_env(dbname):
    """A superuser environment on a new cursor of ``dbname``, committed when the block ends."""
    with closing(sql_db.db_connect(dbname).cursor()) as cr:
        yield api.Environment(cr, SUPERUSER_ID, {})
        cr.commit()  # pylint: disable=invalid-commit


def run_concurrently(dbname, job, runs=2, timeout=120):
    """Call ``job(env)`` in ``runs`` threads at the same moment, each in its own transaction.

    Returns the results and the errors of the runs. Each thread is marked as testing, so that
    e-mails are queued and never handed to a mail server.
    """
    barrier = threading.Barrier(runs)
    results, errors = [], []

    def run():
        threading.current_thread().testing = True
        try:
            with committed_env(dbname) as env:
                barrier.wait(timeout=timeout)
                results.append(job(env))
        except Exception as error:  # noqa: BLE001 pylint: disable=broad-exception-caught
            errors.append(error)

    threads = [threading.Thread(target=run) for _run in range(runs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results, errors


class TwoNodesCase(TransactionCase):
    """A job of the suite run by two nodes at the same moment: each effect once, both runs succeed."""

    def _commit(self, build, cleanup):
        """Records built and committed for the concurrent runs to see; removed after the test."""
        with committed_env(self.env.cr.dbname) as env:
            ids = build(env)

        def remove():
            with committed_env(self.env.cr.dbname) as env:
                cleanup(env, ids)

        self.addCleanup(remove)
        return ids

    def _run_twice(self, job):
        """``job(env)`` in two transactions at once; neither may fail: the second run leaves
        alone what the first holds."""
        results, errors = run_concurrently(self.env.cr.dbname, job)
        self.assertFalse(errors, "neither run fails: the second leaves alone what the first holds")
        return results
