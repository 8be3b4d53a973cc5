from odoo import fields, models

from .itsm_callback import ANSWER_FIELDS


class SurveyQuestion(models.Model):
    _inherit = "survey.question"

    itsm_callback_field = fields.Selection(
        ANSWER_FIELDS,
        "Callback Answer",
        help="The answer to this question fills this answer of the satisfaction callback.",
    )


class SurveyQuestionAnswer(models.Model):
    _inherit = "survey.question.answer"

    itsm_value = fields.Selection(
        [("yes", "Yes"), ("no", "No")], "Callback Value", help="Value given to the callback's yes/no answer."
    )
