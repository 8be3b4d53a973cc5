import base64
import io

import xlsxwriter

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.itsm_helpdesk.tools import periods
from odoo.addons.itsm_helpdesk.tools.spreadsheet import safe_cell

DIMENSIONS = [
    ("team_id", "Team"),
    ("agent_id", "Agent"),
    ("service_id", "Service"),
    ("commercial_partner_id", "Customer"),
]


class ItsmSatisfactionReportWizard(models.TransientModel):
    """Monthly or annual satisfaction report, as PDF or XLSX."""

    _name = "itsm.satisfaction.report.wizard"
    _description = "Satisfaction Report"

    period = fields.Selection([("month", "Monthly"), ("year", "Annual")], required=True, default="month")
    date_from = fields.Date(required=True, default=lambda self: self._default_dates()[0])
    date_to = fields.Date(required=True, default=lambda self: self._default_dates()[1])
    dimension = fields.Selection(DIMENSIONS, "Per", required=True, default="team_id")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    xlsx_file = fields.Binary(readonly=True, attachment=False)

    @api.model
    def _default_dates(self, company=None):
        """Last month, where the company works: the report's days are the company's."""
        return periods.previous_month((company or self.env.company)._itsm_today())

    @api.onchange("period")
    def _onchange_period(self):
        if self.period == "year":
            self.date_from, self.date_to = periods.previous_year(
                (self.company_id or self.env.company)._itsm_today()
            )
        else:
            self.date_from, self.date_to = self._default_dates(self.company_id or self.env.company)

    def _domain(self):
        self.ensure_one()
        if self.date_to < self.date_from:
            raise UserError(self.env._("The report period ends before it starts."))
        return [
            ("date", ">=", self.date_from),
            ("date", "<=", self.date_to),
            ("company_id", "=", self.company_id.id),
        ]

    def _get_report_data(self):
        """Figures per dimension value and source, aggregated by the database.

        Real answers and default ratings are counted apart; satisfaction is the share of scored
        real answers rated 4 or 5.
        """
        self.ensure_one()
        report = self.env["itsm.satisfaction.report"]
        groups = report._read_group(
            self._domain(),
            [self.dimension, "source", "is_default"],
            [
                "asked_count:sum",
                "answered_count:sum",
                "default_count:sum",
                "scored_count:sum",
                "satisfied_count:sum",
                "dissatisfied_count:sum",
                "followup_count:sum",
                "informed_count:sum",
                "advice_count:sum",
                "score:sum",
            ],
        )
        rows = {}
        for (
            record,
            source,
            is_default,
            asked,
            answered,
            defaults,
            scored,
            satisfied,
            dissatisfied,
            followups,
            informed,
            advice,
            score_sum,
        ) in groups:
            row = rows.setdefault(
                record,
                {
                    "name": record.display_name or self.env._("Undefined"),
                    "ratings_asked": 0,
                    "ratings_answered": 0,
                    "ratings_default": 0,
                    "callbacks": 0,
                    "callbacks_done": 0,
                    "overall_done": 0,
                    "scored": 0,
                    "satisfied": 0,
                    "dissatisfied": 0,
                    "score_sum": 0.0,
                    "default_scored": 0,
                    "default_satisfied": 0,
                    "followups": 0,
                    "informed": 0,
                    "advice": 0,
                },
            )
            if source == "rating":
                row["ratings_asked"] += asked
                row["ratings_answered"] += answered
                row["ratings_default"] += defaults
            elif source == "callback":
                row["callbacks"] += asked
                row["callbacks_done"] += answered
            else:
                row["overall_done"] += answered
            if is_default:
                row["default_scored"] += scored
                row["default_satisfied"] += satisfied
            else:
                row["scored"] += scored
                row["satisfied"] += satisfied
                row["dissatisfied"] += dissatisfied
                row["score_sum"] += score_sum or 0.0
            row["followups"] += followups
            row["informed"] += informed
            row["advice"] += advice
        lines = sorted(rows.values(), key=lambda row: row["name"])
        for row in lines:
            row["satisfaction"] = 100.0 * row["satisfied"] / row["scored"] if row["scored"] else None
            row["average"] = row["score_sum"] / row["scored"] if row["scored"] else None
        distribution = dict.fromkeys(range(1, 6), 0)
        for score, count in report._read_group(
            self._domain() + [("is_default", "=", False), ("scored_count", "=", 1)], ["score"], ["__count"]
        ):
            distribution[int(round(score))] = distribution.get(int(round(score)), 0) + count
        opinions = report.search_fetch(
            self._domain() + [("opinion", "!=", False), ("is_default", "=", False)],
            ["date", "source", "score", "opinion", "commercial_partner_id"],
            order="date desc",
            limit=200,
        )
        return {"lines": lines, "distribution": distribution, "opinions": opinions}

    def action_print_pdf(self):
        return self.env.ref("itsm_satisfaction.action_report_satisfaction").report_action(self)

    def _xlsx_content(self):
        data = self._get_report_data()
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True, "strings_to_formulas": False})
        bold = workbook.add_format({"bold": True})
        sheet = workbook.add_worksheet(self.env._("Satisfaction"))
        dimension_label = dict(self._fields["dimension"]._description_selection(self.env))[self.dimension]
        headers = [
            dimension_label,
            self.env._("Rating requests"),
            self.env._("Real ratings"),
            self.env._("Default ratings"),
            self.env._("Callbacks planned"),
            self.env._("Callbacks made"),
            self.env._("Overall survey answers"),
            self.env._("Satisfaction (%)"),
            self.env._("Average score"),
            self.env._("Dissatisfied"),
            self.env._("Follow-ups"),
        ]
        sheet.write_row(0, 0, headers, bold)
        for index, row in enumerate(data["lines"], start=1):
            sheet.write_row(
                index,
                0,
                [
                    safe_cell(row["name"]),
                    row["ratings_asked"],
                    row["ratings_answered"],
                    row["ratings_default"],
                    row["callbacks"],
                    row["callbacks_done"],
                    row["overall_done"],
                    round(row["satisfaction"], 1) if row["satisfaction"] is not None else "",
                    round(row["average"], 2) if row["average"] is not None else "",
                    row["dissatisfied"],
                    row["followups"],
                ],
            )
        opinions = workbook.add_worksheet(self.env._("Opinions"))
        opinions.write_row(
            0,
            0,
            [self.env._("Date"), self.env._("Customer"), self.env._("Score"), self.env._("Opinion")],
            bold,
        )
        for index, line in enumerate(data["opinions"], start=1):
            opinions.write_row(
                index,
                0,
                [
                    fields.Date.to_string(line.date),
                    safe_cell(line.commercial_partner_id.display_name or ""),
                    line.score or "",
                    safe_cell(line.opinion),
                ],
            )
        workbook.close()
        return output.getvalue()

    def action_export_xlsx(self):
        self.ensure_one()
        self.xlsx_file = base64.b64encode(self._xlsx_content())
        filename = self.env._("satisfaction_%(start)s_%(end)s.xlsx", start=self.date_from, end=self.date_to)
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/xlsx_file/{filename}?download=true",
            "target": "self",
        }
