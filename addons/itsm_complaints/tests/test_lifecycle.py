from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import ComplaintCommon


@tagged("post_install", "-at_install")
class TestComplaintLifecycle(ComplaintCommon):
    def _mails_to(self, complaint, partner):
        return self.env["mail.mail"].search(
            [
                ("model", "=", "itsm.complaint"),
                ("res_id", "=", complaint.id),
                ("recipient_ids", "in", partner.ids),
            ]
        )

    def test_number_and_acknowledgement(self):
        complaint = self._complaint()
        self.assertTrue(complaint.number.startswith("CMP"))
        other = self._complaint(name="Second")
        self.assertNotEqual(complaint.number, other.number)
        self.assertEqual(complaint.receiver_id, self.receiver)
        ack = self._mails_to(complaint, self.portal_a.partner_id)
        self.assertEqual(len(ack), 1, "the complainant gets one acknowledgement")
        self.assertIn(complaint.number, ack.subject)
        self.assertIn("/my/complaints/%s" % complaint.id, ack.body_html)
        self.assertEqual(complaint.step_log_ids.state, "received")

    def test_new_company_numbers_complaints_from_its_creation(self):
        """Its sequence exists before the first complaint: two first ones cannot both create one."""
        company = self.env["res.company"].create({"name": "Fresh Branch"})
        domain = [("code", "=", "itsm.complaint"), ("company_id", "=", company.id)]
        self.assertEqual(self.env["ir.sequence"].sudo().search_count(domain), 1)

    def test_full_lifecycle_with_escalation(self):
        with freeze_time("2026-03-02 09:00:00"):
            complaint = self._complaint()
            self.assertEqual(complaint.step_deadline, datetime(2026, 3, 3, 9, 0), "one day to acknowledge")
            self._flush_tracking()
        handler_complaint = complaint.with_user(self.handler)
        with freeze_time("2026-03-02 10:00:00"):
            handler_complaint.action_start_investigation()
            self._flush_tracking()
            self.assertEqual(complaint.state, "investigating")
            self.assertEqual(complaint.owner_id, self.handler, "who starts the investigation owns it")
            self.assertEqual(complaint.step_deadline, datetime(2026, 3, 7, 10, 0), "five days to investigate")
        with self.assertRaises(UserError):
            handler_complaint.action_send_response()  # no response written yet
        handler_complaint.write(
            {
                "investigation_findings": "<p>The call was cut by the switchboard.</p>",
                "response": "<p>We apologise: the line was cut, not the agent.</p>",
            }
        )
        with freeze_time("2026-03-04 10:00:00"):
            handler_complaint.action_send_response()
            self._flush_tracking()
        self.assertEqual(complaint.state, "responded")
        response_mail = self._mails_to(complaint, self.portal_a.partner_id).filtered(
            lambda m: "response" in (m.subject or "").lower()
        )
        self.assertEqual(len(response_mail), 1)
        self.assertIn("the line was cut", response_mail.body_html)
        self.assertIn(
            f"/my/complaints/{complaint.id}/feedback?access_token={complaint.access_token}",
            response_mail.body_html,
        )
        with freeze_time("2026-03-04 11:00:00"):
            handler_complaint.action_request_feedback()
            self._flush_tracking()
        self.assertEqual(complaint.state, "awaiting_feedback")
        # the complainant is not satisfied: level 1 (the process owner) investigates again
        with freeze_time("2026-03-05 08:00:00"):
            complaint.sudo()._record_feedback("not_satisfied", "I still think she was rude")
            self._flush_tracking()
        self.assertEqual(complaint.state, "investigating")
        self.assertEqual(complaint.escalation_level, 1)
        self.assertEqual(complaint.owner_id, self.process_owner)
        self.assertEqual(complaint.feedback, "not_satisfied")
        self.assertTrue(complaint.message_ids.filtered(lambda m: "Escalated to level 1" in (m.body or "")))
        # a second refusal goes to level 2
        owner_complaint = complaint.with_user(self.process_owner)
        owner_complaint.write({"response": "<p>We listened to the recording with you.</p>"})
        owner_complaint.action_send_response()
        self._flush_tracking()
        owner_complaint.action_feedback_not_satisfied()
        self._flush_tracking()
        self.assertEqual(complaint.escalation_level, 2)
        self.assertEqual(complaint.owner_id, self.director)
        director_complaint = complaint.with_user(self.director)
        director_complaint.write({"response": "<p>The agent will be coached.</p>"})
        director_complaint.action_send_response()
        self._flush_tracking()
        director_complaint.action_feedback_satisfied()
        self._flush_tracking()
        with self.assertRaises(UserError):
            director_complaint.action_close()  # must be reported first
        director_complaint.action_report()
        self._flush_tracking()
        with self.assertRaises(UserError):
            director_complaint.action_close()  # no closure report yet
        director_complaint.report_summary = "<p>Coaching planned; switchboard fixed.</p>"
        director_complaint.action_close()
        self._flush_tracking()
        self.assertEqual(complaint.state, "closed")
        self.assertTrue(complaint.closed_at)
        self.assertFalse(complaint.step_deadline)
        states = complaint.step_log_ids.mapped("state")
        self.assertEqual(
            states,
            [
                "received",
                "investigating",
                "responded",
                "awaiting_feedback",
                "investigating",
                "responded",
                "investigating",
                "responded",
                "reported",
                "closed",
            ],
        )
        self.assertTrue(
            all(log.left_at for log in complaint.step_log_ids[:-1]), "every step but the last is left"
        )
        first = complaint.step_log_ids[0]
        self.assertAlmostEqual(first.duration_hours, 1.0, places=2)
        # each change of step is tracked in the chatter with its time
        tracked = complaint.message_ids.tracking_value_ids.filtered(lambda t: t.field_id.name == "state")
        self.assertEqual(len(tracked), 9)

    def test_step_due_dates_follow_configuration(self):
        self.env.ref("itsm_complaints.step_investigating").duration_days = 2
        own = self.env["itsm.complaint.step"].create(
            {"state": "investigating", "duration_days": 3, "company_id": self.company.id}
        )
        with freeze_time("2026-05-10 12:00:00"):
            complaint = self._complaint()
            complaint.with_user(self.handler).action_start_investigation()
            self.assertEqual(
                complaint.step_deadline, datetime(2026, 5, 13, 12, 0), "the company's own duration wins"
            )
        own.unlink()
        with freeze_time("2026-05-10 12:00:00"):
            other = self._complaint()
            other.with_user(self.handler).action_start_investigation()
            self.assertEqual(other.step_deadline, datetime(2026, 5, 12, 12, 0))
        with freeze_time("2026-05-12 11:59:00"):
            self.assertFalse(other.is_overdue)
        with freeze_time("2026-05-12 12:01:00"):
            other.invalidate_recordset(["is_overdue"])
            self.assertTrue(other.is_overdue)
            self.assertIn(other, self.env["itsm.complaint"].search([("is_overdue", "=", True)]))

    def test_refused_transitions(self):
        complaint = self._complaint()
        with self.assertRaises(UserError):
            complaint.with_user(self.handler).action_close()
        with self.assertRaises(UserError):
            complaint.with_user(self.handler).action_reject()  # a reason is required
        complaint.with_user(self.handler).write({"rejection_reason": "Not about our services"})
        complaint.with_user(self.handler).action_reject()
        self.assertEqual(complaint.state, "rejected")
        with self.assertRaises(UserError):
            complaint.sudo()._record_feedback("satisfied")

    def test_ticket_of_another_customer_is_refused(self):
        ticket_b = self._ticket(name="B's", partner_id=self.portal_b.partner_id.id)
        with self.assertRaises(ValidationError):
            self._complaint(ticket_id=ticket_b.id)

    def test_email_alias_records_a_complaint(self):
        message = (
            "From: Zoe Customer <zoe@customer.example.com>\r\n"
            "To: complaints@example.com\r\n"
            "Subject: Nobody answers the phone\r\n"
            "Message-ID: <cmp-1@customer.example.com>\r\n"
            "Content-Type: text/plain\r\n\r\nI called five times.\r\n"
        )
        complaint_id = self.env["mail.thread"].message_process("itsm.complaint", message)
        complaint = self.env["itsm.complaint"].browse(complaint_id)
        self.assertEqual(complaint.channel, "email")
        self.assertEqual(complaint.name, "Nobody answers the phone")
        self.assertEqual(complaint.partner_id.email, "zoe@customer.example.com")
        self.assertFalse(complaint.receiver_id)
        self.assertEqual(len(self._mails_to(complaint, complaint.partner_id)), 1, "acknowledged")
