from odoo.tests import tagged

from .common import ComplaintCommon

MAIL = (
    "From: {sender}\r\nTo: complaints@example.com\r\nSubject: {subject}\r\n"
    "Message-ID: {msg_id}\r\n{extra}Content-Type: text/plain\r\n\r\n{body}\r\n"
)


@tagged("post_install", "-at_install")
class TestComplaintMailGateway(ComplaintCommon):
    def _process(self, sender, msg_id, body, extra="", subject="Nobody answers the phone"):
        raw = MAIL.format(sender=sender, subject=subject, msg_id=msg_id, extra=extra, body=body)
        return self.env["mail.thread"].message_process("itsm.complaint", raw)

    def _reply(self, sender, msg_id, body):
        ref = "<cmp-1@customer.example.com>"
        return self._process(
            sender, msg_id, body, f"In-Reply-To: {ref}\r\nReferences: {ref}\r\n", "Re: phone"
        )

    def test_only_the_complainant_writes_into_a_complaint_by_mail(self):
        complaint = self.env["itsm.complaint"].browse(
            self._process("Zoe <zoe@customer.example.com>", "<cmp-1@customer.example.com>", "I called.")
        )
        self.assertEqual(
            self._reply("Zoe <zoe@customer.example.com>", "<cmp-2@customer.example.com>", "Again today"),
            complaint.id,
        )
        other_id = self._reply(self.portal_b.email, "<cmp-3@b.example.com>", "Reply-all from B")
        self.assertNotEqual(other_id, complaint.id, "an outsider's reply records a complaint of its own")
        self.assertFalse(any("Reply-all from B" in (m.body or "") for m in complaint.message_ids))
        self.assertNotIn(self.portal_b.partner_id, complaint.message_partner_ids)
        self.assertEqual(self.env["itsm.complaint"].browse(other_id).partner_id, self.portal_b.partner_id)
        self.assertEqual(
            self._reply(self.handler.email, "<cmp-4@outside.example.com>", "Closed"), complaint.id
        )
        note = complaint.message_ids.filtered(lambda m: "Closed" in (m.body or ""))
        self.assertTrue(note.is_internal or note.subtype_id.internal, "an employee's mail is a note")
        self.assertNotIn(complaint.partner_id, note.notification_ids.res_partner_id)
