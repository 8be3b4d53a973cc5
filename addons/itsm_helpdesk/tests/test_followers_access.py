from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ItsmCommon


@tagged("post_install", "-at_install")
class TestFollowersAccess(ItsmCommon):
    """Odoo lets every employee read every follower; the followers of a ticket show only with it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.secret = cls._ticket(name="Members-only server", team_id=cls.team_experts.id)
        cls.secret.message_subscribe(partner_ids=cls.portal_b.partner_id.ids)
        cls.shared = cls._ticket(name="Desk printer")
        cls.Followers = cls.env["mail.followers"]

    def _followers(self, ticket):
        return self.Followers.search([("res_model", "=", "itsm.ticket"), ("res_id", "=", ticket.id)])

    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_followers_of_an_unreadable_ticket_are_hidden(self):
        followers = self._followers(self.secret)
        self.assertIn(self.portal_b.partner_id, followers.partner_id)
        as_agent = self.Followers.with_user(self.agent_1)
        self.assertFalse(as_agent.search([("id", "in", followers.ids)]))
        self.assertFalse(
            as_agent.search_count([("res_model", "=", "itsm.ticket"), ("res_id", "=", self.secret.id)])
        )
        with self.assertRaises(AccessError):
            followers.with_user(self.agent_1).read(["partner_id"])
        with self.assertRaises(AccessError):
            self.Followers.with_user(self.employee).browse(followers.ids).read(["res_id"])
        # the team member and the manager read them
        self.assertEqual(
            self.Followers.with_user(self.expert).search([("id", "in", followers.ids)]), followers
        )
        self.assertEqual(followers.with_user(self.manager).read(["partner_id"])[0]["id"], followers[0].id)

    def test_followers_of_a_readable_ticket_show(self):
        followers = self._followers(self.shared)
        self.assertTrue(followers)
        self.assertEqual(self.shared.with_user(self.agent_1).message_follower_ids, followers)
        # followers of other applications keep Odoo's behaviour
        partner_followers = self.Followers.search([("res_model", "=", "res.partner")], limit=5)
        as_agent = self.Followers.with_user(self.agent_1)
        self.assertEqual(as_agent.search([("id", "in", partner_followers.ids)]), partner_followers)
