import base64
import io
import zipfile

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common import SatisfactionCommon


@tagged("post_install", "-at_install")
class TestSatisfactionAnalysis(SatisfactionCommon):
    """A scripted month: ratings (real and default) and callbacks, against figures computed here."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.itsm_survey_min_days = 0
        Partner = cls.env["res.partner"]
        cls.people = Partner.create(
            [{"name": f'=HYPERLINK("x") {i}', "parent_id": cls.customer_a.id} for i in range(6)]
        )
        scripted = [
            # (person, team, agent, rating, default?)
            (0, cls.team_desk, cls.agent_1, 5, False),
            (1, cls.team_desk, cls.agent_1, 1, False),
            (2, cls.team_desk, cls.agent_2, 4, False),
            (3, cls.team_desk, cls.agent_2, None, True),
            (4, cls.team_desk, cls.agent_2, None, None),  # unanswered
        ]
        with freeze_time("2026-02-10 10:00:00"):
            for person, team, agent, value, is_default in scripted:
                ticket = cls._resolved(team_id=team.id, user_id=agent.id, partner_id=cls.people[person].id)
                pending = ticket._itsm_pending_rating()
                if value:
                    ticket.rating_apply(value, rating=pending, feedback="-1+1" if value == 1 else False)
                elif is_default:
                    ticket._itsm_record_default_rating(5)
            cls.field_ticket = cls._resolved(
                team_id=cls.team_field.id, user_id=cls.expert.id, partner_id=cls.people[5].id
            )
        with freeze_time("2026-03-03 10:00:00"):
            campaign = cls.env["itsm.callback.campaign"].create(
                {
                    "name": "Feb",
                    "period_start": "2026-02-01",
                    "period_end": "2026-02-28",
                    "team_ids": [Command.set(cls.team_field.ids)],
                    "sample_type": "count",
                    "sample_count": 10,
                    "caller_ids": [Command.set(cls.agent_3.ids)],
                }
            )
            campaign.action_generate()
            campaign.callback_ids.write({"overall_score": "3", "informed": "yes"})
            campaign.callback_ids.action_mark_done()

    def _wizard(self, **values):
        vals = {"date_from": "2026-02-01", "date_to": "2026-03-31", "dimension": "team_id"}
        vals.update(values)
        return self.env["itsm.satisfaction.report.wizard"].create(vals)

    def test_figures_per_team(self):
        data = self._wizard()._get_report_data()
        lines = {line["name"]: line for line in data["lines"]}
        desk, field = lines["Desk"], lines["Field"]
        # desk: 5 requests, 3 real answers (5, 1, 4), one default, one unanswered
        self.assertEqual(
            (desk["ratings_asked"], desk["ratings_answered"], desk["ratings_default"]), (5, 3, 1)
        )
        self.assertAlmostEqual(desk["satisfaction"], 100.0 * 2 / 3)
        self.assertAlmostEqual(desk["average"], (5 + 1 + 4) / 3)
        self.assertEqual((desk["dissatisfied"], desk["followups"]), (1, 1))
        self.assertEqual((desk["default_scored"], desk["default_satisfied"]), (1, 1), "defaults kept apart")
        # field: one callback made, 3/5, informed
        self.assertEqual((field["callbacks"], field["callbacks_done"], field["informed"]), (1, 1, 1))
        self.assertEqual(field["satisfaction"], 0.0)
        self.assertEqual(data["distribution"], {1: 1, 2: 0, 3: 1, 4: 1, 5: 1})

    def test_figures_per_agent_and_month(self):
        data = self._wizard(dimension="agent_id", date_to="2026-02-28")._get_report_data()
        lines = {line["name"]: line for line in data["lines"]}
        self.assertEqual(lines["Alice Line1"]["satisfaction"], 50.0)
        self.assertEqual(lines["Bob Line1"]["ratings_asked"], 3)
        self.assertEqual(lines["Bob Line1"]["satisfaction"], 100.0)
        self.assertNotIn("Dan Expert", lines, "the callback was made in March")

    def test_xlsx_escapes_formulas(self):
        content = self._wizard(dimension="commercial_partner_id")._xlsx_content()
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            strings = archive.read("xl/sharedStrings.xml").decode()
        self.assertIn("'-1+1", strings, "a comment starting with - is text, not a formula")
        self.assertNotIn("<f>", strings)

    def test_pdf_report(self):
        wizard = self._wizard()
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("itsm_satisfaction.report_satisfaction", wizard.ids)[0]
            .decode()
        )
        self.assertIn("Desk", html)
        self.assertRegex(html, r"67\s*%")
        action = wizard.action_export_xlsx()
        self.assertIn("/xlsx_file/", action["url"])
        self.assertTrue(base64.b64decode(wizard.xlsx_file).startswith(b"PK"))

    def test_partner_satisfaction_trend(self):
        with freeze_time("2026-03-15"):
            self.customer_a.invalidate_recordset(["itsm_satisfaction_count"])
            self.assertEqual(self.customer_a.itsm_satisfaction_count, 4, "real scored answers only")
            self.assertEqual(self.customer_a.itsm_satisfaction_rate, 50.0)

    def test_partner_satisfaction_stays_in_the_user_company(self):
        other_company = self.env["res.company"].create({"name": "Other IT"})
        other_team = self.env["itsm.team"].create(
            {"name": "Other desk", "company_id": other_company.id, "use_rating": True}
        )
        with freeze_time("2026-02-12 10:00:00"):
            for person in self.people[:3]:
                ticket = self._resolved(
                    team_id=other_team.id, company_id=other_company.id, partner_id=person.id
                )
                ticket.rating_apply(1, token=ticket._rating_get_access_token())
        self.env.flush_all()  # the report is an SQL view
        with freeze_time("2026-03-15"):
            self.customer_a.invalidate_recordset(["itsm_satisfaction_count"])
            customer = self.customer_a.with_user(self.manager).with_context(
                allowed_company_ids=self.company.ids
            )
            self.assertEqual(
                (customer.itsm_satisfaction_count, customer.itsm_satisfaction_rate),
                (4, 50.0),
                "the other company's opinions are not this company's figures",
            )


@tagged("post_install", "-at_install")
class TestSatisfactionTimeZones(SatisfactionCommon):
    """Report days and campaign periods are the company's, east and west of UTC."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.itsm_survey_min_days = 0
        cls.people = cls.env["res.partner"].create(
            [{"name": f"Person {i}", "parent_id": cls.customer_a.id} for i in range(3)]
        )
        # a team of their own, so that the campaigns sample these tickets only
        cls.team_tz = cls.env["itsm.team"].create({"name": "Time zones", "use_rating": True})
        # 1 November 2026 01:30 in Shanghai (31 October 10:30 in Los Angeles)
        cls.first_hour = cls._resolved(
            "2026-10-31 17:30:00", partner_id=cls.people[0].id, team_id=cls.team_tz.id
        )
        # 31 October 2026 23:30 in Shanghai
        cls.last_hour = cls._resolved(
            "2026-10-31 15:30:00", partner_id=cls.people[1].id, team_id=cls.team_tz.id
        )
        # 31 December 2026 23:30 in Los Angeles (1 January 15:30 in Shanghai)
        cls.new_year_eve = cls._resolved(
            "2027-01-01 07:30:00", partner_id=cls.people[2].id, team_id=cls.team_tz.id
        )
        cls.tickets = cls.first_hour | cls.last_hour | cls.new_year_eve

    def _set_tz(self, tz):
        self.company.resource_calendar_id.tz = tz
        self.env.flush_all()

    def _report_dates(self):
        return {
            row.ticket_id: str(row.date)
            for row in self.env["itsm.satisfaction.report"].search(
                [("ticket_id", "in", self.tickets.ids), ("source", "=", "rating")]
            )
        }

    def _sampled(self, period_start, period_end):
        campaign = self.env["itsm.callback.campaign"].create(
            {
                "name": "Period",
                "period_start": period_start,
                "period_end": period_end,
                "sample_type": "count",
                "sample_count": 10,
                "method": "phone",
                "team_ids": [Command.set(self.team_tz.ids)],
                "caller_ids": [Command.set(self.agent_1.ids)],
            }
        )
        sample, _population = campaign._draw()
        return self.env["itsm.ticket"].browse([ticket_id for ticket_id, _partner in sample])

    def test_shanghai(self):
        self._set_tz("Asia/Shanghai")
        dates = self._report_dates()
        self.assertEqual(dates[self.first_hour], "2026-11-01", "01:30 on 1 November is November")
        self.assertEqual(dates[self.last_hour], "2026-10-31")
        self.assertEqual(dates[self.new_year_eve], "2027-01-01")
        self.assertEqual(self._sampled("2026-11-01", "2026-11-30"), self.first_hour)
        self.assertEqual(self._sampled("2026-10-01", "2026-10-31"), self.last_hour)
        with freeze_time("2026-10-31 17:30:00"):
            wizard = self.env["itsm.satisfaction.report.wizard"].create({})
            self.assertEqual((str(wizard.date_from), str(wizard.date_to)), ("2026-10-01", "2026-10-31"))

    def test_los_angeles(self):
        self._set_tz("America/Los_Angeles")
        dates = self._report_dates()
        self.assertEqual(dates[self.new_year_eve], "2026-12-31", "23:30 on 31 December is December")
        self.assertEqual(dates[self.first_hour], "2026-10-31")
        self.assertEqual(self._sampled("2026-12-01", "2026-12-31"), self.new_year_eve)
        self.assertEqual(self._sampled("2026-10-01", "2026-10-31"), self.first_hour | self.last_hour)
        self.assertFalse(self._sampled("2027-01-01", "2027-01-31"))

    def test_recurring_campaign_period_of_the_company(self):
        self._set_tz("Asia/Shanghai")
        template = self.env["itsm.callback.campaign"].create(
            {
                "name": "Monthly",
                "period_start": "2026-10-01",
                "period_end": "2026-10-31",
                "recurrence": "monthly",
                "sample_type": "count",
                "sample_count": 10,
                "method": "phone",
                "team_ids": [Command.set(self.team_tz.ids)],
                "caller_ids": [Command.set(self.agent_1.ids)],
            }
        )
        with freeze_time("2026-10-31 17:30:00"):  # 1 November 01:30 in Shanghai
            created = self.env["itsm.callback.campaign"]._cron_generate_recurring()
        occurrence = created.filtered(lambda campaign: campaign.parent_id == template)
        self.assertEqual(occurrence.period_key, "2026-10", "October is over in Shanghai")
        self.assertEqual(occurrence.callback_ids.ticket_id, self.last_hour)
