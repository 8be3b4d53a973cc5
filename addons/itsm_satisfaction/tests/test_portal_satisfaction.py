from odoo import Command
from odoo.http import Request
from odoo.tests import HttpCase, tagged

from .common import SatisfactionCommon


@tagged("post_install", "-at_install")
class TestSatisfactionPortal(SatisfactionCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket = cls._resolved()
        cls.rating = cls.ticket._itsm_pending_rating()

    def _submit(self, token, rate=5, feedback="Thanks"):
        if not hasattr(self, "session"):
            self.authenticate(None, None)  # an anonymous visitor coming from the e-mail
        return self.url_open(
            f"/rate/{token}/submit_feedback",
            data={"rate": rate, "feedback": feedback, "csrf_token": Request.csrf_token(self)},
        )

    def test_rating_by_token_from_email(self):
        page = self.url_open(f"/rate/{self.rating.access_token}/5")
        self.assertEqual(page.status_code, 200)
        self.assertIn("submit_feedback", page.text)
        response = self._submit(self.rating.access_token, 5, "Quick fix")
        self.assertEqual(response.status_code, 200)
        self.rating.invalidate_recordset()
        self.assertEqual(
            (self.rating.rating, self.rating.feedback, self.rating.itsm_channel), (5, "Quick fix", "email")
        )
        self.assertFalse(self.ticket.rating_requested_at)

    def test_rating_from_portal(self):
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        page = self.url_open(f"/my/tickets/{self.ticket.id}")
        self.assertIn(f"/rate/{self.rating.access_token}/5", page.text, "the ticket page offers the rating")
        self._submit(self.rating.access_token, 3)
        self.rating.invalidate_recordset()
        self.assertEqual((self.rating.rating, self.rating.itsm_channel), (3, "portal"))

    def test_customer_rates_the_solved_ticket_in_the_browser(self):
        self.start_tour(
            f"/my/tickets/{self.ticket.id}", "itsm_satisfaction_portal_rating", login="itsm_portal_a"
        )
        self.rating.invalidate_recordset()
        self.assertEqual(
            (self.rating.rating, self.rating.feedback, self.rating.itsm_channel, self.rating.consumed),
            (5, "The printer works again, thank you", "portal", True),
        )
        self.ticket.invalidate_recordset()
        self.assertFalse(self.ticket.rating_requested_at, "nobody asks again")

    def test_token_tampering(self):
        self.assertEqual(self.url_open("/rate/not-a-token/5").status_code, 404)
        self.assertEqual(self._submit("not-a-token").status_code, 404)
        self.authenticate("itsm_portal_b", "itsm_portal_b")
        page = self.url_open(f"/rate/{self.rating.access_token}/1")
        self.assertNotIn("submit_feedback", page.text)
        self._submit(self.rating.access_token, 1, "Sabotage")
        self.rating.invalidate_recordset()
        self.assertFalse(self.rating.consumed, "another customer's user cannot answer this rating")
        self.assertFalse(self.rating.feedback)
        ticket_page = self.url_open(f"/my/tickets/{self.ticket.id}")
        self.assertNotIn(self.rating.access_token, ticket_page.text)

    def test_employee_session_is_not_the_customer_answer(self):
        self.authenticate("itsm_agent_1", "itsm_agent_1")
        page = self.url_open(f"/rate/{self.rating.access_token}/5")
        self.assertEqual(page.status_code, 403)
        self.assertNotIn("submit_feedback", page.text)
        self._submit(self.rating.access_token, 5, "Great agent")
        self.rating.invalidate_recordset()
        self.assertFalse(self.rating.consumed, "an employee never answers in the customer's name")

    def test_colleague_of_the_requester_cannot_answer(self):
        self.authenticate("itsm_portal_a2", "itsm_portal_a2")
        self.assertEqual(self._submit(self.rating.access_token, 1, "Colleague").status_code, 403)
        self.rating.invalidate_recordset()
        self.assertFalse(self.rating.consumed)

    def test_callback_id_and_token_tampering(self):
        campaign = self.env["itsm.callback.campaign"].create(
            {
                "name": "Survey",
                "period_start": "2000-01-01",
                "period_end": "2100-01-01",
                "sample_type": "count",
                "sample_count": 5,
                "method": "survey",
                "team_ids": [Command.set(self.team_desk.ids)],
            }
        )
        self.env["itsm.survey.contact"].search([]).unlink()
        campaign.action_generate()
        callback = campaign.callback_ids
        self.assertEqual(callback.partner_id, self.portal_a.partner_id)
        survey_start = callback.survey_url
        self.authenticate("itsm_portal_b", "itsm_portal_b")
        self.assertNotIn(survey_start, self.url_open("/my/satisfaction").text)
        self.assertEqual(self.url_open(f"/my/satisfaction/{callback.id}").status_code, 404)
        other_page = self.url_open(survey_start)
        self.assertNotIn("o_survey_form", other_page.text, "another user's answer token is refused")
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        self.assertIn(f"/my/satisfaction/{callback.id}", self.url_open("/my/satisfaction").text)
        response = self.url_open(f"/my/satisfaction/{callback.id}", allow_redirects=False)
        self.assertIn(callback.user_input_id.access_token, response.headers["Location"])
