from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.osv import expression
from odoo.tools import SQL

from ..report.service_report_xlsx import render_xlsx
from .itsm_issued_report_mixin import (  # noqa: F401 - the period helpers, where they always were
    PERIOD_KINDS,
    PERIOD_MONTHS,
    REPORT_STATES,
    TREND_PERIODS,
    period_label,
    period_start,
)

COMMENT_LIMIT = 50
# what an issued report sent to its customer besides the figures of every report (the mixin's):
# never changed afterwards
FROZEN_FIELDS = {
    "partner_id",
    "sla_measured_count",
    "trial_measured_count",
    "trial_met_pct",
    "followup_count",
    "peak_weekday",
    "peak_hour",
    "sla_line_ids",
}


class ItsmServiceReport(models.Model):
    """The service report of one customer and period (ISO/IEC 20000-1 9.4 and 8.3.3).

    Issued once and frozen (``itsm.issued.report.mixin``). Tickets count in the period they
    were reported in, cut at midnight in the company's time zone.
    """

    _name = "itsm.service.report"
    _description = "Service Report"
    _inherit = ["itsm.issued.report.mixin", "portal.mixin", "itsm.improvement.source.mixin"]
    _order = "date_from desc, partner_id, id desc"
    _check_company_auto = True
    _pdf_report_xmlid = "itsm_service_report.action_report_service_report"
    _improvement_source_field = "service_report_id"

    partner_id = fields.Many2one(
        "res.partner",
        "Customer",
        required=True,
        index=True,
        tracking=True,
        domain=[("is_company", "=", True)],
    )
    # internal: the portal reads the PDF through its controller, never these fields
    review_id = fields.Many2one(
        "itsm.sla.review", "SLA Review", readonly=True, copy=False, groups="itsm_sla.group_sla_manager"
    )
    pdf_attachment_id = fields.Many2one(groups="itsm_sla.group_sla_manager")
    contact_ids = fields.Many2many(
        "res.partner",
        string="Published To",
        readonly=True,
        copy=False,
        groups="itsm_sla.group_sla_manager",
        help="The customer's designated contacts.",
    )

    # headline figures of this report, stored when issued (the shared ones: the mixin)
    sla_measured_count = fields.Integer("SLA Clocks Measured", readonly=True)
    trial_measured_count = fields.Integer("Trial Clocks Measured", readonly=True)
    trial_met_pct = fields.Float("Trial Met %", readonly=True, aggregator="avg")
    followup_count = fields.Integer("Follow-ups", readonly=True)
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

    @api.depends("partner_id", "date_from", "period_kind")
    def _compute_name(self):
        for report in self:
            report.name = report._period_name(report.partner_id.name)

    def _compute_access_url(self):
        super()._compute_access_url()
        for report in self:
            report.access_url = f"/my/service-reports/{report.id}"

    def _get_frozen_fields(self):
        return super()._get_frozen_fields() | FROZEN_FIELDS

    def _get_issued_messages(self):
        return {
            "change": self.env._(
                "An issued service report cannot be changed: its figures are what was sent."
            ),
            "delete": self.env._("An issued service report cannot be deleted."),
        }

    # ------------------------------------------------------------------
    # issuing
    # ------------------------------------------------------------------
    def _on_issued(self):
        """What follows the issue of reports: the PDF, the SLA review, the portal."""
        result = super()._on_issued()
        self._attach_to_review()
        self._publish()
        return result

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
        contract in force at that period's end (see ``_create_once``)."""
        reports = self.browse()
        for company in self.env["res.company"].sudo().search([("active", "=", True)]):
            date_to = period_start(self._company_today(company), period_kind) - timedelta(days=1)
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
                todo |= self._create_once(
                    {
                        "company_id": company.id,
                        "partner_id": partner.id,
                        "period_kind": period_kind,
                        "date_from": date_from,
                    }
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
    def _get_figure_sections(self):
        return super()._get_figure_sections() + [
            self._figures_sla,
            self._figures_tickets,
            self._figures_workload,
            self._figures_demand,
            self._figures_complaints,
            self._figures_major_incidents,
            self._figures_satisfaction,
            self._figures_improvements,
            self._figures_trends,
        ]

    def _ticket_scope(self, alias):
        return SQL(
            "%s AND %s = %s",
            super()._ticket_scope(alias),
            SQL.identifier(alias, "commercial_partner_id"),
            self.partner_id.id,
        )

    def _satisfaction_domain(self, date_from=None):
        return super()._satisfaction_domain(date_from) + [("commercial_partner_id", "=", self.partner_id.id)]

    def _figures_sla(self, start, end):
        """Clocks of the customer SLAs on the tickets reported in the period, per target.

        Met % counts the clocks met among those met or breached; averages and 90th percentiles
        are of the working hours of the clocks that stopped (met, or breached and then closed).
        """
        # the figures of the SLA compliance report, defined there once
        rows = (
            self.env["itsm.sla.report"]
            .sudo()
            ._compliance(
                [
                    ("company_id", "=", self.company_id.id),
                    ("partner_id", "=", self.partner_id.id),
                    ("agreement_kind", "=", "customer"),
                    ("opened_at", ">=", start),
                    ("opened_at", "<", end),
                    ("ticket_id.active", "=", True),
                ],
                ["is_trial", "contract_id", "metric", "target_id"],
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
            total = totals[bool(row["is_trial"])]
            total[0] += row["count"]
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
                        "measured_count": row["count"],
                        "met_count": row["met"],
                        "breached_count": row["breached"],
                        "met_pct": float(row["met_pct"] or 0.0),
                        "avg_hours": round(row["avg_hours"] or 0.0, 2),
                        "p90_hours": round(row["p90_hours"] or 0.0, 2),
                    }
                )
            )

        def pct(total):
            return self._pct(total[1], total[1] + total[2])

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
        return self._ticket_rates(self._ticket_counts(start, end)), []

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
        lines = self._complaint_lines(
            complaints, lambda c: f"{kinds.get(c.kind, '')} / {severities.get(c.severity, '')}"
        )
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
        lines = self._major_incident_lines(majors, reviews)
        return {
            "major_incident_count": len(majors),
            "major_reviewed_count": sum(1 for state in reviews.values() if state == "done"),
        }, lines

    def _figures_satisfaction(self, start, end):
        """Real ratings and default ratings apart, callbacks, and the customer's own words."""
        Satisfaction = self.env["itsm.satisfaction.report"]
        domain = self._satisfaction_domain()
        values = self._satisfaction_values()
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

    def _improvement_customer_domains(self):
        """The improvement actions that concern the report's customer, one domain per source:
        its complaints, its contracts' SLA reviews, its service reports, ratings of its tickets,
        reviews of major incidents it reported, problems behind its incidents. A module adding a
        source adds its domain."""
        partner_id = self.partner_id.id
        return [
            [("complaint_id.commercial_partner_id", "=", partner_id)],
            [("sla_review_id.partner_id", "=", partner_id)],
            [("service_report_id.partner_id", "=", partner_id)],
            [("satisfaction_ticket_id.commercial_partner_id", "=", partner_id)],
            [("major_incident_review_id.ticket_id.commercial_partner_id", "=", partner_id)],
            [("problem_id.ticket_ids.commercial_partner_id", "=", partner_id)],
        ]

    def _figures_improvements(self, start, end):
        """Improvement actions that concern the customer, opened or closed in the period."""
        Action = self.env["itsm.improvement.action"]
        actions = Action.search_fetch(
            [
                ("company_id", "=", self.company_id.id),
                *expression.OR(self._improvement_customer_domains()),
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
        lines = self._improvement_lines(actions)
        return {
            "improvement_opened_count": sum(1 for a in actions if start <= a.create_date < end),
            "improvement_closed_count": sum(1 for a in actions if a.done_at and start <= a.done_at < end),
        }, lines

    def _figures_trends(self, start, end):
        """Volume, SLA met % and satisfaction of the period and the five before it."""
        first_day = self._trend_first_day()
        trend_start, _end = self._period_bounds(first_day)
        where = self._ticket_where(trend_start, end)
        volume = dict(
            self.env.execute_query(
                SQL(
                    "SELECT %s, COUNT(*) FROM itsm_ticket t WHERE %s GROUP BY 1",
                    self._trend_bucket(SQL.identifier("t", "opened_at")),
                    where,
                )
            )
        )
        trends = self._trend_commands(volume, self._trend_sla(where), self._trend_satisfaction(first_day))
        return {"trend_ids": trends}, []

    # ------------------------------------------------------------------
    # documents
    # ------------------------------------------------------------------
    def _get_document_name(self):
        self.ensure_one()
        return self.env._("Service report %s", self.name)

    def _render_xlsx(self):
        self.ensure_one()
        return render_xlsx(self)
