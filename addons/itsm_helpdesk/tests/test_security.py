from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import ItsmCommon

MALICIOUS = (
    '<p>Broken screen</p><script>alert("x")</script>'
    '<img src="x" onerror="alert(1)"><a href="javascript:alert(2)">link</a>'
)


@tagged("post_install", "-at_install")
class TestAccessRights(ItsmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket_desk = cls._ticket(name="Desk ticket")
        cls.ticket_field = cls._ticket(name="Field ticket", team_id=cls.team_field.id)
        cls.ticket_experts = cls._ticket(name="Experts ticket", team_id=cls.team_experts.id)
        cls.ticket_a2 = cls._ticket(name="A2 ticket", partner_id=cls.portal_a2.partner_id.id)
        cls.ticket_b = cls._ticket(name="B ticket", partner_id=cls.portal_b.partner_id.id)
        cls.other_expert = new_test_user(
            cls.env, "itsm_expert_2", groups="itsm_helpdesk.group_itsm_agent_expert"
        )

    def _visible(self, user):
        return self.env["itsm.ticket"].with_user(user).search([("id", "in", self._all().ids)])

    def _all(self):
        return self.ticket_desk | self.ticket_field | self.ticket_experts | self.ticket_a2 | self.ticket_b

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model")
    def test_line_1_agent(self):
        visible = self._visible(self.agent_1)
        self.assertIn(self.ticket_desk, visible)
        self.assertNotIn(self.ticket_field, visible, "line-1 agents do not see back-office queues")
        self.assertNotIn(self.ticket_experts, visible)
        with self.assertRaises(AccessError):
            self.ticket_experts.with_user(self.agent_1).read(["name"])
        # following a ticket (e.g. after escalating it) keeps it visible
        self.ticket_field.message_subscribe(partner_ids=self.agent_1.partner_id.ids)
        self.assertIn(self.ticket_field, self._visible(self.agent_1))
        with self.assertRaises(AccessError):
            self.ticket_desk.with_user(self.agent_1).unlink()
        with self.assertRaises(AccessError):
            self.team_desk.with_user(self.agent_1).write({"name": "Renamed"})
        with self.assertRaises(AccessError):
            self.env["itsm.priority.rule"].with_user(self.agent_1).create(
                {"impact": "1", "urgency": "1", "priority": "5", "company_id": self.company.id}
            )

    def test_back_office_agent(self):
        visible = self._visible(self.expert)
        self.assertIn(self.ticket_field, visible)
        self.assertIn(self.ticket_experts, visible, "members see their restricted team")
        self.assertIn(self.ticket_desk, visible)
        self.assertNotIn(
            self.ticket_experts,
            self._visible(self.other_expert),
            "a members-only team hides its tickets from non-members",
        )

    def test_manager_sees_and_configures_everything(self):
        self.assertEqual(self._visible(self.manager), self._all())
        self.team_desk.with_user(self.manager).write({"name": "Service Desk"})
        self.ticket_b.with_user(self.manager).unlink()

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model")
    def test_employee_without_desk_group(self):
        with self.assertRaises(AccessError):
            self.env["itsm.ticket"].with_user(self.employee).search([])
        with self.assertRaises(AccessError):
            self.ticket_desk.with_user(self.employee).read(["name"])

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model")
    def test_escalation_log_is_immutable(self):
        self.ticket_desk.team_id = self.team_field
        log = self.ticket_desk.escalation_ids
        for user in (self.agent_1, self.manager):
            with self.assertRaises(AccessError):
                log.with_user(user).write({"reason": "rewritten"})
            with self.assertRaises(AccessError):
                log.with_user(user).unlink()

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_other_company_is_invisible(self):
        company_2 = self.env["res.company"].create({"name": "Other Desk"})
        ticket = self.env["itsm.ticket"].create({"name": "Other company", "company_id": company_2.id})
        self.assertFalse(self.env["itsm.ticket"].with_user(self.manager).search([("id", "=", ticket.id)]))
        with self.assertRaises(AccessError):
            ticket.with_user(self.manager).read(["name"])

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model")
    def test_portal_users(self):
        visible = self._visible(self.portal_a)
        self.assertEqual(
            visible,
            self.ticket_desk | self.ticket_field | self.ticket_experts,
            "a portal user sees the tickets it reported",
        )
        with self.assertRaises(AccessError):
            self.ticket_b.with_user(self.portal_a).read(["name"])
        with self.assertRaises(AccessError):
            self.ticket_desk.with_user(self.portal_a).write({"name": "changed"})
        with self.assertRaises(AccessError):
            self.env["itsm.ticket"].with_user(self.portal_a).create({"name": "direct"})
        self.assertNotIn(self.ticket_a2, visible, "colleagues' tickets need company-wide access")
        self.portal_a.partner_id.itsm_company_access = True
        visible = self._visible(self.portal_a)
        self.assertIn(self.ticket_a2, visible, "a designated contact sees the company's tickets")
        self.assertNotIn(self.ticket_b, visible, "never another customer's")
        with self.assertRaises(AccessError):
            self.ticket_b.with_user(self.portal_a).read(["name"])

    def test_description_is_sanitized(self):
        ticket = self._ticket(description=MALICIOUS)
        self.assertIn("Broken screen", ticket.description)
        for dangerous in ("<script", "onerror", "javascript:"):
            self.assertNotIn(dangerous, ticket.description)
        ticket.with_user(self.agent_1).write({"description": MALICIOUS})
        self.assertNotIn("<script", ticket.description)

    def test_agent_group_rights_in_form_flow(self):
        ticket = (
            self.env["itsm.ticket"]
            .with_user(self.agent_1)
            .create(
                {
                    "name": "Phone call",
                    "channel": "phone",
                    "team_id": self.team_desk.id,
                    "partner_id": self.portal_b.partner_id.id,
                    "tag_ids": [Command.create({"name": "Phone"})],
                }
            )
        )
        ticket.with_user(self.agent_1).write({"user_id": self.agent_1.id, "stage_id": self.stage_progress.id})
        self.assertEqual(ticket.user_id, self.agent_1)
