import json
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.itsm_helpdesk.tests.common import ItsmCommon

from ..controllers.monitoring import INVALID_TOKEN_LIMIT, invalid_token_throttle
from ..models.itsm_monitoring_source import hash_token

ALERT_URL = "/itsm/monitoring/alert"
MAINTENANCE = "The desk is closed for maintenance."
MAX_BODY_SIZE = 64 * 1024
ALERT = {
    "fingerprint": "db01-replication-lag",
    "message": "Replication lag 120 s\nStandby db02 is behind the primary.",
    "severity": "major",
    "host": "db01",
    "service": "postgres",
}


class ItsmMonitoringCommon(ItsmCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.service_db = cls.env["itsm.service"].create({"name": "Databases", "team_id": cls.team_field.id})
        cls.source = cls.env["itsm.monitoring.source"].create(
            {"name": "Zabbix", "team_id": cls.team_field.id, "service_id": cls.service_db.id}
        )
        cls.token = cls._rotate(cls.source)

    @classmethod
    def _rotate(cls, source):
        action = source.with_user(cls.manager).action_rotate_token()
        return action["context"]["default_token"]

    def setUp(self):
        super().setUp()
        # refused tokens are counted per address in the memory of the server: each test starts afresh
        invalid_token_throttle.clear()
        self.addCleanup(invalid_token_throttle.clear)

    def _post(self, data, token=None, headers=None):
        headers = {
            "Content-Type": "application/json",
            "Authorization": f"Bearer {token or self.token}",
            **(headers or {}),
        }
        self.env.flush_all()
        response = self.url_open(ALERT_URL, data=data, headers=headers)
        self.env.invalidate_all()
        return response

    def _alert(self, token=None, headers=None, **values):
        return self._post(json.dumps(dict(ALERT, **values)), token=token, headers=headers)

    def _alert_tickets(self, source=None):
        return self.env["itsm.ticket"].search([("alert_source_id", "=", (source or self.source).id)])

    def _notes(self, ticket):
        return ticket.message_ids.filtered(lambda m: m.message_type == "notification" and "Alert" in m.body)


@tagged("post_install", "-at_install")
class TestMonitoringAlerts(ItsmMonitoringCommon):
    def test_alert_opens_incident(self):
        response = self._alert(message=ALERT["message"] + "\n<script>alert(1)</script>")
        self.assertEqual(response.status_code, 201)
        self.assertEqual(response.headers["Content-Type"], "application/json")
        ticket = self._alert_tickets()
        self.assertEqual(len(ticket), 1)
        self.assertEqual(response.json(), {"action": "created", "ticket": ticket.number, "id": ticket.id})
        self.assertRecordValues(
            ticket,
            [
                {
                    "name": "db01/postgres: Replication lag 120 s",
                    "kind": "incident",
                    "channel": "monitoring",
                    "company_id": self.company.id,
                    "team_id": self.team_field.id,
                    "support_line": "2",
                    "service_id": self.service_db.id,
                    "impact": "1",
                    "urgency": "2",
                    "priority": "2",
                    "alert_fingerprint": "db01-replication-lag",
                    "alert_host": "db01",
                    "alert_service_name": "postgres",
                    "alert_severity": "major",
                    "alert_count": 1,
                    "is_closed": False,
                }
            ],
        )
        self.assertIn("Standby db02 is behind the primary.", ticket.description)
        self.assertNotIn("<script>", ticket.description, "the message is text, never HTML")
        self.assertTrue(ticket.last_alert_at)
        self.assertEqual(self.source.alert_count, 1)
        self.assertEqual(self.source.last_alert_at, ticket.last_alert_at)
        self.assertEqual((self.source.ticket_count, self.source.open_ticket_count), (1, 1))

    def test_severity_mapping_and_defaults(self):
        expected = {"critical": "1", "major": "2", "minor": "3", "warning": "4", "info": "5"}
        for severity, priority in expected.items():
            self.assertEqual(self._alert(fingerprint=severity, severity=severity.upper()).status_code, 201)
            ticket = self._alert_tickets().filtered(lambda t, fp=severity: t.alert_fingerprint == fp)
            self.assertEqual((ticket.alert_severity, ticket.priority), (severity, priority))
        # severity and status may be left out; host and service too
        response = self._post(json.dumps({"fingerprint": "bare", "message": "Something is off"}))
        self.assertEqual(response.status_code, 201)
        bare = self.env["itsm.ticket"].browse(response.json()["id"])
        self.assertEqual(
            (bare.name, bare.alert_severity, bare.priority), ("Something is off", "warning", "4")
        )
        # a source may map severities its own way
        self.source.write({"info_impact": "1", "info_urgency": "1"})
        response = self._alert(fingerprint="info-2", severity="info")
        self.assertEqual(self.env["itsm.ticket"].browse(response.json()["id"]).priority, "1")

    def test_repeats_fold_into_open_incident(self):
        first = self._alert(severity="warning")
        self.assertEqual(first.status_code, 201)
        ticket = self.env["itsm.ticket"].browse(first.json()["id"])
        self.assertEqual(ticket.priority, "4")
        second = self._alert(severity="critical", message="Replication lag 600 s")
        third = self._alert(severity="info", message="Replication lag 30 s")
        for response in (second, third):
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response.json(), {"action": "folded", "ticket": ticket.number, "id": ticket.id})
        self.assertEqual(self._alert_tickets(), ticket, "repeats open no new ticket")
        self.assertEqual(ticket.alert_count, 3)
        self.assertEqual(self.source.alert_count, 3)
        notes = self._notes(ticket)
        self.assertEqual(len(notes), 2)
        self.assertIn("Replication lag 600 s", notes[1].body)
        self.assertIn("Replication lag 30 s", notes[0].body)
        # a more severe repeat raises the incident; a milder one never lowers it
        self.assertRecordValues(
            ticket, [{"alert_severity": "critical", "impact": "1", "urgency": "1", "priority": "1"}]
        )
        # another fingerprint is another incident
        other = self._alert(fingerprint="db01-disk-full")
        self.assertEqual(other.status_code, 201)
        self.assertNotEqual(other.json()["id"], ticket.id)

    def test_resolved_closes_incident(self):
        ticket = self.env["itsm.ticket"].browse(self._alert().json()["id"])
        response = self._alert(status="resolved", message="Replication lag back to 0 s")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"action": "closed", "ticket": ticket.number, "id": ticket.id})
        self.assertTrue(ticket.is_closed)
        self.assertEqual(ticket.stage_id, self.stage_solved)
        self.assertIn("Replication lag back to 0 s", self._notes(ticket)[0].body)
        self.assertEqual(ticket.alert_count, 1, "a resolution is not a repeat")
        # nothing open any more: a second resolution is ignored, a new firing opens a new incident
        self.assertEqual(self._alert(status="resolved").json()["action"], "ignored")
        again = self._alert()
        self.assertEqual(again.status_code, 201)
        self.assertNotEqual(again.json()["id"], ticket.id)

    def test_resolved_annotates_incident(self):
        self.source.resolve_action = "annotate"
        ticket = self.env["itsm.ticket"].browse(self._alert().json()["id"])
        response = self._alert(status="RESOLVED", message="Replication lag back to 0 s")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["action"], "annotated")
        self.assertFalse(ticket.is_closed, "the agent decides")
        self.assertIn("Replication lag back to 0 s", self._notes(ticket)[0].body)

    def test_resolved_unknown_fingerprint_is_ignored(self):
        messages = self.env["mail.message"].search_count([("model", "=", "itsm.ticket")])
        response = self._alert(fingerprint="never-fired", status="resolved")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"action": "ignored", "ticket": None, "id": None})
        self.assertFalse(self._alert_tickets())
        self.assertEqual(self.env["mail.message"].search_count([("model", "=", "itsm.ticket")]), messages)
        self.assertEqual(self.source.alert_count, 1, "the alert was received")

    def test_source_company(self):
        company_2 = self.env["res.company"].create({"name": "Subsidiary"})
        team_2 = self.env["itsm.team"].create({"name": "Subsidiary desk", "company_id": company_2.id})
        source_2 = self.env["itsm.monitoring.source"].create(
            {"name": "Subsidiary Nagios", "team_id": team_2.id, "company_id": company_2.id}
        )
        self.manager.company_ids |= company_2
        token_2 = self._rotate(source_2.with_context(allowed_company_ids=[company_2.id]))
        first = self._alert()
        second = self._alert(token=token_2)
        self.assertEqual(second.status_code, 201, "the same fingerprint from another source is another alert")
        ticket_2 = self.env["itsm.ticket"].browse(second.json()["id"])
        self.assertNotEqual(ticket_2.id, first.json()["id"])
        self.assertEqual((ticket_2.company_id, ticket_2.team_id), (company_2, team_2))
        self.assertTrue(ticket_2.number)

    def test_processing_error_writes_nothing(self):
        Source = type(self.env["itsm.monitoring.source"])
        process_alert = Source._process_alert

        def process_then_fail(source, alert, now):
            process_alert(source, alert, now)
            raise UserError(MAINTENANCE)

        tickets = self.env["itsm.ticket"].search_count([])
        with patch.object(Source, "_process_alert", process_then_fail):
            response = self._alert()
        self.assertEqual(response.status_code, 422)
        self.assertEqual(
            response.json(),
            {"error": {"code": "not_processable", "message": MAINTENANCE}},
        )
        self.assertEqual(self.env["itsm.ticket"].search_count([]), tickets, "the ticket was rolled back")
        self.assertEqual(self.source.alert_count, 0)


@tagged("post_install", "-at_install")
class TestMonitoringBadInput(ItsmMonitoringCommon):
    def _state(self):
        self.env.invalidate_all()
        return {
            "tickets": self.env["itsm.ticket"].with_context(active_test=False).search_count([]),
            "messages": self.env["mail.message"].search_count([("model", "=", "itsm.ticket")]),
            "source": self.source.read(["alert_count", "last_alert_at", "throttled_count"]),
            "alerts": self.env["itsm.monitoring.alert"].search_count([]),
        }

    def _assert_refused(self, response, status, code):
        self.assertEqual(response.status_code, status, response.text)
        self.assertEqual(response.headers["Content-Type"], "application/json")
        error = response.json()["error"]
        self.assertEqual(error["code"], code)
        self.assertTrue(error["message"])

    def test_bad_input_is_refused_and_writes_nothing(self):
        # an existing open incident: a repeat that got through would post on it
        self.assertEqual(self._alert().status_code, 201)
        payload = json.dumps(ALERT)
        oversized = json.dumps(dict(ALERT, details="x" * MAX_BODY_SIZE))
        padding = MAX_BODY_SIZE + 1 - len(json.dumps(dict(ALERT, details="")))
        just_too_large = json.dumps(dict(ALERT, details="x" * padding))
        self.assertEqual(len(just_too_large), MAX_BODY_SIZE + 1)
        wrong_secret = self.token[:8] + ("A" if self.token[8] != "A" else "B") + self.token[9:]
        cases = [
            ("no token", {"data": payload, "headers": {"Authorization": None}}, 401, "missing_token"),
            (
                "basic auth",
                {"data": payload, "headers": {"Authorization": "Basic dXNlcjpwdw=="}},
                401,
                "missing_token",
            ),
            ("wrong secret", {"data": payload, "token": wrong_secret}, 401, "invalid_token"),
            ("unknown prefix", {"data": payload, "token": "Z" * 43}, 401, "invalid_token"),
            ("short token", {"data": payload, "token": self.token[:8]}, 401, "invalid_token"),
            ("huge token", {"data": payload, "token": self.token + "x" * 1000}, 401, "invalid_token"),
            ("64 KiB + 1", {"data": just_too_large}, 413, "payload_too_large"),
            ("oversized", {"data": oversized}, 413, "payload_too_large"),
            (
                "chunked body",
                {"data": iter([oversized[:40000].encode(), oversized[40000:].encode()])},
                411,
                "length_required",
            ),
            (
                "no content type",
                {"data": payload, "headers": {"Content-Type": None}},
                415,
                "unsupported_media_type",
            ),
            (
                "form content type",
                {"data": payload, "headers": {"Content-Type": "text/plain"}},
                415,
                "unsupported_media_type",
            ),
            ("broken JSON", {"data": '{"fingerprint": "db01-replication-lag", '}, 400, "invalid_json"),
            ("not UTF-8", {"data": payload.encode("utf-16")}, 400, "invalid_json"),
            ("JSON array", {"data": json.dumps([ALERT])}, 400, "invalid_payload"),
            ("JSON string", {"data": json.dumps("alert")}, 400, "invalid_payload"),
            (
                "missing fingerprint",
                {"data": json.dumps(dict(ALERT, fingerprint=None))},
                400,
                "missing_field",
            ),
            ("blank message", {"data": json.dumps(dict(ALERT, message="  "))}, 400, "missing_field"),
            ("fingerprint not text", {"data": json.dumps(dict(ALERT, fingerprint=42))}, 400, "invalid_field"),
            ("bad severity", {"data": json.dumps(dict(ALERT, severity="apocalyptic"))}, 400, "invalid_field"),
            ("bad status", {"data": json.dumps(dict(ALERT, status="done"))}, 400, "invalid_field"),
            ("overlong host", {"data": json.dumps(dict(ALERT, host="h" * 256))}, 400, "invalid_field"),
            (
                "overlong message",
                {"data": json.dumps(dict(ALERT, message="m" * 10001))},
                400,
                "invalid_field",
            ),
            (
                "NUL character",
                {"data": json.dumps(dict(ALERT, message="disk\x00full"))},
                400,
                "invalid_field",
            ),
        ]
        before = self._state()
        for label, request, status, code in cases:
            with self.subTest(label):
                response = self._post(
                    request["data"], token=request.get("token"), headers=request.get("headers")
                )
                self._assert_refused(response, status, code)
                self.assertEqual(self._state(), before, "nothing was written")
        self.assertEqual(self._alert().json()["action"], "folded", "the endpoint still works")

    def test_refused_token_is_answered_before_the_body_is_read(self):
        form = "fingerprint=db01&message=" + "x" * 50000
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        with patch("odoo.http.Request.get_http_params", side_effect=AssertionError("body parsed")):
            for token, code in (("Z" * 43, "invalid_token"), (None, "missing_token")):
                auth = {"Authorization": f"Bearer {token}" if token else None}
                response = self._post(form, headers={**headers, **auth})
                self._assert_refused(response, 401, code)

    def test_refused_tokens_are_throttled_per_address(self):
        with freeze_time("2026-05-04 10:00:00"):
            for _i in range(INVALID_TOKEN_LIMIT):
                self._assert_refused(self._alert(token="Z" * 43), 401, "invalid_token")
            before = self._state()
            response = self._alert()
            self._assert_refused(response, 429, "too_many_attempts")
            self.assertEqual(response.headers["Retry-After"], "60")
            self.assertEqual(self._state(), before, "even a valid token waits: guessing stops")
        with freeze_time("2026-05-04 10:01:00"):
            self.assertEqual(self._alert().status_code, 201, "the address may try again after the period")

    def test_body_of_exactly_64_kib_is_accepted(self):
        padding = MAX_BODY_SIZE - len(json.dumps(dict(ALERT, details="")))
        body = json.dumps(dict(ALERT, details="x" * padding))
        self.assertEqual(len(body), MAX_BODY_SIZE)
        self.assertEqual(self._post(body).status_code, 201, "unknown keys are ignored")

    def test_rotated_and_archived_tokens_are_refused(self):
        old_token = self.token
        new_token = self._rotate(self.source)
        self.assertNotEqual(new_token, old_token)
        before = self._state()
        self._assert_refused(self._alert(token=old_token), 401, "invalid_token")
        self.assertEqual(self._state(), before)
        self.assertEqual(self._alert(token=new_token).status_code, 201)
        self.source.active = False
        before = self._state()
        self._assert_refused(self._alert(token=new_token, fingerprint="other"), 401, "invalid_token")
        self.assertEqual(self._state(), before)

    def test_rate_limit(self):
        self.source.rate_limit = 3
        with freeze_time("2026-05-04 10:00:05"):
            for i in range(3):
                self.assertEqual(self._alert(fingerprint=f"alert-{i}").status_code, 201)
        with freeze_time("2026-05-04 10:00:50"):
            before = self._state()
            response = self._alert(fingerprint="alert-3")
            self._assert_refused(response, 429, "rate_limited")
            self.assertEqual(response.headers["Retry-After"], "10")
            after = self._state()
            self.assertEqual(after["tickets"], before["tickets"])
            self.assertEqual(after["messages"], before["messages"])
            self.assertEqual(after["source"][0]["alert_count"], 3)
            self.assertEqual(after["source"][0]["throttled_count"], 1)
            # a repeat of an open alert is refused too: no note is posted
            self._assert_refused(self._alert(fingerprint="alert-0"), 429, "rate_limited")
            self.assertEqual(self._state()["messages"], before["messages"])
        with freeze_time("2026-05-04 10:01:00"):
            self.assertEqual(
                self._alert(fingerprint="alert-3").status_code, 201, "a new minute, a new allowance"
            )
        self.assertEqual(self.source.throttled_count, 2)
        self.assertEqual(len(self._alert_tickets()), 4)

    def test_refused_requests_are_forgotten_after_their_retention(self):
        """A flooding tool's refused requests do not pile up: the daily clean-up drops those past
        30 days (or the configured retention) and keeps the alerts the desk acted on."""
        self.source.rate_limit = 1
        with freeze_time("2026-03-02 08:00:00"):
            self.assertEqual(self._alert(fingerprint="old-accepted").status_code, 201)
            for i in range(3):
                self._assert_refused(self._alert(fingerprint=f"old-{i}"), 429, "rate_limited")
        with freeze_time("2026-04-05 08:00:00"):
            self.assertEqual(self._alert(fingerprint="recent-accepted").status_code, 201)
            self._assert_refused(self._alert(fingerprint="recent-refused"), 429, "rate_limited")
        Alert = self.env["itsm.monitoring.alert"]
        self.assertEqual(self.source.throttled_count, 4)
        with freeze_time("2026-04-10 08:00:00"):
            self.assertEqual(Alert._gc_refused_alerts(), 3)
            self.assertEqual(Alert._gc_refused_alerts(), 0, "each refused request is removed once")
        self.source.invalidate_recordset()
        self.assertEqual(self.source.throttled_count, 1)
        self.assertEqual(self.source.alert_count, 2, "the alerts the desk acted on are kept")
        self.assertEqual(
            sorted(Alert.search([("source_id", "=", self.source.id)]).mapped("fingerprint")),
            ["old-accepted", "recent-accepted", "recent-refused"],
        )
        self.env["ir.config_parameter"].sudo().set_param("itsm_monitoring.refused_retention_days", "3")
        with freeze_time("2026-04-10 08:00:00"):
            self.assertEqual(Alert._gc_refused_alerts(), 1)
        self.source.invalidate_recordset()
        self.assertEqual(self.source.throttled_count, 0)


@tagged("post_install", "-at_install")
class TestMonitoringToken(ItsmMonitoringCommon):
    def test_token_is_stored_only_hashed(self):
        action = self.source.with_user(self.manager).action_rotate_token()
        token = action["context"]["default_token"]
        self.assertEqual(action["res_model"], "itsm.monitoring.token")
        self.assertGreaterEqual(len(token), 43)
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT row_to_json(source)::text FROM itsm_monitoring_source source WHERE id = %s",
            [self.source.id],
        )
        [row] = self.env.cr.fetchone()
        self.assertNotIn(token, row)
        self.assertNotIn(token[8:], row)
        self.assertIn(hash_token(token), row)
        self.assertEqual(self.source.token_prefix, token[:8])
        bodies = " ".join(self.source.message_ids.mapped("body"))
        self.assertIn(token[:8], bodies, "the rotation is logged with the prefix")
        self.assertNotIn(token[8:], bodies)
        # the dialog shows it without ever saving it
        wizard = self.env["itsm.monitoring.token"].with_user(self.manager).with_context(**action["context"])
        self.assertEqual(wizard.default_get(["token"])["token"], token)
        self.assertFalse(wizard.create({}).token)
        self.env.flush_all()
        self.env.cr.execute("SELECT count(*) FROM itsm_monitoring_token WHERE token IS NOT NULL")
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        views = wizard.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="token"', views)
        # the configuration views never show the hash
        source_views = self.source.with_user(self.manager).get_views([(False, "form"), (False, "list")])
        for view in source_views["views"].values():
            self.assertNotIn("token_hash", view["arch"])
        # the hash itself is readable by administrators only
        with self.assertRaises(AccessError):
            self.source.with_user(self.manager).read(["token_hash"])
        self.assertEqual(self._alert(token=token).status_code, 201)

    @mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule")
    def test_only_managers_configure_and_rotate(self):
        source = self.source.with_user(self.agent_1)
        self.assertEqual(source.name, "Zabbix", "agents see the source of their tickets")
        with self.assertRaises(AccessError):
            source.action_rotate_token()
        with self.assertRaises(AccessError):
            source.write({"rate_limit": 1000})
        with self.assertRaises(AccessError):
            self.env["itsm.monitoring.source"].with_user(self.agent_1).create(
                {"name": "Rogue", "team_id": self.team_desk.id}
            )
        with self.assertRaises(AccessError):
            self.source.with_user(self.portal_a).read(["name"])
        self.assertEqual(self.source.token_prefix, self.token[:8], "the token did not change")
        self.assertEqual(self._alert().status_code, 201)
        # agents open alert tickets with their Monitoring page
        self.team_field.member_ids |= self.agent_1
        ticket = self._alert_tickets().with_user(self.agent_1)
        self.assertEqual(ticket.read(["alert_source_id"])[0]["alert_source_id"][1], "Zabbix")
        form = ticket.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="monitoring"', form)
        other_company = self.env["res.company"].create({"name": "Elsewhere"})
        manager_elsewhere = new_test_user(
            self.env,
            "itsm_manager_elsewhere",
            groups="itsm_helpdesk.group_itsm_manager",
            company_id=other_company.id,
            company_ids=[Command.set(other_company.ids)],
        )
        self.assertFalse(
            self.env["itsm.monitoring.source"].with_user(manager_elsewhere).search([]),
            "sources belong to their company",
        )


@tagged("post_install", "-at_install", "is_query_count")
class TestMonitoringQueries(ItsmMonitoringCommon):
    """Pinned query counts of the alert endpoint, measured after a warm-up request."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._without_alias_domain()

    def test_create_path(self):
        self.assertEqual(self._alert(fingerprint="warm-up").status_code, 201)
        with self.assertQueryCount(21):
            response = self._alert(fingerprint="measured")
        self.assertEqual(response.status_code, 201)

    def test_fold_path(self):
        self._alert()
        self.assertEqual(self._alert().json()["action"], "folded")
        with self.assertQueryCount(14):
            response = self._alert()
        self.assertEqual(response.json()["action"], "folded")
