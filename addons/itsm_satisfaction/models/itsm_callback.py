from odoo import api, fields, models
from odoo.exceptions import UserError

SCORES = [("1", "1 - Very dissatisfied"), ("2", "2"), ("3", "3"), ("4", "4"), ("5", "5 - Very satisfied")]
YES_NO = [("yes", "Yes"), ("no", "No")]
# survey questions feed these callback fields (see survey.question.itsm_callback_field)
ANSWER_FIELDS = [
    ("overall_score", "Overall satisfaction"),
    ("timeliness_score", "Timeliness"),
    ("courtesy_score", "Courtesy"),
    ("informed", "Informed of changes"),
    ("advice_given", "Advice on prevention"),
    ("comment", "Opinions and suggestions"),
]


class ItsmCallback(models.Model):
    """One person asked for their opinion by a campaign, and their answers."""

    _name = "itsm.callback"
    _description = "Satisfaction Callback"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "due_date, id"
    _rec_name = "partner_id"
    _check_company_auto = True

    campaign_id = fields.Many2one("itsm.callback.campaign", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="campaign_id.company_id", store=True, index=True)
    method = fields.Selection(related="campaign_id.method", store=True)
    target = fields.Selection(related="campaign_id.target", store=True)
    ticket_id = fields.Many2one(
        "itsm.ticket", index="btree_not_null", ondelete="set null", check_company=True
    )
    team_id = fields.Many2one(related="ticket_id.team_id", store=True, string="Team")
    agent_id = fields.Many2one(related="ticket_id.user_id", store=True, string="Agent")
    service_id = fields.Many2one(related="ticket_id.service_id", store=True, string="Service")
    partner_id = fields.Many2one("res.partner", "Person", required=True, index=True)
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", store=True, string="Customer", index=True
    )
    partner_phone = fields.Char(related="partner_id.phone", string="Phone")
    caller_id = fields.Many2one("res.users", index=True, tracking=True, domain=[("share", "=", False)])
    due_date = fields.Date(index=True)
    state = fields.Selection(
        [("todo", "To Do"), ("done", "Answered"), ("unreachable", "Unreachable"), ("refused", "Refused")],
        default="todo",
        required=True,
        tracking=True,
        index=True,
    )
    done_at = fields.Datetime("Answered On", readonly=True, copy=False)
    survey_id = fields.Many2one(related="campaign_id.survey_id")
    user_input_id = fields.Many2one("survey.user_input", "Survey Answer", readonly=True, copy=False)
    survey_url = fields.Char(compute="_compute_survey_url")
    # answers
    overall_score = fields.Selection(SCORES, "Overall Satisfaction", tracking=True)
    timeliness_score = fields.Selection(SCORES, "Timeliness")
    courtesy_score = fields.Selection(SCORES, "Courtesy")
    informed = fields.Selection(YES_NO, "Informed of Changes")
    advice_given = fields.Selection(YES_NO, "Advice on Prevention Given")
    comment = fields.Text("Opinions and Suggestions")
    score = fields.Float(compute="_compute_score", store=True, aggregator="avg")
    scored_count = fields.Integer(compute="_compute_score", store=True)
    satisfied_count = fields.Integer(compute="_compute_score", store=True)
    needs_followup = fields.Boolean("Follow-up", readonly=True, copy=False, index=True)

    @api.depends("overall_score")
    def _compute_score(self):
        for callback in self:
            score = int(callback.overall_score or 0)
            callback.score = score
            callback.scored_count = 1 if score else 0
            callback.satisfied_count = 1 if score >= 4 else 0

    @api.depends("user_input_id")
    def _compute_survey_url(self):
        for callback in self:
            user_input = callback.user_input_id
            callback.survey_url = (
                f"/survey/start/{user_input.survey_id.access_token}?answer_token={user_input.access_token}"
                if user_input
                else False
            )

    def _itsm_invite_to_survey(self):
        """Create each person's survey answer (their personal link) and e-mail the invitations."""
        to_invite = self.filtered(lambda c: c.survey_id and not c.user_input_id)
        if not to_invite:
            return
        inputs = (
            self.env["survey.user_input"]
            .sudo()
            .create(
                [
                    {
                        "survey_id": callback.survey_id.id,
                        "partner_id": callback.partner_id.id,
                        "email": callback.partner_id.email,
                        "nickname": callback.partner_id.name,
                        "itsm_callback_id": callback.id,
                        "deadline": callback.due_date,
                    }
                    for callback in to_invite
                ]
            )
        )
        for callback, user_input in zip(to_invite, inputs, strict=True):
            callback.user_input_id = user_input
        by_email = to_invite.filtered(lambda c: c.method == "email" and c.partner_id.email)
        if by_email:
            self.env.ref("itsm_satisfaction.mail_template_callback_invitation").send_mail_batch(
                by_email.ids, email_layout_xmlid="mail.mail_notification_light"
            )

    def action_mark_done(self):
        """The caller recorded the answers of a phone callback."""
        for callback in self:
            if not callback.overall_score:
                raise UserError(
                    self.env._(
                        "Record at least the overall satisfaction of %s.", callback.partner_id.display_name
                    )
                )
        self._itsm_answered()
        return True

    def action_mark_unreachable(self):
        self.write({"state": "unreachable"})
        return True

    def action_mark_refused(self):
        self.write({"state": "refused"})
        return True

    def action_reset(self):
        self.write({"state": "todo", "done_at": False})
        return True

    def _itsm_answered(self):
        self.write({"state": "done", "done_at": fields.Datetime.now()})
        low = self.filtered(
            lambda c: c.overall_score and int(c.overall_score) < c.company_id.itsm_followup_threshold
        )
        if low:
            low.write({"needs_followup": True})
            for callback in low:
                lead = callback.team_id.leader_id or callback.campaign_id.user_id or self.env.user
                callback.activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=lead.id,
                    summary=self.env._("Follow up a dissatisfied answer (%s/5)", callback.overall_score),
                    note=callback.comment or False,
                )

    def _itsm_apply_survey_answers(self):
        """Copy the answers of each finished survey into its callback's fields."""
        for callback in self:
            values = {}
            for line in callback.user_input_id.user_input_line_ids.filtered(lambda line: not line.skipped):
                field_name = line.question_id.itsm_callback_field
                if not field_name:
                    continue
                if line.answer_type == "scale":
                    values[field_name] = str(min(max(line.value_scale, 1), 5))
                elif line.answer_type == "suggestion":
                    values[field_name] = line.suggested_answer_id.itsm_value or False
                elif line.answer_type in ("char_box", "text_box"):
                    values[field_name] = line.value_char_box or line.value_text_box
            callback.write(values)
        self._itsm_answered()

    def action_open_survey_answer(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "survey.user_input",
            "res_id": self.user_input_id.id,
            "views": [[False, "form"]],
        }
