"""The XLSX of an issued management report: one sheet per section, native charts, no live formula."""

from odoo.addons.itsm_service_report.report.issued_report_xlsx import IssuedReportWorkbook


def render_xlsx(report):
    env = report.env
    book = IssuedReportWorkbook()
    figures = [
        (env._("Company"), report.company_id.name),
        (env._("Period From"), str(report.date_from)),
        (env._("Period To"), str(report.date_to)),
        (env._("Time Zone"), report.tz),
        (env._("Tickets"), report.ticket_count),
        (env._("Incidents"), report.incident_count),
        (env._("Service Requests"), report.request_count),
        (env._("Resolved"), report.closed_count),
        (env._("Backlog at Period End"), report.backlog_count),
        (env._("First-Line Resolution %"), report.line1_rate),
        (env._("Reopen %"), report.reopen_rate),
        (env._("SLA Met %"), report.sla_met_pct),
        (env._("SLA Breaches"), report.sla_breached_count),
        (env._("Major Incidents"), report.major_incident_count),
        (env._("Major Incidents Reviewed"), report.major_reviewed_count),
        (env._("Average Rating (1-5)"), report.rating_avg),
        (env._("Ratings Answered"), report.rating_count),
        (env._("Default Ratings"), report.default_rating_count),
        (env._("Callbacks Answered"), report.callback_count),
        (env._("Complaints"), report.complaint_count),
        (env._("Suggestions"), report.suggestion_count),
        (env._("Improvements Opened"), report.improvement_opened_count),
        (env._("Improvements Closed"), report.improvement_closed_count),
        (env._("Vendor Tickets"), report.vendor_ticket_count),
    ]
    book.summary_sheet(env._("Summary"), env._("Management report %s", report.name), figures)

    volume_headers = [
        env._("Tickets"),
        env._("Incidents"),
        env._("Service Requests"),
        env._("Change Requests"),
        env._("Questions"),
        env._("Resolved"),
        env._("First-Line Resolution %"),
        env._("Reopen %"),
        env._("SLA Met"),
        env._("SLA Breaches"),
        env._("SLA Met %"),
        env._("Resolution, 90th Percentile (Working Hours)"),
    ]

    def volume_row(line):
        return [
            line.name,
            line.ticket_count,
            line.incident_count,
            line.request_count,
            line.change_count,
            line.question_count,
            line.closed_count,
            line.line1_rate,
            line.reopen_rate,
            line.met_count,
            line.breached_count,
            line.met_pct,
            line.p90_hours,
        ]

    book.lines_sheet(
        env._("Services"),
        report._lines("service"),
        [env._("Service"), *volume_headers],
        volume_row,
        1,
    )
    book.lines_sheet(env._("Teams"), report._lines("team"), [env._("Team"), *volume_headers], volume_row, 1)
    book.lines_sheet(
        env._("Staff"),
        report._lines("staff"),
        [env._("Agent"), env._("Team"), env._("Tickets Assigned"), env._("Tickets Handled")],
        lambda line: [line.name, line.category, line.ticket_count, line.closed_count],
        3,
    )
    book.lines_sheet(
        env._("Suppliers"),
        report._lines("supplier"),
        [
            env._("Vendor"),
            env._("Underpinning Contracts"),
            env._("Vendor Tickets"),
            env._("Resolved"),
            env._("Open"),
            env._("Average Response (h)"),
            env._("Average Resolution (h)"),
            env._("SLA Met"),
            env._("SLA Breaches"),
            env._("SLA Met %"),
        ],
        lambda line: [
            line.name,
            line.category,
            line.ticket_count,
            line.closed_count,
            line.open_count,
            line.avg_hours,
            line.hours,
            line.met_count,
            line.breached_count,
            line.met_pct,
        ],
        2,
    )
    book.lines_sheet(
        env._("Major Incidents"),
        report._lines("major_incident"),
        [
            env._("Reference"),
            env._("Subject"),
            env._("Service"),
            env._("Review"),
            env._("Date"),
            env._("Duration (h)"),
        ],
        lambda line: [
            line.reference,
            line.name,
            line.category,
            line.status,
            str(line.date or ""),
            line.hours,
        ],
    )
    book.lines_sheet(
        env._("Complaints"),
        report._lines("complaint"),
        [env._("Reference"), env._("Subject"), env._("Customer / Severity"), env._("Status"), env._("Date")],
        lambda line: [line.reference, line.name, line.category, line.status, str(line.date or "")],
    )
    book.lines_sheet(
        env._("Improvements"),
        report._lines("improvement"),
        [env._("Action"), env._("Status"), env._("Date")],
        lambda line: [line.name, line.status, str(line.date or "")],
    )
    book.lines_sheet(
        env._("Highlights"),
        report._lines("highlight"),
        [env._("Highlight"), env._("Kind"), env._("Date"), env._("Description")],
        lambda line: [line.name, line.category, str(line.date.date() if line.date else ""), line.note],
    )
    book.trend_sheet(
        env._("Trends"),
        report.trend_ids.sorted("sequence"),
        [
            env._("Period"),
            env._("Tickets"),
            env._("SLA Met %"),
            env._("Average Satisfaction (1-5)"),
            env._("Complaints"),
            env._("Major Incidents"),
        ],
        lambda trend: [
            trend.name,
            trend.ticket_count,
            trend.sla_met_pct,
            trend.satisfaction_avg,
            trend.complaint_count,
            trend.major_incident_count,
        ],
    )
    return book.close()
