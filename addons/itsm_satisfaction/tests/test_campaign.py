from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import SatisfactionCommon


@tagged("post_install", "-at_install")
class TestCallbackCampaign(SatisfactionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.people = Partner.create(
            [
                {"name": f"User {i}", "email": f"user{i}@a.example.com", "parent_id": cls.customer_a.id}
                for i in range(20)
            ]
        )
        cls.service = cls.env["itsm.service"].create({"name": "E-mail"})
        # 20 people, each with one resolved incident of the field team in February; the first five
        # also had a resolved service request of the E-mail service
        cls.tickets = cls.env["itsm.ticket"]
        for index, person in enumerate(cls.people):
            cls.tickets |= cls._resolved(
                "2026-02-10 10:00:00", team_id=cls.team_field.id, partner_id=person.id
            )
            if index < 5:
                cls.tickets |= cls._resolved(
                    "2026-02-11 10:00:00",
                    team_id=cls.team_field.id,
                    partner_id=person.id,
                    kind="service_request",
                    service_id=cls.service.id,
                )
        # outside the period
        cls._resolved("2026-03-05 10:00:00", team_id=cls.team_field.id, partner_id=cls.portal_b.partner_id.id)

    def _campaign(self, **values):
        vals = {
            "name": "February callbacks",
            "period_start": "2026-02-01",
            "period_end": "2026-02-28",
            "sample_type": "count",
            "sample_count": 5,
            "seed": "audit-2026",
            "method": "phone",
            "caller_ids": [Command.set([self.agent_1.id, self.agent_2.id])],
        }
        vals.update(values)
        return self.env["itsm.callback.campaign"].create(vals)

    @freeze_time("2026-03-10 09:00:00")
    def test_sample_count_one_ticket_per_person(self):
        campaign = self._campaign()
        campaign.action_generate()
        callbacks = campaign.callback_ids
        self.assertEqual(len(callbacks), 5)
        self.assertEqual(len(callbacks.partner_id), 5, "one ticket per person")
        self.assertEqual(campaign.population_count, 25, "resolved tickets of the scope and period")
        self.assertTrue(all(c.ticket_id.closed_at.month == 2 for c in callbacks))
        self.assertEqual(sorted(callbacks.mapped("caller_id").ids), sorted((self.agent_1 | self.agent_2).ids))
        self.assertEqual(len(callbacks.filtered(lambda c: c.caller_id == self.agent_1)), 3, "callers in turn")
        self.assertEqual(campaign.state, "running")
        with self.assertRaises(UserError):
            campaign.action_generate()

    @freeze_time("2026-03-10 09:00:00")
    def test_sample_percentage(self):
        campaign = self._campaign(sample_type="percentage", sample_percentage=20)
        campaign.action_generate()
        self.assertEqual(len(campaign.callback_ids), 5, "20% of 25 resolved tickets")

    @freeze_time("2026-03-10 09:00:00")
    def test_sample_reproducible_with_seed(self):
        first, _population = self._campaign()._draw()
        again, _population = self._campaign()._draw()
        other, _population = self._campaign(seed="another")._draw()
        self.assertEqual(first, again, "same seed, same data: same sample")
        self.assertNotEqual(first, other)

    @freeze_time("2026-03-10 09:00:00")
    def test_scope_filters(self):
        campaign = self._campaign(
            sample_count=100,
            service_ids=[Command.set(self.service.ids)],
            kind_ids=[Command.set(self.env.ref("itsm_satisfaction.kind_service_request").ids)],
        )
        sample, population = campaign._draw()
        self.assertEqual(population, 5)
        tickets = self.env["itsm.ticket"].browse([ticket_id for ticket_id, _p in sample])
        self.assertEqual(set(tickets.mapped("kind")), {"service_request"})
        self.assertEqual(tickets.service_id, self.service)
        sample, population = self._campaign(
            sample_count=100, team_ids=[Command.set(self.team_desk.ids)]
        )._draw()
        self.assertEqual((sample, population), ([], 0), "no desk ticket in the period")
        sample, _population = self._campaign(sample_count=100, period_end="2026-03-31")._draw()
        self.assertEqual(len(sample), 21, "the March ticket's requester joins when the period covers March")

    def test_fatigue_across_ratings_and_campaigns(self):
        # a rating request in early March protects the person from the campaign ...
        with freeze_time("2026-03-01 09:00:00"):
            self._resolved(team_id=self.team_desk.id, partner_id=self.people[0].id)
        with freeze_time("2026-03-10 09:00:00"):
            campaign = self._campaign(sample_count=100)
            campaign.action_generate()
        self.assertEqual(len(campaign.callback_ids), 19)
        self.assertNotIn(self.people[0], campaign.callback_ids.partner_id)
        # ... and the people called are not asked for a rating either, nor sampled again
        with freeze_time("2026-03-15 09:00:00"):
            ticket = self._resolved(team_id=self.team_desk.id, partner_id=self.people[1].id)
            self.assertFalse(self._pending(ticket))
            sample, _population = self._campaign(sample_count=100)._draw()
            self.assertEqual(sample, [])
        with freeze_time("2026-04-11 09:00:00"):
            sample, _population = self._campaign(sample_count=100)._draw()
            self.assertEqual(len(sample), 20, "after 30 days everybody may be asked again")

    @freeze_time("2026-03-10 09:00:00")
    def test_do_not_survey_excluded_from_sample(self):
        self.people[:3].write({"itsm_do_not_survey": True})
        sample, _population = self._campaign(sample_count=100)._draw()
        self.assertEqual(len(sample), 17)
        self.assertFalse({p for _t, p in sample} & set(self.people[:3].ids))

    @freeze_time("2026-03-10 09:00:00")
    def test_phone_callback_filled_by_staff(self):
        campaign = self._campaign(sample_count=2)
        campaign.action_generate()
        callback = campaign.callback_ids.filtered(lambda c: c.caller_id == self.agent_1)
        callback = callback.with_user(self.agent_1)
        with self.assertRaises(UserError):
            callback.action_mark_done()
        callback.write(
            {
                "overall_score": "2",
                "timeliness_score": "1",
                "courtesy_score": "4",
                "informed": "no",
                "advice_given": "yes",
                "comment": "Waited a week",
            }
        )
        callback.action_mark_done()
        self.assertEqual(callback.state, "done")
        self.assertTrue(callback.needs_followup, "2/5 is below the follow-up threshold")
        self.assertEqual(callback.sudo().activity_ids.user_id, self.env.user, "the campaign responsible")
        self.assertEqual((campaign.done_count, campaign.callback_count), (1, 2))
        self.assertEqual(campaign.satisfaction_rate, 0.0)

    @freeze_time("2026-03-10 09:00:00")
    def test_email_callback_through_survey(self):
        campaign = self._campaign(sample_count=1, method="email", caller_ids=False)
        campaign.action_generate()
        callback = campaign.callback_ids
        user_input = callback.user_input_id
        self.assertEqual(user_input.partner_id, callback.partner_id)
        mail = (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", "itsm.callback"), ("res_id", "=", callback.id)])
        )
        self.assertIn(user_input.access_token, mail.body_html, "the invitation carries the personal link")
        survey = callback.survey_id
        answers = {
            "itsm_satisfaction.q_ticket_overall": 5,
            "itsm_satisfaction.q_ticket_timeliness": 4,
            "itsm_satisfaction.q_ticket_courtesy": 5,
        }
        for xmlid, value in answers.items():
            user_input._save_lines(self.env.ref(xmlid), str(value))
        user_input._save_lines(
            self.env.ref("itsm_satisfaction.q_ticket_informed"),
            self.env.ref("itsm_satisfaction.q_ticket_informed_yes").id,
        )
        user_input._save_lines(self.env.ref("itsm_satisfaction.q_ticket_comment"), "Great job")
        self.assertEqual(survey, self.env.ref("itsm_satisfaction.survey_ticket_callback"))
        user_input._mark_done()
        self.assertEqual(callback.state, "done")
        self.assertEqual(
            (callback.overall_score, callback.timeliness_score, callback.informed, callback.comment),
            ("5", "4", "yes", "Great job"),
        )
        self.assertFalse(callback.needs_followup)
        self.assertEqual(campaign.satisfaction_rate, 100.0)

    @freeze_time("2026-03-10 09:00:00")
    def test_overall_survey_of_contacts(self):
        campaign = self._campaign(
            target="contacts",
            method="survey",
            caller_ids=False,
            sample_type="percentage",
            sample_percentage=50,
            survey_id=self.env.ref("itsm_satisfaction.survey_overall_service").id,
            customer_ids=[Command.set(self.customer_a.ids)],
        )
        campaign.action_generate()
        # customer A: 20 people + the two portal users
        self.assertEqual(campaign.population_count, 22)
        self.assertEqual(len(campaign.callback_ids), 11)
        self.assertFalse(campaign.callback_ids.ticket_id)
        self.assertTrue(all(campaign.callback_ids.mapped("user_input_id")))

    def test_recurring_campaign_once_per_period(self):
        template = self._campaign(recurrence="monthly", sample_count=3)
        Campaign = self.env["itsm.callback.campaign"]
        with freeze_time("2026-03-02 06:00:00"):
            created = Campaign._cron_generate_recurring().filtered(lambda c: c.parent_id == template)
            again = Campaign._cron_generate_recurring().filtered(lambda c: c.parent_id == template)
        self.assertEqual(len(created), 1)
        self.assertFalse(again, "the second run of the job in the period creates nothing")
        self.assertEqual(template.child_ids, created)
        self.assertEqual(
            (created.period_key, str(created.period_start), str(created.period_end)),
            ("2026-02", "2026-02-01", "2026-02-28"),
        )
        self.assertEqual(created.state, "running")
        self.assertEqual(len(created.callback_ids), 3)
        with freeze_time("2026-04-01 06:00:00"):
            generated = Campaign._cron_generate_recurring().filtered(lambda c: c.parent_id == template)
            self.assertEqual(generated.period_key, "2026-03")
        self.assertEqual(len(template.child_ids), 2)
