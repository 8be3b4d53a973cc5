from odoo import api, fields, models
from odoo.tools import SQL


class ItsmMoraleReport(models.Model):
    """A team's morale each month, from its pulse's anonymous answers.

    The score of an answer is the mean of its rating questions on a 0–100 scale; a month's score
    is the mean of its answers. A score (and a trend built on it) exists only for at least
    ``_min_answers`` answers: below that the view itself holds NULL, so no read, group, pivot,
    graph or export can show it.
    """

    _name = "itsm.morale.report"
    _inherit = "itsm.sql.report"
    _description = "Staff Morale Analysis"
    _auto = False
    _rec_name = "team_id"
    _order = "period_start desc, team_id"
    _min_answers = 5
    _depends = {
        "itsm.morale.pulse": ["team_id", "company_id", "period_start"],
        "survey.user_input": ["itsm_morale_pulse_id", "state"],
        "survey.user_input.line": ["user_input_id", "question_id", "answer_type", "skipped", "value_scale"],
        "survey.question": ["scale_min", "scale_max"],
    }

    pulse_id = fields.Many2one(
        "itsm.morale.pulse", readonly=True, groups="itsm_communication.group_communication_manager"
    )
    team_id = fields.Many2one("itsm.team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    period_start = fields.Date("Month", readonly=True)
    answer_count = fields.Integer("Answers", readonly=True)
    is_shown = fields.Boolean("Enough Answers", readonly=True)
    score = fields.Float("Morale (%)", readonly=True, aggregator="avg", digits=(5, 1))
    previous_score = fields.Float("Previous Month (%)", readonly=True, aggregator="avg", digits=(5, 1))
    trend = fields.Float("Trend (points)", readonly=True, aggregator="avg", digits=(5, 1))
    is_previous_shown = fields.Boolean("Previous Month Known", readonly=True)
    is_trend_shown = fields.Boolean("Trend Known", readonly=True)
    score_label = fields.Char("Morale", compute="_compute_score_label")

    @api.model
    def _hidden_label(self):
        return self.env._("Not enough answers")

    @api.depends("is_shown", "score")
    def _compute_score_label(self):
        for row in self:
            row.score_label = f"{row.score:.0f} %" if row.is_shown else self._hidden_label()

    def export_data(self, fields_to_export):
        """A figure that is not shown is exported empty, not as the 0 that Odoo reads for NULL."""
        result = super().export_data(fields_to_export)
        shown_by = {"score": "is_shown", "previous_score": "is_previous_shown", "trend": "is_trend_shown"}
        columns = [(index, shown_by[path]) for index, path in enumerate(fields_to_export) if path in shown_by]
        if columns:
            # no one2many here: one exported row per record
            for record, row in zip(self, result["datas"], strict=True):
                for index, flag in columns:
                    if not record[flag]:
                        row[index] = ""
        return result

    def _answer_scores(self):
        """One row per completed morale answer: its pulse and its score (0–100) over the rating questions."""
        return SQL(
            """
            SELECT ui.itsm_morale_pulse_id AS pulse_id, ui.id AS user_input_id,
                   AVG((line.value_scale - question.scale_min) * 100.0
                       / NULLIF(question.scale_max - question.scale_min, 0)) AS score
              FROM survey_user_input ui
              JOIN survey_user_input_line line
                ON line.user_input_id = ui.id
               AND line.answer_type = 'scale'
               AND NOT COALESCE(line.skipped, FALSE)
              JOIN survey_question question ON question.id = line.question_id
             WHERE ui.itsm_morale_pulse_id IS NOT NULL AND ui.state = 'done'
             GROUP BY ui.itsm_morale_pulse_id, ui.id
            """
        )

    def _monthly(self):
        """One row per pulse: its answers and their raw mean score, shown or not."""
        return SQL(
            """
            SELECT pulse.id AS pulse_id, pulse.team_id, pulse.company_id, pulse.period_start,
                   COUNT(answer.user_input_id)::integer AS answer_count, AVG(answer.score) AS raw_score
              FROM itsm_morale_pulse pulse
              LEFT JOIN answer ON answer.pulse_id = pulse.id
             GROUP BY pulse.id, pulse.team_id, pulse.company_id, pulse.period_start
            """
        )

    def _with(self):
        return SQL(
            """
            answer AS (%(answers)s),
            monthly AS (%(monthly)s),
            shown AS (
                SELECT monthly.*,
                       CASE WHEN monthly.answer_count >= %(min)s THEN monthly.raw_score END AS score
                  FROM monthly
            )
            """,
            answers=self._answer_scores(),
            monthly=self._monthly(),
            min=self._min_answers,
        )

    def _select(self):
        return SQL(
            """
            cur.pulse_id AS id, cur.pulse_id, cur.team_id, cur.company_id, cur.period_start,
            cur.answer_count, cur.score IS NOT NULL AS is_shown, cur.score,
            prev.score AS previous_score, cur.score - prev.score AS trend,
            prev.score IS NOT NULL AS is_previous_shown,
            cur.score IS NOT NULL AND prev.score IS NOT NULL AS is_trend_shown
            """
        )

    def _from(self):
        return SQL(
            """
            shown cur
            LEFT JOIN shown prev
              ON prev.team_id = cur.team_id
             AND prev.period_start = (cur.period_start - INTERVAL '1 month')::date
            """
        )
