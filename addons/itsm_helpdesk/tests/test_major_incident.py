from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user, tagged

from .common import ItsmCommon


@tagged("post_install", "-at_install")
class TestMajorIncident(ItsmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cio = new_test_user(
            cls.env, "itsm_cio", groups="base.group_user", name="Carla CIO", email="cio@desk.example.com"
        )
        cls.board_member = new_test_user(
            cls.env, "itsm_board", groups="base.group_user", name="Bea Board", email="board@desk.example.com"
        )
        cls.board = cls.env["res.groups"].create(
            {"name": "IT Board", "users": [(6, 0, cls.board_member.ids)]}
        )
        cls.company.write(
            {
                "itsm_major_min_priority": "1",
                "itsm_major_min_affected_users": 50,
                "itsm_major_min_affected_customers": 3,
                "itsm_major_notify_user_ids": [(6, 0, cls.cio.ids)],
                "itsm_major_notify_group_id": cls.board.id,
                "itsm_major_manager_id": cls.manager.id,
            }
        )

    def _notifications(self, ticket):
        return self.env["mail.message"].search(
            [
                ("model", "=", "itsm.ticket"),
                ("res_id", "=", ticket.id),
                ("message_type", "=", "user_notification"),
            ]
        )

    def test_p1_incident_is_declared_and_management_warned_once(self):
        ticket = self._ticket(impact="1", urgency="1", user_id=self.agent_1.id)
        self.assertTrue(ticket.is_major_incident)
        self.assertTrue(ticket.major_declared_at)
        self.assertEqual(ticket.major_incident_manager_id, self.manager)
        [notice] = self._notifications(ticket)
        self.assertEqual(
            notice.partner_ids,
            (self.cio | self.board_member | self.manager).partner_id,
            "only the chosen users, the group and the manager are warned",
        )
        self.assertNotIn(self.agent_1.partner_id, notice.notification_ids.res_partner_id)
        self.assertNotIn(
            self.portal_a.partner_id,
            notice.notification_ids.res_partner_id,
            "the requester is never told of the internal warning",
        )
        ticket.write({"urgency": "2"})
        ticket.write({"urgency": "1", "affected_user_count": 500})
        self.assertEqual(len(self._notifications(ticket)), 1, "management is warned once per incident")
        self.assertTrue(any("Major incident declared" in (m.body or "") for m in ticket.message_ids))

    def test_other_criteria(self):
        by_users = self._ticket(impact="3", urgency="3", affected_user_count=60)
        self.assertTrue(by_users.is_major_incident)
        customers = self.env["res.partner"].create([{"name": f"C{i}", "is_company": True} for i in range(3)])
        by_customers = self._ticket(impact="3", urgency="3")
        self.assertFalse(by_customers.is_major_incident)
        by_customers.affected_partner_ids = customers
        self.assertTrue(by_customers.is_major_incident)
        request = self._ticket(kind="service_request", impact="1", urgency="1")
        self.assertFalse(request.is_major_incident, "only incidents become major automatically")
        manual = self._ticket(impact="3", urgency="3")
        manual.action_declare_major_incident()
        self.assertTrue(manual.major_declared_at)
        self.assertEqual(len(self._notifications(manual)), 1)

    def test_closing_needs_completed_review(self):
        ticket = self._ticket(impact="1", urgency="1")
        with self.assertRaises(UserError):
            ticket.action_close()
        action = ticket.action_open_major_review()
        review = self.env["itsm.major.incident.review"].browse(action["res_id"])
        with self.assertRaises(UserError):
            review.action_complete()
        review.write(
            {
                "timeline": "<p>09:00 detected, 09:05 declared, 11:00 restored</p>",
                "root_cause": "Expired certificate",
                "actions": "<p>Monitor certificate expiry</p>",
            }
        )
        review.action_complete()
        ticket.action_close()
        self.assertTrue(ticket.is_closed)

    def test_status_update_reaches_followers_and_management(self):
        ticket = self._ticket(impact="1", urgency="1")
        wizard = Form(self.env["itsm.major.incident.update"].with_context(default_ticket_id=ticket.id))
        wizard.body = "<p>Failover in progress, next update at 11:00</p>"
        wizard.save().action_send()
        update = ticket.message_ids.filtered(lambda m: "Failover in progress" in (m.body or ""))
        self.assertEqual(len(update), 1)
        self.assertIn(self.cio.partner_id, update.partner_ids)
        self.assertIn(
            self.portal_a.partner_id,
            update.notification_ids.res_partner_id,
            "the requester follows the incident and gets its status updates",
        )
        normal = self._ticket(impact="3", urgency="3")
        with self.assertRaises(UserError):
            self.env["itsm.major.incident.update"].create(
                {"ticket_id": normal.id, "body": "<p>x</p>"}
            ).action_send()
