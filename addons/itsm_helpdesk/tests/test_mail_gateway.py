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
