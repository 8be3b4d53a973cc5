from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged
from odoo.tools import SQL

from .common import SatisfactionCommon


@tagged("post_install", "-at_install")
class TestTicketRating(SatisfactionCommon):
    def test_rating_request_on_resolve(self):
        ticket = self._ticket()
        self.assertFalse(self._pending(ticket))
        ticket.with_user(self.agent_1).write({"stage_id": self.stage_solved.id})
        rating = self._pending(ticket)
        self.assertEqual(len(rating), 1, "resolving the ticket creates the requester's rating request")
        self.assertEqual(rating.partner_id, self.portal_a.partner_id)
        self.assertTrue(ticket.rating_requested_at)
        mail = (
            self.env["mail.mail"].sudo().search([("model", "=", "itsm.ticket"), ("res_id", "=", ticket.id)])
        )
        self.assertTrue(
            any(rating.access_token in m.body_html for m in mail), "the e-mail carries the rating link"
        )
        contact = self.Contact.search([("res_model", "=", "itsm.ticket"), ("res_id", "=", ticket.id)])
        self.assertEqual((contact.partner_id, contact.channel), (self.portal_a.partner_id, "email"))

    def test_no_request_for_teams_without_ratings(self):
        ticket = self._resolved(team_id=self.team_field.id)
        self.assertFalse(self._pending(ticket))
        self.assertFalse(ticket.rating_requested_at)

    def test_fatigue_interval_between_requests(self):
        with freeze_time("2026-03-01 10:00:00"):
            first = self._resolved()
        with freeze_time("2026-03-20 10:00:00"):
            second = self._resolved()
        self.assertTrue(self._pending(first))
        self.assertFalse(self._pending(second), "asked 19 days ago: inside the 30-day interval")
        self.assertIn("too recently", second.message_ids[0].body)
        with freeze_time("2026-04-01 10:00:00"):
            third = self._resolved()
        self.assertTrue(self._pending(third), "31 days later the requester may be asked again")

    def test_team_interval_overrides_company(self):
        self.team_desk.itsm_survey_min_days = 5
        with freeze_time("2026-03-01 10:00:00"):
            self._resolved()
        with freeze_time("2026-03-07 10:00:00"):
            ticket = self._resolved()
        self.assertTrue(self._pending(ticket))

    def test_one_request_per_person_in_a_batch(self):
        tickets = self._ticket() | self._ticket()
        tickets.write({"stage_id": self.stage_solved.id})
        self.assertEqual(len(self._pending(tickets[0]) | self._pending(tickets[1])), 1)

    def test_do_not_survey(self):
        self.portal_a.partner_id.itsm_do_not_survey = True
        ticket = self._resolved()
        self.assertFalse(self._pending(ticket))
        self.assertFalse(self.Contact.search([("partner_id", "=", self.portal_a.partner_id.id)]))

    def test_on_site_rating(self):
        # recorded by a colleague of the agent who handled it (test_rated_agent_cannot_rate_own_ticket)
        ticket = self._ticket(user_id=self.agent_2.id)
        wizard = Form(
            self.env["itsm.ticket.rating.wizard"]
            .with_user(self.agent_1)
            .with_context(default_ticket_id=ticket.id)
        )
        wizard.rating = "4"
        wizard.feedback = "Fixed during the visit"
        wizard.save().action_confirm()
        rating = ticket.sudo().rating_ids
        self.assertEqual(len(rating), 1)
        self.assertEqual(rating.rating, 4)
        self.assertEqual(rating.itsm_channel, "on_site")
        self.assertEqual(rating.recorded_by_id, self.agent_1)
        self.assertEqual(rating.partner_id, self.portal_a.partner_id)
        self.assertTrue(rating.consumed)
        self.assertFalse(rating.is_default)
        self.assertEqual(rating.feedback, "Fixed during the visit")
        self.assertEqual(self.Contact.search([("res_id", "=", ticket.id)]).channel, "on_site")

    def test_on_site_rating_answers_pending_request(self):
        ticket = self._resolved()
        pending = self._pending(ticket)
        self.env["itsm.ticket.rating.wizard"].create({"ticket_id": ticket.id, "rating": "5"}).action_confirm()
        self.assertTrue(pending.consumed)
        self.assertEqual(ticket.sudo().rating_ids, pending, "no second rating for the same request")
        self.assertFalse(ticket.rating_requested_at)

    def test_default_rating_after_n_days_and_late_answer(self):
        with freeze_time("2026-03-01 10:00:00"):
            ticket = self._resolved()
            answered = self._resolved(partner_id=self.portal_b.partner_id.id)
            answered.rating_apply(4, rating=self._pending(answered))
        rating = self._pending(ticket)
        Ticket = self.env["itsm.ticket"]
        with freeze_time("2026-03-07 10:00:00"):
            self.assertEqual(Ticket._cron_record_default_ratings(), 0, "6 days: not due yet")
        self.assertFalse(rating.consumed)
        with freeze_time("2026-03-08 10:00:01"):
            self.assertEqual(Ticket._cron_record_default_ratings(), 1, "only the unanswered ticket is due")
        self.assertTrue(rating.consumed)
        self.assertTrue(rating.is_default)
        self.assertEqual(rating.itsm_channel, "default")
        self.assertEqual(rating.rating, 5)
        self.assertFalse(ticket.rating_requested_at)
        self.assertEqual(answered.sudo().rating_ids.rating, 4, "a real answer is never overwritten")
        with freeze_time("2026-03-09 10:00:00"):
            self.assertEqual(Ticket._cron_record_default_ratings(), 0, "a ticket is defaulted once")
        # the requester answers late through the e-mail link: the default is replaced in place
        ticket.rating_apply(1, token=rating.access_token, feedback="Too slow")
        self.assertEqual(ticket.sudo().rating_ids, rating)
        self.assertEqual((rating.rating, rating.is_default, rating.itsm_channel), (1, False, "email"))

    def test_low_rating_opens_follow_up(self):
        ticket = self._resolved()
        ticket.rating_apply(1, rating=self._pending(ticket), feedback="Nobody called me")
        activity = ticket.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.manager, "the team lead follows it up")
        good = self._resolved(partner_id=self.portal_b.partner_id.id)
        good.rating_apply(5, rating=self._pending(good))
        self.assertFalse(good.activity_ids)

    def test_default_cron_reads_only_due_tickets(self):
        with freeze_time(datetime(2026, 3, 1)):
            self._resolved()
        Ticket = self.env["itsm.ticket"]
        with freeze_time(datetime(2026, 3, 1) + timedelta(days=8)):
            Ticket.flush_model()
            with self.assertQueryCount(__system__=25):
                Ticket._cron_record_default_ratings()

    def test_rated_agent_cannot_rate_own_ticket(self):
        ticket = self._resolved(user_id=self.agent_1.id)
        pending = self._pending(ticket)
        wizard = self.env["itsm.ticket.rating.wizard"].with_user(self.agent_1)
        with self.assertRaisesRegex(UserError, "another agent or the desk manager"):
            wizard.create({"ticket_id": ticket.id, "rating": "5"}).action_confirm()
        self.assertFalse(pending.consumed, "the requester's pending request stays open")
        wizard.with_user(self.agent_2).create({"ticket_id": ticket.id, "rating": "4"}).action_confirm()
        self.assertEqual(
            (pending.rating, pending.itsm_channel, pending.recorded_by_id), (4, "on_site", self.agent_2)
        )

    def test_employees_do_not_read_rating_tokens(self):
        ticket = self._resolved(user_id=self.agent_1.id)
        pending = self._pending(ticket)
        self.assertTrue(pending.access_token)
        for user in (self.agent_1, self.manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                pending.with_user(user).read(["access_token"])
        notes = ticket.with_user(self.agent_1).message_ids.mapped("body")
        self.assertFalse(
            [body for body in notes if pending.access_token in (body or "")],
            "the chatter keeps no copy of the rating link",
        )
        mail = (
            self.env["mail.mail"].sudo().search([("model", "=", "itsm.ticket"), ("res_id", "=", ticket.id)])
        )
        self.assertTrue(any(pending.access_token in m.body_html for m in mail), "the e-mail still carries it")


@tagged("post_install", "-at_install")
class TestDefaultRatingIndex(SatisfactionCommon):
    def test_default_ratings_have_a_partial_index(self):
        self.env.cr.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'rating_rating_itsm_default_index'"
        )
        self.assertIn(
            "WHERE is_default", self.env.cr.fetchone()[0], "false is stored: the predicate keeps it small"
        )
        self.env.cr.execute(
            "SELECT count(*) FROM pg_indexes"
            " WHERE tablename = 'rating_rating' AND indexdef LIKE '%(is_default)%'"
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0, "no index of every rating on the flag")
        ticket = self._resolved(team_id=self.team_desk.id)
        ticket._itsm_record_default_rating(5)
        self.env.flush_all()
        query = self.env["rating.rating"]._search(
            [("res_model", "=", "itsm.ticket"), ("res_id", "=", ticket.id), ("is_default", "=", True)]
        )
        self.env.cr.execute("SET LOCAL enable_seqscan = off")
        self.env.cr.execute(SQL("EXPLAIN %s", query.select()))
        plan = "\n".join(row[0] for row in self.env.cr.fetchall())
        self.env.cr.execute("SET LOCAL enable_seqscan = on")
        self.assertIn("rating_rating_itsm_default_index", plan)
