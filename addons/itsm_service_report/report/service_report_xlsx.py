"""The XLSX of an issued service report: one sheet per section, native charts, no live formula."""

from .issued_report_xlsx import IssuedReportWorkbook, selection, text, write_row


def render_xlsx(report):
    env = report.env
    book = IssuedReportWorkbook()
    workbook, bold = book.workbook, book.bold
    figures = [
        (env._("Customer"), report.partner_id.display_name),
        (env._("Period From"), str(report.date_from)),
        (env._("Period To"), str(report.date_to)),
        (env._("Time Zone"), report.tz or ""),
        (env._("Tickets"), report.ticket_count),
        (env._("Resolved"), report.closed_count),
        (env._("Backlog at Period End"), report.backlog_count),
        (env._("First-Line Resolution %"), report.line1_rate),
        (env._("Reopen %"), report.reopen_rate),
        (env._("SLA Met %"), report.sla_met_pct),
        (env._("SLA Breaches"), report.sla_breached_count),
        (env._("Trial Met %"), report.trial_met_pct),
        (env._("Complaints"), report.complaint_count),
        (env._("Major Incidents"), report.major_incident_count),
        (env._("Average Rating (1-5)"), report.rating_avg),
        (env._("Ratings Answered"), report.rating_count),
        (env._("Default Ratings"), report.default_rating_count),
        (env._("Callbacks Answered"), report.callback_count),
        (env._("Improvements Opened"), report.improvement_opened_count),
        (env._("Improvements Closed"), report.improvement_closed_count),
    ]
    book.summary_sheet(env._("Summary"), env._("Service report %s", report.name), figures)
    _sla_sheet(workbook, report, bold)
    _workload_sheet(workbook, report, bold)

    def lines(*sections):
        return report.line_ids.filtered(lambda line: line.section in sections)

    book.lines_sheet(
        env._("Non-conformities"),
        lines("complaint", "major_incident"),
        [
            env._("Section"),
            env._("Reference"),
            env._("Subject"),
            env._("Category"),
            env._("Status"),
            env._("Date"),
        ],
        lambda line: [
            selection(line, "section"),
            line.reference,
            line.name,
            line.category,
            line.status,
            str(line.date or ""),
        ],
        width=22,
    )
    book.lines_sheet(
        env._("Comments"),
        lines("comment"),
        [env._("Date"), env._("Source"), env._("Score"), env._("Comment")],
        lambda line: [str(line.date.date() if line.date else ""), line.category, line.value, line.name],
        width=22,
    )
    book.lines_sheet(
        env._("Improvements"),
        lines("improvement"),
        [env._("Action"), env._("Status"), env._("Date")],
        lambda line: [line.name, line.status, str(line.date or "")],
        width=22,
    )
    book.trend_sheet(
        env._("Trends"),
        report.trend_ids.sorted("sequence"),
        [env._("Period"), env._("Tickets"), env._("SLA Met %"), env._("Average Satisfaction (1-5)")],
        lambda trend: [trend.name, trend.ticket_count, trend.sla_met_pct, trend.satisfaction_avg],
    )
    return book.close()


def _sla_sheet(workbook, report, bold):
    env = report.env
    sheet = workbook.add_worksheet(env._("SLA"))
    sheet.set_column(0, 0, 28)
    write_row(
        sheet,
        0,
        [
            env._("Contract"),
            env._("Metric"),
            env._("Priority"),
            env._("Trial"),
            env._("Target (h)"),
            env._("Measured"),
            env._("Met"),
            env._("Breached"),
            env._("Met %"),
            env._("Average (h)"),
            env._("90th percentile (h)"),
        ],
        bold,
    )
    lines = report.sla_line_ids.sorted(lambda line: (line.is_trial, line.sequence))
    for row, line in enumerate(lines, start=1):
        write_row(
            sheet,
            row,
            [
                line.contract_name,
                selection(line, "metric"),
                selection(line, "priority") or env._("Any"),
                env._("Yes") if line.is_trial else env._("No"),
                line.target_hours,
                line.measured_count,
                line.met_count,
                line.breached_count,
                line.met_pct,
                line.avg_hours,
                line.p90_hours,
            ],
        )
    if lines:
        chart = workbook.add_chart({"type": "column"})
        chart.add_series(
            {
                "name": env._("Met %"),
                "categories": [sheet.name, 1, 1, len(lines), 1],
                "values": [sheet.name, 1, 8, len(lines), 8],
            }
        )
        chart.set_title({"name": env._("SLA met % per target")})
        chart.set_legend({"none": True})
        sheet.insert_chart(len(lines) + 3, 0, chart)


def _workload_sheet(workbook, report, bold):
    env = report.env
    sheet = workbook.add_worksheet(env._("Workload"))
    sheet.set_column(0, 0, 28)
    col = 0
    for section in ("kind", "service", "channel", "support_line", "weekday", "hour"):
        lines = report._lines(section)
        label = dict(report.line_ids._fields["section"]._description_selection(report.env))[section]
        sheet.write_string(0, col, text(label), bold)
        sheet.write_string(0, col + 1, env._("Tickets"), bold)
        for row, line in enumerate(lines, start=1):
            sheet.write_string(row, col, text(line.name))
            sheet.write_number(row, col + 1, line.count)
        if lines:
            chart = workbook.add_chart({"type": "column"})
            chart.add_series(
                {
                    "name": label,
                    "categories": [sheet.name, 1, col, len(lines), col],
                    "values": [sheet.name, 1, col + 1, len(lines), col + 1],
                }
            )
            chart.set_title({"name": label})
            chart.set_legend({"none": True})
            chart.set_size({"width": 360, "height": 220})
            sheet.insert_chart(27, col, chart)
        col += 3
