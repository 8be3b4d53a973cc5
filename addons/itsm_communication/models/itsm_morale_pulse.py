import random
from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import format_date

from odoo.addons.itsm_helpdesk.tools.locking import claim, claim_keys

from .itsm_communication_period import local_today, period_bounds, utc_range

PULSE_STATES = [("open", "Open"), ("closed", "Closed")]
# a team's morale below this score, or down by this many points on the month before, is followed up
FOLLOW_UP_BELOW = 60.0
FOLLOW_UP_DROP = 10.0
FOLLOW_UP_DAYS = 30


class ItsmMoralePulse(models.Model):
    """One team's monthly morale survey: its members are invited, their answers are anonymous.

    Who was invited is recorded here; the answers (``survey.user_input``) carry the pulse only,
    never a person, and are read by nobody but the system: the team's figures are read from
    ``itsm.morale.report``, which shows them only for enough answers.
    """

    _name = "itsm.morale.pulse"
    _description = "Staff Morale Pulse"
    _order = "period_start desc, team_id"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    team_id = fields.Many2one("itsm.team", required=True, index=True, ondelete="cascade", check_company=True)
    company_id = fields.Many2one(related="team_id.company_id", store=True, index=True)
    period_start = fields.Date(
        "Month",
        required=True,
        index=True,
        help="First day of the month asked about, in the company's time zone.",
    )
    period_end = fields.Date("Last Day", compute="_compute_period_end")
    survey_id = fields.Many2one(
        "survey.survey", required=True, ondelete="restrict", domain=[("survey_type", "=", "itsm_morale")]
    )
    state = fields.Selection(PULSE_STATES, required=True, default="open", index=True)
    closed_at = fields.Datetime(readonly=True, copy=False)
    invited_user_ids = fields.Many2many(
        "res.users",
        "itsm_morale_pulse_invited_rel",
        "pulse_id",
        "user_id",
        "Invited",
        readonly=True,
        copy=False,
    )
    invited_count = fields.Integer("Invitations", readonly=True, copy=False)
    answer_count = fields.Integer("Answers", compute="_compute_figures")
    is_shown = fields.Boolean("Enough Answers", compute="_compute_figures")
    score = fields.Float("Morale (%)", compute="_compute_figures", digits=(5, 1))
    score_label = fields.Char("Morale", compute="_compute_figures")
    comment_html = fields.Html(
        "Comments",
        compute="_compute_comment_html",
        sanitize=True,
        help="The optional comments of the answers, in alphabetical order, shown from enough answers on.",
    )
    improvement_action_ids = fields.One2many(
        "itsm.improvement.action", "morale_pulse_id", "Improvement Actions"
    )

    _sql_constraints = [
        ("team_period_unique", "UNIQUE (team_id, period_start)", "A team has one morale pulse a month."),
    ]

    @api.depends("team_id.name", "period_start")
    def _compute_name(self):
        for pulse in self:
            month = (
                format_date(self.env, pulse.period_start, date_format="MMMM y") if pulse.period_start else ""
            )
            pulse.name = f"{pulse.team_id.name or ''} — {month}"

    @api.depends("period_start")
    def _compute_period_end(self):
        for pulse in self:
            pulse.period_end = pulse.period_start and period_bounds(pulse.period_start, "monthly")[1]

    def _compute_figures(self):
        rows = self.env["itsm.morale.report"].sudo().search([("pulse_id", "in", self.ids)])
        by_pulse = {row.pulse_id.id: row for row in rows}
        for pulse in self:
            row = by_pulse.get(pulse.id)
            pulse.answer_count = row.answer_count if row else 0
            pulse.is_shown = bool(row and row.is_shown)
            pulse.score = row.score if row else 0.0
            pulse.score_label = row.score_label if row else self.env["itsm.morale.report"]._hidden_label()

    @api.depends("is_shown")
    def _compute_comment_html(self):
        shown = self.filtered("is_shown")
        lines = (
            self.env["survey.user_input.line"]
            .sudo()
            .search(
                [
                    ("user_input_id.itsm_morale_pulse_id", "in", shown.ids),
                    ("user_input_id.state", "=", "done"),
                    ("answer_type", "=", "text_box"),
                ]
            )
        )
        comments = {}
        for line in lines:
            comments.setdefault(line.user_input_id.itsm_morale_pulse_id, []).append(line.value_text_box)
        for pulse in self:
            # sorted, not in the order given: the order would tell who wrote what
            texts = sorted(comments.get(pulse, [])) if pulse in shown else []
            pulse.comment_html = (
                Markup("<ul>%s</ul>") % Markup().join(Markup("<li>%s</li>") % text for text in texts)
                if texts
                else False
            )

    # ------------------------------------------------------------------
    # the monthly job
    # ------------------------------------------------------------------
    @api.model
    def _cron_run(self, now=None, companies=None):
        """Close last month's pulses (and follow them up), open this month's and invite each member once.

        The month is the company's. Each step claims what it works on, so that two runs at the same
        moment share the work; the unique team and month of a pulse stays the last guard.
        """
        now = now or fields.Datetime.now()
        Pulse = self.sudo()
        invited = Pulse.browse()
        for company in companies or self.env["res.company"].sudo().search([("active", "=", True)]):
            month = local_today(company, now).replace(day=1)
            Pulse._close_before(company, month, now)
            Pulse._open_month(company, month)
            invited |= Pulse._invite_members(company, month, now)
        return invited

    @api.model
    def _get_morale_survey(self):
        """The survey sent to the teams (hook: a company or a team may have its own)."""
        return (
            self.env["survey.survey"]
            .sudo()
            .search([("survey_type", "=", "itsm_morale")], order="id", limit=1)
        )

    def _close_before(self, company, month, now):
        pulses = claim(
            self, [("company_id", "=", company.id), ("state", "=", "open"), ("period_start", "<", month)]
        )
        pulses.write({"state": "closed", "closed_at": now})
        pulses._open_follow_up_actions(local_today(company, now))
        return pulses

    def _open_month(self, company, month):
        survey = self._get_morale_survey()
        if not survey:
            return self.browse()
        teams = claim_keys(
            self.env["itsm.team"].sudo(),
            [
                ("company_id", "=", company.id),
                ("is_morale_surveyed", "=", True),
                ("member_ids", "!=", False),
                ("morale_pulse_ids", "not any", [("period_start", "=", month)]),
            ],
            "itsm_morale_pulse",
        )
        return self.create([self._prepare_pulse(team, month, survey) for team in teams])

    @api.model
    def _prepare_pulse(self, team, month, survey):
        return {"team_id": team.id, "period_start": month, "survey_id": survey.id}

    def _invite_members(self, company, month, now):
        """Invite every member of this month's open pulses who has not been invited yet."""
        pulses = claim(
            self, [("company_id", "=", company.id), ("state", "=", "open"), ("period_start", "=", month)]
        )
        todo = []
        for pulse in pulses:
            members = (
                pulse.team_id.member_ids.filtered(lambda u: u.active and u.email) - pulse.invited_user_ids
            )
            todo += [(pulse, member) for member in members]
        if not todo:
            return self.browse()
        inputs = (
            self.env["survey.user_input"].sudo().create([pulse._prepare_answer() for pulse, _member in todo])
        )
        # the answers are created in the members' order: hand them out shuffled within each pulse
        shuffled = list(inputs)
        random.shuffle(shuffled)
        by_pulse = {}
        for user_input in shuffled:
            by_pulse.setdefault(user_input.itsm_morale_pulse_id, []).append(user_input)
        self.env["mail.mail"].sudo().create(
            [pulse._prepare_invitation(member, by_pulse[pulse].pop()) for pulse, member in todo]
        )
        for pulse in pulses:
            new = [member.id for p, member in todo if p == pulse]
            if new:
                pulse.write(
                    {
                        "invited_user_ids": [fields.Command.link(user_id) for user_id in new],
                        "invited_count": pulse.invited_count + len(new),
                    }
                )
        return self.browse({pulse.id for pulse, _member in todo})

    def _prepare_answer(self):
        """An anonymous answer of this pulse: no partner, no e-mail, no name; open until the month ends."""
        self.ensure_one()
        return {
            "survey_id": self.survey_id.id,
            "itsm_morale_pulse_id": self.id,
            "deadline": utc_range(self.company_id, self.period_start, self.period_end)[1],
        }

    def _prepare_invitation(self, user, user_input):
        """The e-mail inviting ``user`` to answer through ``user_input``'s link (deleted once sent)."""
        self.ensure_one()
        pulse = self.with_context(lang=user.lang)
        url = pulse.survey_id.get_base_url() + user_input.get_start_url()
        body = (
            self.env["ir.qweb"]
            .with_context(lang=user.lang)
            ._render(
                "itsm_communication.morale_pulse_invitation",
                {"pulse": pulse, "user": user, "url": url},
                minimal_qcontext=True,
            )
        )
        return {
            "subject": pulse.env._("How was your month? Morale pulse of %(team)s", team=pulse.team_id.name),
            "body_html": body,
            "email_to": user.email_formatted,
            "email_from": self.company_id.email_formatted
            or self.env["ir.mail_server"].sudo()._get_default_from_address(),
            "auto_delete": True,
        }

    # ------------------------------------------------------------------
    # follow-up
    # ------------------------------------------------------------------
    def _needs_follow_up(self, row):
        """Whether the morale of the report's ``row`` is low or falling (only figures shown count)."""
        if not row.is_shown:
            return False
        return row.score < FOLLOW_UP_BELOW or (row.is_trend_shown and row.trend <= -FOLLOW_UP_DROP)

    def _get_follow_up_owner(self):
        """Who acts on low morale: the team lead, else a desk manager of the company."""
        self.ensure_one()
        if self.team_id.leader_id.active:
            return self.team_id.leader_id
        managers = self.env.ref("itsm_helpdesk.group_itsm_manager").sudo().users
        return managers.filtered(lambda u: self.company_id in u.company_ids and not u.share)[:1]

    def _open_follow_up_actions(self, today):
        """Open one improvement action, with an activity for its owner, for each pulse that needs one."""
        rows = self.env["itsm.morale.report"].sudo().search([("pulse_id", "in", self.ids)])
        by_pulse = {row.pulse_id: row for row in rows}
        vals_list = []
        for pulse in self.filtered(lambda p: not p.improvement_action_ids):
            row = by_pulse.get(pulse)
            owner = pulse._get_follow_up_owner()
            if row and owner and pulse._needs_follow_up(row):
                vals_list.append(pulse._prepare_improvement_action(row, owner, today))
        actions = self.env["itsm.improvement.action"].sudo().create(vals_list)
        for action in actions:
            action.activity_schedule(
                "mail.mail_activity_data_todo",
                date_deadline=action.due_date,
                summary=self.env._("Act on the team's morale"),
                user_id=action.owner_id.id,
            )
        return actions

    def _prepare_improvement_action(self, row, owner, today):
        self.ensure_one()
        if row.score < FOLLOW_UP_BELOW:
            reason = self.env._(
                "Morale is %(score)s %%, below %(limit)s %%.",
                score=round(row.score),
                limit=round(FOLLOW_UP_BELOW),
            )
        else:
            reason = self.env._(
                "Morale fell by %(points)s points, from %(previous)s %% to %(score)s %%.",
                points=round(-row.trend),
                previous=round(row.previous_score),
                score=round(row.score),
            )
        return {
            "name": self.env._("Staff morale of %(pulse)s", pulse=self.name),
            "description": Markup("<p>%s</p><p>%s</p>")
            % (
                reason,
                self.env._(
                    "Talk with the team about workload, tools and recognition, agree on what to change, "
                    "and check the effect on next month's pulse."
                ),
            ),
            "owner_id": owner.id,
            "due_date": today + timedelta(days=FOLLOW_UP_DAYS),
            "company_id": self.company_id.id,
            "morale_pulse_id": self.id,
        }

    # ------------------------------------------------------------------
    # demo
    # ------------------------------------------------------------------
    def _demo_answer(self, answers):
        """Fill in this pulse's open answers: ``answers`` is a list of (ratings of the scale
        questions in order, comment or False), one for each member who answers."""
        self.ensure_one()
        inputs = (
            self.env["survey.user_input"]
            .sudo()
            .search([("itsm_morale_pulse_id", "=", self.id), ("state", "!=", "done")], limit=len(answers))
        )
        questions = self.survey_id.question_ids
        scales = questions.filtered(lambda q: q.question_type == "scale")
        text = questions.filtered(lambda q: q.question_type == "text_box")[:1]
        vals_list = []
        for user_input, (ratings, comment) in zip(inputs, answers, strict=False):
            for question, rating in zip(scales, ratings, strict=False):
                vals_list.append(
                    {
                        "user_input_id": user_input.id,
                        "question_id": question.id,
                        "answer_type": "scale",
                        "value_scale": rating,
                    }
                )
            if comment and text:
                vals_list.append(
                    {
                        "user_input_id": user_input.id,
                        "question_id": text.id,
                        "answer_type": "text_box",
                        "value_text_box": comment,
                    }
                )
        self.env["survey.user_input.line"].sudo().create(vals_list)
        inputs._mark_done()
        return inputs

    @api.model
    def _demo_run_history(self, months=4):
        """Run the morale job on the 1st of each of the last ``months`` months (this one included).

        Workplace Support answers enough each month to show a trend: good, a little lower, then
        low last month, which opens an improvement action; this month has too few answers yet.
        The Service Desk never reaches five answers: its figures stay hidden.
        """
        team = self.env.ref("itsm_communication.demo_team_workplace")
        desk = self.env.ref("itsm_helpdesk.demo_team_desk")
        history = [
            [((4, 4, 5, 4), False), ((4, 3, 4, 4), False), ((5, 4, 5, 4), False), ((3, 4, 4, 3), False)]
            + [((4, 4, 4, 4), False), ((4, 3, 5, 3), False)],
            [((4, 3, 4, 4), False), ((3, 3, 4, 3), False), ((4, 4, 5, 4), False), ((3, 4, 4, 3), False)]
            + [((4, 3, 4, 3), False), ((4, 4, 4, 4), False)],
            [((3, 2, 4, 2), self.env._("Too many tickets since the laptop roll-out.")), ((3, 3, 3, 2), False)]
            + [((2, 3, 4, 3), self.env._("Nobody noticed the extra hours.")), ((3, 2, 4, 3), False)]
            + [((4, 3, 4, 3), False)],
            [((4, 3, 4, 3), False), ((3, 3, 4, 4), False), ((4, 4, 4, 3), False), ((3, 3, 4, 3), False)],
        ]
        today = fields.Date.context_today(self)
        first = today.replace(day=1) - relativedelta(months=months - 1)
        for step in range(months):
            now = datetime.combine(first + relativedelta(months=step), time(8, 0))
            pulses = self._cron_run(now=now)
            for pulse in pulses:
                if pulse.team_id == team:
                    pulse._demo_answer(history[step % len(history)])
                elif pulse.team_id == desk:
                    pulse._demo_answer([((4, 3, 4, 4), False), ((3, 3, 4, 3), False), ((4, 4, 4, 4), False)])
        return True
