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
        with self.assertQueryCount(itsm_agent_1=18):
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


@tagged("post_install", "-at_install", "is_query_count")
class TestPortalQueries(ItsmPortalCommon):
    def test_portal_list_page(self):
        self.env["itsm.ticket"].create(
            [
                {"name": f"Bulk {i}", "partner_id": self.portal_a.partner_id.id, "team_id": self.team_desk.id}
                for i in range(40)
            ]
        )
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        self.url_open("/my/tickets")  # warm the caches (assets, views)
        with self.assertQueryCount(45):
            response = self.url_open("/my/tickets")
        self.assertEqual(response.status_code, 200)
