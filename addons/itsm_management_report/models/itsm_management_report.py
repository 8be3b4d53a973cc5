import logging
from datetime import datetime, time, timedelta

import psycopg2
import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, html2plaintext

from odoo.addons.itsm_service_report.models.itsm_service_report import (
    PERIOD_KINDS,
    PERIOD_MONTHS,
    REPORT_STATES,
    TREND_PERIODS,
    period_label,
    period_start,
)
from odoo.addons.itsm_service_report.report.svg_charts import bar_chart, line_chart

from ..report.management_report_xlsx import render_xlsx

_logger = logging.getLogger(__name__)

LIST_LIMIT = 50  # complaints, major incidents and improvement actions listed by name
# what an issued report sent to the board: never changed afterwards
FROZEN_FIELDS = {
    "company_id",
    "period_kind",
    "date_from",
    "tz",
    "issued_at",
    "ticket_count",
    "incident_count",
    "request_count",
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
    "vendor_ticket_count",
    "highlight_count",
    "line_ids",
    "trend_ids",
}


class ItsmManagementReport(models.Model):
    """The management report of a company and period (ISO/IEC 20000-1 9.4, 9.3 management review).

    Like the service report of a customer, but for the whole company: a draft shows nothing;
    issuing computes every section once with grouped queries (their number does not depend on
    the number of tickets) and stores the figures in the report and its lines, so an issued
    report keeps what the board received. Periods are cut at midnight in the company's zone.
    """

    _name = "itsm.management.report"
    _description = "Management Report"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_from desc, period_kind, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    period_kind = fields.Selection(PERIOD_KINDS, "Period", required=True, default="quarter")
    date_from = fields.Date(
        "Period From", required=True, default=lambda self: self._default_date_from(), tracking=True
    )
    date_to = fields.Date("Period To", compute="_compute_date_to", store=True)
    tz = fields.Char("Time Zone", readonly=True, help="The time zone the period was cut in when issued.")
    state = fields.Selection(REPORT_STATES, default="draft", required=True, readonly=True, tracking=True)
    issued_at = fields.Datetime(readonly=True, copy=False)
    pdf_attachment_id = fields.Many2one("ir.attachment", "Issued PDF", readonly=True, copy=False)

    # headline figures, stored when issued
    ticket_count = fields.Integer("Tickets", readonly=True)
    incident_count = fields.Integer("Incidents", readonly=True)
    request_count = fields.Integer("Service Requests", readonly=True)
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
    vendor_ticket_count = fields.Integer("Vendor Tickets", readonly=True)
    highlight_count = fields.Integer("Highlights", readonly=True)

    line_ids = fields.One2many("itsm.management.report.line", "report_id", "Figures", readonly=True)
    trend_ids = fields.One2many("itsm.management.report.trend", "report_id", "Trends", readonly=True)

    _sql_constraints = [
        (
            "period_unique",
            "UNIQUE (company_id, period_kind, date_from)",
            "A company has one management report per period.",
        ),
    ]

    @api.model
    def _default_date_from(self):
        return period_start(fields.Date.context_today(self), "quarter") - relativedelta(months=3)

    @api.depends("date_from", "period_kind")
    def _compute_date_to(self):
        for report in self:
            if report.date_from and report.period_kind:
                months = PERIOD_MONTHS[report.period_kind]
                report.date_to = report.date_from + relativedelta(months=months, days=-1)
            else:
                report.date_to = False

    @api.depends("company_id", "date_from", "period_kind")
    def _compute_name(self):
        for report in self:
            label = period_label(report.date_from, report.period_kind) if report.date_from else ""
            report.name = f"{report.company_id.name or ''} {label}".strip()

    @api.constrains("date_from", "period_kind")
    def _check_period(self):
        for report in self:
            if report.date_from != period_start(report.date_from, report.period_kind):
                raise ValidationError(
                    self.env._("A report period starts on the first day of a month, quarter or year.")
                )

    def write(self, vals):
        if FROZEN_FIELDS.intersection(vals) and any(report.state == "issued" for report in self):
            self.check_access("write")  # who may not write is told so, not that the report is frozen
            raise UserError(
                self.env._("An issued management report cannot be changed: its figures are what was sent.")
            )
        return super().write(vals)

    def _check_draft_figures(self):
        """The figures of a report are set while it is a draft, never after it was issued."""
        if any(report.state == "issued" for report in self):
            raise UserError(
                self.env._("An issued management report cannot be changed: its figures are what was sent.")
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_issued(self):
        if any(report.state == "issued" for report in self):
            raise UserError(self.env._("An issued management report cannot be deleted."))

    # ------------------------------------------------------------------
    # period
    # ------------------------------------------------------------------
    def _period_bounds(self, date_from=None):
        """UTC instants (naive) of the start and end of the period, local midnights of its zone."""
        self.ensure_one()
        zone = pytz.timezone(self.tz or self.env["itsm.service.report"]._company_tz(self.company_id))
        first = date_from or self.date_from
        last = first + relativedelta(months=PERIOD_MONTHS[self.period_kind])

        def utc(day):
            return zone.localize(datetime.combine(day, time.min)).astimezone(pytz.utc).replace(tzinfo=None)

        return utc(first), utc(last)

    # ------------------------------------------------------------------
    # issuing
    # ------------------------------------------------------------------
    def action_issue(self):
        """Compute and freeze the figures of the draft reports and attach their PDF."""
        drafts = self.filtered(lambda r: r.state == "draft")
        now = fields.Datetime.now()
        for report in drafts:
            report.tz = self.env["itsm.service.report"]._company_tz(report.company_id)
            report.write(report.sudo()._compute_figures())
            report.write({"state": "issued", "issued_at": now})
        drafts._on_issued()
        return True

    def _on_issued(self):
        """What follows the issue of reports: the PDF, kept with the report."""
        self._attach_pdf()

    def _ensure_pdf(self):
        """The issued PDF of each report, made now if its issue deferred it (see the service
        report's ``_pdf_deferred``)."""
        self.filtered(lambda r: r.state == "issued" and not r.pdf_attachment_id)._attach_pdf()
        return self.pdf_attachment_id

    def _attach_pdf(self):
        if self.env["itsm.service.report"]._pdf_deferred():
            return
        report_action = self.env.ref("itsm_management_report.action_report_management_report").sudo()
        for report in self:
            content, _format = report_action._render_qweb_pdf(report_action.report_name, report.ids)
            report.pdf_attachment_id = (
                self.env["ir.attachment"]
                .sudo()
                .create(
                    {
                        "name": self.env._("Management report %s.pdf", report.name),
                        "raw": content,
                        "res_model": report._name,
                        "res_id": report.id,
                        "mimetype": "application/pdf",
                    }
                )
            )
            report.message_post(
                body=self.env._("Management report %s issued.", report.name),
                attachment_ids=report.pdf_attachment_id.ids,
                subtype_xmlid="mail.mt_note",
            )

    @api.model
    def _cron_issue_due(self, period_kind="quarter"):
        """Issue, once, the report of the last ended period of every company. Two runs at once
        create each report once: the second run's insert meets the unique constraint and leaves
        that company to the first."""
        reports = self.browse()
        for company in self.env["res.company"].sudo().search([]):  # pylint: disable=no-search-all
            zone = pytz.timezone(self.env["itsm.service.report"]._company_tz(company))
            today = pytz.utc.localize(fields.Datetime.now()).astimezone(zone).date()
            date_from = period_start(period_start(today, period_kind) - timedelta(days=1), period_kind)
            report = self.sudo().search(
                [
                    ("company_id", "=", company.id),
                    ("period_kind", "=", period_kind),
                    ("date_from", "=", date_from),
                ]
            )
            if report.state == "issued":
                continue
            if not report:
                values = {"company_id": company.id, "period_kind": period_kind, "date_from": date_from}
                try:
                    with self.env.cr.savepoint():
                        report = self.sudo().create(values)
                except psycopg2.errors.UniqueViolation:
                    _logger.info(
                        "Management report of company %s for %s already issued by another run",
                        company.id,
                        date_from,
                    )
                    continue
            report.action_issue()
            reports |= report
        return reports

    # ------------------------------------------------------------------
    # figures: each section a fixed number of grouped queries
    # ------------------------------------------------------------------
    def _get_figure_sections(self):
        """The sections computed at issue, in order; a module adds its own here. Each takes the
        period's UTC bounds and returns (values for the report, values of its lines)."""
        return [
            self._figures_tickets,
            self._figures_services_teams,
            self._figures_staff,
            self._figures_suppliers,
            self._figures_major_incidents,
            self._figures_satisfaction,
            self._figures_complaints,
            self._figures_improvements,
            self._figures_highlights,
            self._figures_trends,
        ]

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

    def _ticket_where(self, start, end, alias="t"):
        return SQL(
            "%s = %s AND %s AND %s >= %s AND %s < %s",
            SQL.identifier(alias, "company_id"),
            self.company_id.id,
            SQL.identifier(alias, "active"),
            SQL.identifier(alias, "opened_at"),
            start,
            SQL.identifier(alias, "opened_at"),
            end,
        )

    @staticmethod
    def _pct(part, whole):
        return round(100.0 * part / whole, 2) if whole else 0.0

    def _figures_tickets(self, start, end):
        """Volume, resolution, first-line and reopen rates, the backlog at period end and the
        customer SLA clocks met and breached on the tickets of the period."""
        row = self.env.execute_query_dict(
            SQL(
                """
                SELECT COUNT(*) FILTER (WHERE t.opened_at >= %(start)s) AS tickets,
                       COUNT(*) FILTER (WHERE t.opened_at >= %(start)s AND t.kind = 'incident') AS incidents,
                       COUNT(*) FILTER (WHERE t.opened_at >= %(start)s
                                          AND t.kind = 'service_request') AS requests,
                       COUNT(*) FILTER (WHERE t.opened_at >= %(start)s AND t.is_closed) AS closed,
                       COUNT(*) FILTER (WHERE t.opened_at >= %(start)s AND t.is_closed
                                          AND t.is_resolved_by_line1) AS line1,
                       COUNT(*) FILTER (WHERE t.opened_at >= %(start)s AND t.reopen_count > 0) AS reopened,
                       COUNT(*) FILTER (WHERE t.closed_at IS NULL OR t.closed_at >= %(end)s) AS backlog
                  FROM itsm_ticket t
                 WHERE t.company_id = %(company)s AND t.active AND t.opened_at < %(end)s
                """,
                start=start,
                end=end,
                company=self.company_id.id,
            )
        )[0]
        met, breached = self.env.execute_query(
            SQL(
                """
                SELECT COUNT(*) FILTER (WHERE l.status = 'met'), COUNT(*) FILTER (WHERE l.status = 'breached')
                  FROM itsm_ticket_sla l JOIN itsm_ticket t ON t.id = l.ticket_id
                 WHERE l.agreement_kind = 'customer' AND NOT COALESCE(l.is_trial, FALSE) AND %s
                """,
                self._ticket_where(start, end),
            )
        )[0]
        closed = row["closed"]
        return {
            "ticket_count": row["tickets"],
            "incident_count": row["incidents"],
            "request_count": row["requests"],
            "closed_count": closed,
            "backlog_count": row["backlog"],
            "line1_rate": self._pct(row["line1"], closed),
            "reopen_rate": self._pct(row["reopened"], closed),
            "sla_met_count": met,
            "sla_breached_count": breached,
            "sla_met_pct": self._pct(met, met + breached),
        }, []

    def _figures_services_teams(self, start, end):
        """Per service and per team: volumes by kind, resolution, first-line and reopen rates,
        customer SLA met % and breaches, and the 90th percentile of the resolution clocks'
        working hours."""
        where = self._ticket_where(start, end)
        tickets = self.env.execute_query_dict(
            SQL(
                """
                SELECT GROUPING(t.service_id) AS by_team, t.service_id, t.team_id,
                       COUNT(*) AS tickets,
                       COUNT(*) FILTER (WHERE t.kind = 'incident') AS incidents,
                       COUNT(*) FILTER (WHERE t.kind = 'service_request') AS requests,
                       COUNT(*) FILTER (WHERE t.kind = 'change_request') AS changes,
                       COUNT(*) FILTER (WHERE t.kind = 'question') AS questions,
                       COUNT(*) FILTER (WHERE t.is_closed) AS closed,
                       COUNT(*) FILTER (WHERE t.is_closed AND t.is_resolved_by_line1) AS line1,
                       COUNT(*) FILTER (WHERE t.reopen_count > 0) AS reopened
                  FROM itsm_ticket t
                 WHERE %s
              GROUP BY GROUPING SETS ((t.service_id), (t.team_id))
              ORDER BY 4 DESC
                """,
                where,
            )
        )
        sla = {
            (row["by_team"], row["team_id"] if row["by_team"] else row["service_id"]): row
            for row in self.env.execute_query_dict(
                SQL(
                    """
                    SELECT GROUPING(t.service_id) AS by_team, t.service_id, t.team_id,
                           COUNT(*) FILTER (WHERE l.status = 'met') AS met,
                           COUNT(*) FILTER (WHERE l.status = 'breached') AS breached,
                           percentile_cont(0.9) WITHIN GROUP (ORDER BY l.worked_hours)
                               FILTER (WHERE l.metric = 'resolution' AND l.stopped_at IS NOT NULL) AS p90
                      FROM itsm_ticket_sla l JOIN itsm_ticket t ON t.id = l.ticket_id
                     WHERE l.agreement_kind = 'customer' AND NOT COALESCE(l.is_trial, FALSE) AND %s
                  GROUP BY GROUPING SETS ((t.service_id), (t.team_id))
                    """,
                    where,
                )
            )
        }
        services = self.env["itsm.service"].browse({r["service_id"] for r in tickets if r["service_id"]})
        teams = self.env["itsm.team"].browse({r["team_id"] for r in tickets if r["team_id"]})
        services.fetch(["name"])
        teams.fetch(["name"])
        lines = []
        sequences = {0: 0, 1: 0}
        for row in tickets:
            by_team = row["by_team"]
            key = row["team_id"] if by_team else row["service_id"]
            record = teams.browse(key) if by_team else services.browse(key)
            clocks = sla.get((by_team, key), {})
            met, breached = clocks.get("met", 0), clocks.get("breached", 0)
            lines.append(
                {
                    "section": "team" if by_team else "service",
                    "sequence": sequences[by_team],
                    "name": record.display_name if key else self.env._("None"),
                    "ticket_count": row["tickets"],
                    "incident_count": row["incidents"],
                    "request_count": row["requests"],
                    "change_count": row["changes"],
                    "question_count": row["questions"],
                    "closed_count": row["closed"],
                    "line1_rate": self._pct(row["line1"], row["closed"]),
                    "reopen_rate": self._pct(row["reopened"], row["closed"]),
                    "met_count": met,
                    "breached_count": breached,
                    "met_pct": self._pct(met, met + breached),
                    "p90_hours": round(clocks.get("p90") or 0.0, 2),
                }
            )
            sequences[by_team] += 1
        return {}, lines

    def _figures_staff(self, start, end):
        """Per team and agent: tickets assigned among those reported, and tickets handled
        (resolved) in the period, whenever they were reported."""
        rows = self.env.execute_query_dict(
            SQL(
                """
                SELECT t.team_id, t.user_id,
                       COUNT(*) FILTER (WHERE t.opened_at >= %(start)s AND t.opened_at < %(end)s) AS assigned,
                       COUNT(*) FILTER (WHERE t.closed_at >= %(start)s AND t.closed_at < %(end)s) AS handled
                  FROM itsm_ticket t
                 WHERE t.company_id = %(company)s AND t.active AND t.user_id IS NOT NULL
                   AND ((t.opened_at >= %(start)s AND t.opened_at < %(end)s)
                        OR (t.closed_at >= %(start)s AND t.closed_at < %(end)s))
              GROUP BY t.team_id, t.user_id
              ORDER BY 4 DESC, 3 DESC
                """,
                start=start,
                end=end,
                company=self.company_id.id,
            )
        )
        users = self.env["res.users"].browse({r["user_id"] for r in rows})
        teams = self.env["itsm.team"].browse({r["team_id"] for r in rows if r["team_id"]})
        users.fetch(["name"])
        teams.fetch(["name"])
        lines = [
            {
                "section": "staff",
                "sequence": sequence,
                "name": users.browse(row["user_id"]).name,
                "category": teams.browse(row["team_id"]).name if row["team_id"] else self.env._("None"),
                "ticket_count": row["assigned"],
                "closed_count": row["handled"],
            }
            for sequence, row in enumerate(rows)
        ]
        return {}, lines

    def _figures_suppliers(self, start, end):
        """Per vendor: tickets escalated in the period, resolved, still open, average response and
        resolution hours, and the clocks of its underpinning contracts started in the period."""
        company = self.company_id.id
        escalated = {
            row["vendor_id"]: row
            for row in self.env.execute_query_dict(
                SQL(
                    """
                    SELECT v.vendor_id, COUNT(*) AS sent,
                           COUNT(*) FILTER (WHERE v.state = 'resolved') AS resolved,
                           COUNT(*) FILTER (WHERE v.is_open) AS open,
                           AVG(v.response_hours) FILTER (WHERE v.answered_at IS NOT NULL) AS response,
                           AVG(v.resolution_hours) FILTER (WHERE v.resolved_at IS NOT NULL) AS resolution
                      FROM itsm_vendor_ticket v
                     WHERE v.company_id = %s AND v.sent_at >= %s AND v.sent_at < %s
                  GROUP BY v.vendor_id
                    """,
                    company,
                    start,
                    end,
                )
            )
        }
        clocks = {
            row["vendor_id"]: row
            for row in self.env.execute_query_dict(
                SQL(
                    """
                    SELECT c.vendor_id, string_agg(DISTINCT c.name, ', ') AS contracts,
                           COUNT(*) FILTER (WHERE l.status = 'met') AS met,
                           COUNT(*) FILTER (WHERE l.status = 'breached') AS breached
                      FROM itsm_ticket_sla l JOIN itsm_sla_contract c ON c.id = l.contract_id
                     WHERE l.company_id = %s AND l.agreement_kind = 'vendor'
                       AND l.started_at >= %s AND l.started_at < %s
                  GROUP BY c.vendor_id
                    """,
                    company,
                    start,
                    end,
                )
            )
        }
        vendors = self.env["res.partner"].browse(set(escalated) | set(clocks))
        vendors.fetch(["name"])
        lines = []
        ordered = vendors.sorted(lambda v: (-escalated.get(v.id, {}).get("sent", 0), v.name))
        for sequence, vendor in enumerate(ordered):
            sent = escalated.get(vendor.id, {})
            uc = clocks.get(vendor.id, {})
            met, breached = uc.get("met", 0), uc.get("breached", 0)
            lines.append(
                {
                    "section": "supplier",
                    "sequence": sequence,
                    "name": vendor.name,
                    "category": uc.get("contracts") or "",
                    "ticket_count": sent.get("sent", 0),
                    "closed_count": sent.get("resolved", 0),
                    "open_count": sent.get("open", 0),
                    "avg_hours": round(sent.get("response") or 0.0, 2),
                    "hours": round(sent.get("resolution") or 0.0, 2),
                    "met_count": met,
                    "breached_count": breached,
                    "met_pct": self._pct(met, met + breached),
                }
            )
        return {"vendor_ticket_count": sum(row["sent"] for row in escalated.values())}, lines

    def _figures_major_incidents(self, start, end):
        """Major incidents of the period with the state of their post-incident review."""
        domain = [
            ("company_id", "=", self.company_id.id),
            ("is_major_incident", "=", True),
            ("opened_at", ">=", start),
            ("opened_at", "<", end),
        ]
        Ticket = self.env["itsm.ticket"]
        count = Ticket.search_count(domain)
        majors = Ticket.search_fetch(
            domain,
            ["number", "name", "opened_at", "closed_at", "service_id"],
            order="opened_at, id",
            limit=LIST_LIMIT,
        )
        reviews = {}
        for ticket, state in self.env["itsm.major.incident.review"]._read_group(
            [(f"ticket_id.{fname}", operator, value) for fname, operator, value in domain],
            ["ticket_id", "state"],
        ):
            if reviews.get(ticket.id) != "done":
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
                "category": ticket.service_id.display_name or "",
                "status": labels[reviews.get(ticket.id, "none")],
                "date": ticket.opened_at,
                "hours": round((ticket.closed_at - ticket.opened_at).total_seconds() / 3600, 2)
                if ticket.closed_at
                else 0.0,
            }
            for sequence, ticket in enumerate(majors)
        ]
        return {
            "major_incident_count": count,
            "major_reviewed_count": sum(1 for state in reviews.values() if state == "done"),
        }, lines

    def _figures_satisfaction(self, start, end):
        """Real ratings and default ratings apart, and callbacks, of the whole company."""
        values = dict.fromkeys(("rating_count", "default_rating_count", "callback_count"), 0) | {
            "rating_avg": 0.0,
            "callback_avg": 0.0,
        }
        groups = self.env["itsm.satisfaction.report"]._read_group(
            [
                ("company_id", "=", self.company_id.id),
                ("date", ">=", self.date_from),
                ("date", "<=", self.date_to),
            ],
            ["source", "is_default"],
            ["answered_count:sum", "default_count:sum", "score:avg"],
        )
        for source, is_default, answered, defaults, score in groups:
            if source == "rating" and is_default:
                values["default_rating_count"] += defaults or 0
            elif source == "rating":
                values["rating_count"] += answered or 0
                values["rating_avg"] = round(score or 0.0, 2)
            elif source == "callback":
                values["callback_count"] += answered or 0
                values["callback_avg"] = round(score or 0.0, 2)
        return values, []

    def _figures_complaints(self, start, end):
        """Complaints and suggestions received in the period: counts, and the complaints listed."""
        Complaint = self.env["itsm.complaint"]
        domain = [
            ("company_id", "=", self.company_id.id),
            ("received_at", ">=", start),
            ("received_at", "<", end),
        ]
        counts = dict(Complaint._read_group(domain, ["kind"], ["__count"]))
        complaints = Complaint.search_fetch(
            domain + [("kind", "=", "complaint")],
            ["number", "name", "severity", "state", "received_at", "commercial_partner_id"],
            order="received_at, id",
            limit=LIST_LIMIT,
        )
        severities = dict(Complaint._fields["severity"]._description_selection(self.env))
        states = dict(Complaint._fields["state"]._description_selection(self.env))
        lines = [
            {
                "section": "complaint",
                "sequence": sequence,
                "reference": complaint.number,
                "name": complaint.name,
                "category": " / ".join(
                    part
                    for part in (complaint.commercial_partner_id.name, severities.get(complaint.severity))
                    if part
                ),
                "status": states.get(complaint.state, ""),
                "date": complaint.received_at,
            }
            for sequence, complaint in enumerate(complaints)
        ]
        return {
            "complaint_count": counts.get("complaint", 0),
            "suggestion_count": counts.get("suggestion", 0),
        }, lines

    def _figures_improvements(self, start, end):
        """Improvement actions of the company, whatever raised them, opened or closed in the period."""
        Action = self.env["itsm.improvement.action"]
        company = [("company_id", "=", self.company_id.id)]
        opened = Action.search_count(company + [("create_date", ">=", start), ("create_date", "<", end)])
        closed = Action.search_count(company + [("done_at", ">=", start), ("done_at", "<", end)])
        actions = Action.search_fetch(
            company
            + [
                "|",
                "&",
                ("create_date", ">=", start),
                ("create_date", "<", end),
                "&",
                ("done_at", ">=", start),
                ("done_at", "<", end),
            ],
            ["name", "state", "create_date", "done_at"],
            order="done_at, create_date, id",
            limit=LIST_LIMIT,
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
        return {"improvement_opened_count": opened, "improvement_closed_count": closed}, lines

    def _figures_highlights(self, start, end):
        """The highlights the service manager published for the period, copied as they were."""
        highlights = self.env["itsm.communication.highlight"]._get_period_highlights(
            self.company_id, self.date_from, self.date_to
        )
        kinds = dict(highlights._fields["kind"]._description_selection(self.env))
        lines = [
            {
                "section": "highlight",
                "sequence": sequence,
                "name": highlight.name,
                "category": kinds.get(highlight.kind, ""),
                "date": datetime.combine(highlight.date, time(12)),
                "note": html2plaintext(highlight.description or "").strip(),
            }
            for sequence, highlight in enumerate(highlights)
        ]
        return {"highlight_count": len(highlights)}, lines

    def _figures_trends(self, start, end):
        """Volume, SLA met %, satisfaction, complaints and major incidents of the period and the
        five before it."""
        months = PERIOD_MONTHS[self.period_kind]
        first_day = self.date_from - relativedelta(months=months * (TREND_PERIODS - 1))
        trend_start, _end = self._period_bounds(first_day)
        tz = self.tz or "UTC"

        def bucket(column):
            return SQL(
                "date_trunc(%s, (%s AT TIME ZONE 'UTC') AT TIME ZONE %s)::date", self.period_kind, column, tz
            )

        opened = SQL.identifier("t", "opened_at")
        where = self._ticket_where(trend_start, end)
        volume = {
            day: (tickets, majors)
            for day, tickets, majors in self.env.execute_query(
                SQL(
                    "SELECT %s, COUNT(*), COUNT(*) FILTER (WHERE t.is_major_incident)"
                    " FROM itsm_ticket t WHERE %s GROUP BY 1",
                    bucket(opened),
                    where,
                )
            )
        }
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
                    bucket(opened),
                    where,
                )
            )
        }
        complaints = dict(
            self.env.execute_query(
                SQL(
                    """
                    SELECT %s, COUNT(*) FROM itsm_complaint c
                     WHERE c.company_id = %s AND c.kind = 'complaint'
                       AND c.received_at >= %s AND c.received_at < %s
                  GROUP BY 1
                    """,
                    bucket(SQL.identifier("c", "received_at")),
                    self.company_id.id,
                    trend_start,
                    end,
                )
            )
        )
        satisfaction = {
            day.date() if isinstance(day, datetime) else day: score
            for day, score in self.env["itsm.satisfaction.report"]._read_group(
                [
                    ("company_id", "=", self.company_id.id),
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
            tickets, majors = volume.get(day, (0, 0))
            met, decided = sla.get(day, (0, 0))
            trends.append(
                fields.Command.create(
                    {
                        "sequence": index,
                        "name": period_label(day, self.period_kind),
                        "date_from": day,
                        "ticket_count": tickets,
                        "major_incident_count": majors,
                        "complaint_count": complaints.get(day, 0),
                        "sla_met_pct": self._pct(met, decided),
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
        return self.env.ref("itsm_management_report.action_report_management_report").report_action(self)

    def action_export_xlsx(self):
        self.ensure_one()
        attachment = self.env["ir.attachment"].create(
            {
                "name": self.env._("Management report %s.xlsx", self.name),
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

    def _chart_bars(self, section, fname="ticket_count", width=480, height=160, limit=12):
        lines = self._lines(section)[:limit]
        return bar_chart([(line.name, line[fname]) for line in lines], width, height)

    def _chart_trend(self, fname, width=480, height=140, maximum=None):
        trends = self.trend_ids.sorted("sequence")
        return line_chart([(trend.name, trend[fname]) for trend in trends], width, height, maximum)
