import hashlib
import hmac
import secrets

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL, plaintext2html

from odoo.addons.itsm_helpdesk.models.itsm_priority_rule import IMPACTS, URGENCIES
from odoo.addons.itsm_helpdesk.models.itsm_ticket import TICKET_KINDS

# Severities an alert may carry, from the most to the least severe.
SEVERITIES = [
    ("critical", "Critical"),
    ("major", "Major"),
    ("minor", "Minor"),
    ("warning", "Warning"),
    ("info", "Info"),
]
SEVERITY_RANK = {code: len(SEVERITIES) - index for index, (code, _label) in enumerate(SEVERITIES)}
# Default severity -> (impact, urgency) mapping; with the default ITIL matrix it gives
# critical P1, major P2, minor P3, warning P4 and info P5. Each source may change it.
DEFAULT_SEVERITY_MAPPING = {
    "critical": ("1", "1"),
    "major": ("1", "2"),
    "minor": ("2", "2"),
    "warning": ("3", "2"),
    "info": ("3", "3"),
}
TOKEN_PREFIX_LENGTH = 8
# Compared with when no source has the presented prefix, so that an unknown prefix costs
# the same constant-time comparison as a wrong secret.
UNKNOWN_TOKEN_HASH = "0" * 64
MAX_SUBJECT_LENGTH = 200


def hash_token(token):
    """SHA-256 (hex) of a token.

    Tokens are 256-bit random strings, not passwords: a fast hash cannot be reversed
    or brute-forced, so no key-stretching is needed.
    """
    return hashlib.sha256(token.encode()).hexdigest()


class ItsmMonitoringSource(models.Model):
    """A monitoring tool allowed to open incidents through the alert endpoint.

    The tool authenticates with a token of its own, stored only as a hash; the
    source decides where its incidents go (team, service, kind), how severities
    translate into impact and urgency, what a "resolved" alert does and how many
    alerts per minute it may send.
    """

    _name = "itsm.monitoring.source"
    _description = "Monitoring Source"
    _inherit = ["mail.thread"]
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    team_id = fields.Many2one(
        "itsm.team",
        required=True,
        tracking=True,
        check_company=True,
        help="Team that receives the incidents opened by this source's alerts.",
    )
    service_id = fields.Many2one("itsm.service", tracking=True, check_company=True)
    kind = fields.Selection(TICKET_KINDS, "Ticket Kind", required=True, default="incident", tracking=True)
    resolve_action = fields.Selection(
        [
            ("close", "Close the incident"),
            ("annotate", "Annotate only"),
        ],
        "On Resolved Alert",
        required=True,
        default="close",
        tracking=True,
        help="What a 'resolved' alert does to the open incident of its fingerprint: move it "
        "to the team's closing stage, or only add a note for the agent to decide.",
    )
    rate_limit = fields.Integer(
        "Alerts per Minute",
        required=True,
        default=60,
        tracking=True,
        help="Requests accepted per calendar minute; further ones get HTTP 429 until the next minute.",
    )

    # severity -> impact / urgency
    critical_impact = fields.Selection(
        IMPACTS, "Critical: Impact", required=True, default=DEFAULT_SEVERITY_MAPPING["critical"][0]
    )
    critical_urgency = fields.Selection(
        URGENCIES, "Critical: Urgency", required=True, default=DEFAULT_SEVERITY_MAPPING["critical"][1]
    )
    major_impact = fields.Selection(
        IMPACTS, "Major: Impact", required=True, default=DEFAULT_SEVERITY_MAPPING["major"][0]
    )
    major_urgency = fields.Selection(
        URGENCIES, "Major: Urgency", required=True, default=DEFAULT_SEVERITY_MAPPING["major"][1]
    )
    minor_impact = fields.Selection(
        IMPACTS, "Minor: Impact", required=True, default=DEFAULT_SEVERITY_MAPPING["minor"][0]
    )
    minor_urgency = fields.Selection(
        URGENCIES, "Minor: Urgency", required=True, default=DEFAULT_SEVERITY_MAPPING["minor"][1]
    )
    warning_impact = fields.Selection(
        IMPACTS, "Warning: Impact", required=True, default=DEFAULT_SEVERITY_MAPPING["warning"][0]
    )
    warning_urgency = fields.Selection(
        URGENCIES, "Warning: Urgency", required=True, default=DEFAULT_SEVERITY_MAPPING["warning"][1]
    )
    info_impact = fields.Selection(
        IMPACTS, "Info: Impact", required=True, default=DEFAULT_SEVERITY_MAPPING["info"][0]
    )
    info_urgency = fields.Selection(
        URGENCIES, "Info: Urgency", required=True, default=DEFAULT_SEVERITY_MAPPING["info"][1]
    )

    # token: only a hash is kept; the prefix (not secret) finds the row
    token_prefix = fields.Char(
        readonly=True,
        copy=False,
        help="First characters of the current token, to tell which token a tool is configured with.",
    )
    token_hash = fields.Char(readonly=True, copy=False, groups="base.group_system")
    token_rotated_at = fields.Datetime("Token Issued At", readonly=True, copy=False)
    has_token = fields.Boolean(compute="_compute_has_token")
    alert_url = fields.Char("Endpoint", compute="_compute_alert_url")

    # counters, from the alerts' log
    alert_ids = fields.One2many("itsm.monitoring.alert", "source_id", "Alerts")
    last_alert_at = fields.Datetime("Last Alert", compute="_compute_alert_counts")
    alert_count = fields.Integer(
        "Alerts Received", compute="_compute_alert_counts", help="Alerts accepted since the creation."
    )
    throttled_count = fields.Integer(
        "Alerts Refused (Rate)",
        compute="_compute_alert_counts",
        help="Requests refused with HTTP 429 (kept 30 days unless configured otherwise).",
    )
    ticket_ids = fields.One2many("itsm.ticket", "alert_source_id", "Tickets")
    ticket_count = fields.Integer(compute="_compute_ticket_counts")
    open_ticket_count = fields.Integer(compute="_compute_ticket_counts")

    _sql_constraints = [
        ("token_prefix_unique", "UNIQUE(token_prefix)", "Token prefixes are unique."),
        (
            "rate_limit_positive",
            "CHECK(rate_limit > 0)",
            "The rate limit must be at least one alert per minute.",
        ),
    ]

    @api.depends("token_prefix")
    def _compute_has_token(self):
        for source in self:
            source.has_token = bool(source.token_prefix)

    def _compute_alert_url(self):
        for source in self:
            source.alert_url = f"{source.get_base_url()}/itsm/monitoring/alert"

    def _compute_alert_counts(self):
        counts = {}
        if self.ids:
            groups = self.env["itsm.monitoring.alert"]._read_group(
                [("source_id", "in", self.ids)], ["source_id", "action"], ["__count", "received_at:max"]
            )
            for source, action, count, last in groups:
                accepted, throttled, last_at = counts.get(source.id, (0, 0, False))
                if action == "throttled":
                    counts[source.id] = (accepted, throttled + count, last_at)
                else:
                    counts[source.id] = (
                        accepted + count,
                        throttled,
                        max((at for at in (last_at, last) if at), default=False),
                    )
        for source in self:
            source.alert_count, source.throttled_count, source.last_alert_at = counts.get(
                source.id, (0, 0, False)
            )

    def _compute_ticket_counts(self):
        counts = dict.fromkeys(self.ids, (0, 0))
        if self.ids:
            groups = self.env["itsm.ticket"]._read_group(
                [("alert_source_id", "in", self.ids)], ["alert_source_id", "is_closed"], ["__count"]
            )
            for source, is_closed, count in groups:
                total, opened = counts[source.id]
                counts[source.id] = (total + count, opened + (0 if is_closed else count))
        for source in self:
            source.ticket_count, source.open_ticket_count = counts.get(source.id, (0, 0))

    # ------------------------------------------------------------------
    # token
    # ------------------------------------------------------------------
    def action_rotate_token(self):
        """Issue a new token, which replaces the current one at once.

        Only its prefix and hash are stored; the clear token is handed to the
        manager once, in a dialog that is never saved.
        """
        self.ensure_one()
        self.check_access("write")
        token = self._generate_token()
        self.sudo().write(
            {
                "token_prefix": token[:TOKEN_PREFIX_LENGTH],
                "token_hash": hash_token(token),
                "token_rotated_at": fields.Datetime.now(),
            }
        )
        self._message_log(
            body=self.env._(
                "New token issued by %(user)s (it starts with %(prefix)s); the previous one no longer works.",
                user=self.env.user.name,
                prefix=self.token_prefix,
            )
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Token"),
            "res_model": "itsm.monitoring.token",
            "view_mode": "form",
            "target": "new",
            "context": {"default_source_id": self.id, "default_token": token},
        }

    def _generate_token(self):
        all_sources = self.sudo().with_context(active_test=False)
        for _attempt in range(5):
            token = secrets.token_urlsafe(32)
            if not all_sources.search_count([("token_prefix", "=", token[:TOKEN_PREFIX_LENGTH])], limit=1):
                return token
        raise RuntimeError("no free token prefix after 5 attempts")  # 48 random bits: never in practice

    @api.model
    def _find_by_token(self, token):
        """Return the active source whose token is ``token`` (an empty recordset if none).

        The prefix finds the row through its unique index; the hashes are compared in
        constant time, and an unknown prefix costs the same comparison as a wrong secret.
        """
        source = self.browse()
        if len(token) > TOKEN_PREFIX_LENGTH:
            source = self.sudo().search_fetch(
                [("token_prefix", "=", token[:TOKEN_PREFIX_LENGTH])], self._alert_fetch_fields(), limit=1
            )
        matches = hmac.compare_digest(hash_token(token), source.token_hash or UNKNOWN_TOKEN_HASH)
        return source if matches and source else self.browse()

    @api.model
    def _alert_fetch_fields(self):
        """Fields read with the token lookup, so that processing an alert reads the source once."""
        mapping = [f"{severity}_{axis}" for severity, _label in SEVERITIES for axis in ("impact", "urgency")]
        return [
            "token_hash",
            "company_id",
            "team_id",
            "service_id",
            "kind",
            "resolve_action",
            "rate_limit",
            *mapping,
        ]

    # ------------------------------------------------------------------
    # alerts
    # ------------------------------------------------------------------
    def _consume_rate(self, now, alert):
        """Whether the source may still send ``alert`` in the current minute; a refused one is logged.

        The alerts accepted in the minute are counted from the log, which concurrent requests
        only add to: requests of one source never wait for each other. Two requests at the same
        moment may each see the other's alert uncommitted, so that a source at its limit may
        get a few more alerts through, never fewer.
        """
        self.ensure_one()
        window = now.replace(second=0, microsecond=0)
        accepted = self.env["itsm.monitoring.alert"].search_count(
            [("source_id", "=", self.id), ("received_at", ">=", window), ("action", "!=", "throttled")],
            limit=self.rate_limit,
        )
        if accepted < self.rate_limit:
            return True
        self._log_alert(alert, now, "throttled")
        return False

    def _log_alert(self, alert, now, action, ticket=None):
        """Record ``alert`` in the source's log with what the desk did with it."""
        self.ensure_one()
        return self.env["itsm.monitoring.alert"].create(
            {
                "source_id": self.id,
                "company_id": self.company_id.id,
                "received_at": now,
                "fingerprint": alert["fingerprint"],
                "status": alert["status"],
                "severity": alert["severity"],
                "action": action,
                "ticket_id": ticket.id if ticket else False,
            }
        )

    def _claim_fingerprint(self, fingerprint, now):
        """Hold the right to open the incident of ``fingerprint`` until this transaction ends.

        Two requests that both find no open incident for a fingerprint write its key row here:
        the second waits for the first, then fails with a serialization error, on which Odoo
        retries the request, which then finds the incident and adds the alert to it. The one
        low-level write of the module: the ORM has no upsert, and an ORM create of an existing
        key would fail with a unique violation, which Odoo does not retry.
        """
        self.ensure_one()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO itsm_monitoring_fingerprint (source_id, company_id, fingerprint, claimed_at)
                VALUES (%(source)s, %(company)s, %(fingerprint)s, %(now)s)
                ON CONFLICT (source_id, fingerprint) DO UPDATE SET claimed_at = EXCLUDED.claimed_at
                """,
                source=self.id,
                company=self.company_id.id,
                fingerprint=fingerprint,
                now=now,
            )
        )

    def _get_impact_urgency(self, severity):
        self.ensure_one()
        return self[f"{severity}_impact"], self[f"{severity}_urgency"]

    def _process_alert(self, alert, now):
        """Turn a validated alert into ticket changes; return (action, ticket).

        ``alert`` holds fingerprint, message, severity, status ('firing' or 'resolved'),
        host and service (the last two possibly empty). A firing alert opens an incident,
        or is folded into the open one of the same fingerprint; a resolved alert closes
        or annotates that incident, and is ignored when there is none.
        """
        self.ensure_one()
        ticket = self.env["itsm.ticket"].search(
            [
                ("alert_source_id", "=", self.id),
                ("alert_fingerprint", "=", alert["fingerprint"]),
                ("is_closed", "=", False),
            ],
            order="id desc",
            limit=1,
        )
        if alert["status"] == "resolved":
            action = self._resolve_alert_ticket(ticket, alert) if ticket else "ignored"
        elif ticket:
            self._fold_alert(ticket, alert, now)
            action = "folded"
        else:
            self._claim_fingerprint(alert["fingerprint"], now)
            ticket = self.env["itsm.ticket"].create(self._prepare_alert_ticket_values(alert, now))
            action = "created"
        self._log_alert(alert, now, action, ticket)
        return action, ticket

    def _prepare_alert_ticket_values(self, alert, now):
        """Values of the incident opened by a firing alert (a hook for other modules)."""
        self.ensure_one()
        impact, urgency = self._get_impact_urgency(alert["severity"])
        return {
            "name": self._alert_subject(alert),
            "description": plaintext2html(alert["message"]),
            "kind": self.kind,
            "channel": "monitoring",
            "company_id": self.company_id.id,
            "team_id": self.team_id.id,
            "service_id": self.service_id.id,
            "impact": impact,
            "urgency": urgency,
            "alert_source_id": self.id,
            "alert_fingerprint": alert["fingerprint"],
            "alert_host": alert["host"] or False,
            "alert_service_name": alert["service"] or False,
            "alert_severity": alert["severity"],
            "alert_count": 1,
            "last_alert_at": now,
        }

    @api.model
    def _alert_subject(self, alert):
        first_line = alert["message"].strip().splitlines()[0].strip()
        origin = "/".join(part for part in (alert["host"], alert["service"]) if part)
        subject = f"{origin}: {first_line}" if origin else first_line
        if len(subject) > MAX_SUBJECT_LENGTH:
            subject = subject[: MAX_SUBJECT_LENGTH - 1] + "…"
        return subject

    def _fold_alert(self, ticket, alert, now):
        """Record a repeat of the alert on its open incident; a higher severity raises it."""
        vals = {"alert_count": ticket.alert_count + 1, "last_alert_at": now}
        if SEVERITY_RANK[alert["severity"]] > SEVERITY_RANK.get(ticket.alert_severity, 0):
            impact, urgency = self._get_impact_urgency(alert["severity"])
            vals.update(
                alert_severity=alert["severity"],
                impact=min(ticket.impact, impact),
                urgency=min(ticket.urgency, urgency),
            )
        ticket.write(vals)
        ticket._message_log(body=self._alert_note(self.env._("Alert repeated"), alert))

    def _resolve_alert_ticket(self, ticket, alert):
        """Close the incident of a resolved alert, or annotate it; return the action taken."""
        if self.resolve_action == "annotate":
            title = self.env._("Alert resolved")
        elif stage := ticket._get_closing_stage():
            ticket._message_log(
                body=self._alert_note(
                    self.env._("Alert resolved: the incident is closed automatically"), alert
                )
            )
            ticket.write({"stage_id": stage.id})
            return "closed"
        else:
            title = self.env._("Alert resolved; the team has no closing stage, so the incident stays open")
        ticket._message_log(body=self._alert_note(title, alert))
        return "annotated"

    def _alert_note(self, title, alert):
        severity = dict(self.env["itsm.ticket"]._fields["alert_severity"]._description_selection(self.env))
        origin = " / ".join(part for part in (alert["host"], alert["service"]) if part)
        return Markup("<p><b>%s</b> (%s%s)</p>%s") % (
            title,
            severity.get(alert["severity"], alert["severity"]),
            f", {origin}" if origin else "",
            plaintext2html(alert["message"]),
        )

    # ------------------------------------------------------------------
    # views
    # ------------------------------------------------------------------
    def action_view_alerts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("itsm_monitoring.itsm_monitoring_alert_action")
        action["domain"] = [("source_id", "=", self.id)]
        action["display_name"] = self.name
        return action

    def action_view_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("itsm_helpdesk.itsm_ticket_action")
        action["domain"] = [("alert_source_id", "=", self.id)]
        action["context"] = {"search_default_open": 1}
        action["display_name"] = self.name
        return action
