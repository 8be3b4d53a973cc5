import json

from odoo.tests import TransactionCase, new_test_user

DASHBOARDS = ("desk_lead", "service_manager", "management")


class DashboardCommon(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dashboards = {
            name: cls.env.ref(f"itsm_spreadsheet_dashboard.spreadsheet_dashboard_{name}")
            for name in DASHBOARDS
        }
        cls.agent = new_test_user(
            cls.env, "dash_agent", groups="base.group_user,itsm_helpdesk.group_itsm_agent"
        )
        cls.sla_manager = new_test_user(
            cls.env, "dash_sla_manager", groups="base.group_user,itsm_sla.group_sla_manager"
        )
        cls.desk_manager = new_test_user(
            cls.env, "dash_desk_manager", groups="base.group_user,itsm_helpdesk.group_itsm_manager"
        )
        cls.employee = new_test_user(cls.env, "dash_employee", groups="base.group_user")

    def _snapshot(self, name):
        return json.loads(self.dashboards[name].spreadsheet_data)

    def _visible(self, user):
        """The suite's dashboards the user finds in the Dashboards app."""
        group = self.env.ref("itsm_spreadsheet_dashboard.spreadsheet_dashboard_group_itsm")
        dashboards = (
            self.env["spreadsheet.dashboard"].with_user(user).search([("dashboard_group_id", "=", group.id)])
        )
        return {name for name, dashboard in self.dashboards.items() if dashboard in dashboards}
