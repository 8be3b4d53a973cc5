from odoo.tests import tagged

from .common import ItsmCommon


@tagged("post_install", "-at_install")
class TestAcknowledgementBatch(ItsmCommon):
    """The acknowledgement job renders and queues a batch of e-mails at once, each one right."""

    def _pending(self, count, **values):
        partners = (self.portal_a.partner_id, self.portal_b.partner_id)
        return self.env["itsm.ticket"].create(
            [
                {
                    "name": f"Printer {i} <jammed>",
                    "team_id": self.team_desk.id,
                    "partner_id": partners[i % 2].id,
                    **values,
                }
                for i in range(count)
            ]
        )

    def _mails(self, tickets):
        return (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", "itsm.ticket"), ("res_id", "in", tickets.ids)])
        )

    def test_each_requester_gets_their_own_acknowledgement(self):
        tickets = self._pending(4)
        self.env["itsm.ticket"]._cron_send_acknowledgements()
        mails = self._mails(tickets)
        self.assertEqual(len(mails), 4, "one e-mail per ticket")
        for ticket in tickets:
            mail = mails.filtered(lambda m, t=ticket: m.res_id == t.id)
            self.assertEqual(mail.recipient_ids, ticket.partner_id)
            self.assertEqual(mail.subject, f"[{ticket.number}] {ticket.name}")
            self.assertIn(ticket.number, mail.body_html)
            self.assertIn(ticket.partner_id.name, mail.body_html)
            self.assertIn(f"/my/tickets/{ticket.id}", mail.body_html, "the link is the ticket's own")
            self.assertIn("Printer", mail.body_html)
            self.assertNotIn("<jammed>", mail.body_html, "the subject's markup is escaped")
            self.assertIn("&lt;jammed&gt;", mail.body_html)
            self.assertTrue(mail.body_html.lstrip().startswith("<html"), "the e-mail has its layout")
            self.assertNotIn("itsmbody", mail.body_html)
            self.assertNotIn("itsmname", mail.body_html)
            others = (tickets - ticket).mapped("number")
            self.assertFalse([n for n in others if n in mail.body_html], "no other ticket's number")
            message = mail.mail_message_id
            self.assertIn(message, ticket.message_ids, "the chatter keeps the acknowledgement")
            self.assertIn(ticket.number, message.body)
            self.assertNotIn("<html", message.body, "the chatter shows the message, not the layout")
            self.assertEqual(message.message_type, "email_outgoing")
            self.assertFalse(ticket.is_ack_pending)

    def test_requester_by_address_only(self):
        """The templates send to the ticket's default recipients: its requester, or the address
        of a requester who has no contact (an integration's ticket)."""
        template = self.env.ref("itsm_helpdesk.mail_template_ticket_received")
        self.assertTrue(template.use_default_to)
        tickets = self.env["itsm.ticket"].create(
            [
                {
                    "name": "By address",
                    "team_id": self.team_desk.id,
                    "partner_email": "Sam <Sam@Ext.example.com>",
                },
                {
                    "name": "By contact",
                    "team_id": self.team_desk.id,
                    "partner_id": self.portal_a.partner_id.id,
                },
            ]
        )
        self.assertFalse(tickets[0].partner_id)
        self.env["itsm.ticket"]._cron_send_acknowledgements()
        by_address, by_contact = (self._mails(ticket) for ticket in tickets)
        self.assertEqual((len(by_address), len(by_contact)), (1, 1))
        self.assertEqual(by_address.email_to, "sam@ext.example.com")
        self.assertFalse(by_address.recipient_ids)
        self.assertEqual(by_contact.recipient_ids, self.portal_a.partner_id)
        self.assertFalse(by_contact.email_to)

    def test_requester_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.portal_b.partner_id.lang = "zh_CN"
        tickets = self._pending(4)
        template = tickets.stage_id.template_id
        self.assertEqual(len(template), 1)
        template.with_context(lang="zh_CN").subject = "[{{ object.number }}] 已收到：{{ object.name }}"
        self.env["itsm.ticket"]._cron_send_acknowledgements()
        mails = self._mails(tickets)
        self.assertEqual(len(mails), 4)
        for mail in mails:
            ticket = tickets.browse(mail.res_id)
            self.assertIn(ticket.number, mail.body_html)
            self.assertEqual(mail.recipient_ids, ticket.partner_id)
            # each requester's language renders their subject, a batch mixing both
            if ticket.partner_id == self.portal_b.partner_id:
                self.assertEqual(mail.subject, f"[{ticket.number}] 已收到：{ticket.name}")
            else:
                self.assertEqual(mail.subject, f"[{ticket.number}] {ticket.name}")

    def test_job_queries_do_not_follow_the_tickets(self):
        Ticket = self.env["itsm.ticket"]
        self._pending(2)
        Ticket._cron_send_acknowledgements()  # warm-up: registry caches, compiled layout
        for size in (2, 20):
            with self.subTest(size=size):
                self._pending(size)
                self.env.flush_all()
                self.env.invalidate_all()
                # the same pinned count for 2 and for 20 tickets: claim, tickets, stages,
                # template, partners, companies, one INSERT per table
                with self.assertQueryCount(15):
                    self.assertEqual(Ticket._cron_send_acknowledgements(), size)
                self.assertEqual(len(self._mails(Ticket.search([], order="id desc", limit=size))), size)
