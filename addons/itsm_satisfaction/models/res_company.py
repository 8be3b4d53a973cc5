from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    itsm_survey_min_days = fields.Integer(
        "Minimum Days Between Requests",
        default=30,
        help="Nobody is asked for an opinion (rating request, callback, survey) twice within this "
        "many days. 0 disables the rule.",
    )
    itsm_default_rating_days = fields.Integer(
        "Default Rating After (days)",
        default=7,
        help="A rating request left unanswered this many days gets the default rating. 0 disables it.",
    )
    itsm_default_rating_value = fields.Integer(
        "Default Rating Value",
        default=5,
        help="Rating (1 to 5) recorded when the requester does not answer; reported apart from real answers.",
    )
    itsm_followup_threshold = fields.Integer(
        "Follow-up Below",
        default=3,
        help="A rating or callback answer below this value (1 to 5) opens a follow-up activity "
        "for the team lead.",
    )

    _sql_constraints = [
        (
            "itsm_default_rating_value_range",
            "CHECK (itsm_default_rating_value BETWEEN 1 AND 5)",
            "The default rating must be between 1 and 5.",
        ),
        (
            "itsm_satisfaction_days_positive",
            "CHECK (itsm_survey_min_days >= 0 AND itsm_default_rating_days >= 0)",
            "Days cannot be negative.",
        ),
    ]
