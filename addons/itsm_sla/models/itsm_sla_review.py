import base64
import io

import xlsxwriter

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.itsm_helpdesk.tools.spreadsheet import safe_cell


class ItsmSlaReview(models.Model):
    """The periodic service level review of a contract: its report, the minutes, the decisions."""

    _name = "itsm.sla.review"
    _description = "Service Level Review"
    _inherit = ["mail.thread", "mail.activity.mixin", "itsm.improvement.source.mixin"]
    _order = "date_to desc, id desc"
    _improvement_source_field = "sla_review_id"

    contract_id = fields.Many2one("itsm.sla.contract", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="contract_id.company_id", store=True)
    partner_id = fields.Many2one(related="contract_id.partner_id", store=True, string="Customer")
    date_from = fields.Date("Period From", required=True)
    date_to = fields.Date("Period To", required=True)
    state = fields.Selection(
        [("draft", "To Hold"), ("done", "Held")], default="draft", required=True, tracking=True
    )
    report_attachment_id = fields.Many2one("ir.attachment", "Compliance Report", readonly=True)
    minutes = fields.Html(sanitize=True)
    decisions = fields.Html(sanitize=True)
    target_changes = fields.Html("Changed Targets", sanitize=True)
    improvement_action_ids = fields.One2many(
        "itsm.improvement.action", "sla_review_id", "Improvement Actions"
    )

    _sql_constraints = [
        ("period_ordered", "CHECK (date_to >= date_from)", "A review period cannot end before it starts."),
    ]

    @api.depends("contract_id", "date_from", "date_to")
    def _compute_display_name(self):
        for review in self:
            review.display_name = f"{review.contract_id.name} {review.date_from} - {review.date_to}"

    @api.constrains("state", "minutes")
    def _check_minutes(self):
        for review in self:
            if review.state == "done" and not review.minutes:
                raise ValidationError(self.env._("Record the minutes before closing the review."))

    def action_attach_report(self):
        """Render the compliance report of the period as PDF and attach it to the review."""
        report = self.env.ref("itsm_sla.action_report_sla_compliance")
        for review in self:
            pdf, _format = report._render_qweb_pdf(report.report_name, review.ids)
            attachment = self.env["ir.attachment"].create(
                {
                    "name": self.env._("SLA compliance %s.pdf", review.display_name),
                    "datas": base64.b64encode(pdf),
                    "res_model": review._name,
                    "res_id": review.id,
                    "mimetype": "application/pdf",
                }
            )
            review.report_attachment_id = attachment
        return True

    def action_done(self):
        self.write({"state": "done"})
        return True

    def _opened_in_period(self):
        """Domain of the tickets reported during the review's days, in the company's time zone."""
        start, end = self.company_id._itsm_utc_range(self.date_from, self.date_to)
        return [("opened_at", ">=", start), ("opened_at", "<", end)]

    def _get_compliance_rows(self):
        """Compliance figures of the review's contract and period, per metric."""
        self.ensure_one()
        return self.env["itsm.sla.report"]._compliance(
            [
                ("contract_id", "=", self.contract_id.id),
                *self._opened_in_period(),
            ],
            ["metric"],
        )

    def action_export_xlsx(self):
        """Download the compliance figures of the period per metric, priority and month as XLSX."""
        self.ensure_one()
        attachment = self.env["ir.attachment"].create(
            {
                "name": self.env._("SLA compliance %s.xlsx", self.display_name),
                "raw": self._render_xlsx(),
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def _render_xlsx(self):
        report = self.env["itsm.sla.report"]
        rows = report._compliance(
            [
                ("contract_id", "=", self.contract_id.id),
                *self._opened_in_period(),
            ],
            ["metric", "priority"],
        )
        metrics = dict(report._fields["metric"]._description_selection(self.env))
        priorities = dict(report._fields["priority"]._description_selection(self.env))
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"in_memory": True, "strings_to_formulas": False})
        sheet = workbook.add_worksheet(self.env._("Compliance"))
        bold = workbook.add_format({"bold": True})
        sheet.write_row(0, 0, [_safe(self.contract_id.name), _safe(self.partner_id.display_name or "")], bold)
        headers = [
            self.env._("Metric"),
            self.env._("Priority"),
            self.env._("Measured"),
            self.env._("Met"),
            self.env._("Breached"),
            self.env._("Met %"),
            self.env._("Average (h)"),
            self.env._("90th percentile (h)"),
            self.env._("Line 1 %"),
            self.env._("Trial"),
        ]
        sheet.write_row(2, 0, headers, bold)
        for index, row in enumerate(rows, start=3):
            sheet.write_row(
                index,
                0,
                [
                    _safe(metrics.get(row["metric"], "")),
                    _safe(priorities.get(row["priority"], "")),
                    row["count"],
                    row["met"],
                    row["breached"],
                    float(row["met_pct"]) if row["met_pct"] is not None else "",
                    round(row["avg_hours"], 2) if row["avg_hours"] is not None else "",
                    round(row["p90_hours"], 2) if row["p90_hours"] is not None else "",
                    float(row["line1_pct"]) if row["line1_pct"] is not None else "",
                    row["trial"],
                ],
            )
        workbook.close()
        return output.getvalue()


def _safe(text):
    """Text for a spreadsheet cell: never read as a formula."""
    return safe_cell(str(text or ""))
