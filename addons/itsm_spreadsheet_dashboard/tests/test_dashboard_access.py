from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import DashboardCommon


@tagged("post_install", "-at_install")
class TestDashboardAccess(DashboardCommon):
    def test_agent_sees_the_desk_lead_dashboard_only(self):
        self.assertEqual(self._visible(self.agent), {"desk_lead"})

    def test_agent_cannot_open_management(self):
        for name in ("management", "service_manager"):
            with self.assertRaises(AccessError):
                self.dashboards[name].with_user(self.agent).read(["name", "spreadsheet_data"])

    def test_sla_manager_sees_desk_lead_and_service_manager(self):
        self.assertEqual(self._visible(self.sla_manager), {"desk_lead", "service_manager"})
        with self.assertRaises(AccessError):
            self.dashboards["management"].with_user(self.sla_manager).read(["name", "spreadsheet_data"])

    def test_desk_manager_sees_all_three(self):
        self.assertEqual(self._visible(self.desk_manager), {"desk_lead", "service_manager", "management"})
        snapshot = (
            self.dashboards["management"].with_user(self.desk_manager).get_readonly_dashboard()["snapshot"]
        )
        self.assertTrue(snapshot["pivots"])

    def test_employee_outside_the_desk_sees_none(self):
        self.assertEqual(self._visible(self.employee), set())

    def test_dashboards_are_grouped_in_the_dashboards_app(self):
        group = self.env.ref("itsm_spreadsheet_dashboard.spreadsheet_dashboard_group_itsm")
        self.assertEqual(group.name, "IT Service Management")
        self.assertEqual(
            group.published_dashboard_ids.mapped("name"), ["Desk Lead", "Service Manager", "Management"]
        )
