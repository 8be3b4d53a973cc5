from odoo import fields
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from odoo.addons.itsm_helpdesk.tests.common import ItsmCommon

ALERT = {
    "fingerprint": "db01-disk",
    "message": "Disk full on db01",
    "severity": "warning",
    "status": "firing",
    "host": "db01",
    "service": "disk",
}


@tagged("post_install", "-at_install")
class TestMonitoringDesk(ItsmCommon, HttpCase):
    """What the desk does with the incidents of alerts: acknowledgements, portal confidentiality."""

    def _mails(self, tickets):
        return (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", "itsm.ticket"), ("res_id", "in", tickets.ids)])
        )

    def test_folded_alerts_send_no_more_acknowledgements(self):
        source = self.env["itsm.monitoring.source"].create({"name": "Zabbix", "team_id": self.team_desk.id})
        alert = dict(ALERT)
        now = fields.Datetime.now()
        action, ticket = source._process_alert(alert, now)
        self.assertEqual(action, "created")
        self.env["itsm.ticket"]._cron_send_acknowledgements()
        sent = len(self._mails(ticket))
        self.assertLessEqual(sent, 1, "an incident opened by an alert is acknowledged once at most")
        for _repeat in range(3):
            self.assertEqual(source._process_alert(alert, now), ("folded", ticket))
        self.assertFalse(ticket.is_ack_pending, "a repeat folded into the incident flags nothing")
        self.env["itsm.ticket"]._cron_send_acknowledgements()
        self.assertEqual(len(self._mails(ticket)), sent, "repeats send no acknowledgement")

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model", "odoo.http")
    def test_portal_reads_no_alert_field(self):
        source = self.env["itsm.monitoring.source"].create({"name": "Zabbix", "team_id": self.team_desk.id})
        _action, ticket = source._process_alert(ALERT, fields.Datetime.now())
        ticket.partner_id = self.portal_a.partner_id
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        call = {"model": "itsm.ticket", "method": "read", "args": [ticket.ids, ["alert_host"]], "kwargs": {}}
        with self.assertRaises(JsonRpcException) as rpc:
            self.make_jsonrpc_request("/web/dataset/call_kw/itsm.ticket/read", call)
        self.assertEqual(str(rpc.exception), "odoo.exceptions.AccessError")
        call = {
            "model": "itsm.ticket",
            "method": "fields_get",
            "args": [],
            "kwargs": {"attributes": ["type"]},
        }
        offered = self.make_jsonrpc_request("/web/dataset/call_kw/itsm.ticket/fields_get", call)
        self.assertIn("name", offered)
        self.assertNotIn("alert_host", offered)
