from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.itsm_helpdesk.tests.common import ItsmCommon
from odoo.addons.itsm_helpdesk.tests.test_security import MALICIOUS
from odoo.addons.mail.tests.common import MockEmail


class AnnouncementCommon(ItsmCommon):
    """Customers A, B and C; open and closed tickets on two services."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.service_mail = cls.env["itsm.service"].create({"name": "E-mail", "team_id": cls.team_desk.id})
        cls.service_network = cls.env["itsm.service"].create({"name": "Network", "team_id": cls.team_desk.id})
        Partner = cls.env["res.partner"]
        # a shared mailbox of customer A with the same address as Paula (other spelling)
        cls.contact_a_shared = Partner.create(
            {"name": "A Helpdesk Inbox", "email": "Paula@A.example.com", "parent_id": cls.customer_a.id}
        )
        cls.contact_a_no_email = Partner.create({"name": "A Without E-mail", "parent_id": cls.customer_a.id})
        cls.contact_a_opted_out = Partner.create(
            {"name": "A Opted Out", "email": "optout@a.example.com", "parent_id": cls.customer_a.id}
        )
        cls.env["mail.blacklist"]._add("optout@a.example.com")
        cls.customer_c = Partner.create(
            {"name": "Customer C", "is_company": True, "email": "info@c.example.com"}
        )
        cls.contact_c = Partner.create(
            {"name": "Carla C", "email": "carla@c.example.com", "parent_id": cls.customer_c.id}
        )
        cls.ticket_a_mail = cls._ticket(name="A: mails bounce", service_id=cls.service_mail.id)
        cls.ticket_a2_mail = cls._ticket(
            name="A2: no mail", service_id=cls.service_mail.id, partner_id=cls.portal_a2.partner_id.id
        )
        cls.ticket_a_network = cls._ticket(name="A: Wi-Fi slow", service_id=cls.service_network.id)
        cls.ticket_a_closed = cls._ticket(name="A: old mail issue", service_id=cls.service_mail.id)
        cls.ticket_a_closed.action_close()
        cls.ticket_b_mail = cls._ticket(
            name="B: mailbox full", service_id=cls.service_mail.id, partner_id=cls.portal_b.partner_id.id
        )
        cls.all_tickets = (
            cls.ticket_a_mail
            | cls.ticket_a2_mail
            | cls.ticket_a_network
            | cls.ticket_a_closed
            | cls.ticket_b_mail
        )

    @classmethod
    def _announcement(cls, **values):
        vals = {
            "name": "Mail outage",
            "kind": "fault",
            "body": "<p>Mails are delayed.</p>",
            "start_at": fields.Datetime.now() - timedelta(hours=1),
            "end_at": fields.Datetime.now() + timedelta(days=1),
        }
        vals.update(values)
        return cls.env["itsm.announcement"].with_user(cls.manager).create(vals)


@tagged("post_install", "-at_install")
class TestAnnouncementPublication(AnnouncementCommon, MockEmail):
    def _publish_and_send(self, announcements, times=1):
        """Publish (several times) and deliver the queue; returns the addresses e-mailed."""
        with self.mock_mail_gateway():
            for _i in range(times):
                announcements.with_user(self.manager).action_publish()
            self._new_mails.send()
        return sorted(address for mail in self._mails for address in mail["email_to"])

    def test_publish_emails_each_contact_once(self):
        announcement = self._announcement(
            partner_ids=[Command.set(self.customer_a.ids)], service_ids=[Command.set(self.service_mail.ids)]
        )
        with self.mock_mail_gateway():
            announcement.with_user(self.manager).action_publish()
            announcement.with_user(self.manager).action_publish()
            announcement.with_user(self.manager).action_close()
            announcement.with_user(self.manager).action_draft()
            announcement.with_user(self.manager).action_publish()
            self._new_mails.send()
        sent_to = sorted(address for mail in self._mails for address in mail["email_to"])
        self.assertEqual(
            sent_to,
            ['"Paula A" <paula@a.example.com>', '"Pierre A" <pierre@a.example.com>'],
            "each contact once: not again on re-publication, one copy per address, none to contacts "
            "without e-mail or opted out",
        )
        self.assertEqual(len(self._new_mails), 1, "one batch, personal copies per recipient")
        self.assertEqual(self._mails[0]["subject"], "Mail outage")
        self.assertIn("Mails are delayed.", self._mails[0]["body"])
        self.assertEqual(announcement.state, "published")
        self.assertTrue(announcement.sent_at)
        self.assertEqual(announcement.recipient_count, 2)

    def test_publishing_informs_open_tickets_of_affected_customers_only(self):
        announcement = self._announcement(
            partner_ids=[Command.set(self.customer_a.ids)], service_ids=[Command.set(self.service_mail.ids)]
        )
        self._publish_and_send(announcement)
        informed = self.env["itsm.ticket"].search(
            [("id", "in", self.all_tickets.ids), ("is_requester_informed", "=", True)]
        )
        self.assertEqual(informed, self.ticket_a_mail | self.ticket_a2_mail)
        self.assertEqual(announcement.informed_ticket_ids, informed)
        self.assertEqual(self.ticket_a_mail.informed_announcement_ids, announcement)
        for ticket in (self.ticket_a_network, self.ticket_a_closed, self.ticket_b_mail):
            self.assertFalse(ticket.is_requester_informed, ticket.name)
        self.assertIn(
            "informed by the announcement: Mail outage",
            self.ticket_a_mail.message_ids[0].body,
            "the ticket's history says when its requester was informed",
        )
        # a second announcement on the same ticket keeps both
        second = self._announcement(name="Mail fixed tonight", partner_ids=[Command.set(self.customer_a.ids)])
        self._publish_and_send(second)
        self.assertEqual(self.ticket_a_mail.informed_announcement_ids, announcement | second)
        self.assertTrue(self.ticket_a_network.is_requester_informed, "no service named: every open ticket")

    def test_announcement_to_everybody_emails_customers_with_open_tickets(self):
        announcement = self._announcement(service_ids=[Command.set(self.service_mail.ids)])
        sent_to = self._publish_and_send(announcement)
        self.assertEqual(
            sent_to,
            [
                '"Paula A" <paula@a.example.com>',
                '"Pierre A" <pierre@a.example.com>',
                '"Quentin B" <quentin@b.example.com>',
            ],
            "customers A and B have open mail tickets; customer C has none",
        )
        self.assertEqual(
            announcement.informed_ticket_ids, self.ticket_a_mail | self.ticket_a2_mail | self.ticket_b_mail
        )

    def test_several_announcements_at_once(self):
        to_a = self._announcement(name="For A", partner_ids=[Command.set(self.customer_a.ids)])
        to_c = self._announcement(name="For C", partner_ids=[Command.set(self.customer_c.ids)])
        sent_to = self._publish_and_send(to_a | to_c, times=2)
        self.assertEqual(
            sent_to,
            [
                '"Carla C" <carla@c.example.com>',
                '"Customer C" <info@c.example.com>',
                '"Paula A" <paula@a.example.com>',
                '"Pierre A" <pierre@a.example.com>',
            ],
        )
        self.assertFalse(to_c.informed_ticket_ids, "customer C has no open ticket")

    def test_bad_input_is_refused(self):
        with self.assertRaises(ValidationError):
            self._announcement(end_at=fields.Datetime.now() - timedelta(days=1))
        with self.assertRaises(ValidationError):
            self._announcement(partner_ids=[Command.set(self.portal_a.partner_id.ids)])
        with freeze_time("2026-03-02 09:00:00"):
            ended = self._announcement(start_at=datetime(2026, 3, 1, 9), end_at=datetime(2026, 3, 1, 18))
            with self.mock_mail_gateway(), self.assertRaises(UserError):
                ended.with_user(self.manager).action_publish()
        self.assertEqual(ended.state, "draft")
        self.assertFalse(ended.sent_at)
        self.assertFalse(self._new_mails)
        self.assertFalse(any(self.all_tickets.mapped("is_requester_informed")))

    def test_body_is_sanitised(self):
        announcement = self._announcement(body=MALICIOUS)
        self.assertIn("Broken screen", announcement.body)
        for dangerous in ("<script", "onerror", "javascript:"):
            self.assertNotIn(dangerous, announcement.body)

    def test_display_window(self):
        with freeze_time("2026-03-02 08:00:00"):
            announcement = self._announcement(
                start_at=datetime(2026, 3, 2, 9), end_at=datetime(2026, 3, 2, 18)
            )
            announcement.with_user(self.manager).action_publish()
        Announcement = self.env["itsm.announcement"]
        for moment, expected in (
            ("2026-03-02 08:59:00", False),
            ("2026-03-02 09:00:00", True),
            ("2026-03-02 17:59:00", True),
            ("2026-03-02 18:00:00", False),
        ):
            with self.subTest(moment=moment), freeze_time(moment):
                announcement.invalidate_recordset(["is_active"])
                self.assertEqual(announcement.is_active, expected)
                self.assertEqual(announcement in Announcement.search([("is_active", "=", True)]), expected)
                self.assertEqual(
                    announcement in Announcement.search([("is_active", "=", False)]), not expected
                )
        with freeze_time("2026-03-02 17:00:00"):
            self.assertEqual(Announcement._cron_close_expired(), 0)
        with freeze_time("2026-03-02 18:05:00"):
            Announcement._cron_close_expired()
        self.assertEqual(announcement.state, "closed")

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model")
    def test_access_rights(self):
        announcement = self._announcement()
        announcement.with_user(self.agent_1).read(["name"])
        with self.assertRaises(AccessError):
            announcement.with_user(self.agent_1).write({"name": "Changed"})
        with self.assertRaises(AccessError):
            self.env["itsm.announcement"].with_user(self.agent_1).create({"name": "Agent notice"})
        with self.assertRaises(AccessError):
            announcement.with_user(self.agent_1).action_publish()
        self.assertEqual(announcement.state, "draft")

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model")
    def test_portal_users_read_only_their_own_or_global(self):
        draft = self._announcement(name="Draft")
        everybody = self._announcement(name="Everybody")
        for_a = self._announcement(name="For A", partner_ids=[Command.set(self.customer_a.ids)])
        for_b = self._announcement(name="For B", partner_ids=[Command.set(self.customer_b.ids)])
        (everybody | for_a | for_b).with_user(self.manager).action_publish()
        mine = draft | everybody | for_a | for_b
        visible = self.env["itsm.announcement"].with_user(self.portal_a).search([("id", "in", mine.ids)])
        self.assertEqual(visible, everybody | for_a)
        for hidden in (draft, for_b):
            with self.assertRaises(AccessError):
                hidden.with_user(self.portal_a).read(["name", "body"])
        with self.assertRaises(AccessError):
            for_a.with_user(self.portal_a).write({"name": "Hacked"})


@tagged("post_install", "-at_install")
class TestAnnouncementWeb(AnnouncementCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.everybody = cls._announcement(name="Everybody: mail outage", service_ids=[])
        cls.for_a = cls._announcement(
            name="For A: mail migration",
            kind="planned_change",
            partner_ids=[Command.set(cls.customer_a.ids)],
            service_ids=[Command.set(cls.service_mail.ids)],
            body='<p>Migration tonight</p><img src="x" onerror="alert(1)">',
        )
        cls.for_a_network = cls._announcement(
            name="For A: new Wi-Fi",
            kind="new_service",
            partner_ids=[Command.set(cls.customer_a.ids)],
            service_ids=[Command.set(cls.service_network.ids)],
        )
        cls.for_b = cls._announcement(
            name="For B: secret outage", partner_ids=[Command.set(cls.customer_b.ids)]
        )
        cls.future = cls._announcement(
            name="Future: printer swap",
            start_at=fields.Datetime.now() + timedelta(days=2),
            end_at=fields.Datetime.now() + timedelta(days=3),
        )
        cls.draft = cls._announcement(name="Draft: not yet")
        (cls.everybody | cls.for_a | cls.for_a_network | cls.for_b | cls.future).with_user(
            cls.manager
        ).action_publish()

    def _assert_titles(self, html, shown, hidden):
        for announcement in shown:
            self.assertIn(announcement.name, html)
        for announcement in hidden:
            self.assertNotIn(announcement.name, html)

    def test_portal_home_shows_own_and_global(self):
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        html = self.url_open("/my/home").text
        self._assert_titles(
            html,
            shown=self.everybody | self.for_a | self.for_a_network,
            hidden=self.for_b | self.future | self.draft,
        )
        self.assertIn('<p>Migration tonight</p><img src="x">', html, "the body is shown, sanitised")
        self.assertNotIn("alert(1)", html)
        self.authenticate("itsm_portal_b", "itsm_portal_b")
        html = self.url_open("/my/home").text
        self._assert_titles(html, shown=self.everybody | self.for_b, hidden=self.for_a | self.for_a_network)

    def test_ticket_page_shows_those_of_its_customer_and_service(self):
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        html = self.url_open(f"/my/tickets/{self.ticket_a_mail.id}").text
        self._assert_titles(
            html,
            shown=self.everybody | self.for_a,
            hidden=self.for_a_network | self.for_b | self.future | self.draft,
        )
        # a visitor with the ticket's link sees what its customer sees
        self.logout()
        url = f"/my/tickets/{self.ticket_a_mail.id}?access_token={self.ticket_a_mail.access_token}"
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self._assert_titles(response.text, shown=self.everybody | self.for_a, hidden=self.for_b)

    @mute_logger("odoo.http")
    def test_banner_route_for_internal_users_only(self):
        self.authenticate("itsm_agent_1", "itsm_agent_1")
        response = self.url_open("/itsm/announcements/banner")
        self.assertEqual(response.status_code, 200)
        self._assert_titles(
            response.text,
            shown=self.everybody | self.for_a | self.for_a_network | self.for_b,
            hidden=self.future | self.draft,
        )
        self.assertIn('<p>Migration tonight</p><img src="x">', response.text)
        self.assertNotIn("alert(1)", response.text)
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        response = self.url_open("/itsm/announcements/banner")
        self.assertEqual(response.status_code, 404)
        self.assertNotIn("outage", response.text)
        self.logout()
        response = self.url_open("/itsm/announcements/banner", allow_redirects=False)
        self.assertIn(response.status_code, (302, 303))
        self.assertIn("/web/login", response.headers["Location"])

    def test_banner_route_is_empty_without_active_announcement(self):
        self.env["itsm.announcement"].search([]).with_user(self.manager).action_close()
        self.authenticate("itsm_agent_1", "itsm_agent_1")
        response = self.url_open("/itsm/announcements/banner")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.text.strip(), "")

    def test_banner_above_the_ticket_views(self):
        self.start_tour(
            "/odoo/action-itsm_helpdesk.itsm_ticket_action", "itsm_announcement_banner", login="itsm_agent_1"
        )


@tagged("post_install", "-at_install", "is_query_count")
class TestAnnouncementQueries(AnnouncementCommon, HttpCase):
    def _customers_with_tickets(self, count, prefix):
        customers = self.env["res.partner"].create(
            [
                {"name": f"{prefix} {i}", "is_company": True, "email": f"{prefix}{i}@example.com"}
                for i in range(count)
            ]
        )
        self.env["itsm.ticket"].create(
            [
                {"name": f"{prefix} ticket {i}", "partner_id": customer.id, "team_id": self.team_desk.id}
                for i, customer in enumerate(customers)
            ]
        )
        return customers

    def _publish_queries(self, customers):
        announcement = self._announcement(partner_ids=[Command.set(customers.ids)])
        self.env.flush_all()
        self.env.invalidate_all()
        start = self.cr.sql_log_count
        announcement.with_user(self.manager).action_publish()
        self.env.flush_all()
        return self.cr.sql_log_count - start, announcement

    def test_publication_cost_does_not_grow_with_customers(self):
        for warm_up in ("warm", "warmer"):
            self._publish_queries(self._customers_with_tickets(2, warm_up))
        few, small = self._publish_queries(self._customers_with_tickets(3, "few"))
        many, large = self._publish_queries(self._customers_with_tickets(40, "many"))
        self.assertEqual((small.recipient_count, len(small.informed_ticket_ids)), (3, 3))
        self.assertEqual((large.recipient_count, len(large.informed_ticket_ids)), (40, 40))
        self.assertEqual(many, few, "one batch of e-mails and of ticket links, whatever the number")

    def test_banner_route_queries(self):
        self.authenticate("itsm_agent_1", "itsm_agent_1")
        self.url_open("/itsm/announcements/banner")  # warm the caches (views, rules)
        with self.assertQueryCount(7):
            response = self.url_open("/itsm/announcements/banner")
        self.assertEqual(response.status_code, 200)
