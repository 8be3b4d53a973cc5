from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestDashboardTour(HttpCase):
    """Each dashboard opens in the Dashboards app on the demo data, shows figures and charts, and a figure
    opens its records."""

    def _open(self, xmlid, login):
        dashboard = self.env.ref(f"itsm_spreadsheet_dashboard.spreadsheet_dashboard_{xmlid}")
        self.start_tour(
            f"/odoo/dashboards?dashboard_id={dashboard.id}", "itsm_dashboard_shows_data", login=login
        )

    def test_desk_lead_for_an_agent(self):
        agent = self.env.ref("itsm_helpdesk.demo_agent_anna")
        agent.password = agent.login
        self._open("desk_lead", agent.login)

    def test_service_manager(self):
        self._open("service_manager", "admin")

    def test_management(self):
        self._open("management", "admin")

    def test_management_for_a_desk_manager_without_complaint_role(self):
        # complaints stay closed to desk managers; their figures (no names, no text) show
        new_test_user(
            self.env, "dash_tour_manager", groups="base.group_user,itsm_helpdesk.group_itsm_manager"
        )
        self._open("management", "dash_tour_manager")
