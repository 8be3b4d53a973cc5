import json
import threading
import time
from collections import OrderedDict

from odoo import SUPERUSER_ID, fields, http
from odoo.exceptions import UserError
from odoo.http import request

from ..models.itsm_monitoring_source import SEVERITIES

MAX_BODY_SIZE = 64 * 1024
MAX_TOKEN_LENGTH = 256
MAX_MESSAGE_LENGTH = 10000
# field: (required, maximum length)
ALERT_TEXT_FIELDS = {
    "fingerprint": (True, 255),
    "message": (True, MAX_MESSAGE_LENGTH),
    "host": (False, 255),
    "service": (False, 255),
}
ALERT_STATUSES = ("firing", "resolved")
DEFAULT_SEVERITY = "warning"
# refused tokens a client address may send per period before it is answered 429
INVALID_TOKEN_LIMIT = 10
INVALID_TOKEN_PERIOD = 60  # seconds


class FailureThrottle:
    """Failed attempts per client address over a sliding period, in the memory of the process.

    A brake on token guessing that writes nothing: a row updated on every refused request would
    turn a flood of bad tokens into a flood of writes (and of locks). Each worker process counts
    on its own, so a server of N workers lets at most N times the limit through; tokens are
    random 256-bit secrets, the brake only has to make guessing pointless, and a refused
    request costs one indexed lookup. At most ``max_addresses`` addresses are remembered
    (the oldest are forgotten first), so the memory stays bounded under a spread attack.
    """

    def __init__(self, limit, period, max_addresses=10000):
        self.limit = limit
        self.period = period
        self.max_addresses = max_addresses
        self._failures = OrderedDict()  # address -> list of monotonic times
        self._lock = threading.Lock()

    def _recent(self, address, now):
        times = [t for t in self._failures.get(address, ()) if now - t < self.period]
        if times:
            self._failures[address] = times
        else:
            self._failures.pop(address, None)
        return times

    def retry_after(self, address):
        """Seconds the address must wait before its next attempt; 0 if it may try now."""
        now = time.monotonic()
        with self._lock:
            times = self._recent(address, now)
            if len(times) < self.limit:
                return 0
            return max(1, int(times[-self.limit] + self.period - now + 0.999))

    def add_failure(self, address):
        now = time.monotonic()
        with self._lock:
            times = self._recent(address, now)
            self._failures[address] = [*times[-self.limit :], now]
            self._failures.move_to_end(address)
            while len(self._failures) > self.max_addresses:
                self._failures.popitem(last=False)

    def clear(self):
        with self._lock:
            self._failures.clear()


invalid_token_throttle = FailureThrottle(INVALID_TOKEN_LIMIT, INVALID_TOKEN_PERIOD)


class AlertRequestError(Exception):
    """A request the endpoint refuses: answered with ``status`` and a JSON error."""

    def __init__(self, status, code, message, headers=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}


class ItsmMonitoringController(http.Controller):
    """Alerts of monitoring tools: ``POST /itsm/monitoring/alert`` with a JSON object.

    The source is the one of the ``Authorization: Bearer <token>`` header. The body::

        {"fingerprint": "db01-disk", "message": "Disk / is 95% full",
         "severity": "critical", "status": "firing", "host": "db01", "service": "disk"}

    ``fingerprint`` and ``message`` are required; ``severity`` is one of critical, major,
    minor, warning (default) or info; ``status`` is firing (default) or resolved; other
    keys are ignored. Answers: 201 ``{"action": "created", "ticket": number, "id": id}``;
    200 with the action "folded", "closed", "annotated" or "ignored"; errors are
    ``{"error": {"code": ..., "message": ...}}`` with status 401, 411, 413, 415, 400, 429 or
    422, checked in that order, and nothing is written for them. The token is checked by
    ``ir.http`` (auth ``itsm_monitoring``) before the body is read; an address that sent too many
    refused tokens is answered 429 ``too_many_attempts`` first.
    """

    @http.route(
        "/itsm/monitoring/alert",
        type="http",
        auth="itsm_monitoring",
        methods=["POST"],
        csrf=False,
        readonly=False,
        save_session=False,
    )
    def monitoring_alert(self, **_kwargs):
        env = request.env(user=SUPERUSER_ID)
        # authenticated (by ir.http, before Odoo reads the body) as this source
        source = env["itsm.monitoring.source"].browse(env.context["itsm_monitoring_source_id"])
        try:
            alert = self._parse_alert(env, self._read_body(env))
            now = fields.Datetime.now()
            if not source._consume_rate(now, alert):
                raise AlertRequestError(
                    429,
                    "rate_limited",
                    env._("Too many alerts: this source may send %s per minute.", source.rate_limit),
                    {"Retry-After": str(60 - now.second)},
                )
            source = source.with_company(source.company_id).with_context(
                lang=source.company_id.partner_id.lang or env.lang, mail_create_nosubscribe=True
            )
            try:
                # the rate counted above stays; whatever the alert did is undone on error
                with env.cr.savepoint():
                    action, ticket = source._process_alert(alert, now)
            except UserError as error:
                raise AlertRequestError(422, "not_processable", error.args[0]) from error
        except AlertRequestError as error:
            return self._error_response(error)
        return self._json_response(
            {"action": action, "ticket": ticket.number or None, "id": ticket.id or None},
            201 if action == "created" else 200,
        )

    @classmethod
    def _authenticate_request(cls):
        """The source of the request's Bearer token, or an AlertRequestError (401, or 429 for an
        address that sent too many refused tokens). Reads the headers only, never the body."""
        env = request.env(user=SUPERUSER_ID)
        address = request.httprequest.remote_addr or ""
        retry_after = invalid_token_throttle.retry_after(address)
        if retry_after:
            raise AlertRequestError(
                429,
                "too_many_attempts",
                env._("Too many requests with a refused token from this address: try again later."),
                {"Retry-After": str(retry_after)},
            )
        try:
            return cls._authenticate_source(env)
        except AlertRequestError:
            invalid_token_throttle.add_failure(address)
            raise

    @classmethod
    def _authenticate_source(cls, env):
        scheme, _sep, token = request.httprequest.headers.get("Authorization", "").partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise AlertRequestError(
                401,
                "missing_token",
                env._("Authenticate with the header 'Authorization: Bearer <token of the source>'."),
                {"WWW-Authenticate": "Bearer"},
            )
        source = env["itsm.monitoring.source"]
        if len(token) <= MAX_TOKEN_LENGTH:
            source = source._find_by_token(token)
        if not source:
            raise AlertRequestError(
                401,
                "invalid_token",
                env._("The token is not valid: it is unknown, revoked or of an archived source."),
                {"WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
        return source

    def _read_body(self, env):
        httprequest = request.httprequest
        too_large = AlertRequestError(
            413, "payload_too_large", env._("The body may not exceed %s bytes.", MAX_BODY_SIZE)
        )
        if httprequest.content_length is None:
            # a body without a length (chunked) could only be read whole: refused before reading it
            raise AlertRequestError(
                411, "length_required", env._("Send the body with a Content-Length header, not in chunks.")
            )
        if httprequest.content_length > MAX_BODY_SIZE:
            raise too_large
        body = httprequest.get_data()  # at most Content-Length bytes, cached for a retried request
        if len(body) > MAX_BODY_SIZE:
            raise too_large
        if httprequest.mimetype != "application/json":
            raise AlertRequestError(
                415, "unsupported_media_type", env._("Send the alert with 'Content-Type: application/json'.")
            )
        return body

    def _parse_alert(self, env, body):
        """Return the alert of a JSON body, its fields checked and normalised."""
        try:
            payload = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError) as error:
            raise AlertRequestError(
                400, "invalid_json", env._("The body is not valid UTF-8 JSON.")
            ) from error
        if not isinstance(payload, dict):
            raise AlertRequestError(400, "invalid_payload", env._("The body must be a JSON object."))
        alert = {}
        for name, (required, max_length) in ALERT_TEXT_FIELDS.items():
            value = payload.get(name)
            if value is None and not required:
                alert[name] = ""
                continue
            if value is None or (isinstance(value, str) and not value.strip()):
                raise AlertRequestError(400, "missing_field", env._("The field '%s' is required.", name))
            if not isinstance(value, str) or len(value) > max_length or "\x00" in value:
                raise AlertRequestError(
                    400,
                    "invalid_field",
                    env._(
                        "The field '%(field)s' must be a text of at most %(length)s characters.",
                        field=name,
                        length=max_length,
                    ),
                )
            alert[name] = value.strip()
        alert["severity"] = self._parse_choice(
            env, payload, "severity", [code for code, _label in SEVERITIES], DEFAULT_SEVERITY
        )
        alert["status"] = self._parse_choice(env, payload, "status", ALERT_STATUSES, "firing")
        return alert

    def _parse_choice(self, env, payload, name, choices, default):
        value = payload.get(name)
        if value is None:
            return default
        if not isinstance(value, str) or value.strip().lower() not in choices:
            raise AlertRequestError(
                400,
                "invalid_field",
                env._(
                    "The field '%(field)s' must be one of: %(choices)s.",
                    field=name,
                    choices=", ".join(choices),
                ),
            )
        return value.strip().lower()

    @classmethod
    def _error_response(cls, error):
        return cls._json_response(
            {"error": {"code": error.code, "message": error.message}}, error.status, error.headers
        )

    @staticmethod
    def _json_response(data, status, headers=None):
        headers = {"Content-Type": "application/json", "Cache-Control": "no-store", **(headers or {})}
        return request.make_response(json.dumps(data), headers=list(headers.items()), status=status)
