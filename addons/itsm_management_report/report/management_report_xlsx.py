"""The XLSX of an issued management report: one sheet per section, native charts, no live formula."""

import io

import xlsxwriter

from odoo.addons.itsm_helpdesk.tools.spreadsheet import safe_cell


def _text(value):
    """A text cell that is never read as a formula (formula injection)."""
    return safe_cell(str(value or ""))


def _write_row(sheet, row, values, cell_format=None):
    for col, value in enumerate(values):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            sheet.write_number(row, col, value, cell_format)
        else:
            sheet.write_string(row, col, _text(value), cell_format)


def render_xlsx(report):
    env = report.env
    output = io.BytesIO()
    # strings_to_formulas off: names of services, vendors, complaints and highlights stay text
    workbook = xlsxwriter.Workbook(output, {"in_memory": True, "strings_to_formulas": False})
    bold = workbook.add_format({"bold": True})
    title = workbook.add_format({"bold": True, "font_size": 14})

    summary = workbook.add_worksheet(env._("Summary"))
    summary.set_column(0, 0, 36)
    summary.set_column(1, 1, 24)
    summary.write_string(0, 0, _text(env._("Management report %s", report.name)), title)
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
    for row, (label, value) in enumerate(figures, start=2):
        _write_row(summary, row, [label, value if not isinstance(value, bool) else ""])
        summary.write_string(row, 0, _text(label), bold)

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

    _sheet(
        workbook,
        report,
        bold,
        env._("Services"),
        "service",
        [env._("Service"), *volume_headers],
        volume_row,
        1,
    )
    _sheet(workbook, report, bold, env._("Teams"), "team", [env._("Team"), *volume_headers], volume_row, 1)
    _sheet(
        workbook,
        report,
        bold,
        env._("Staff"),
        "staff",
        [env._("Agent"), env._("Team"), env._("Tickets Assigned"), env._("Tickets Handled")],
        lambda line: [line.name, line.category, line.ticket_count, line.closed_count],
        3,
    )
    _sheet(
        workbook,
        report,
        bold,
        env._("Suppliers"),
        "supplier",
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
    _sheet(
        workbook,
        report,
        bold,
        env._("Major Incidents"),
        "major_incident",
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
    _sheet(
        workbook,
        report,
        bold,
        env._("Complaints"),
        "complaint",
        [env._("Reference"), env._("Subject"), env._("Customer / Severity"), env._("Status"), env._("Date")],
        lambda line: [line.reference, line.name, line.category, line.status, str(line.date or "")],
    )
    _sheet(
        workbook,
        report,
        bold,
        env._("Improvements"),
        "improvement",
        [env._("Action"), env._("Status"), env._("Date")],
        lambda line: [line.name, line.status, str(line.date or "")],
    )
    _sheet(
        workbook,
        report,
        bold,
        env._("Highlights"),
        "highlight",
        [env._("Highlight"), env._("Kind"), env._("Date"), env._("Description")],
        lambda line: [line.name, line.category, str(line.date.date() if line.date else ""), line.note],
    )
    _trend_sheet(workbook, report, bold)
    workbook.close()
    return output.getvalue()


def _sheet(workbook, report, bold, name, section, headers, row_values, chart_col=None):
    """A sheet of one section's lines; a column chart of ``chart_col`` when given."""
    sheet = workbook.add_worksheet(name)
    sheet.set_column(0, len(headers), 20)
    _write_row(sheet, 0, headers, bold)
    lines = report._lines(section)
    for row, line in enumerate(lines, start=1):
        _write_row(sheet, row, row_values(line))
    if lines and chart_col is not None:
        chart = workbook.add_chart({"type": "column"})
        chart.add_series(
            {
                "name": headers[chart_col],
                "categories": [sheet.name, 1, 0, len(lines), 0],
                "values": [sheet.name, 1, chart_col, len(lines), chart_col],
            }
        )
        chart.set_title({"name": headers[chart_col]})
        chart.set_legend({"none": True})
        sheet.insert_chart(len(lines) + 3, 0, chart)


def _trend_sheet(workbook, report, bold):
    env = report.env
    sheet = workbook.add_worksheet(env._("Trends"))
    headers = [
        env._("Period"),
        env._("Tickets"),
        env._("SLA Met %"),
        env._("Average Satisfaction (1-5)"),
        env._("Complaints"),
        env._("Major Incidents"),
    ]
    _write_row(sheet, 0, headers, bold)
    trends = report.trend_ids.sorted("sequence")
    for row, trend in enumerate(trends, start=1):
        _write_row(
            sheet,
            row,
            [
                trend.name,
                trend.ticket_count,
                trend.sla_met_pct,
                trend.satisfaction_avg,
                trend.complaint_count,
                trend.major_incident_count,
            ],
        )
    if not trends:
        return
    for col in range(1, len(headers)):
        chart = workbook.add_chart({"type": "column" if col == 1 else "line"})
        chart.add_series(
            {
                "name": headers[col],
                "categories": [sheet.name, 1, 0, len(trends), 0],
                "values": [sheet.name, 1, col, len(trends), col],
                "marker": {"type": "circle"},
            }
        )
        chart.set_title({"name": headers[col]})
        chart.set_legend({"none": True})
        chart.set_size({"width": 360, "height": 220})
        sheet.insert_chart(len(trends) + 3 + ((col - 1) // 3) * 16, ((col - 1) % 3) * 6, chart)
