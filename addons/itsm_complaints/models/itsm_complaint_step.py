from odoo import api, fields, models

# the steps of a complaint's life; the last three end it
COMPLAINT_STATES = [
    ("received", "Received"),
    ("investigating", "Investigating"),
    ("responded", "Responded"),
    ("awaiting_feedback", "Awaiting Feedback"),
    ("reported", "Reported"),
    ("closed", "Closed"),
    ("rejected", "Rejected"),
    ("withdrawn", "Withdrawn"),
]
DONE_STATES = ("closed", "rejected", "withdrawn")
TIMED_STATES = [state for state in COMPLAINT_STATES if state[0] not in DONE_STATES]


class ItsmComplaintStep(models.Model):
    _name = "itsm.complaint.step"
    _description = "Complaint Step Duration"
    _order = "company_id, sequence, id"

    state = fields.Selection(TIMED_STATES, required=True)
    sequence = fields.Integer(default=10)
    duration_days = fields.Float(
        "Days Allowed",
        required=True,
        default=1.0,
        help="Calendar days a complaint may stay in this step before it is overdue.",
    )
    company_id = fields.Many2one(
        "res.company", help="Leave empty for the default of every company; a company's own line wins."
    )

    _sql_constraints = [
        ("duration_positive", "CHECK(duration_days > 0)", "A step must allow a positive number of days."),
        ("state_company_unique", "UNIQUE(state, company_id)", "A step is configured once per company."),
    ]

    @api.model
    def _get_durations(self, company_ids):
        """{(company_id, state): days}, a company's own line overriding the shared default."""
        steps = self.sudo().search_fetch(
            ["|", ("company_id", "=", False), ("company_id", "in", list(company_ids))],
            ["state", "duration_days", "company_id"],
            order="company_id",  # NULL (the shared default) last
        )
        durations = {}
        for company_id in company_ids:
            for step in steps:
                if step.company_id.id in (False, company_id):
                    durations.setdefault((company_id, step.state), step.duration_days)
        return durations
