from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import CommunicationCommon

HIGH = ((5, 5, 5, 5), False)  # 100 %
GOOD = ((4, 4, 4, 4), False)  # 75 %
LOW = ((3, 3, 3, 2), False)  # 43.75 %


@tagged("post_install", "-at_install")
class TestMoralePulse(CommunicationCommon):
    """The monthly anonymous morale pulse of a team: invitations, figures, follow-up and who sees what."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.company.resource_calendar_id.tz = "Asia/Shanghai"
        cls.company.partner_id.tz = "Asia/Shanghai"
        # invitations go out from the company's address (a database without demo data has none)
        cls.company.email = "servicedesk@company.example.com"
        # the other teams (the demo's, the common fixture's) are not these tests' concern
        env["itsm.team"].search([]).is_morale_surveyed = False
        cls.more_agents = env["res.users"]
        for index in range(3):
            cls.more_agents |= new_test_user(
                env,
                f"morale_agent_{index}",
                groups="itsm_helpdesk.group_itsm_agent",
                name=f"Morale Agent {index}",
                email=f"morale{index}@desk.example.com",
            )
        cls.members = cls.agent_1 | cls.agent_2 | cls.agent_3 | cls.more_agents
        cls.team = env["itsm.team"].create(
            {
                "name": "Workplace",
                "leader_id": cls.manager.id,
                "member_ids": [Command.set(cls.members.ids)],
                "is_morale_surveyed": True,
            }
        )
        cls.survey = env.ref("itsm_communication.survey_morale_pulse")
        cls.survey_manager = new_test_user(
            env,
            "morale_survey_manager",
            groups="survey.group_survey_manager,itsm_helpdesk.group_itsm_manager",
            name="Sam Surveys",
            email="sam@desk.example.com",
        )
        cls.company_2 = env["res.company"].create({"name": "Morale Other Co"})
        cls.agent_other_co = new_test_user(
            env,
            "morale_agent_other_co",
            groups="itsm_helpdesk.group_itsm_manager",
            name="Olaf Other",
            email="olaf@other.example.com",
            company_id=cls.company_2.id,
            company_ids=[Command.set(cls.company_2.ids)],
        )
        cls.company_2.resource_calendar_id.tz = "UTC"
        cls.company_2.partner_id.tz = "UTC"
        cls.team_2 = env["itsm.team"].create(
            {
                "name": "Other Desk",
                "company_id": cls.company_2.id,
                "member_ids": [Command.set(cls.agent_other_co.ids)],
            }
        )
        cls.Pulse = env["itsm.morale.pulse"]
        cls.Report = env["itsm.morale.report"]

    def _run(self, when):
        return self.Pulse._cron_run(now=when, companies=self.company | self.company_2)

    def _pulse(self, month):
        return self.Pulse.search([("team_id", "=", self.team.id), ("period_start", "=", month)])

    def _row(self, pulse):
        return self.Report.search(
            [("team_id", "=", pulse.team_id.id), ("period_start", "=", pulse.period_start)]
        )

    def _invitations(self):
        return self.env["mail.mail"].search(
            [("subject", "=", "How was your month? Morale pulse of Workplace")]
        )

    # invitations ------------------------------------------------------------------------------

    def test_one_pulse_per_team_and_month_of_the_company(self):
        # 23:30 on 28 February in Shanghai: still February there
        self._run(datetime(2026, 2, 28, 15, 30))
        february = self._pulse(date(2026, 2, 1))
        self.assertEqual(len(february), 1)
        self.assertEqual(february.state, "open")
        answers = self.env["survey.user_input"].sudo().search([("itsm_morale_pulse_id", "=", february.id)])
        # open until midnight at the end of February in Shanghai
        self.assertEqual(set(answers.mapped("deadline")), {datetime(2026, 2, 28, 16, 0)})
        # 00:30 on 1 March in Shanghai (still 28 February in UTC): February closes, March opens
        self._run(datetime(2026, 2, 28, 16, 30))
        self.assertEqual(february.state, "closed")
        march = self._pulse(date(2026, 3, 1))
        self.assertEqual(len(march), 1, "the month is the company's, not UTC's")
        self.assertEqual(march.invited_user_ids, self.members)
        # at the same moment it is still February in a company on UTC
        self.assertEqual(self.Pulse.search([("team_id", "=", self.team_2.id)]).period_start, date(2026, 2, 1))

    def test_each_member_invited_once(self):
        self._run(datetime(2026, 3, 2, 1, 0))
        self._run(datetime(2026, 3, 2, 2, 0))
        pulse = self._pulse(date(2026, 3, 1))
        self.assertEqual(pulse.invited_user_ids, self.members)
        self.assertEqual(pulse.invited_count, 6)
        mails = self._invitations()
        self.assertEqual(sorted(mails.mapped("email_to")), sorted(self.members.mapped("email_formatted")))
        self.assertTrue(all(mails.mapped("email_from")), "sent on behalf of the company")
        answers = self.env["survey.user_input"].sudo().search([("itsm_morale_pulse_id", "=", pulse.id)])
        self.assertEqual(len(answers), 6, "one answer link per member, however often the job runs")
        links = {answer.access_token for answer in answers}
        self.assertEqual(
            {token for token in links if any(token in mail.body_html for mail in mails)},
            links,
            "each member's mail carries one of the links",
        )
        newcomer = new_test_user(
            self.env, "morale_newcomer", groups="itsm_helpdesk.group_itsm_agent", email="new@desk.example.com"
        )
        self.team.member_ids = [Command.link(newcomer.id)]
        self._run(datetime(2026, 3, 9, 1, 0))
        self.assertEqual(pulse.invited_count, 7, "a member who joins in the month is invited, and only they")
        self.assertEqual(len(self._invitations()), 7)

    def test_answers_name_nobody_and_nobody_reads_them(self):
        self._run(datetime(2026, 3, 2, 1, 0))
        pulse = self._pulse(date(2026, 3, 1))
        pulse._demo_answer([((2, 1, 2, 1), "My manager never listens.")])
        answers = self.env["survey.user_input"].sudo().search([("itsm_morale_pulse_id", "=", pulse.id)])
        self.assertFalse(
            answers.partner_id or any(answers.mapped("email")) or any(answers.mapped("nickname"))
        )
        self.assertTrue(all(self._invitations().mapped("auto_delete")), "the links vanish once sent")
        done = answers.filtered(lambda a: a.state == "done")
        for user in (self.survey_manager, self.manager, self.agent_1):
            with self.subTest(user=user.name):
                Input = self.env["survey.user_input"].with_user(user)
                Line = self.env["survey.user_input.line"].with_user(user)
                with mute_logger("odoo.addons.base.models.ir_model", "odoo.addons.base.models.ir_rule"):
                    self.assertFalse(self._try_search(Input, [("id", "in", answers.ids)]))
                    self.assertFalse(self._try_search(Line, [("user_input_id", "in", done.ids)]))
                    with self.assertRaises(AccessError):
                        done.with_user(user).read(["user_input_line_ids"])
        # the rule is about morale answers: a survey manager still reads the answers of other surveys
        other = self.env["survey.survey"].create({"title": "Canteen", "survey_type": "survey"})
        canteen = self.env["survey.user_input"].create({"survey_id": other.id})
        self.assertEqual(
            self.env["survey.user_input"].with_user(self.survey_manager).search([("id", "=", canteen.id)]),
            canteen,
        )

    def _try_search(self, Model, domain):
        try:
            return Model.search(domain)
        except AccessError:
            return Model.browse()

    # figures ------------------------------------------------------------------------------------

    def test_figures_shown_from_five_answers_only(self):
        self._run(datetime(2026, 3, 2, 1, 0))
        pulse = self._pulse(date(2026, 3, 1))
        pulse._demo_answer([GOOD, GOOD, HIGH, LOW])
        row = self._row(pulse)
        self.assertEqual(row.answer_count, 4)
        self.assertFalse(row.is_shown)
        self.assertEqual(row.score_label, "Not enough answers")
        self.assertFalse(row.score, "the score is not even in the view")
        [group] = self.Report.read_group(
            [("id", "=", row.id)], ["score:avg", "answer_count:sum"], ["team_id"]
        )
        self.assertFalse(group["score"], "nor in a pivot or graph")
        exported = row.export_data(["team_id", "answer_count", "score"])["datas"]
        self.assertEqual(exported[0][2], "", "nor in an export")
        self.assertEqual(pulse.score_label, "Not enough answers")
        self.assertFalse(pulse.comment_html)

        pulse._demo_answer([((4, 4, 4, 4), "More training please.")])
        row.invalidate_recordset()
        self.assertEqual(row.answer_count, 5)
        self.assertTrue(row.is_shown)
        self.assertAlmostEqual(row.score, (75 + 75 + 100 + 43.75 + 75) / 5)
        self.assertEqual(row.score_label, "74 %")
        [group] = self.Report.read_group([("id", "=", row.id)], ["score:avg"], ["team_id"])
        self.assertAlmostEqual(group["score"], 73.75)
        self.assertEqual(row.export_data(["score"])["datas"][0][0], row.score)
        pulse.invalidate_recordset()
        self.assertIn("More training please.", pulse.comment_html)

    def test_trend_and_follow_up_opened_once(self):
        self._run(datetime(2026, 1, 2, 1, 0))
        self._pulse(date(2026, 1, 1))._demo_answer([HIGH] * 5)
        self._run(datetime(2026, 2, 2, 1, 0))
        january, february = self._pulse(date(2026, 1, 1)), self._pulse(date(2026, 2, 1))
        self.assertEqual(january.state, "closed")
        self.assertFalse(january.improvement_action_ids, "100 %: nothing to follow up")
        february._demo_answer([GOOD] * 5)
        row = self._row(february)
        self.assertTrue(row.is_trend_shown)
        self.assertAlmostEqual(row.trend, -25.0)
        self.assertAlmostEqual(row.previous_score, 100.0)

        self._run(datetime(2026, 3, 2, 1, 0))
        self._run(datetime(2026, 3, 3, 1, 0))
        action = february.improvement_action_ids
        self.assertEqual(len(action), 1, "75 % is fine, but 25 points down is followed up, once")
        self.assertEqual(action.owner_id, self.manager, "by the team lead")
        self.assertEqual(action.company_id, self.company)
        self.assertIn("fell by 25 points", str(action.description))
        self.assertEqual(action.activity_ids.user_id, self.manager)
        self.assertEqual(action.with_user(self.manager).read(["name"])[0]["name"], action.name)

    def test_low_morale_followed_up_only_when_shown(self):
        self._run(datetime(2026, 1, 2, 1, 0))
        self._pulse(date(2026, 1, 1))._demo_answer([LOW] * 4)
        self._run(datetime(2026, 2, 2, 1, 0))
        self._pulse(date(2026, 2, 1))._demo_answer([LOW] * 5)
        self._run(datetime(2026, 3, 2, 1, 0))
        self.assertFalse(self._pulse(date(2026, 1, 1)).improvement_action_ids, "four answers tell nothing")
        february = self._pulse(date(2026, 2, 1))
        self.assertEqual(len(february.improvement_action_ids), 1, "below 60 %")
        self.assertIn("below 60", str(february.improvement_action_ids.description))
        self.assertFalse(self._row(february).is_trend_shown, "no trend on a hidden month")

    # who sees what ------------------------------------------------------------------------------

    def test_staff_see_their_own_team_figures_only(self):
        self._run(datetime(2026, 3, 2, 1, 0))
        pulse = self._pulse(date(2026, 3, 1))
        pulse._demo_answer([GOOD] * 5)
        row = self._row(pulse)
        Report = self.Report.with_user(self.agent_1)
        mine = Report.search([])
        self.assertEqual(mine, row.with_user(self.agent_1), "a member reads their own team's figures")
        self.assertEqual(mine.score_label, "75 %")
        self.assertFalse(
            self.Report.with_user(self.expert).search([("id", "=", row.id)]), "another team's agent does not"
        )
        with self.assertRaises(AccessError):
            row.with_user(self.expert).read(["score"])
        with self.assertRaises(AccessError):
            pulse.with_user(self.agent_1).read(["invited_user_ids"])
        self.assertEqual(self.Report.with_user(self.manager).search([("id", "=", row.id)]), row)
        figures = self.env["itsm.agent.figures"].with_user(self.agent_1).create({})
        action = figures.action_open_team_morale()
        self.assertEqual(self.Report.with_user(self.agent_1).search(action["domain"]), mine)

    def test_other_company_sees_nothing(self):
        self._run(datetime(2026, 3, 2, 1, 0))
        pulse = self._pulse(date(2026, 3, 1))
        pulse._demo_answer([GOOD] * 5)
        other = self.Pulse.search([("team_id", "=", self.team_2.id)])
        self.assertEqual(other.invited_user_ids, self.agent_other_co, "each company's teams are asked")
        user = self.agent_other_co
        self.assertFalse(self.Report.with_user(user).search([("company_id", "=", self.company.id)]))
        self.assertFalse(self.Pulse.with_user(user).search([("id", "=", pulse.id)]))
        groups = self.Report.with_user(user).read_group([], ["answer_count:sum"], ["company_id"])
        self.assertEqual({group["company_id"][0] for group in groups}, {self.company_2.id})
        with self.assertRaises(AccessError):
            self._row(pulse).with_user(user).read(["score"])

    def test_answered_morale_survey_keeps_its_type(self):
        self._run(datetime(2026, 3, 2, 1, 0))
        with self.assertRaises(UserError):
            self.survey.with_user(self.survey_manager).survey_type = "custom"
        self.survey.with_user(self.survey_manager).title = "Monthly morale"

    # the figures communicated -------------------------------------------------------------------

    @freeze_time("2026-03-02 08:00:00")
    def test_management_report_and_staff_digest_carry_the_morale(self):
        small = self.env["itsm.team"].create(
            {"name": "Tiny Team", "member_ids": [Command.set(self.expert.ids)], "is_morale_surveyed": True}
        )
        self._run(datetime(2026, 2, 2, 1, 0))
        self._pulse(date(2026, 2, 1))._demo_answer([GOOD] * 5)
        self.Pulse.search([("team_id", "=", small.id)])._demo_answer([HIGH])
        staff = self.env["itsm.stakeholder"].create(
            {
                "name": "Workplace staff",
                "kind": "it_staff",
                "team_id": self.team.id,
                "contact_ids": [Command.set(self.agent_1.partner_id.ids)],
                "owner_id": self.comm_manager.id,
            }
        )
        board = self._line(content_kind="management_report", stakeholder_id=self.stakeholder_board.id)
        digest = self._line(content_kind="staff_figures", stakeholder_id=staff.id)
        deliveries = self.env["itsm.communication.plan.line"]._cron_deliver(companies=self.company)
        management = deliveries.filtered(lambda d: d.line_id == board and d.period_start == date(2026, 2, 1))
        self.assertIn("Staff Morale", management.body)
        self.assertIn("75 %", management.body)
        self.assertIn("Tiny Team", management.body)
        self.assertIn("Not enough answers", management.body, "one answer: no figure, on the report either")
        self.assertNotIn("100 %", management.body)
        staff_digest = deliveries.filtered(
            lambda d: d.line_id == digest and d.period_start == date(2026, 2, 1)
        )
        self.assertIn("75 %", staff_digest.body, "the staff are shown their team's morale")
        self.assertNotIn("Tiny Team", staff_digest.body)

    def test_pulse_list_reads_its_figures_in_one_batch(self):
        for month in (1, 2, 3):
            self._run(datetime(2026, month, 2, 1, 0))
            self._pulse(date(2026, month, 1))._demo_answer([GOOD] * 5)
        pulses = self.Pulse.search([("team_id", "=", self.team.id)])
        self.assertEqual(len(pulses), 3)
        self.env.flush_all()
        pulses.invalidate_recordset()
        self.env["itsm.morale.report"].invalidate_model()
        # the report rows found and read at once, however many pulses are listed
        with self.assertQueryCount(2):
            self.assertEqual(pulses.mapped("score_label"), ["75 %"] * 3)
