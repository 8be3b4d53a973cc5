from contextlib import ExitStack, closing

from psycopg2 import errors

from odoo import SUPERUSER_ID, Command, api, sql_db
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestAssignmentConcurrency(TransactionCase):
    """Two transactions creating tickets for one team at the same moment never wait for each other.

    The first transaction creates its ticket and stays open; the second one, allowed to wait
    one second for a lock, must create its own. Writing a row both share (the team's last
    assignee, as the desk once did) would make the second one fail here, and on a busy desk
    queue every creation of a team behind the previous one.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dbname = cls.env.cr.dbname
        with closing(sql_db.db_connect(cls.dbname).cursor()) as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            agents = env["res.users"].create(
                [
                    {
                        "name": f"Rotation Agent {i}",
                        "login": f"itsm_rotation_agent_{i}",
                        "groups_id": [Command.set([env.ref("itsm_helpdesk.group_itsm_agent").id])],
                    }
                    for i in range(2)
                ]
            )
            team = env["itsm.team"].create({"name": "Rotation Desk", "member_ids": [Command.set(agents.ids)]})
            cls.agent_ids, cls.team_id = agents.ids, team.id
            cr.commit()  # pylint: disable=invalid-commit
        cls.addClassCleanup(cls._drop_fixtures)

    @classmethod
    def _drop_fixtures(cls):
        with closing(sql_db.db_connect(cls.dbname).cursor()) as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["itsm.ticket"].with_context(active_test=False).search(
                [("team_id", "=", cls.team_id)]
            ).unlink()
            env["itsm.team"].browse(cls.team_id).unlink()
            users = env["res.users"].browse(cls.agent_ids)
            partners = users.partner_id
            users.unlink()
            partners.unlink()
            cr.commit()  # pylint: disable=invalid-commit

    def _create_concurrently(self, method):
        with closing(sql_db.db_connect(self.dbname).cursor()) as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["itsm.team"].browse(self.team_id).assignment_method = method
            cr.commit()  # pylint: disable=invalid-commit
        with ExitStack() as stack:
            envs = []
            for _i in range(2):
                cr = stack.enter_context(closing(sql_db.db_connect(self.dbname).cursor()))
                cr.execute("SET lock_timeout = '1s'")
                envs.append(api.Environment(cr, SUPERUSER_ID, {}))
            tickets = []
            for env in envs:
                try:
                    tickets.append(
                        env["itsm.ticket"].create({"name": f"Printer {method}", "team_id": self.team_id})
                    )
                    env.flush_all()
                except errors.LockNotAvailable:
                    self.fail("the second creation waited for the first one's lock")
            assignees = [ticket.user_id.id for ticket in tickets]
            for env in envs:
                env.cr.commit()  # pylint: disable=invalid-commit
        return assignees

    def test_round_robin_creations_do_not_wait(self):
        assignees = self._create_concurrently("round_robin")
        self.assertEqual(assignees, self.agent_ids, "each transaction took its own turn")

    def test_least_open_creations_do_not_wait(self):
        assignees = self._create_concurrently("least_open")
        self.assertTrue(all(assignees), "both tickets found an agent")


@tagged("post_install", "-at_install")
class TestIntakeNumbering(TransactionCase):
    def test_new_company_numbers_tickets_from_its_creation(self):
        """Its sequence exists before the first ticket: two first tickets cannot both create one."""
        company = self.env["res.company"].create({"name": "Fresh Branch"})
        domain = [("code", "=", "itsm.ticket"), ("company_id", "=", company.id)]
        self.assertEqual(self.env["ir.sequence"].sudo().search_count(domain), 1)
        tickets = self.env["itsm.ticket"].create(
            [{"name": f"First {i}", "company_id": company.id} for i in range(2)]
        )
        self.assertEqual(len(set(tickets.mapped("number"))), 2)
        self.assertEqual(self.env["ir.sequence"].sudo().search_count(domain), 1)
