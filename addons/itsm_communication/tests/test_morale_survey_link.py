from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestMoraleSurveyLink(HttpCase):
    """A member follows the link of their invitation while logged in to Odoo and answers."""

    def test_member_answers_through_the_link_and_stays_anonymous(self):
        env = self.env
        env["itsm.team"].search([]).is_morale_surveyed = False
        agent = new_test_user(
            env, "morale_link_agent", groups="itsm_helpdesk.group_itsm_agent", email="link@desk.example.com"
        )
        team = env["itsm.team"].create(
            {"name": "Link Desk", "member_ids": [Command.set(agent.ids)], "is_morale_surveyed": True}
        )
        env["itsm.morale.pulse"]._cron_run(now=fields.Datetime.now(), companies=env.company)
        pulse = env["itsm.morale.pulse"].search([("team_id", "=", team.id)])
        answer = env["survey.user_input"].sudo().search([("itsm_morale_pulse_id", "=", pulse.id)])
        self.assertEqual(len(answer), 1)

        self.authenticate(agent.login, agent.login)
        response = self.url_open(answer.get_start_url())
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("Survey Access Error", response.text, "a member logged in to Odoo may answer")
        self.assertIn("Four short questions about your month", response.text)

        survey = pulse.survey_id
        self.make_jsonrpc_request(f"/survey/begin/{survey.access_token}/{answer.access_token}", {})
        ratings = {
            str(question.id): "4" for question in survey.question_ids if question.question_type == "scale"
        }
        self.make_jsonrpc_request(
            f"/survey/submit/{survey.access_token}/{answer.access_token}", dict(ratings, csrf_token="")
        )
        answer.invalidate_recordset()
        self.assertEqual(answer.state, "done")
        self.assertFalse(answer.partner_id or answer.email, "answering names nobody")
        row = env["itsm.morale.report"].search([("team_id", "=", team.id)])
        self.assertEqual(row.answer_count, 1)
        self.assertFalse(row.is_shown)
