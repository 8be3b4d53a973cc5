import logging
from datetime import datetime, time, timedelta

import psycopg2
import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, config

from ..report.service_report_xlsx import render_xlsx
from ..report.svg_charts import bar_chart, line_chart

_logger = logging.getLogger(__name__)

PERIOD_KINDS = [("month", "Monthly"), ("quarter", "Quarterly"), ("year", "Yearly")]
PERIOD_MONTHS = {"month": 1, "quarter": 3, "year": 12}
TREND_PERIODS = 6  # the period reported and the five before it
COMMENT_LIMIT = 50
REPORT_STATES = [("draft", "Draft"), ("issued", "Issued")]
# what an issued report sent to its customer: never changed afterwards
FROZEN_FIELDS = {
    "company_id",
    "partner_id",
    "period_kind",
    "date_from",
    "tz",
    "issued_at",
    "ticket_count",
    "closed_count",
    "backlog_count",
    "line1_rate",
    "reopen_rate",
    "sla_measured_count",
    "sla_met_count",
    "sla_breached_count",
    "sla_met_pct",
    "trial_measured_count",
    "trial_met_pct",
    "complaint_count",
    "suggestion_count",
    "major_incident_count",
    "major_reviewed_count",
    "rating_count",
    "rating_avg",
    "default_rating_count",
    "callback_count",
    "callback_avg",
    "followup_count",
    "improvement_opened_count",
    "improvement_closed_count",
    "peak_weekday",
    "peak_hour",
    "sla_line_ids",
    "line_ids",
    "trend_ids",
}


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


class ItsmServiceReport(models.Model):
    """The service report of one customer and period (ISO/IEC 20000-1 9.4 and 8.3.3).

    A draft shows nothing; issuing computes every section once, with grouped queries whose
    number does not depend on the number of tickets, and stores the figures in the report and
    its lines: an issued report keeps what was sent, whatever happens to the tickets later.
    Tickets count in the period they were reported in, cut at midnight in the company's time
    zone (its working hours' zone, else its address's zone, else UTC).
    """

    _name = "itsm.service.report"
    _description = "Service Report"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin", "itsm.improvement.source.mixin"]
    _order = "date_from desc, partner_id, id desc"
    _check_company_auto = True
    _improvement_source_field = "service_report_id"

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner",
        "Customer",
        required=True,
        index=True,
        tracking=True,
        domain=[("is_company", "=", True)],
    )
    period_kind = fields.Selection(PERIOD_KINDS, "Period", required=True, default="month")
    date_from = fields.Date(
        "Period From", required=True, default=lambda self: self._default_date_from(), tracking=True
    )
    date_to = fields.Date("Period To", compute="_compute_date_to", store=True)
    tz = fields.Char("Time Zone", readonly=True, help="The time zone the period was cut in when issued.")
    state = fields.Selection(REPORT_STATES, default="draft", required=True, readonly=True, tracking=True)
    issued_at = fields.Datetime(readonly=True, copy=False)
    # internal: the portal reads the PDF through its controller, never these fields
    review_id = fields.Many2one(
        "itsm.sla.review", "SLA Review", readonly=True, copy=False, groups="itsm_sla.group_sla_manager"
    )
    pdf_attachment_id = fields.Many2one(
        "ir.attachment", "Issued PDF", readonly=True, copy=False, groups="itsm_sla.group_sla_manager"
    )
    contact_ids = fields.Many2many(
        "res.partner",
        string="Published To",
        readonly=True,
        copy=False,
        groups="itsm_sla.group_sla_manager",
        help="The customer's designated contacts.",
    )

    # headline figures, stored when issued
    ticket_count = fields.Integer("Tickets", readonly=True)
    closed_count = fields.Integer("Resolved", readonly=True)
    backlog_count = fields.Integer("Backlog at Period End", readonly=True)
    line1_rate = fields.Float("First-Line Resolution %", readonly=True, aggregator="avg")
    reopen_rate = fields.Float("Reopen %", readonly=True, aggregator="avg")
    sla_measured_count = fields.Integer("SLA Clocks Measured", readonly=True)
    sla_met_count = fields.Integer("SLA Met", readonly=True)
    sla_breached_count = fields.Integer("SLA Breaches", readonly=True)
    sla_met_pct = fields.Float("SLA Met %", readonly=True, aggregator="avg")
    trial_measured_count = fields.Integer("Trial Clocks Measured", readonly=True)
    trial_met_pct = fields.Float("Trial Met %", readonly=True, aggregator="avg")
    complaint_count = fields.Integer("Complaints", readonly=True)
    suggestion_count = fields.Integer("Suggestions", readonly=True)
    major_incident_count = fields.Integer("Major Incidents", readonly=True)
    major_reviewed_count = fields.Integer("Major Incidents Reviewed", readonly=True)
    rating_count = fields.Integer("Ratings Answered", readonly=True)
    rating_avg = fields.Float("Average Rating (1-5)", readonly=True, aggregator="avg")
    default_rating_count = fields.Integer("Default Ratings", readonly=True)
    callback_count = fields.Integer("Callbacks Answered", readonly=True)
    callback_avg = fields.Float("Average Callback Score (1-5)", readonly=True, aggregator="avg")
    followup_count = fields.Integer("Follow-ups", readonly=True)
    improvement_opened_count = fields.Integer("Improvements Opened", readonly=True)
    improvement_closed_count = fields.Integer("Improvements Closed", readonly=True)
    peak_weekday = fields.Char("Busiest Weekday", readonly=True)
    peak_hour = fields.Integer("Busiest Hour", readonly=True)

    sla_line_ids = fields.One2many("itsm.service.report.sla", "report_id", "SLA Results", readonly=True)
    line_ids = fields.One2many("itsm.service.report.line", "report_id", "Figures", readonly=True)
    trend_ids = fields.One2many("itsm.service.report.trend", "report_id", "Trends", readonly=True)

    _sql_constraints = [
        (
            "period_unique",
            "UNIQUE (company_id, partner_id, period_kind, date_from)",
            "A customer has one service report per period.",
        ),
    ]

    improvement_action_ids = fields.One2many(
        "itsm.improvement.action", "service_report_id", "Improvement Actions"
    )

    @api.model
    def _default_date_from(self):
        return period_start(fields.Date.context_today(self), "month") - relativedelta(months=1)

    @api.depends("date_from", "period_kind")
    def _compute_date_to(self):
        for report in self:
            if report.date_from and report.period_kind:
                months = PERIOD_MONTHS[report.period_kind]
                report.date_to = report.date_from + relativedelta(months=months, days=-1)
            else:
                report.date_to = False

    @api.depends("partner_id", "date_from", "period_kind")
    def _compute_name(self):
        for report in self:
            label = period_label(report.date_from, report.period_kind) if report.date_from else ""
            report.name = f"{report.partner_id.name or ''} {label}".strip()

    def _compute_access_url(self):
        super()._compute_access_url()
        for report in self:
            report.access_url = f"/my/service-reports/{report.id}"

    @api.constrains("date_from", "period_kind")
    def _check_period(self):
        for report in self:
            if report.date_from != period_start(report.date_from, report.period_kind):
                raise ValidationError(
                    self.env._("A report period starts on the first day of a month, quarter or year.")
                )

    def write(self, vals):
        if FROZEN_FIELDS.intersection(vals) and any(report.state == "issued" for report in self):
            raise UserError(
                self.env._("An issued service report cannot be changed: its figures are what was sent.")
            )
        return super().write(vals)

    def _check_draft_figures(self):
        """The figures of a report are set while it is a draft, never after it was issued."""
        if any(report.state == "issued" for report in self):
            raise UserError(
                self.env._("An issued service report cannot be changed: its figures are what was sent.")
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_issued(self):
        if any(report.state == "issued" for report in self):
            raise UserError(self.env._("An issued service report cannot be deleted."))

    # ------------------------------------------------------------------
    # period
    # ------------------------------------------------------------------
    @api.model
    def _company_tz(self, company):
        """The zone a company's periods are cut in: its working hours', its address's, else UTC."""
        return company.resource_calendar_id.tz or company.partner_id.tz or "UTC"

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
        """Compute and freeze the figures of the draft reports, attach their PDF to the SLA review
        of the period and publish them to the customers' designated contacts."""
        drafts = self.filtered(lambda r: r.state == "draft")
        now = fields.Datetime.now()
        for report in drafts:
            tz = report._company_tz(report.company_id)
            report.tz = tz
            values = report.sudo()._compute_figures()
            report.write(values)
            report.write({"state": "issued", "issued_at": now})
        drafts._on_issued()
        return True

    def _on_issued(self):
        """What follows the issue of reports: the PDF, the SLA review, the portal."""
        self._attach_pdf()
        self._attach_to_review()
        self._publish()

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
        if self._pdf_deferred():
            return
        report_action = self.env.ref("itsm_service_report.action_report_service_report").sudo()
        for report in self:
            content, _format = report_action._render_qweb_pdf(report_action.report_name, report.ids)
            report.pdf_attachment_id = (
                self.env["ir.attachment"]
                .sudo()
                .create(
                    {
                        "name": self.env._("Service report %s.pdf", report.name),
                        "raw": content,
                        "res_model": report._name,
                        "res_id": report.id,
                        "mimetype": "application/pdf",
                    }
                )
            )

    def _get_reviews(self):
        """The SLA reviews of the customer's contracts whose period contains the report's end."""
        self.ensure_one()
        return (
            self.env["itsm.sla.review"]
            .sudo()
            .search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("contract_id.partner_id", "child_of", self.partner_id.id),
                    ("date_from", "<=", self.date_to),
                    ("date_to", ">=", self.date_to),
                ]
            )
        )

    def _attach_to_review(self):
        for report in self:
            reviews = report._get_reviews()
            for review in reviews:
                attachment = (
                    report.pdf_attachment_id.sudo().copy({"res_model": review._name, "res_id": review.id})
                    if report.pdf_attachment_id
                    else self.env["ir.attachment"]
                )
                review.message_post(
                    body=self.env._("Service report %s issued.", report.name),
                    attachment_ids=attachment.ids,
                    subtype_xmlid="mail.mt_note",
                )
            report.review_id = reviews[:1]

    def _get_designated_contacts(self):
        """The customer's contacts who see the whole company's service on the portal."""
        self.ensure_one()
        return (
            self.env["res.partner"]
            .sudo()
            .search([("commercial_partner_id", "=", self.partner_id.id), ("itsm_company_access", "=", True)])
        )

    def _publish(self):
        for report in self:
            contacts = report._get_designated_contacts()
            report.contact_ids = contacts
            if contacts:
                report.message_subscribe(partner_ids=contacts.ids)
                report.message_post(
                    body=self.env._("Your service report %s is available on your portal.", report.name),
                    partner_ids=contacts.ids,
                    subtype_xmlid="mail.mt_comment",
                    message_type="comment",
                )

    @api.model
    def _cron_issue_due(self, period_kind="month"):
        """Issue, once, the report of the last ended period for every customer with a customer SLA
        contract in force at that period's end. Two runs at once create each report once: the
        second run's insert meets the unique constraint and leaves that customer to the first."""
        reports = self.browse()
        for company in self.env["res.company"].sudo().search([("active", "=", True)]):
            zone = pytz.timezone(self._company_tz(company))
            today = pytz.utc.localize(fields.Datetime.now()).astimezone(zone).date()
            date_to = period_start(today, period_kind) - timedelta(days=1)
            date_from = period_start(date_to, period_kind)
            partners = self._customers_in_force(company, date_to)
            existing = self.sudo().search(
                [
                    ("company_id", "=", company.id),
                    ("partner_id", "in", partners.ids),
                    ("period_kind", "=", period_kind),
                    ("date_from", "=", date_from),
                ]
            )
            todo = existing.filtered(lambda r: r.state == "draft")
            for partner in partners - existing.partner_id:
                values = {
                    "company_id": company.id,
                    "partner_id": partner.id,
                    "period_kind": period_kind,
                    "date_from": date_from,
                }
                try:
                    with self.env.cr.savepoint():
                        todo |= self.sudo().create(values)
                except psycopg2.errors.UniqueViolation:
                    _logger.info(
                        "Service report of %s for %s already issued by another run", partner.id, date_from
                    )
            todo.action_issue()
            reports |= todo
        return reports

    @api.model
    def _customers_in_force(self, company, day):
        """Customers with a customer SLA contract of ``company`` in force on ``day``."""
        contracts = (
            self.env["itsm.sla.contract"]
            .sudo()
            .search(
                [
                    ("company_id", "=", company.id),
                    ("kind", "=", "customer"),
                    ("partner_id", "!=", False),
                    ("state", "in", ("trial", "active", "expired")),
                    ("date_start", "<=", day),
                    "|",
                    ("date_end", "=", False),
                    ("date_end", ">=", day),
                ]
            )
        )
        return contracts.partner_id.commercial_partner_id

    # ------------------------------------------------------------------
    # figures: each section a fixed number of grouped queries
    # ------------------------------------------------------------------
    def _compute_figures(self):
        """Every section of the report, as values for ``write``."""
        self.ensure_one()
        # the sections read tables and SQL views through SQL: everything pending goes first
        self.env.flush_all()
        start, end = self._period_bounds()
        values = {}
        lines = []
        for section in (
            self._figures_sla,
            self._figures_tickets,
            self._figures_workload,
            self._figures_demand,
            self._figures_complaints,
            self._figures_major_incidents,
            self._figures_satisfaction,
            self._figures_improvements,
            self._figures_trends,
        ):
            section_values, section_lines = section(start, end)
            values.update(section_values)
            lines += section_lines
        values["line_ids"] = [fields.Command.create(vals) for vals in lines]
        return values

    def _ticket_where(self, start, end, alias="t"):
        return SQL(
            "%s = %s AND %s = %s AND %s AND %s >= %s AND %s < %s",
            SQL.identifier(alias, "company_id"),
            self.company_id.id,
            SQL.identifier(alias, "commercial_partner_id"),
            self.partner_id.id,
            SQL.identifier(alias, "active"),
            SQL.identifier(alias, "opened_at"),
            start,
            SQL.identifier(alias, "opened_at"),
            end,
        )

    def _figures_sla(self, start, end):
        """Clocks of the customer SLAs on the tickets reported in the period, per target.

        Met % counts the clocks met among those met or breached; averages and 90th percentiles
        are of the working hours of the clocks that stopped (met, or breached and then closed).
        """
        rows = self.env.execute_query_dict(
            SQL(
                """
                SELECT l.contract_id, l.target_id, l.metric, l.is_trial,
                       MAX(l.target_hours) AS target_hours,
                       COUNT(*) AS measured,
                       COUNT(*) FILTER (WHERE l.status = 'met') AS met,
                       COUNT(*) FILTER (WHERE l.status = 'breached') AS breached,
                       AVG(l.worked_hours) FILTER (WHERE l.stopped_at IS NOT NULL) AS avg_hours,
                       percentile_cont(0.9) WITHIN GROUP (ORDER BY l.worked_hours)
                           FILTER (WHERE l.stopped_at IS NOT NULL) AS p90_hours
                  FROM itsm_ticket_sla l
                  JOIN itsm_ticket t ON t.id = l.ticket_id
                 WHERE l.agreement_kind = 'customer' AND %s
              GROUP BY l.contract_id, l.target_id, l.metric, l.is_trial
              ORDER BY l.is_trial, l.contract_id, l.metric, l.target_id
                """,
                self._ticket_where(start, end),
            )
        )
        contracts = self.env["itsm.sla.contract"].browse({row["contract_id"] for row in rows})
        targets = self.env["itsm.sla.target"].browse({row["target_id"] for row in rows})
        contracts.fetch(["name"])
        targets.fetch(["priority", "ticket_kind"])
        sla_lines = []
        totals = {False: [0, 0, 0], True: [0, 0, 0]}
        for sequence, row in enumerate(rows):
            target = targets.browse(row["target_id"])
            decided = row["met"] + row["breached"]
            total = totals[bool(row["is_trial"])]
            total[0] += row["measured"]
            total[1] += row["met"]
            total[2] += row["breached"]
            sla_lines.append(
                fields.Command.create(
                    {
                        "sequence": sequence,
                        "contract_name": contracts.browse(row["contract_id"]).name,
                        "target_id": row["target_id"],
                        "metric": row["metric"],
                        "priority": target.priority or False,
                        "ticket_kind": target.ticket_kind or False,
                        "target_hours": row["target_hours"] or 0.0,
                        "is_trial": row["is_trial"],
                        "measured_count": row["measured"],
                        "met_count": row["met"],
                        "breached_count": row["breached"],
                        "met_pct": round(100.0 * row["met"] / decided, 2) if decided else 0.0,
                        "avg_hours": round(row["avg_hours"] or 0.0, 2),
                        "p90_hours": round(row["p90_hours"] or 0.0, 2),
                    }
                )
            )

        def pct(total):
            decided = total[1] + total[2]
            return round(100.0 * total[1] / decided, 2) if decided else 0.0

        values = {
            "sla_line_ids": sla_lines,
            "sla_measured_count": totals[False][0],
            "sla_met_count": totals[False][1],
            "sla_breached_count": totals[False][2],
            "sla_met_pct": pct(totals[False]),
            "trial_measured_count": totals[True][0],
            "trial_met_pct": pct(totals[True]),
        }
        return values, []

    def _figures_tickets(self, start, end):
        """Volume, resolution, first-line and reopen rates, and the backlog left at period end."""
        row = self.env.execute_query_dict(
            SQL(
                """
                SELECT COUNT(*) FILTER (WHERE t.opened_at >= %(start)s) AS tickets,
                       COUNT(*) FILTER (WHERE t.opened_at >= %(start)s AND t.is_closed) AS closed,
                       COUNT(*) FILTER (WHERE t.opened_at >= %(start)s AND t.is_closed
                                          AND t.is_resolved_by_line1) AS line1,
                       COUNT(*) FILTER (WHERE t.opened_at >= %(start)s AND t.reopen_count > 0) AS reopened,
                       COUNT(*) FILTER (WHERE t.closed_at IS NULL OR t.closed_at >= %(end)s) AS backlog
                  FROM itsm_ticket t
                 WHERE t.company_id = %(company)s AND t.commercial_partner_id = %(partner)s
                   AND t.active AND t.opened_at < %(end)s
                """,
                start=start,
                end=end,
                company=self.company_id.id,
                partner=self.partner_id.id,
            )
        )[0]
        closed = row["closed"]
        return {
            "ticket_count": row["tickets"],
            "closed_count": closed,
            "backlog_count": row["backlog"],
            "line1_rate": round(100.0 * row["line1"] / closed, 2) if closed else 0.0,
            "reopen_rate": round(100.0 * row["reopened"] / closed, 2) if closed else 0.0,
        }, []

    def _ticket_domain(self, start, end):
        return [
            ("company_id", "=", self.company_id.id),
            ("commercial_partner_id", "=", self.partner_id.id),
            ("opened_at", ">=", start),
            ("opened_at", "<", end),
        ]

    def _figures_workload(self, start, end):
        """Tickets per kind, service, channel and support line."""
        Ticket = self.env["itsm.ticket"]
        domain = self._ticket_domain(start, end)
        lines = []
        for section, fname in (
            ("kind", "kind"),
            ("service", "service_id"),
            ("channel", "channel"),
            ("support_line", "support_line"),
        ):
            field = Ticket._fields[fname]
            labels = dict(field._description_selection(self.env)) if field.type == "selection" else {}
            groups = Ticket._read_group(domain, [fname], ["__count"], order="__count desc")
            for sequence, (value, count) in enumerate(groups):
                if field.type == "many2one":
                    label = value.display_name if value else self.env._("None")
                else:
                    label = labels.get(value, self.env._("None"))
                lines.append({"section": section, "sequence": sequence, "name": label, "count": count})
        return {}, lines

    def _figures_demand(self, start, end):
        """Tickets reported per weekday and per hour of the day, in the report's time zone."""
        rows = self.env.execute_query(
            SQL(
                """
                SELECT EXTRACT(ISODOW FROM local.at)::int AS weekday,
                       EXTRACT(HOUR FROM local.at)::int AS hour,
                       COUNT(*)
                  FROM itsm_ticket t
                 CROSS JOIN LATERAL (SELECT (t.opened_at AT TIME ZONE 'UTC') AT TIME ZONE %s AS at) local
                 WHERE %s
              GROUP BY GROUPING SETS ((1), (2))
                """,
                self.tz or "UTC",
                self._ticket_where(start, end),
            )
        )
        weekdays = dict(
            self.env["itsm.sla.demand.report"]._fields["weekday"]._description_selection(self.env)
        )
        by_weekday = {weekday: count for weekday, hour, count in rows if weekday is not None and hour is None}
        by_hour = {hour: count for weekday, hour, count in rows if hour is not None and weekday is None}
        lines = [
            {
                "section": "weekday",
                "sequence": day,
                "name": weekdays[str(day)],
                "count": by_weekday.get(day, 0),
            }
            for day in range(1, 8)
        ] + [
            {"section": "hour", "sequence": hour, "name": f"{hour:02d}", "count": by_hour.get(hour, 0)}
            for hour in range(24)
        ]
        values = {"peak_weekday": False, "peak_hour": 0}
        if by_weekday:
            values["peak_weekday"] = weekdays[str(max(by_weekday, key=lambda d: (by_weekday[d], -d)))]
            values["peak_hour"] = max(by_hour, key=lambda h: (by_hour[h], -h))
        return values, lines

    def _figures_complaints(self, start, end):
        complaints = self.env["itsm.complaint"].search_fetch(
            [
                ("company_id", "=", self.company_id.id),
                ("commercial_partner_id", "=", self.partner_id.id),
                ("received_at", ">=", start),
                ("received_at", "<", end),
            ],
            ["number", "name", "kind", "severity", "state", "received_at"],
            order="received_at, id",
        )
        Complaint = self.env["itsm.complaint"]
        kinds = dict(Complaint._fields["kind"]._description_selection(self.env))
        severities = dict(Complaint._fields["severity"]._description_selection(self.env))
        states = dict(Complaint._fields["state"]._description_selection(self.env))
        lines = [
            {
                "section": "complaint",
                "sequence": sequence,
                "reference": complaint.number,
                "name": complaint.name,
                "category": f"{kinds.get(complaint.kind, '')} / {severities.get(complaint.severity, '')}",
                "status": states.get(complaint.state, ""),
                "date": complaint.received_at,
            }
            for sequence, complaint in enumerate(complaints)
        ]
        return {
            "complaint_count": sum(1 for c in complaints if c.kind == "complaint"),
            "suggestion_count": sum(1 for c in complaints if c.kind == "suggestion"),
        }, lines

    def _figures_major_incidents(self, start, end):
        """Major incidents of the customer, or affecting it, with the state of their post-incident review."""
        Ticket = self.env["itsm.ticket"]
        majors = Ticket.search_fetch(
            [
                ("company_id", "=", self.company_id.id),
                ("is_major_incident", "=", True),
                ("opened_at", ">=", start),
                ("opened_at", "<", end),
                "|",
                ("commercial_partner_id", "=", self.partner_id.id),
                ("affected_partner_ids", "in", self.partner_id.ids),
            ],
            ["number", "name", "opened_at", "closed_at"],
            order="opened_at, id",
        )
        reviews = dict.fromkeys(majors.ids, "none")
        for ticket, state in self.env["itsm.major.incident.review"]._read_group(
            [("ticket_id", "in", majors.ids)], ["ticket_id", "state"]
        ):
            if reviews[ticket.id] != "done":
                reviews[ticket.id] = state
        labels = {
            "none": self.env._("No review"),
            "draft": self.env._("Review in progress"),
            "done": self.env._("Review completed"),
        }
        lines = [
            {
                "section": "major_incident",
                "sequence": sequence,
                "reference": ticket.number,
                "name": ticket.name,
                "status": labels[reviews[ticket.id]],
                "date": ticket.opened_at,
                "hours": round((ticket.closed_at - ticket.opened_at).total_seconds() / 3600, 2)
                if ticket.closed_at
                else 0.0,
            }
            for sequence, ticket in enumerate(majors)
        ]
        return {
            "major_incident_count": len(majors),
            "major_reviewed_count": sum(1 for state in reviews.values() if state == "done"),
        }, lines

    def _figures_satisfaction(self, start, end):
        """Real ratings and default ratings apart, callbacks, and the customer's own words."""
        Satisfaction = self.env["itsm.satisfaction.report"]
        domain = [
            ("company_id", "=", self.company_id.id),
            ("commercial_partner_id", "=", self.partner_id.id),
            ("date", ">=", self.date_from),
            ("date", "<=", self.date_to),
        ]
        values = dict.fromkeys(
            ("rating_count", "default_rating_count", "callback_count", "followup_count"), 0
        ) | {"rating_avg": 0.0, "callback_avg": 0.0}
        groups = Satisfaction._read_group(
            domain,
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
        sources = dict(Satisfaction._fields["source"]._description_selection(self.env))
        comments = Satisfaction.search_fetch(
            domain + [("opinion", "!=", False), ("is_default", "=", False)],
            ["date", "source", "score", "opinion"],
            order="date desc",
            limit=COMMENT_LIMIT,
        )
        lines = [
            {
                "section": "comment",
                "sequence": sequence,
                "name": comment.opinion,
                "category": sources.get(comment.source, ""),
                "value": comment.score or 0.0,
                "date": datetime.combine(comment.date, time(12)) if comment.date else False,
            }
            for sequence, comment in enumerate(comments)
        ]
        return values, lines

    def _figures_improvements(self, start, end):
        """Improvement actions raised from the customer's complaints, opened or closed in the period."""
        Action = self.env["itsm.improvement.action"]
        actions = Action.search_fetch(
            [
                ("company_id", "=", self.company_id.id),
                ("complaint_id.commercial_partner_id", "=", self.partner_id.id),
                "|",
                "&",
                ("create_date", ">=", start),
                ("create_date", "<", end),
                "&",
                ("done_at", ">=", start),
                ("done_at", "<", end),
            ],
            ["name", "state", "due_date", "create_date", "done_at"],
            order="due_date, id",
        )
        states = dict(Action._fields["state"]._description_selection(self.env))
        lines = [
            {
                "section": "improvement",
                "sequence": sequence,
                "name": action.name,
                "status": states.get(action.state, ""),
                "date": action.done_at or action.create_date,
            }
            for sequence, action in enumerate(actions)
        ]
        return {
            "improvement_opened_count": sum(1 for a in actions if start <= a.create_date < end),
            "improvement_closed_count": sum(1 for a in actions if a.done_at and start <= a.done_at < end),
        }, lines

    def _figures_trends(self, start, end):
        """Volume, SLA met % and satisfaction of the period and the five before it."""
        months = PERIOD_MONTHS[self.period_kind]
        first_day = self.date_from - relativedelta(months=months * (TREND_PERIODS - 1))
        trend_start, _end = self._period_bounds(first_day)
        bucket = SQL(
            "date_trunc(%s, (t.opened_at AT TIME ZONE 'UTC') AT TIME ZONE %s)::date",
            self.period_kind,
            self.tz or "UTC",
        )
        where = self._ticket_where(trend_start, end)
        volume = dict(
            self.env.execute_query(
                SQL("SELECT %s, COUNT(*) FROM itsm_ticket t WHERE %s GROUP BY 1", bucket, where)
            )
        )
        sla = {
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
                    bucket,
                    where,
                )
            )
        }
        satisfaction = {
            day.date() if isinstance(day, datetime) else day: score
            for day, score in self.env["itsm.satisfaction.report"]._read_group(
                [
                    ("company_id", "=", self.company_id.id),
                    ("commercial_partner_id", "=", self.partner_id.id),
                    ("date", ">=", first_day),
                    ("date", "<=", self.date_to),
                    ("is_default", "=", False),
                    ("score", "!=", False),
                ],
                [f"date:{self.period_kind}"],
                ["score:avg"],
            )
        }
        trends = []
        for index in range(TREND_PERIODS):
            day = first_day + relativedelta(months=months * index)
            met, decided = sla.get(day, (0, 0))
            trends.append(
                fields.Command.create(
                    {
                        "sequence": index,
                        "name": period_label(day, self.period_kind),
                        "date_from": day,
                        "ticket_count": volume.get(day, 0),
                        "sla_met_pct": round(100.0 * met / decided, 2) if decided else 0.0,
                        "satisfaction_avg": round(satisfaction.get(day) or 0.0, 2),
                        "is_current": day == self.date_from,
                    }
                )
            )
        return {"trend_ids": trends}, []

    # ------------------------------------------------------------------
    # documents
    # ------------------------------------------------------------------
    def action_print_pdf(self):
        self.ensure_one()
        if self.sudo()._ensure_pdf():
            return {
                "type": "ir.actions.act_url",
                "url": f"/web/content/{self.pdf_attachment_id.id}?download=true",
                "target": "self",
            }
        return self.env.ref("itsm_service_report.action_report_service_report").report_action(self)

    def action_export_xlsx(self):
        self.ensure_one()
        attachment = self.env["ir.attachment"].create(
            {
                "name": self.env._("Service report %s.xlsx", self.name),
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
        self.ensure_one()
        return render_xlsx(self)

    def _lines(self, section):
        return self.line_ids.filtered(lambda line: line.section == section).sorted("sequence")

    def _chart_bars(self, section, width=480, height=160):
        lines = self._lines(section)
        return bar_chart([(line.name, line.count) for line in lines], width, height)

    def _chart_trend(self, fname, width=480, height=140, maximum=None):
        trends = self.trend_ids.sorted("sequence")
        return line_chart([(trend.name, trend[fname]) for trend in trends], width, height, maximum)

    def _pdf_filename(self):
        self.ensure_one()
        return self.env._("Service report %s", self.name)
