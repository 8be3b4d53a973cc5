import logging
from datetime import datetime, time

import psycopg2
import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, config

from ..report.svg_charts import bar_chart, line_chart

_logger = logging.getLogger(__name__)

PERIOD_KINDS = [("month", "Monthly"), ("quarter", "Quarterly"), ("year", "Yearly")]
PERIOD_MONTHS = {"month": 1, "quarter": 3, "year": 12}
TREND_PERIODS = 6  # the period reported and the five before it
REPORT_STATES = [("draft", "Draft"), ("issued", "Issued")]
# the headline figures every issued report has
HEADLINE_FIELDS = (
    "ticket_count",
    "closed_count",
    "backlog_count",
    "line1_rate",
    "reopen_rate",
    "sla_met_count",
    "sla_breached_count",
    "sla_met_pct",
    "major_incident_count",
    "major_reviewed_count",
    "rating_count",
    "rating_avg",
    "default_rating_count",
    "callback_count",
    "callback_avg",
    "complaint_count",
    "suggestion_count",
    "improvement_opened_count",
    "improvement_closed_count",
)
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def period_start(day, kind):
    """First day of the period of ``kind`` that contains ``day``."""
    if kind == "month":
        return day.replace(day=1)
    if kind == "quarter":
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    return day.replace(month=1, day=1)


def period_label(day, kind):
    if kind == "month":
        return day.strftime("%Y-%m")
    if kind == "quarter":
        return f"{day.year} Q{(day.month - 1) // 3 + 1}"
    return str(day.year)


class ItsmIssuedReportMixin(models.AbstractModel):
    """A report of a period that is issued once and then never changes (ISO/IEC 20000-1 9.4).

    A draft shows nothing; issuing computes every section once, with grouped queries whose
    number does not depend on the number of tickets, stores the figures in the report and its
    lines, and keeps the PDF: an issued report keeps what was sent, whatever happens to the
    tickets later. Periods are cut at midnight in the company's time zone (its working hours'
    zone, else its address's zone, else UTC), kept in ``tz`` when issued.

    A report model gives its sections (``_get_figure_sections``), the figures frozen at issue
    (``_get_frozen_fields``), its documents (``_pdf_report_xmlid``,
    ``_get_document_name``, ``_render_xlsx``), its messages (``_get_issued_messages``), and
    extends what follows the issue (``_on_issued``, ``_on_pdf_attached``).
    """

    _name = "itsm.issued.report.mixin"
    _description = "Issued Report"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _default_period_kind = "month"
    _pdf_report_xmlid = None  # the QWeb report of the PDF

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    period_kind = fields.Selection(
        PERIOD_KINDS, "Period", required=True, default=lambda self: self._default_period_kind
    )
    date_from = fields.Date(
        "Period From", required=True, default=lambda self: self._default_date_from(), tracking=True
    )
    date_to = fields.Date("Period To", compute="_compute_date_to", store=True)
    tz = fields.Char("Time Zone", readonly=True, help="The time zone the period was cut in when issued.")
    state = fields.Selection(REPORT_STATES, default="draft", required=True, readonly=True, tracking=True)
    issued_at = fields.Datetime(readonly=True, copy=False)
    pdf_attachment_id = fields.Many2one("ir.attachment", "Issued PDF", readonly=True, copy=False)

    # headline figures of every issued report, stored when issued
    ticket_count = fields.Integer("Tickets", readonly=True)
    closed_count = fields.Integer("Resolved", readonly=True)
    backlog_count = fields.Integer("Backlog at Period End", readonly=True)
    line1_rate = fields.Float("First-Line Resolution %", readonly=True, aggregator="avg")
    reopen_rate = fields.Float("Reopen %", readonly=True, aggregator="avg")
    sla_met_count = fields.Integer("SLA Met", readonly=True)
    sla_breached_count = fields.Integer("SLA Breaches", readonly=True)
    sla_met_pct = fields.Float("SLA Met %", readonly=True, aggregator="avg")
    major_incident_count = fields.Integer("Major Incidents", readonly=True)
    major_reviewed_count = fields.Integer("Major Incidents Reviewed", readonly=True)
    rating_count = fields.Integer("Ratings Answered", readonly=True)
    rating_avg = fields.Float("Average Rating (1-5)", readonly=True, aggregator="avg")
    default_rating_count = fields.Integer("Default Ratings", readonly=True)
    callback_count = fields.Integer("Callbacks Answered", readonly=True)
    callback_avg = fields.Float("Average Callback Score (1-5)", readonly=True, aggregator="avg")
    complaint_count = fields.Integer("Complaints", readonly=True)
    suggestion_count = fields.Integer("Suggestions", readonly=True)
    improvement_opened_count = fields.Integer("Improvements Opened", readonly=True)
    improvement_closed_count = fields.Integer("Improvements Closed", readonly=True)

    @api.model
    def _default_date_from(self):
        kind = self._default_period_kind
        return period_start(fields.Date.context_today(self), kind) - relativedelta(months=PERIOD_MONTHS[kind])

    @api.depends("date_from", "period_kind")
    def _compute_date_to(self):
        for report in self:
            if report.date_from and report.period_kind:
                months = PERIOD_MONTHS[report.period_kind]
                report.date_to = report.date_from + relativedelta(months=months, days=-1)
            else:
                report.date_to = False

    def _compute_name(self):
        """``<subject> <period>``: each report model says what its subject is."""
        raise NotImplementedError

    def _period_name(self, subject):
        self.ensure_one()
        label = period_label(self.date_from, self.period_kind) if self.date_from else ""
        return f"{subject or ''} {label}".strip()

    @api.constrains("date_from", "period_kind")
    def _check_period(self):
        for report in self:
            if report.date_from != period_start(report.date_from, report.period_kind):
                raise ValidationError(
                    self.env._("A report period starts on the first day of a month, quarter or year.")
                )

    # ------------------------------------------------------------------
    # freezing
    # ------------------------------------------------------------------
    def _get_frozen_fields(self):
        """The fields an issued report sent: never changed afterwards."""
        return {
            "company_id",
            "period_kind",
            "date_from",
            "tz",
            "issued_at",
            "line_ids",
            "trend_ids",
            *HEADLINE_FIELDS,
        }

    def _get_issued_messages(self):
        """``{"change": ..., "delete": ...}``: what a user is told when touching an issued report."""
        return {
            "change": self.env._("An issued report cannot be changed: its figures are what was sent."),
            "delete": self.env._("An issued report cannot be deleted."),
        }

    def write(self, vals):
        if self._get_frozen_fields().intersection(vals) and any(r.state == "issued" for r in self):
            self.check_access("write")  # who may not write is told so, not that the report is frozen
            raise UserError(self._get_issued_messages()["change"])
        return super().write(vals)

    def _check_draft_figures(self):
        """The figures of a report are set while it is a draft, never after it was issued."""
        if any(report.state == "issued" for report in self):
            raise UserError(self._get_issued_messages()["change"])

    @api.ondelete(at_uninstall=False)
    def _unlink_except_issued(self):
        if any(report.state == "issued" for report in self):
            raise UserError(self._get_issued_messages()["delete"])

    # ------------------------------------------------------------------
    # period
    # ------------------------------------------------------------------
    @api.model
    def _company_tz(self, company):
        """The zone a company's periods are cut in: its working hours', its address's, else UTC."""
        return company.resource_calendar_id.tz or company.partner_id.tz or "UTC"

    @api.model
    def _company_today(self, company):
        """Today in the company's zone: the job reports the periods ended there."""
        zone = pytz.timezone(self._company_tz(company))
        return pytz.utc.localize(fields.Datetime.now()).astimezone(zone).date()

    def _period_bounds(self, date_from=None):
        """UTC instants (naive) of the start and end of the period, local midnights of its zone."""
        self.ensure_one()
        zone = pytz.timezone(self.tz or self._company_tz(self.company_id))
        first = date_from or self.date_from
        last = first + relativedelta(months=PERIOD_MONTHS[self.period_kind])

        def utc(day):
            return zone.localize(datetime.combine(day, time.min)).astimezone(pytz.utc).replace(tzinfo=None)

        return utc(first), utc(last)

    # ------------------------------------------------------------------
    # issuing
    # ------------------------------------------------------------------
    def action_issue(self):
        """Compute and freeze the figures of the draft reports, then what follows (``_on_issued``)."""
        drafts = self.filtered(lambda r: r.state == "draft")
        now = fields.Datetime.now()
        for report in drafts:
            report.tz = report._company_tz(report.company_id)
            report.write(report.sudo()._compute_figures())
            report.write({"state": "issued", "issued_at": now})
        drafts._on_issued()
        return True

    def _on_issued(self):
        """What follows the issue of reports: the PDF, kept with the report."""
        self._attach_pdf()

    @api.model
    def _create_once(self, values):
        """The draft report of ``values``, or none when another run of the job created it first:
        two runs at once create each report once, the second meeting the unique constraint."""
        try:
            with self.env.cr.savepoint():
                return self.sudo().create(values)
        except psycopg2.errors.UniqueViolation:
            _logger.info("%s %s already issued by another run", self._description, values)
            return self.browse()

    # ------------------------------------------------------------------
    # figures: each section a fixed number of grouped queries
    # ------------------------------------------------------------------
    def _get_figure_sections(self):
        """The sections computed at issue, in order; a module adds its own here. Each takes the
        period's UTC bounds and returns (values for the report, values of its lines)."""
        return []

    def _compute_figures(self):
        """Every section of the report, as values for ``write``."""
        self.ensure_one()
        # the sections read tables and SQL views through SQL: everything pending goes first
        self.env.flush_all()
        start, end = self._period_bounds()
        values, lines = {}, []
        for section in self._get_figure_sections():
            section_values, section_lines = section(start, end)
            values.update(section_values)
            lines += section_lines
        values["line_ids"] = [fields.Command.create(vals) for vals in lines]
        return values

    def _ticket_scope(self, alias):
        """SQL condition on the tickets (table ``alias``) the report speaks of."""
        return SQL("%s = %s", SQL.identifier(alias, "company_id"), self.company_id.id)

    def _ticket_where(self, start, end, alias="t"):
        return SQL(
            "%s AND %s AND %s >= %s AND %s < %s",
            self._ticket_scope(alias),
            SQL.identifier(alias, "active"),
            SQL.identifier(alias, "opened_at"),
            start,
            SQL.identifier(alias, "opened_at"),
            end,
        )

    def _satisfaction_domain(self, date_from=None):
        """Domain of the satisfaction measures the report speaks of, from ``date_from``."""
        return [
            ("company_id", "=", self.company_id.id),
            ("date", ">=", date_from or self.date_from),
            ("date", "<=", self.date_to),
        ]

    @staticmethod
    def _pct(part, whole):
        return round(100.0 * part / whole, 2) if whole else 0.0

    def _ticket_counts(self, start, end, *columns):
        """One row of the tickets reported in the period: ``tickets``, ``closed``, ``line1``
        (resolved by line 1), ``reopened``, the ``backlog`` left open at its end, and the
        report's own ``columns`` (SQL over the ticket ``t``, filtered to the period by the caller)."""
        return self.env.execute_query_dict(
            SQL(
                """
                SELECT COUNT(*) FILTER (WHERE t.opened_at >= %(start)s) AS tickets,
                       COUNT(*) FILTER (WHERE t.opened_at >= %(start)s AND t.is_closed) AS closed,
                       COUNT(*) FILTER (WHERE t.opened_at >= %(start)s AND t.is_closed
                                          AND t.is_resolved_by_line1) AS line1,
                       COUNT(*) FILTER (WHERE t.opened_at >= %(start)s AND t.reopen_count > 0) AS reopened,
                       COUNT(*) FILTER (WHERE t.closed_at IS NULL OR t.closed_at >= %(end)s) AS backlog
                       %(columns)s
                  FROM itsm_ticket t
                 WHERE %(scope)s AND t.active AND t.opened_at < %(end)s
                """,
                start=start,
                end=end,
                columns=SQL("").join(SQL(", %s", column) for column in columns),
                scope=self._ticket_scope("t"),
            )
        )[0]

    def _ticket_rates(self, row):
        """The headline ticket figures of a ``_ticket_counts`` row."""
        closed = row["closed"]
        return {
            "ticket_count": row["tickets"],
            "closed_count": closed,
            "backlog_count": row["backlog"],
            "line1_rate": self._pct(row["line1"], closed),
            "reopen_rate": self._pct(row["reopened"], closed),
        }

    def _satisfaction_values(self):
        """Real ratings and default ratings apart, callbacks and follow-ups, in one grouped query."""
        values = dict.fromkeys(
            ("rating_count", "default_rating_count", "callback_count", "followup_count"), 0
        ) | {
            "rating_avg": 0.0,
            "callback_avg": 0.0,
        }
        groups = self.env["itsm.satisfaction.report"]._read_group(
            self._satisfaction_domain(),
            ["source", "is_default"],
            ["answered_count:sum", "default_count:sum", "followup_count:sum", "score:avg"],
        )
        for source, is_default, answered, defaults, followups, score in groups:
            values["followup_count"] += followups or 0
            if source == "rating" and is_default:
                values["default_rating_count"] += defaults or 0
            elif source == "rating":
                values["rating_count"] += answered or 0
                values["rating_avg"] = round(score or 0.0, 2)
            elif source == "callback":
                values["callback_count"] += answered or 0
                values["callback_avg"] = round(score or 0.0, 2)
        return values

    def _major_incident_lines(self, majors, reviews, category=None):
        """Lines of the major incidents, with the state of their post-incident review
        (``reviews``: {ticket id: state}, none when missing) and ``category(ticket)`` if given."""
        labels = {
            "none": self.env._("No review"),
            "draft": self.env._("Review in progress"),
            "done": self.env._("Review completed"),
        }
        return [
            {
                "section": "major_incident",
                "sequence": sequence,
                "reference": ticket.number,
                "name": ticket.name,
                **({"category": category(ticket)} if category else {}),
                "status": labels[reviews.get(ticket.id, "none")],
                "date": ticket.opened_at,
                "hours": round((ticket.closed_at - ticket.opened_at).total_seconds() / 3600, 2)
                if ticket.closed_at
                else 0.0,
            }
            for sequence, ticket in enumerate(majors)
        ]

    def _complaint_lines(self, complaints, category):
        """Lines of the complaints, ``category(complaint)`` their category."""
        states = dict(complaints._fields["state"]._description_selection(self.env))
        return [
            {
                "section": "complaint",
                "sequence": sequence,
                "reference": complaint.number,
                "name": complaint.name,
                "category": category(complaint),
                "status": states.get(complaint.state, ""),
                "date": complaint.received_at,
            }
            for sequence, complaint in enumerate(complaints)
        ]

    def _improvement_lines(self, actions):
        """Lines of the improvement actions, dated when done, else when opened."""
        states = dict(actions._fields["state"]._description_selection(self.env))
        return [
            {
                "section": "improvement",
                "sequence": sequence,
                "name": action.name,
                "status": states.get(action.state, ""),
                "date": action.done_at or action.create_date,
            }
            for sequence, action in enumerate(actions)
        ]

    # ------------------------------------------------------------------
    # trends
    # ------------------------------------------------------------------
    def _trend_first_day(self):
        """First day of the oldest period of the trend."""
        months = PERIOD_MONTHS[self.period_kind]
        return self.date_from - relativedelta(months=months * (TREND_PERIODS - 1))

    def _trend_bucket(self, column):
        """SQL of the first day of the local period of ``column`` (a naive UTC timestamp)."""
        return SQL(
            "date_trunc(%s, (%s AT TIME ZONE 'UTC') AT TIME ZONE %s)::date",
            self.period_kind,
            column,
            self.tz or "UTC",
        )

    def _trend_sla(self, where):
        """{period's first day: (met, met or breached)} of the customer SLA clocks, trial apart."""
        return {
            day: (met, decided)
            for day, met, decided in self.env.execute_query(
                SQL(
                    """
                    SELECT %s, COUNT(*) FILTER (WHERE l.status = 'met'),
                           COUNT(*) FILTER (WHERE l.status IN ('met', 'breached'))
                      FROM itsm_ticket_sla l JOIN itsm_ticket t ON t.id = l.ticket_id
                     WHERE l.agreement_kind = 'customer' AND NOT COALESCE(l.is_trial, FALSE) AND %s
                  GROUP BY 1
                    """,
                    self._trend_bucket(SQL.identifier("t", "opened_at")),
                    where,
                )
            )
        }

    def _trend_satisfaction(self, first_day):
        """{period's first day: average score} of the real (not default) satisfaction answers."""
        return {
            day.date() if isinstance(day, datetime) else day: score
            for day, score in self.env["itsm.satisfaction.report"]._read_group(
                self._satisfaction_domain(first_day) + [("is_default", "=", False), ("score", "!=", False)],
                [f"date:{self.period_kind}"],
                ["score:avg"],
            )
        }

    def _trend_commands(self, tickets, sla, satisfaction, more=None):
        """The trend's lines, one a period: ``tickets``, ``sla`` and ``satisfaction`` map the
        first day of a period to its figures (see ``_trend_sla``, ``_trend_satisfaction``);
        ``more(day)`` gives a report's own figures of the period."""
        months = PERIOD_MONTHS[self.period_kind]
        first_day = self._trend_first_day()
        commands = []
        for index in range(TREND_PERIODS):
            day = first_day + relativedelta(months=months * index)
            met, decided = sla.get(day, (0, 0))
            values = {
                "sequence": index,
                "name": period_label(day, self.period_kind),
                "date_from": day,
                "ticket_count": tickets.get(day, 0),
                "sla_met_pct": self._pct(met, decided),
                "satisfaction_avg": round(satisfaction.get(day) or 0.0, 2),
                "is_current": day == self.date_from,
            }
            commands.append(fields.Command.create(values | (more(day) if more else {})))
        return commands

    # ------------------------------------------------------------------
    # documents
    # ------------------------------------------------------------------
    def _get_document_name(self):
        """Name of the report's documents, without extension (translated)."""
        raise NotImplementedError

    @api.model
    def _pdf_deferred(self):
        """Whether PDFs wait for their first reader: while a module's data loads in a command-line
        install (``--stop-after-init``), no web server answers wkhtmltopdf's requests for the
        report's stylesheets, so the PDF would come out unstyled, with a network error logged.
        The figures are frozen all the same; the PDF is made when it is first needed."""
        return not self.pool.ready and bool(config.get("stop_after_init"))

    def _ensure_pdf(self):
        """The issued PDF of each report, made now if its issue deferred it."""
        self.filtered(lambda r: r.state == "issued" and not r.pdf_attachment_id)._attach_pdf()
        return self.pdf_attachment_id

    def _attach_pdf(self):
        if not self or self._pdf_deferred():
            return
        report_action = self.env.ref(self._pdf_report_xmlid).sudo()
        for report in self:
            content, _format = report_action._render_qweb_pdf(report_action.report_name, report.ids)
            report.pdf_attachment_id = (
                self.env["ir.attachment"]
                .sudo()
                .create(
                    {
                        "name": f"{report._get_document_name()}.pdf",
                        "raw": content,
                        "res_model": report._name,
                        "res_id": report.id,
                        "mimetype": "application/pdf",
                    }
                )
            )
            report._on_pdf_attached()

    def _on_pdf_attached(self):
        """What follows the PDF of one report, once kept."""

    def action_print_pdf(self):
        self.ensure_one()
        if self.sudo()._ensure_pdf():
            return {
                "type": "ir.actions.act_url",
                "url": f"/web/content/{self.pdf_attachment_id.id}?download=true",
                "target": "self",
            }
        return self.env.ref(self._pdf_report_xmlid).report_action(self)

    def action_export_xlsx(self):
        self.ensure_one()
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"{self._get_document_name()}.xlsx",
                "raw": self._render_xlsx(),
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": XLSX_MIMETYPE,
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def _render_xlsx(self):
        raise NotImplementedError

    def _pdf_filename(self):
        self.ensure_one()
        return self._get_document_name()

    def _lines(self, section):
        return self.line_ids.filtered(lambda line: line.section == section).sorted("sequence")

    def _chart_bars(self, section, fname="count", width=480, height=160, limit=None):
        lines = self._lines(section)[:limit]
        return bar_chart([(line.name, line[fname]) for line in lines], width, height)

    def _chart_trend(self, fname, width=480, height=140, maximum=None):
        trends = self.trend_ids.sorted("sequence")
        return line_chart([(trend.name, trend[fname]) for trend in trends], width, height, maximum)


class ItsmIssuedReportFigure(models.AbstractModel):
    """A figure (line, trend, result) of an issued report: set while the report is a draft,
    never after it was issued. The model defines ``report_id`` and ``company_id`` (its report's)."""

    _name = "itsm.issued.report.figure"
    _description = "Issued Report Figure"

    sequence = fields.Integer()

    @api.model_create_multi
    def create(self, vals_list):
        Report = self.env[self._fields["report_id"].comodel_name]
        Report.browse({vals["report_id"] for vals in vals_list})._check_draft_figures()
        return super().create(vals_list)

    def write(self, vals):
        self.check_access("write")
        self.report_id._check_draft_figures()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_issued(self):
        self.report_id._check_draft_figures()


class ItsmIssuedReportLine(models.AbstractModel):
    """One figure of an issued report's sections; the model defines its ``section``s."""

    _name = "itsm.issued.report.line.mixin"
    _inherit = ["itsm.issued.report.figure"]
    _description = "Issued Report Line"
    _order = "report_id, section, sequence, id"

    name = fields.Char("Label")
    reference = fields.Char()
    category = fields.Char()
    status = fields.Char()
    date = fields.Datetime()
    hours = fields.Float("Duration (h)")


class ItsmIssuedReportTrend(models.AbstractModel):
    """One period of an issued report's trend (the period reported and those before it)."""

    _name = "itsm.issued.report.trend.mixin"
    _inherit = ["itsm.issued.report.figure"]
    _description = "Issued Report Trend"
    _order = "report_id, sequence, id"

    name = fields.Char("Period")
    date_from = fields.Date("Period From")
    ticket_count = fields.Integer("Tickets")
    sla_met_pct = fields.Float("SLA Met %")
    satisfaction_avg = fields.Float("Average Satisfaction (1-5)")
    is_current = fields.Boolean("Reported Period")
