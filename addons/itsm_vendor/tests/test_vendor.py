from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from odoo.addons.itsm_helpdesk.tests.common import ItsmCommon


@tagged("post_install", "-at_install")
class TestVendorLiaison(ItsmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.vendor_x = Partner.create({"name": "Vendor X", "is_company": True, "is_itsm_vendor": True})
        cls.vendor_y = Partner.create({"name": "Vendor Y", "is_company": True, "is_itsm_vendor": True})
        cls.not_vendor = Partner.create({"name": "Plain Supplier", "is_company": True})
        cls.stage_waiting_vendor = cls.env.ref("itsm_helpdesk.stage_waiting_vendor")
        cls.ticket = cls._ticket(name="Server disk failing")

    def _vendor_ticket(self, vendor, sent, answered=None, resolved=None, ticket=None):
        return self.env["itsm.vendor.ticket"].create(
            {
                "ticket_id": (ticket or self.ticket).id,
                "vendor_id": vendor.id,
                "sent_at": sent,
                "answered_at": answered or False,
                "resolved_at": resolved or False,
                "state": "resolved" if resolved else ("answered" if answered else "sent"),
            }
        )

    def test_vendor_times(self):
        with freeze_time("2026-03-02 09:00:00"):
            vendor_ticket = (
                self.env["itsm.vendor.ticket"]
                .with_user(self.agent_1)
                .create(
                    {"ticket_id": self.ticket.id, "vendor_id": self.vendor_x.id, "vendor_reference": "X-1"}
                )
            )
        self.assertEqual(vendor_ticket.sent_at, datetime(2026, 3, 2, 9))
        self.assertTrue(self.ticket.has_open_vendor_ticket)
        self.assertEqual(vendor_ticket.response_hours, 0.0)
        with freeze_time("2026-03-02 11:30:00"):
            vendor_ticket.with_user(self.agent_1).action_answered()
        self.assertRecordValues(
            vendor_ticket,
            [{"state": "answered", "answered_at": datetime(2026, 3, 2, 11, 30), "response_hours": 2.5}],
        )
        with freeze_time("2026-03-03 09:00:00"):
            vendor_ticket.with_user(self.agent_1).action_resolved()
        self.assertRecordValues(
            vendor_ticket,
            [
                {
                    "state": "resolved",
                    "answered_at": datetime(2026, 3, 2, 11, 30),
                    "resolved_at": datetime(2026, 3, 3, 9),
                    "outcome": "resolved",
                    "response_hours": 2.5,
                    "resolution_hours": 24.0,
                }
            ],
        )
        self.assertFalse(self.ticket.has_open_vendor_ticket, "the vendor resolved it")
        with self.assertRaises(UserError):
            vendor_ticket.action_answered()
        # back to the vendor: the first answer stays, the resolution is cleared
        vendor_ticket.action_reopen()
        self.assertRecordValues(
            vendor_ticket,
            [{"state": "answered", "resolved_at": False, "resolution_hours": 0.0, "response_hours": 2.5}],
        )
        self.assertTrue(self.ticket.has_open_vendor_ticket)

    def test_resolution_without_answer_counts_as_answer(self):
        with freeze_time("2026-03-02 09:00:00"):
            vendor_ticket = self.env["itsm.vendor.ticket"].create(
                {"ticket_id": self.ticket.id, "vendor_id": self.vendor_x.id}
            )
        with freeze_time("2026-03-02 13:00:00"):
            vendor_ticket.write({"outcome": "workaround"})
            vendor_ticket.action_resolved()
        self.assertRecordValues(
            vendor_ticket,
            [{"response_hours": 4.0, "resolution_hours": 4.0, "outcome": "workaround"}],
        )

    def test_wizard_escalates_logs_and_waits(self):
        with freeze_time("2026-03-02 09:00:00"):
            action = self.ticket.with_user(self.agent_1).action_open_vendor_escalate_wizard()
            wizard_form = Form(
                self.env[action["res_model"]].with_user(self.agent_1).with_context(**action["context"])
            )
            wizard_form.vendor_id = self.vendor_x
            wizard_form.vendor_reference = " X-4711 "
            wizard_form.note = "Disk SMART errors\non the second controller"
            wizard_form.save().action_confirm()
        vendor_ticket = self.ticket.vendor_ticket_ids
        self.assertRecordValues(
            vendor_ticket,
            [
                {
                    "vendor_id": self.vendor_x.id,
                    "vendor_reference": "X-4711",
                    "user_id": self.agent_1.id,
                    "state": "sent",
                    "sent_at": datetime(2026, 3, 2, 9),
                    "company_id": self.ticket.company_id.id,
                }
            ],
        )
        self.assertEqual(self.ticket.stage_id, self.stage_waiting_vendor)
        self.assertTrue(self.ticket.has_open_vendor_ticket)
        note = self.ticket.message_ids.filtered(lambda m: "Escalated to the vendor" in (m.body or ""))
        self.assertEqual(len(note), 1)
        self.assertIn("Vendor X", note.body)
        self.assertIn("X-4711", note.body)
        self.assertIn("Disk SMART errors<br>on the second controller", note.body)
        self.assertTrue(note.subtype_id.internal, "an internal note: the requester is not e-mailed")
        self.assertEqual(note.author_id, self.agent_1.partner_id)

    def test_wizard_can_keep_the_stage(self):
        self.ticket.stage_id = self.stage_progress
        wizard = self.env["itsm.ticket.vendor.escalate"].create(
            {"ticket_id": self.ticket.id, "vendor_id": self.vendor_y.id, "move_to_waiting": False}
        )
        wizard.action_confirm()
        self.assertEqual(self.ticket.stage_id, self.stage_progress)
        self.assertIn("none yet", self.ticket.message_ids[0].body)

    def test_bad_input_writes_nothing(self):
        VendorTicket = self.env["itsm.vendor.ticket"]
        wizard = self.env["itsm.ticket.vendor.escalate"].create(
            {"ticket_id": self.ticket.id, "vendor_id": self.not_vendor.id}
        )
        with self.assertRaises(UserError):
            wizard.action_confirm()
        closed = self._ticket(name="Closed already")
        closed.action_close()
        wizard = self.env["itsm.ticket.vendor.escalate"].create(
            {"ticket_id": closed.id, "vendor_id": self.vendor_x.id}
        )
        with self.assertRaises(UserError):
            wizard.action_confirm()
        self.assertFalse(VendorTicket.search_count([("ticket_id", "in", (self.ticket | closed).ids)]))
        self.assertNotEqual(self.ticket.stage_id, self.stage_waiting_vendor)
        with self.assertRaises(ValidationError):
            VendorTicket.create({"ticket_id": self.ticket.id, "vendor_id": self.not_vendor.id})
        with self.assertRaises(ValidationError):
            self._vendor_ticket(self.vendor_x, datetime(2026, 3, 2, 9), answered=datetime(2026, 3, 2, 8))
        with self.assertRaises(ValidationError):
            self._vendor_ticket(
                self.vendor_x,
                datetime(2026, 3, 2, 9),
                answered=datetime(2026, 3, 2, 12),
                resolved=datetime(2026, 3, 2, 10),
            )

    def test_report_averages_per_vendor(self):
        day = datetime(2026, 3, 2, 9)

        def at(hours):
            return day + timedelta(hours=hours)

        x_tickets = (
            self._vendor_ticket(self.vendor_x, day, answered=at(2), resolved=at(10))
            | self._vendor_ticket(self.vendor_x, day, answered=at(4), resolved=at(26))
            | self._vendor_ticket(self.vendor_x, day, answered=at(3))
            | self._vendor_ticket(self.vendor_x, day)
        )
        self._vendor_ticket(self.vendor_y, day, answered=at(1), resolved=at(5))
        self.env.flush_all()
        rows = self.env["itsm.vendor.ticket.report"]._read_group(
            [("vendor_id", "in", (self.vendor_x | self.vendor_y).ids)],
            ["vendor_id"],
            ["__count", "response_hours:avg", "resolution_hours:avg"],
        )
        results = {vendor: (count, response, resolution) for vendor, count, response, resolution in rows}
        # X: answered in 2, 4 and 3 hours, resolved in 10 and 26; the pending ones do not count as 0
        self.assertEqual(results[self.vendor_x], (4, 3.0, 18.0))
        self.assertEqual(results[self.vendor_y], (1, 1.0, 5.0))
        # the same through the pivot of Reporting > Vendor Performance
        groups = self.env["itsm.vendor.ticket.report"].read_group(
            [("vendor_id", "=", self.vendor_x.id)], ["response_hours", "resolution_hours"], ["vendor_id"]
        )
        self.assertAlmostEqual(groups[0]["response_hours"], 3.0)
        self.assertAlmostEqual(groups[0]["resolution_hours"], 18.0)
        # the vendor's smart button
        self.assertEqual(self.vendor_x.itsm_vendor_ticket_count, 4)
        self.assertEqual(self.vendor_x.itsm_open_vendor_ticket_count, 2)
        action = self.vendor_x.action_view_itsm_vendor_tickets()
        self.assertEqual(self.env["itsm.vendor.ticket"].search(action["domain"]), x_tickets)

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model")
    def test_access_rights(self):
        vendor_ticket = self._vendor_ticket(self.vendor_x, datetime(2026, 3, 2, 9))
        as_agent = vendor_ticket.with_user(self.agent_1)
        as_agent.write({"vendor_reference": "X-2"})
        with self.assertRaises(AccessError):
            as_agent.unlink()
        for portal_user in (self.portal_a, self.portal_b):
            with self.assertRaises(AccessError):
                vendor_ticket.with_user(portal_user).read(["vendor_reference"])
            with self.assertRaises(AccessError):
                self.env["itsm.vendor.ticket"].with_user(portal_user).search([])
            with self.assertRaises(AccessError):
                self.env["itsm.vendor.ticket.report"].with_user(portal_user).search([])
            with self.assertRaises(AccessError):
                self.ticket.with_user(portal_user).read(["vendor_ticket_ids"])
        with self.assertRaises(AccessError):
            vendor_ticket.with_user(self.employee).read(["vendor_reference"])
        vendor_ticket.with_user(self.manager).unlink()
        self.assertFalse(vendor_ticket.exists())

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_other_company_vendor_tickets_are_hidden(self):
        company_2 = self.env["res.company"].create({"name": "Other IT"})
        ticket_2 = self.env["itsm.ticket"].create(
            {"name": "Other company ticket", "company_id": company_2.id}
        )
        other = self._vendor_ticket(self.vendor_x, datetime(2026, 3, 2, 9), ticket=ticket_2)
        self.assertEqual(other.company_id, company_2)
        self.assertFalse(
            self.env["itsm.vendor.ticket"].with_user(self.manager).search([("id", "=", other.id)])
        )
        self.assertFalse(
            self.env["itsm.vendor.ticket.report"]
            .with_user(self.manager)
            .search([("vendor_ticket_id", "=", other.id)])
        )
