from odoo.tests import tagged, users, warmup

from .common import ItsmCommon
from .test_portal import ItsmPortalCommon


@tagged("post_install", "-at_install", "is_query_count")
class TestTicketQueries(ItsmCommon):
    """Pinned query counts of the desk's hot paths: a regression shows as a failure."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._without_alias_domain()
        cls.team_desk.assignment_method = "round_robin"
        cls.ticket = cls._ticket(user_id=cls.agent_1.id)

    @users("itsm_agent_1")
    @warmup
    def test_create_one_ticket(self):
        values = {
            "name": "Mouse broken",
            "team_id": self.team_desk.id,
            "partner_id": self.portal_a.partner_id.id,
            "impact": "2",
            "urgency": "2",
        }
        with self.assertQueryCount(itsm_agent_1=17):
            ticket = self.env["itsm.ticket"].create(values)
        self.assertTrue(ticket.user_id)

    @users("itsm_agent_1")
    @warmup
    def test_stage_change(self):
        ticket = self.ticket.with_env(self.env)
        stage = self.stage_progress if ticket.stage_id != self.stage_progress else self.stage_waiting
        with self.assertQueryCount(itsm_agent_1=13):
            ticket.stage_id = stage

    @users("itsm_manager")
    @warmup
    def test_team_overview_counters(self):
        teams = self.env["itsm.team"].search([])
        with self.assertQueryCount(itsm_manager=2):
            teams.read(["open_ticket_count", "unassigned_ticket_count", "urgent_ticket_count"])


PORTAL_LIST_QUERIES = 10
# the new-ticket form, and its submission with a file by a requester whose ticket is assigned
PORTAL_FORM_QUERIES = 9
PORTAL_SUBMIT_QUERIES = 25


@tagged("post_install", "-at_install", "is_query_count")
class TestPortalQueries(ItsmPortalCommon):
    def _company_tickets(self, count, start=0):
        """``count`` open tickets of customer A, half reported by a colleague of the portal user."""
        reporters = (self.portal_a.partner_id, self.portal_a2.partner_id)
        self.env["itsm.ticket"].create(
            [
                {
                    "name": f"Bulk {start + i}",
                    "partner_id": reporters[i % 2].id,
                    "team_id": self.team_desk.id,
                    "stage_id": (self.stage_new, self.stage_progress, self.stage_waiting)[i % 3].id,
                    "kind": ("incident", "service_request")[i % 2],
                }
                for i in range(count)
            ]
        )
        self.env.flush_all()

    def test_portal_list_page(self):
        self._company_tickets(40)
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        self.url_open("/my/tickets")  # warm the caches (assets, views)
        with self.assertQueryCount(PORTAL_LIST_QUERIES):
            response = self.url_open("/my/tickets")
        self.assertEqual(response.status_code, 200)

    def _page(self, url="/my/tickets"):
        """The page and its SQL queries (assertQueryCount only fails on more queries: equality is
        asserted on these)."""
        with self.assertQueryCount(PORTAL_LIST_QUERIES):
            before = self.cr.sql_log_count
            response = self.url_open(url)
            count = self.cr.sql_log_count - before
        self.assertEqual(response.status_code, 200)
        return response.text, count

    def test_portal_list_count_does_not_grow_with_the_company_tickets(self):
        """A designated contact sees the company's tickets: 20 of them or 200 (a pager of three
        pages), the page costs the same queries."""
        self.portal_a.partner_id.itsm_company_access = True
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        self._company_tickets(19)  # and "Scanner offline": 20
        grouped_url = "/my/tickets?groupby=stage&filterby=all"
        self.url_open("/my/tickets")  # warm the caches (assets, views)
        self.url_open(grouped_url)
        page, small = self._page()
        self.assertEqual(page.count("o_itsm_ticket_row"), 20)
        self.assertIn("Scanner offline", page)
        page, small_grouped = self._page(grouped_url)
        self.assertEqual(page.count("o_itsm_ticket_row"), 20)
        self._company_tickets(180, start=19)
        page, large = self._page()
        self.assertEqual(page.count("o_itsm_ticket_row"), 80, "80 per page")
        self.assertIn("/my/tickets/page/3", page, "200 tickets: three pages")
        self.assertIn("Bulk 198", page, "the colleague's newest ticket is listed")
        self.assertNotIn("Secret of B", page)
        self.assertEqual(large, small, "200 tickets cost the queries of 20")
        page, large_grouped = self._page(grouped_url)
        self.assertEqual(page.count("o_itsm_ticket_row"), 80)
        self.assertEqual(large_grouped, small_grouped, "grouped by status: the queries of 20 tickets")
        page, last = self._page("/my/tickets/page/3")
        self.assertEqual(page.count("o_itsm_ticket_row"), 200 - 160)
        self.assertEqual(last, small)

    def _submit(self, name):
        return self._post(
            "/my/tickets/new",
            {"name": name, "description": "It jams on every page.", "urgency": "3", "kind": "incident"},
            files={"attachments": ("jam.log", b"paper jam in tray 2", "text/plain")},
        )

    def test_portal_new_ticket_form_and_submission(self):
        """The busiest path of the portal, pinned: the form, then its submission with a file. The
        ticket is assigned and followed by its assignee; the file is on the conversation, for the
        requester and the desk, without an e-mail rendered while the requester waits (the
        acknowledgement is the job's)."""
        self._without_alias_domain()
        self.team_desk.assignment_method = "round_robin"
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        self.url_open("/my/tickets/new")
        self._submit("Warm-up")  # caches: views, the e-mail layout
        with self.assertQueryCount(PORTAL_FORM_QUERIES):
            form = self.url_open("/my/tickets/new")
        self.assertEqual(form.status_code, 200)
        self.assertIn('name="csrf_token"', form.text)
        mails_before = self.env["mail.mail"].sudo().search([])
        with self.assertQueryCount(PORTAL_SUBMIT_QUERIES):
            response = self._submit("Printer jammed")
        self.assertEqual(response.status_code, 303)
        ticket = self.env["itsm.ticket"].search([("name", "=", "Printer jammed")])
        self.assertEqual(ticket.partner_id, self.portal_a.partner_id)
        self.assertTrue(ticket.user_id, "assigned on creation")
        self.assertIn(ticket.user_id.partner_id, ticket.message_partner_ids, "the assignee follows it")
        self.assertTrue(ticket.is_ack_pending, "the requester's acknowledgement is left to the job")
        message = ticket.message_ids.filtered("attachment_ids")
        self.assertEqual(message.attachment_ids.mapped("name"), ["jam.log"])
        self.assertEqual(message.author_id, self.portal_a.partner_id)
        self.assertFalse(
            self.env["mail.mail"].sudo().search([]) - mails_before, "no e-mail rendered in the request"
        )
        page = self.url_open(ticket.get_portal_url())
        self.assertIn("jam.log", page.text, "the requester sees their file")
