from freezegun import freeze_time
from lxml import html

from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import MONDAY_0900, SlaCommon


@tagged("post_install", "-at_install")
class TestSlaPortal(SlaCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.contract_b = cls._contract("Secret B contract", cls.customer_b, [("resolution", False, 77.0)])
        with freeze_time(MONDAY_0900):
            cls.ticket_a = cls._ticket(name="A's printer", priority="2")
            cls.ticket_b = cls._ticket(name="B's server", partner_id=cls.portal_b.partner_id.id)

    def test_customer_sees_own_contract_targets_only(self):
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        page = self.url_open("/my/sla").text
        self.assertIn("Gold A", page)
        self.assertNotIn("Secret B contract", page)
        # the hours column of the targets shown: A's targets, never B's 77 hours
        hours = html.fromstring(page).xpath(
            "//div[hasclass('o_itsm_sla_contract')]//td[hasclass('text-end')]"
        )
        self.assertEqual(sorted(td.text_content().strip() for td in hours), ["2", "4", "8"])
        contracts = self.env["itsm.sla.contract"].with_user(self.portal_a).search([])
        self.assertEqual(contracts, self.contract)

    @mute_logger("odoo.http")
    def test_customer_reads_no_internal_contract_field_over_rpc(self):
        self.contract.notes = "<p>Difficult customer: never grant service credits</p>"

        def call(method, args, **kwargs):
            return self.make_jsonrpc_request(
                f"/web/dataset/call_kw/itsm.sla.contract/{method}",
                {"model": "itsm.sla.contract", "method": method, "args": args, "kwargs": kwargs},
            )

        self.authenticate("itsm_portal_a", "itsm_portal_a")
        self.assertEqual(call("read", [self.contract.ids, ["name"]])[0]["name"], "Gold A")
        for field in ("notes", "owner_id", "threshold_ids", "review_ids"):
            with self.subTest(field=field), self.assertRaises(JsonRpcException) as rpc:
                call("read", [self.contract.ids, [field]])
            self.assertEqual(str(rpc.exception), "odoo.exceptions.AccessError")
        self.assertNotIn("notes", call("fields_get", [], attributes=["type"]))
        page = self.url_open("/my/sla")
        self.assertIn("Gold A", page.text)
        self.assertNotIn("service credits", page.text)

    def test_ticket_page_shows_own_deadlines_never_others(self):
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        page = self.url_open(f"/my/tickets/{self.ticket_a.id}").text
        self.assertIn("o_itsm_ticket_sla", page)
        self.assertIn("Resolution", page)
        other = self.url_open(f"/my/tickets/{self.ticket_b.id}")
        self.assertNotIn("B's server", other.text)
        self.assertNotIn("o_itsm_ticket_sla", other.text)
