from odoo.tests import tagged
from odoo.tools import email_normalize, mute_logger

from .common import ItsmCommon

NEW_MAIL = """Return-Path: <{email_from}>
From: {from_header}
To: {to}
Subject: {subject}
Date: Mon, 02 Mar 2026 09:00:00 +0000
Message-ID: {msg_id}
{extra}MIME-Version: 1.0
Content-Type: text/plain; charset="{charset}"
Content-Transfer-Encoding: 8bit

{body}
"""


@tagged("post_install", "-at_install")
class TestMailGateway(ItsmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        alias_domain = cls.env["mail.alias.domain"].create({"name": "desk.example.com"})
        cls.company.alias_domain_id = alias_domain
        cls.team_desk.write(
            {"alias_name": "itsm-desk", "alias_domain_id": alias_domain.id, "alias_contact": "everyone"}
        )

    def _process(
        self,
        subject="VPN is down",
        msg_id="<vpn-1@client.example.com>",
        body="VPN fails since 8am",
        email_from="jane@client.example.com",
        from_header=None,
        extra="",
        charset="utf-8",
        raw=None,
    ):
        message = raw or NEW_MAIL.format(
            email_from=email_from,
            from_header=from_header if from_header is not None else f"Jane <{email_from}>",
            to="itsm-desk@desk.example.com",
            subject=subject,
            msg_id=msg_id,
            extra=extra,
            charset=charset,
            body=body,
        )
        return self.env["mail.thread"].message_process(None, message)

    def _tickets(self):
        return self.env["itsm.ticket"].search([("team_id", "=", self.team_desk.id)])

    def test_new_mail_opens_ticket(self):
        ticket_id = self._process()
        ticket = self.env["itsm.ticket"].browse(ticket_id)
        self.assertEqual(ticket, self._tickets())
        self.assertEqual(ticket.name, "VPN is down")
        self.assertEqual(ticket.channel, "email")
        self.assertEqual(ticket.team_id, self.team_desk)
        self.assertEqual(email_normalize(ticket.partner_email), "jane@client.example.com")
        self.assertEqual(
            ticket.partner_id.email_normalized,
            "jane@client.example.com",
            "an unknown sender becomes a contact",
        )
        self.assertIn("VPN fails since 8am", ticket.description)
        self.assertIn(ticket.partner_id, ticket.message_partner_ids)
        self.assertTrue(ticket.message_ids.filtered(lambda m: m.message_id == "<vpn-1@client.example.com>"))

    def test_reply_threads_into_the_ticket(self):
        ticket = self.env["itsm.ticket"].browse(self._process())
        self._process(
            subject="Re: VPN is down",
            msg_id="<vpn-2@client.example.com>",
            body="Still down after reboot",
            extra="In-Reply-To: <vpn-1@client.example.com>\nReferences: <vpn-1@client.example.com>\n",
        )
        self.assertEqual(self._tickets(), ticket, "a reply never opens a second ticket")
        self.assertTrue(any("Still down after reboot" in (m.body or "") for m in ticket.message_ids))

    def test_same_message_id_twice_is_one_ticket(self):
        self._process()
        with mute_logger("odoo.addons.mail.models.mail_thread"):
            self._process()
        self.assertEqual(len(self._tickets()), 1)

    def test_known_sender_is_linked(self):
        self._process(email_from=self.portal_a.email, msg_id="<known@a.example.com>")
        ticket = self._tickets()
        self.assertEqual(ticket.partner_id, self.portal_a.partner_id)
        self.assertEqual(ticket.commercial_partner_id, self.customer_a)

    def test_malformed_mail_loses_nothing(self):
        raw = (
            "From: \nTo: itsm-desk@desk.example.com\nSubject: \n"
            "Message-ID: <broken-1@client.example.com>\n"
            'Content-Type: text/plain; charset="x-unknown-charset"\n'
            "Content-Transfer-Encoding: 8bit\n\n"
            "Le serveur ne r\u00e9pond plus \u2014 urgent\n"
        )
        ticket_id = self._process(raw=raw)
        ticket = self.env["itsm.ticket"].browse(ticket_id)
        self.assertEqual(ticket, self._tickets())
        self.assertEqual(ticket.name, "(no subject)")
        self.assertIn("Le serveur ne r", ticket.description, "the body is kept even with an unknown charset")
        self.assertFalse(ticket.partner_id)

    def test_mail_without_message_id(self):
        raw = (
            "From: Ann <ann@client.example.com>\nTo: itsm-desk@desk.example.com\nSubject: No id\n\n"
            "Body without a message id\n"
        )
        ticket = self.env["itsm.ticket"].browse(self._process(raw=raw))
        self.assertEqual(ticket.name, "No id")
        self.assertIn("Body without a message id", ticket.description)

    # ------------------------------------------------------------------
    # nobody outside a ticket writes into it by e-mail
    # ------------------------------------------------------------------
    def _reply(self, email_from, msg_id, body, to_ticket="<known@a.example.com>"):
        return self._process(
            subject="Re: Printer on fire",
            msg_id=msg_id,
            body=body,
            email_from=email_from,
            extra=f"In-Reply-To: {to_ticket}\nReferences: {to_ticket}\n",
        )

    def _ticket_of_a(self):
        ticket = self.env["itsm.ticket"].browse(
            self._process(
                email_from=self.portal_a.email, msg_id="<known@a.example.com>", subject="Printer on fire"
            )
        )
        self.assertEqual(ticket.commercial_partner_id, self.customer_a)
        return ticket

    def test_reply_of_another_customer_opens_its_own_ticket(self):
        ticket_a = self._ticket_of_a()
        new_id = self._reply(self.portal_b.email, "<reply-b@b.example.com>", "Reply-all from customer B")
        self.assertNotEqual(new_id, ticket_a.id)
        self.assertFalse(
            any("Reply-all from customer B" in (m.body or "") for m in ticket_a.message_ids),
            "an outsider's reply is never posted on the ticket",
        )
        self.assertNotIn(
            self.portal_b.partner_id, ticket_a.message_partner_ids, "nor does it make a follower"
        )
        self.assertFalse(self.env["itsm.ticket"].with_user(self.portal_b).search([("id", "=", ticket_a.id)]))
        own = self.env["itsm.ticket"].browse(new_id)
        self.assertEqual(own.partner_id, self.portal_b.partner_id)
        self.assertEqual(own.team_id, ticket_a.team_id)
        self.assertIn("Reply-all from customer B", own.description)
        note = own.message_ids.filtered(lambda m: m.subtype_id.internal and ticket_a.number in (m.body or ""))
        self.assertTrue(note, "the new ticket tells the agents which ticket was replied to")

    def test_reply_of_unknown_address_opens_its_own_ticket(self):
        ticket_a = self._ticket_of_a()
        new_id = self._reply(
            "stranger@elsewhere.example.com", "<reply-x@elsewhere.example.com>", "I was Cc'd"
        )
        self.assertNotEqual(new_id, ticket_a.id)
        self.assertFalse(any("I was Cc" in (m.body or "") for m in ticket_a.message_ids))
        self.assertEqual(
            email_normalize(self.env["itsm.ticket"].browse(new_id).partner_email),
            "stranger@elsewhere.example.com",
        )

    def test_reply_of_a_colleague_or_follower_joins_the_ticket(self):
        ticket_a = self._ticket_of_a()
        self.assertEqual(
            self._reply(self.portal_a2.email, "<reply-a2@a.example.com>", "Same here, colleague of Paula"),
            ticket_a.id,
        )
        outsider = self.env["res.partner"].create(
            {"name": "Consultant", "email": "consult@partner.example.com"}
        )
        ticket_a.message_subscribe(outsider.ids)
        self.assertEqual(
            self._reply(outsider.email, "<reply-c@partner.example.com>", "Consultant follows it"), ticket_a.id
        )
        bodies = " ".join(ticket_a.message_ids.mapped("body"))
        self.assertIn("Same here, colleague of Paula", bodies)
        self.assertIn("Consultant follows it", bodies)

    def test_mail_from_an_agent_address_is_no_agent_reply(self):
        ticket_a = self._ticket_of_a()
        self.assertEqual(
            self._reply(self.agent_1.email, "<spoof@desk.example.com>", "Solved, please pay us"), ticket_a.id
        )
        message = ticket_a.message_ids.filtered(lambda m: "please pay us" in (m.body or ""))
        self.assertEqual(message.author_id, self.agent_1.partner_id)
        self.assertTrue(
            message.is_internal or message.subtype_id.internal, "posted as a note, never to the customer"
        )
        self.assertNotIn(
            self.portal_a.partner_id, message.notification_ids.res_partner_id, "nor notified to the requester"
        )
        self.assertFalse(ticket_a.first_response_at, "a mail is never the agent's first response")
        ticket_a.with_user(self.agent_1).message_post(
            body="From the back office", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        self.assertTrue(ticket_a.first_response_at)
