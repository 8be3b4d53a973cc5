from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.tools import SQL, html2plaintext

from odoo.addons.itsm_service_report.models.itsm_issued_report_mixin import period_start
from odoo.addons.itsm_sla.report.itsm_sla_report import p90_sql

from ..report.management_report_xlsx import render_xlsx

LIST_LIMIT = 50  # complaints, major incidents and improvement actions listed by name
# what an issued report sent to the board besides the figures of every report (the mixin's):
# never changed afterwards
FROZEN_FIELDS = {
    "incident_count",
    "request_count",
    "vendor_ticket_count",
    "highlight_count",
}


class ItsmManagementReport(models.Model):
    """The management report of a company and period (ISO/IEC 20000-1 9.4, 9.3 management review).

    Like the service report of a customer, but for the whole company, issued once and frozen
    (``itsm.issued.report.mixin``): an issued report keeps what the board received.
    """

    _name = "itsm.management.report"
    _description = "Management Report"
    _inherit = ["itsm.issued.report.mixin"]
    _order = "date_from desc, period_kind, id desc"
    _check_company_auto = True
    _default_period_kind = "quarter"
    _pdf_report_xmlid = "itsm_management_report.action_report_management_report"

    # headline figures of this report, stored when issued (the shared ones: the mixin)
    incident_count = fields.Integer("Incidents", readonly=True)
    request_count = fields.Integer("Service Requests", readonly=True)
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

    @api.depends("company_id", "date_from", "period_kind")
    def _compute_name(self):
        for report in self:
            report.name = report._period_name(report.company_id.name)

    def _get_frozen_fields(self):
        return super()._get_frozen_fields() | FROZEN_FIELDS

    def _get_issued_messages(self):
        return {
            "change": self.env._(
                "An issued management report cannot be changed: its figures are what was sent."
            ),
            "delete": self.env._("An issued management report cannot be deleted."),
        }

    # ------------------------------------------------------------------
    # issuing
    # ------------------------------------------------------------------
    def _on_pdf_attached(self):
        self.message_post(
            body=self.env._("Management report %s issued.", self.name),
            attachment_ids=self.pdf_attachment_id.ids,
            subtype_xmlid="mail.mt_note",
        )
        return super()._on_pdf_attached()

    @api.model
    def _cron_issue_due(self, period_kind="quarter"):
        """Issue, once, the report of the last ended period of every company (see ``_create_once``)."""
        reports = self.browse()
        for company in self.env["res.company"].sudo().search([]):  # pylint: disable=no-search-all
            today = self._company_today(company)
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
                report = self._create_once(
                    {"company_id": company.id, "period_kind": period_kind, "date_from": date_from}
                )
                if not report:
                    continue
            report.action_issue()
            reports |= report
        return reports

    # ------------------------------------------------------------------
    # figures: each section a fixed number of grouped queries
    # ------------------------------------------------------------------
    def _get_figure_sections(self):
        return super()._get_figure_sections() + [
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

    def _figures_tickets(self, start, end):
        """Volume, resolution, first-line and reopen rates, the backlog at period end and the
        customer SLA clocks met and breached on the tickets of the period."""
        row = self._ticket_counts(
            start,
            end,
            SQL("COUNT(*) FILTER (WHERE t.opened_at >= %s AND t.kind = 'incident') AS incidents", start),
            SQL(
                "COUNT(*) FILTER (WHERE t.opened_at >= %s AND t.kind = 'service_request') AS requests", start
            ),
        )
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
        return self._ticket_rates(row) | {
            "incident_count": row["incidents"],
            "request_count": row["requests"],
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
        # the figures of the SLA compliance report, defined there once (its columns and p90)
        clocks_domain = [
            ("company_id", "=", self.company_id.id),
            ("agreement_kind", "=", "customer"),
            ("is_trial", "=", False),
            ("opened_at", ">=", start),
            ("opened_at", "<", end),
            ("ticket_id.active", "=", True),
        ]
        # per service and per team in one pass over the clocks (two grouped reads scanned them
        # twice: half of the report's time for a year at 100,000 tickets)
        Clocks = self.env["itsm.sla.report"]
        query = Clocks._search(clocks_domain)

        def column(fname):
            return Clocks._field_to_sql(Clocks._table, fname, query)

        sla = {
            (by_team, team_id if by_team else service_id): {"met": met, "breached": breached, "p90": p90}
            for by_team, service_id, team_id, met, breached, p90 in self.env.execute_query(
                SQL(
                    "%s GROUP BY GROUPING SETS ((%s), (%s))",
                    query.select(
                        SQL("GROUPING(%s)", column("service_id")),
                        column("service_id"),
                        column("team_id"),
                        SQL("SUM(%s)", column("met_count")),
                        SQL("SUM(%s)", column("breached_count")),
                        p90_sql(column("resolution_p90_hours")),
                    ),
                    column("service_id"),
                    column("team_id"),
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
        lines = self._major_incident_lines(
            majors, reviews, lambda ticket: ticket.service_id.display_name or ""
        )
        return {
            "major_incident_count": count,
            "major_reviewed_count": sum(1 for state in reviews.values() if state == "done"),
        }, lines

    def _figures_satisfaction(self, start, end):
        """Real ratings and default ratings apart, and callbacks, of the whole company."""
        values = self._satisfaction_values()
        del values["followup_count"]  # the board reads no follow-up count
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
        lines = self._complaint_lines(
            complaints,
            lambda c: " / ".join(
                part for part in (c.commercial_partner_id.name, severities.get(c.severity)) if part
            ),
        )
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
        lines = self._improvement_lines(actions)
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
        first_day = self._trend_first_day()
        trend_start, _end = self._period_bounds(first_day)
        where = self._ticket_where(trend_start, end)
        volume = {
            day: (tickets, majors)
            for day, tickets, majors in self.env.execute_query(
                SQL(
                    "SELECT %s, COUNT(*), COUNT(*) FILTER (WHERE t.is_major_incident)"
                    " FROM itsm_ticket t WHERE %s GROUP BY 1",
                    self._trend_bucket(SQL.identifier("t", "opened_at")),
                    where,
                )
            )
        }
        sla = self._trend_sla(where)
        complaints = dict(
            self.env.execute_query(
                SQL(
                    """
                    SELECT %s, COUNT(*) FROM itsm_complaint c
                     WHERE c.company_id = %s AND c.kind = 'complaint'
                       AND c.received_at >= %s AND c.received_at < %s
                  GROUP BY 1
                    """,
                    self._trend_bucket(SQL.identifier("c", "received_at")),
                    self.company_id.id,
                    trend_start,
                    end,
                )
            )
        )
        trends = self._trend_commands(
            {day: tickets for day, (tickets, _majors) in volume.items()},
            sla,
            self._trend_satisfaction(first_day),
            lambda day: {
                "major_incident_count": volume.get(day, (0, 0))[1],
                "complaint_count": complaints.get(day, 0),
            },
        )
        return {"trend_ids": trends}, []

    # ------------------------------------------------------------------
    # documents
    # ------------------------------------------------------------------
    def _get_document_name(self):
        self.ensure_one()
        return self.env._("Management report %s", self.name)

    def _render_xlsx(self):
        self.ensure_one()
        return render_xlsx(self)
