import uuid
from datetime import datetime

from odoo import Command
from odoo.tests import TransactionCase, tagged

from odoo.addons.itsm_helpdesk.tests.concurrency import committed_env, run_concurrently


@tagged("post_install", "-at_install")
class TestMoraleJobOnTwoNodes(TransactionCase):
    """The morale job run by two nodes at the same moment: one pulse, each member invited once."""

    def test_each_member_invited_once(self):
        tag = uuid.uuid4().hex[:8]
        with committed_env(self.env.cr.dbname) as env:
            company = env["res.company"].create({"name": f"Twin Nodes Morale {tag}"})
            users = env["res.users"].create(
                [
                    {
                        "name": f"Twin agent {index}",
                        "login": f"twin_morale_{tag}_{index}",
                        "email": f"twin{index}.{tag}@twin.example.com",
                        "company_id": company.id,
                        "company_ids": [Command.set(company.ids)],
                        "groups_id": [Command.link(env.ref("itsm_helpdesk.group_itsm_agent").id)],
                    }
                    for index in range(6)
                ]
            )
            team = env["itsm.team"].create(
                {"name": f"Twin team {tag}", "company_id": company.id, "member_ids": [Command.set(users.ids)]}
            )
            ids = {"company": company.id, "users": users.ids, "team": team.id}

        def cleanup():
            with committed_env(self.env.cr.dbname) as env:
                users = env["res.users"].browse(ids["users"])
                env["mail.mail"].search([("email_to", "in", users.mapped("email_formatted"))]).unlink()
                # the pulses take their anonymous answers with them
                env["itsm.morale.pulse"].search([("team_id", "=", ids["team"])]).unlink()
                env["itsm.team"].browse(ids["team"]).unlink()
                # users and a company keep records of their own: archived instead
                users.active = False
                env["res.company"].browse(ids["company"]).active = False

        self.addCleanup(cleanup)

        def job(env):
            company = env["res.company"].browse(ids["company"])
            pulses = env["itsm.morale.pulse"]._cron_run(now=datetime(2026, 3, 2, 8, 0), companies=company)
            return sum(pulses.mapped("invited_count"))

        results, errors = run_concurrently(self.env.cr.dbname, job)
        self.assertFalse(errors, "neither run fails: the second skips what the first holds")
        self.assertEqual(sorted(results), [0, 6], "six invitations, all by one run")
        with committed_env(self.env.cr.dbname) as env:
            pulse = env["itsm.morale.pulse"].search([("team_id", "=", ids["team"])])
            self.assertEqual(len(pulse), 1)
            self.assertEqual(set(pulse.invited_user_ids.ids), set(ids["users"]))
            answers = env["survey.user_input"].search([("itsm_morale_pulse_id", "=", pulse.id)])
            self.assertEqual(len(answers), 6)
            mails = env["mail.mail"].search(
                [("email_to", "in", pulse.invited_user_ids.mapped("email_formatted"))]
            )
            self.assertEqual(len(mails), 6, "one e-mail for each member")
