from odoo import fields, models


class ItsmTeam(models.Model):
    _inherit = "itsm.team"

    use_rating = fields.Boolean(
        "Customer Ratings",
        tracking=True,
        help="Ask the requester to rate the ticket by e-mail and on the portal when it is resolved.",
    )
    rating_template_id = fields.Many2one(
        "mail.template",
        "Rating Request Template",
        domain=[("model", "=", "itsm.ticket")],
        default=lambda self: self.env.ref("itsm_satisfaction.mail_template_ticket_rating_request", False),
    )
    itsm_survey_min_days = fields.Integer(
        "Minimum Days Between Requests",
        help="Overrides the company's interval for this team's rating requests; 0 uses the company's.",
    )

    _sql_constraints = [
        ("itsm_survey_min_days_positive", "CHECK (itsm_survey_min_days >= 0)", "Days cannot be negative."),
    ]

    def _itsm_survey_min_days(self):
        self.ensure_one()
        return self.itsm_survey_min_days or self.company_id.itsm_survey_min_days
