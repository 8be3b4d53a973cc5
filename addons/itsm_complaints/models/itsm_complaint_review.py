import io
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.itsm_helpdesk.tools import periods
from odoo.addons.itsm_helpdesk.tools.locking import claim_keys
from odoo.addons.itsm_helpdesk.tools.spreadsheet import safe_cell

from .itsm_complaint_step import DONE_STATES

PERIOD_TYPES = [("monthly", "Monthly"), ("annual", "Annual")]
DIMENSIONS = [
    ("kind", "Kind"),
    ("category", "Category"),
    ("channel", "Channel"),
    ("service", "Service"),
    ("team", "Team"),
    ("feedback", "Feedback"),
    ("step", "Average Hours per Step"),
    ("month", "Month"),
]
# the figures counted by a field of the complaint, in the order they are shown
GROUPED_DIMENSIONS = [
    ("kind", "kind"),
    ("category", "category_id"),
    ("channel", "channel"),
    ("service", "service_id"),
    ("team", "team_id"),
]


class ItsmComplaintReview(models.Model):
    _name = "itsm.complaint.review"
    _description = "Complaint Review"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "period_start desc, period_type, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    period_type = fields.Selection(PERIOD_TYPES, required=True, default="monthly", index=True)
    period_start = fields.Date(required=True, index=True)
    period_end = fields.Date(required=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    state = fields.Selection(
        [("draft", "To Review"), ("done", "Reviewed")], default="draft", required=True, tracking=True
    )
    meeting_date = fields.Date(tracking=True)
    attendee_ids = fields.Many2many("res.users", string="Attendees", domain=[("share", "=", False)])
    minutes = fields.Html("Meeting Minutes", sanitize=True)
    improvement_requirements = fields.Html(sanitize=True, help="The improvements decided at the review.")
    computed_at = fields.Datetime("Figures Computed At", readonly=True)
    received_count = fields.Integer("Received", readonly=True)
    complaint_count = fields.Integer("Complaints", readonly=True)
    suggestion_count = fields.Integer("Suggestions", readonly=True)
    closed_count = fields.Integer("Closed", readonly=True)
    open_count = fields.Integer("Open at Period End", readonly=True)
    overdue_count = fields.Integer("Overdue at Period End", readonly=True)
    late_step_count = fields.Integer("Steps Finished Late", readonly=True)
    escalated_count = fields.Integer("Escalated", readonly=True)
    line_ids = fields.One2many("itsm.complaint.review.line", "review_id", "Figures", readonly=True)
    complaint_ids = fields.Many2many(
        "itsm.complaint", compute="_compute_complaint_ids", string="Complaints of the Period"
    )
    monthly_review_ids = fields.Many2many(
        "itsm.complaint.review", compute="_compute_monthly_review_ids", string="Monthly Reviews"
    )
    improvement_action_ids = fields.One2many("itsm.improvement.action", "review_id", "Improvement Actions")

    _sql_constraints = [
        (
            "period_unique",
            "UNIQUE(company_id, period_type, period_start)",
            "There is already a review of this period for this company.",
        ),
        ("period_check", "CHECK(period_end >= period_start)", "A review period ends after it starts."),
    ]

    @api.depends("period_type", "period_start")
    def _compute_name(self):
        for review in self:
            if not review.period_start:
                review.name = False
            elif review.period_type == "annual":
                review.name = self.env._("Annual complaint review %s", review.period_start.year)
            else:
                review.name = self.env._("Monthly complaint review %s", review.period_start.strftime("%Y-%m"))

    @api.constrains("period_type", "period_start", "period_end")
    def _check_period(self):
        for review in self:
            expected = review._period_bounds(review.period_type, review.period_start)
            if (review.period_start, review.period_end) != expected:
                raise ValidationError(self.env._("A review covers a whole calendar month or year."))

    @api.model
    def _period_bounds(self, period_type, day):
        if period_type == "annual":
            return periods.year_bounds(day)
        return periods.month_bounds(day)

    def _period_datetimes(self):
        """The UTC range of the period's days where the company works (end excluded)."""
        self.ensure_one()
        return self.company_id._itsm_utc_range(self.period_start, self.period_end)

    def _complaint_domain(self):
        start, end = self._period_datetimes()
        return [
            ("company_id", "=", self.company_id.id),
            ("received_at", ">=", start),
            ("received_at", "<", end),
        ]

    @api.depends("company_id", "period_start", "period_end")
    def _compute_complaint_ids(self):
        Complaint = self.env["itsm.complaint"]
        for review in self:
            ready = review.company_id and review.period_start and review.period_end
            review.complaint_ids = Complaint.search(review._complaint_domain()) if ready else Complaint

    @api.depends("company_id", "period_type", "period_start", "period_end")
    def _compute_monthly_review_ids(self):
        for review in self:
            if review.period_type != "annual" or not review.period_start:
                review.monthly_review_ids = False
                continue
            review.monthly_review_ids = self.search(
                [
                    ("company_id", "=", review.company_id.id),
                    ("period_type", "=", "monthly"),
                    ("period_start", ">=", review.period_start),
                    ("period_start", "<=", review.period_end),
                ]
            )

    # ------------------------------------------------------------------
    # figures
    # ------------------------------------------------------------------
    def action_compute_figures(self):
        """Count the period's complaints in the database and store the figures on the review."""
        self.line_ids.sudo().unlink()
        for review in self:
            review._compute_figures()
        return True

    def _compute_figures(self):
        self.ensure_one()
        # figures are evidence of the whole process: they are counted over every complaint of the
        # company, whatever the reader may open
        Complaint = self.env["itsm.complaint"].sudo()
        Log = self.env["itsm.complaint.step.log"].sudo()
        start, end = self._period_datetimes()
        domain = self._complaint_domain()
        lines, counts = [], {}
        for dimension, field_name in GROUPED_DIMENSIONS:
            field = Complaint._fields[field_name]
            labels = dict(field._description_selection(self.env)) if field.type == "selection" else {}
            for key, count in Complaint._read_group(domain, [field_name], ["__count"]):
                if field.type == "selection":
                    label = labels.get(key) or self.env._("Undefined")
                    counts[(dimension, key)] = count
                else:
                    label = key.display_name or self.env._("Undefined")
                lines.append({"dimension": dimension, "label": label, "count": count})
        feedback_labels = dict(Complaint._fields["feedback"]._description_selection(self.env))
        feedback_domain = [
            ("company_id", "=", self.company_id.id),
            ("feedback_at", ">=", start),
            ("feedback_at", "<", end),
            ("feedback", "!=", False),
        ]
        for feedback, count in Complaint._read_group(feedback_domain, ["feedback"], ["__count"]):
            lines.append({"dimension": "feedback", "label": feedback_labels[feedback], "count": count})
        # the time spent in each step finished during the period
        step_labels = dict(Log._fields["state"]._description_selection(self.env))
        left_in_period = [
            ("company_id", "=", self.company_id.id),
            ("left_at", ">=", start),
            ("left_at", "<", end),
        ]
        for state, count, avg_hours in Log._read_group(
            left_in_period, ["state"], ["__count", "duration_hours:avg"]
        ):
            lines.append(
                {"dimension": "step", "label": step_labels[state], "count": count, "value": avg_hours}
            )
        if self.period_type == "annual":
            local = Complaint.with_context(tz=self.company_id.itsm_tz)
            for month, count in local._read_group(domain, ["received_at:month"], ["__count"]):
                lines.append({"dimension": "month", "label": month.strftime("%Y-%m"), "count": count})
        # the steps under way at the end of the period: open items, and those already past due
        active_at_end = [
            ("company_id", "=", self.company_id.id),
            ("entered_at", "<", end),
            "|",
            ("left_at", "=", False),
            ("left_at", ">=", end),
            ("state", "not in", DONE_STATES),
        ]
        self.write(
            {
                "received_count": sum(c for (dim, _k), c in counts.items() if dim == "kind"),
                "complaint_count": counts.get(("kind", "complaint"), 0),
                "suggestion_count": counts.get(("kind", "suggestion"), 0),
                "closed_count": Complaint.search_count(
                    [
                        ("company_id", "=", self.company_id.id),
                        ("state", "=", "closed"),
                        ("closed_at", ">=", start),
                        ("closed_at", "<", end),
                    ]
                ),
                "open_count": Log.search_count(active_at_end),
                "overdue_count": Log.search_count([*active_at_end, ("deadline", "<", end)]),
                "late_step_count": Log.search_count([*left_in_period, ("is_late", "=", True)]),
                "escalated_count": Complaint.search_count([*domain, ("escalation_level", ">", 0)]),
                "computed_at": fields.Datetime.now(),
                "line_ids": [(0, 0, line) for line in lines],
            }
        )

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------
    def action_done(self):
        self.write({"state": "done"})
        return True

    def action_reset(self):
        self.write({"state": "draft"})
        return True

    def action_view_improvement_actions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("itsm_helpdesk.itsm_improvement_action_action")
        action["domain"] = [("review_id", "=", self.id)]
        action["context"] = {"default_review_id": self.id, "default_company_id": self.company_id.id}
        return action

    def action_export_xlsx(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_url",
            "url": f"/itsm_complaints/review/{self.id}/xlsx",
            "target": "self",
        }

    @api.model
    def _cron_generate_reviews(self, today=None):
        """Create and count last month's review of every company (and last year's in January).

        Runs daily but only creates what is missing, so running it twice changes nothing. A
        company whose reviews another run is creating at the same moment is left to that run.
        """
        companies = claim_keys(self.env["res.company"].sudo(), [("active", "=", True)], self._name)
        # "last month" is the company's: on 1 November at 01:30 in Shanghai, October is over
        companies_by_day = defaultdict(lambda: self.env["res.company"])
        for company in companies:
            companies_by_day[today or company._itsm_today()] |= company
        created = self.browse()
        for day, day_companies in companies_by_day.items():
            created |= self._generate_reviews(day, day_companies)
        created.action_compute_figures()
        return created

    @api.model
    def _generate_reviews(self, today, companies):
        """The missing reviews of the periods that ended before ``today`` for ``companies``."""
        to_review = [("monthly", periods.previous_month(today)[0])]
        if today.month == 1:
            to_review.append(("annual", periods.previous_year(today)[0]))
        created = self.browse()
        for period_type, day in to_review:
            start, end = self._period_bounds(period_type, day)
            done = (
                self.sudo()
                .search(
                    [
                        ("period_type", "=", period_type),
                        ("period_start", "=", start),
                        ("company_id", "in", companies.ids),
                    ]
                )
                .company_id
            )
            created |= self.sudo().create(
                [
                    {
                        "period_type": period_type,
                        "period_start": start,
                        "period_end": end,
                        "company_id": company.id,
                    }
                    for company in companies - done
                ]
            )
        return created

    # ------------------------------------------------------------------
    # export
    # ------------------------------------------------------------------
    def _export_xlsx(self):
        """The review as a workbook: figures on one sheet, the complaints the reader may see on another."""
        import xlsxwriter  # noqa: PLC0415 - an optional library, needed only here

        self.ensure_one()
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True, "strings_to_formulas": False})
        bold = workbook.add_format({"bold": True})
        sheet = workbook.add_worksheet(self.env._("Figures"))
        rows = [
            (self.env._("Review"), self.name),
            (self.env._("Company"), self.company_id.name),
            (self.env._("Received"), self.received_count),
            (self.env._("Complaints"), self.complaint_count),
            (self.env._("Suggestions"), self.suggestion_count),
            (self.env._("Closed"), self.closed_count),
            (self.env._("Open at Period End"), self.open_count),
            (self.env._("Overdue at Period End"), self.overdue_count),
            (self.env._("Steps Finished Late"), self.late_step_count),
            (self.env._("Escalated"), self.escalated_count),
        ]
        for row, (label, value) in enumerate(rows):
            sheet.write(row, 0, label, bold)
            sheet.write(row, 1, safe_cell(value))
        row = len(rows) + 1
        dimensions = dict(
            self.env["itsm.complaint.review.line"]._fields["dimension"]._description_selection(self.env)
        )
        for col, title in enumerate(
            (self.env._("Figure"), self.env._("Value"), self.env._("Count"), self.env._("Average Hours"))
        ):
            sheet.write(row, col, title, bold)
        for line in self.line_ids:
            row += 1
            sheet.write(row, 0, dimensions[line.dimension])
            sheet.write(row, 1, safe_cell(line.label))
            sheet.write(row, 2, line.count)
            if line.dimension == "step":
                sheet.write(row, 3, round(line.value, 2))
        sheet.set_column(0, 1, 30)
        complaints = self.env["itsm.complaint"].search(self._complaint_domain())
        listing = workbook.add_worksheet(self.env._("Complaints"))
        headers = [
            self.env._("Number"),
            self.env._("Subject"),
            self.env._("Kind"),
            self.env._("Category"),
            self.env._("Channel"),
            self.env._("Received"),
            self.env._("Status"),
            self.env._("Handler"),
        ]
        for col, title in enumerate(headers):
            listing.write(0, col, title, bold)
        kinds = dict(complaints._fields["kind"]._description_selection(self.env))
        channels = dict(complaints._fields["channel"]._description_selection(self.env))
        states = dict(complaints._fields["state"]._description_selection(self.env))
        for row, complaint in enumerate(complaints, start=1):
            values = [
                complaint.number,
                complaint.name,
                kinds[complaint.kind],
                complaint.category_id.name or "",
                channels[complaint.channel],
                fields.Datetime.to_string(complaint.received_at),
                states[complaint.state],
                complaint.owner_id.name or "",
            ]
            for col, value in enumerate(values):
                listing.write_string(row, col, safe_cell(value))
        listing.set_column(0, 7, 20)
        workbook.close()
        return output.getvalue()


class ItsmComplaintReviewLine(models.Model):
    _name = "itsm.complaint.review.line"
    _description = "Complaint Review Figure"
    _order = "review_id, id"

    review_id = fields.Many2one("itsm.complaint.review", required=True, ondelete="cascade", index=True)
    dimension = fields.Selection(DIMENSIONS, required=True)
    label = fields.Char(required=True)
    count = fields.Integer()
    value = fields.Float("Average Hours", digits=(16, 2))
