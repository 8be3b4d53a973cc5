from datetime import timedelta

from odoo import api, fields, models, tools

from .itsm_monitoring_source import SEVERITIES

# refused requests are kept this long (days; system parameter itsm_monitoring.refused_retention_days)
REFUSED_RETENTION_DAYS = 30
REFUSED_GC_BATCH = 10000

ALERT_ACTIONS = [
    ("created", "Incident Opened"),
    ("folded", "Added to the Open Incident"),
    ("closed", "Incident Closed"),
    ("annotated", "Incident Annotated"),
    ("ignored", "Ignored (No Open Incident)"),
    ("throttled", "Refused (Rate Limit)"),
]


class ItsmMonitoringAlert(models.Model):
    """Every alert a monitoring source sent, and what the desk did with it: the event log behind
    the source's counters and rate limit.

    Alerts only ever add rows here, so that concurrent alerts of one source write no row in
    common (a counter on the source would make them wait for each other). The alerts the desk
    acted on are kept (at most the source's rate limit per minute); requests refused for the rate
    limit, as many as a flooding tool sends, are kept ``REFUSED_RETENTION_DAYS`` days.
    """

    _name = "itsm.monitoring.alert"
    _description = "Monitoring Alert"
    _order = "received_at desc, id desc"
    _rec_name = "fingerprint"

    source_id = fields.Many2one("itsm.monitoring.source", required=True, ondelete="cascade", readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    received_at = fields.Datetime(required=True, readonly=True)
    fingerprint = fields.Char(readonly=True)
    status = fields.Selection([("firing", "Firing"), ("resolved", "Resolved")], readonly=True)
    severity = fields.Selection(SEVERITIES, readonly=True)
    action = fields.Selection(ALERT_ACTIONS, required=True, readonly=True)
    ticket_id = fields.Many2one(
        "itsm.ticket", "Incident", ondelete="set null", index="btree_not_null", readonly=True
    )

    def init(self):
        # the rate limit counts a source's alerts of the current minute
        tools.create_index(
            self.env.cr,
            "itsm_monitoring_alert_source_received_idx",
            self._table,
            ["source_id", "received_at"],
        )
        # the daily clean-up reads only the refused requests
        tools.create_index(
            self.env.cr,
            "itsm_monitoring_alert_refused_received_idx",
            self._table,
            ["received_at"],
            where="action = 'throttled'",
        )

    @api.model
    def _refused_retention_days(self):
        value = self.env["ir.config_parameter"].sudo().get_param("itsm_monitoring.refused_retention_days")
        try:
            return max(int(value), 1) if value else REFUSED_RETENTION_DAYS
        except ValueError:
            return REFUSED_RETENTION_DAYS

    @api.autovacuum
    def _gc_refused_alerts(self):
        """Forget the requests refused for the rate limit past their retention (daily clean-up).

        Nothing references an alert, so they are unlinked in batches; two nodes running it at the
        same moment delete each row once.
        """
        limit = fields.Datetime.now() - timedelta(days=self._refused_retention_days())
        domain = [("action", "=", "throttled"), ("received_at", "<", limit)]
        removed = 0
        while alerts := self.sudo().search(domain, limit=REFUSED_GC_BATCH):
            removed += len(alerts)
            alerts.unlink()
        return removed


class ItsmMonitoringFingerprint(models.Model):
    """One row per source and fingerprint: the key that two requests opening the incident of the
    same fingerprint both write, so that the second waits for the first and is then retried
    (see ``itsm.monitoring.source._claim_fingerprint``)."""

    _name = "itsm.monitoring.fingerprint"
    _description = "Monitoring Alert Fingerprint"
    _log_access = False

    source_id = fields.Many2one("itsm.monitoring.source", required=True, ondelete="cascade", readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    fingerprint = fields.Char(required=True, readonly=True)
    claimed_at = fields.Datetime("Last Incident Opened At", readonly=True)

    _sql_constraints = [
        (
            "source_fingerprint_unique",
            "UNIQUE(source_id, fingerprint)",
            "One key per source and fingerprint.",
        ),
    ]
