from odoo import fields, models, tools

from .itsm_monitoring_source import SEVERITIES

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
    common (a counter on the source would make them wait for each other).
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
