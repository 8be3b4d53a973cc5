from datetime import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.itsm_sla.tests.common import MONDAY_0900, SlaCommon


@tagged("post_install", "-at_install")
class TestSlaVendorClock(SlaCommon):
    def _open(self, when, **values):
        with freeze_time(when):
            return self._ticket(priority="2", **values)

    def test_underpinning_contract_measures_the_wait_on_its_vendor(self):
        vendor = self.env["res.partner"].create(
            {"name": "Disk Maker", "is_company": True, "is_itsm_vendor": True}
        )
        other = self.env["res.partner"].create(
            {"name": "Cable Maker", "is_company": True, "is_itsm_vendor": True}
        )
        uc = self._contract(
            "Disk Maker UC",
            False,
            [("response", False, 1.0), ("resolution", False, 4.0)],
            kind="vendor",
            vendor_id=vendor.id,
        )
        ticket = self._open(MONDAY_0900)
        self.assertFalse(ticket.sla_line_ids.filtered(lambda ln: ln.contract_id == uc), "not with the vendor")
        Case = self.env["itsm.vendor.ticket"]
        with freeze_time("2025-01-06 09:30:00"):
            Case.create({"ticket_id": ticket.id, "vendor_id": other.id})
        self.assertFalse(ticket.sla_line_ids.filtered(lambda ln: ln.contract_id == uc), "another vendor")
        with freeze_time("2025-01-06 10:00:00"):
            case = Case.create({"ticket_id": ticket.id, "vendor_id": vendor.id})
        response = ticket.sla_line_ids.filtered(lambda ln: ln.contract_id == uc and ln.metric == "response")
        resolution = ticket.sla_line_ids.filtered(
            lambda ln: ln.contract_id == uc and ln.metric == "resolution"
        )
        self.assertEqual(response.deadline, datetime(2025, 1, 6, 11, 0), "counted from the escalation")
        self.assertEqual(resolution.deadline, datetime(2025, 1, 6, 14, 0))
        with freeze_time("2025-01-06 10:30:00"):
            case.action_answered()
        self.assertEqual((response.status, response.stopped_at), ("met", datetime(2025, 1, 6, 10, 30)))
        with freeze_time("2025-01-06 11:00:00"):
            ticket.stage_id = self.stage_waiting
        customer = self._line(ticket, "resolution") - resolution
        self.assertEqual(customer.status, "paused", "the customer's clock waits with the ticket")
        self.assertEqual(resolution.status, "running", "the vendor's keeps running: the wait is on them")
        with freeze_time("2025-01-06 15:00:00"):
            case.action_resolved()
        self.assertEqual(resolution.status, "breached", "5 working hours against 4")
        self.assertAlmostEqual(resolution.worked_hours, 5.0)
        self.assertEqual(customer.status, "paused")
