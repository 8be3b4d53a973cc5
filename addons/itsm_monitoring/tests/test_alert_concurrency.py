import threading
from datetime import datetime

from psycopg2 import errors as pg_errors

from odoo.tests import TransactionCase, tagged

from odoo.addons.itsm_helpdesk.tests.concurrency import committed_env

ALERT = {
    "message": "Disk / is 95% full",
    "severity": "major",
    "status": "firing",
    "host": "db01",
    "service": "disk",
}
NOW = datetime(2026, 5, 4, 10, 0, 5)


@tagged("post_install", "-at_install")
class TestAlertConcurrency(TransactionCase):
    """Alerts of one source sent at the same moment, each in its own transaction, as the workers of
    a prefork server take them: alerts of different fingerprints never wait for each other; two
    of the same fingerprint open one incident, the second (retried by Odoo) adds to it."""

    def setUp(self):
        super().setUp()
        with committed_env(self.env.cr.dbname) as env:
            team = env["itsm.team"].create({"name": "Alert Concurrency Desk"})
            self.source_id = env["itsm.monitoring.source"].create({"name": "Storm", "team_id": team.id}).id
            self.team_id = team.id
        self.addCleanup(self._cleanup)

    def _cleanup(self):
        with committed_env(self.env.cr.dbname) as env:
            source = env["itsm.monitoring.source"].browse(self.source_id)
            env["itsm.ticket"].with_context(active_test=False).search(
                [("alert_source_id", "=", source.id)]
            ).unlink()
            source.unlink()
            env["itsm.team"].browse(self.team_id).unlink()

    def _process_together(self, fingerprints):
        """Each fingerprint's alert processed in its own transaction, both snapshots taken before
        either commits; returns the actions and the errors."""
        started, results, errors = threading.Barrier(len(fingerprints)), [], []

        def run(fingerprint):
            threading.current_thread().testing = True
            try:
                with committed_env(self.env.cr.dbname) as env:
                    source = env["itsm.monitoring.source"].browse(self.source_id)
                    # the transaction's snapshot is taken by its first query, before both go on
                    env.cr.execute("SELECT 1")
                    started.wait(timeout=60)
                    alert = dict(ALERT, fingerprint=fingerprint)
                    if source._consume_rate(NOW, alert):
                        results.append(source._process_alert(alert, NOW)[0])
            except Exception as error:  # noqa: BLE001 pylint: disable=broad-exception-caught
                errors.append(error)

        threads = [threading.Thread(target=run, args=(fp,)) for fp in fingerprints]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        return results, errors

    def _state(self):
        with committed_env(self.env.cr.dbname) as env:
            tickets = env["itsm.ticket"].search([("alert_source_id", "=", self.source_id)])
            source = env["itsm.monitoring.source"].browse(self.source_id)
            return {t.alert_fingerprint: t.alert_count for t in tickets}, source.alert_count

    def test_different_fingerprints_do_not_wait_for_each_other(self):
        results, errors = self._process_together(["disk-db01", "disk-db02"])
        self.assertEqual(errors, [], "no request of the source had to be retried")
        self.assertEqual(sorted(results), ["created", "created"])
        self.assertEqual(self._state(), ({"disk-db01": 1, "disk-db02": 1}, 2))

    def test_same_fingerprint_opens_one_incident(self):
        results, errors = self._process_together(["disk-db01", "disk-db01"])
        self.assertEqual(results, ["created"])
        self.assertEqual(len(errors), 1)
        self.assertIsInstance(
            errors[0], pg_errors.SerializationFailure, "Odoo retries the request on this error"
        )
        # Odoo's retry of the second request: it now sees the incident and adds the alert to it
        with committed_env(self.env.cr.dbname) as env:
            source = env["itsm.monitoring.source"].browse(self.source_id)
            alert = dict(ALERT, fingerprint="disk-db01")
            self.assertTrue(source._consume_rate(NOW, alert))
            self.assertEqual(source._process_alert(alert, NOW)[0], "folded")
        self.assertEqual(self._state(), ({"disk-db01": 2}, 2))
