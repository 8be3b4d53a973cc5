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
    _ = env._
    output = io.BytesIO()
    # strings_to_formulas off: names of services, vendors, complaints and highlights stay text
    workbook = xlsxwriter.Workbook(output, {"in_memory": True, "strings_to_formulas": False})
    bold = workbook.add_format({"bold": True})
    title = workbook.add_format({"bold": True, "font_size": 14})

    summary = workbook.add_worksheet(_("Summary"))
    summary.set_column(0, 0, 36)
    summary.set_column(1, 1, 24)
    summary.write_string(0, 0, _text(_("Management report %s", report.name)), title)
    figures = [
        (_("Company"), report.company_id.name),
        (_("Period From"), str(report.date_from)),
        (_("Period To"), str(report.date_to)),
        (_("Time Zone"), report.tz),
        (_("Tickets"), report.ticket_count),
        (_("Incidents"), report.incident_count),
        (_("Service Requests"), report.request_count),
        (_("Resolved"), report.closed_count),
        (_("Backlog at Period End"), report.backlog_count),
        (_("First-Line Resolution %"), report.line1_rate),
        (_("Reopen %"), report.reopen_rate),
        (_("SLA Met %"), report.sla_met_pct),
        (_("SLA Breaches"), report.sla_breached_count),
        (_("Major Incidents"), report.major_incident_count),
        (_("Major Incidents Reviewed"), report.major_reviewed_count),
        (_("Average Rating (1-5)"), report.rating_avg),
        (_("Ratings Answered"), report.rating_count),
        (_("Default Ratings"), report.default_rating_count),
        (_("Callbacks Answered"), report.callback_count),
        (_("Complaints"), report.complaint_count),
        (_("Suggestions"), report.suggestion_count),
        (_("Improvements Opened"), report.improvement_opened_count),
        (_("Improvements Closed"), report.improvement_closed_count),
        (_("Vendor Tickets"), report.vendor_ticket_count),
    ]
    for row, (label, value) in enumerate(figures, start=2):
        _write_row(summary, row, [label, value if not isinstance(value, bool) else ""])
        summary.write_string(row, 0, _text(label), bold)

    volume_headers = [
        _("Tickets"),
        _("Incidents"),
        _("Service Requests"),
        _("Change Requests"),
        _("Questions"),
        _("Resolved"),
        _("First-Line Resolution %"),
        _("Reopen %"),
        _("SLA Met"),
        _("SLA Breaches"),
        _("SLA Met %"),
        _("Resolution, 90th Percentile (Working Hours)"),
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

    _sheet(workbook, report, bold, _("Services"), "service", [_("Service"), *volume_headers], volume_row, 1)
    _sheet(workbook, report, bold, _("Teams"), "team", [_("Team"), *volume_headers], volume_row, 1)
    _sheet(
        workbook,
        report,
        bold,
        _("Staff"),
        "staff",
        [_("Agent"), _("Team"), _("Tickets Assigned"), _("Tickets Handled")],
        lambda line: [line.name, line.category, line.ticket_count, line.closed_count],
        3,
    )
    _sheet(
        workbook,
        report,
        bold,
        _("Suppliers"),
        "supplier",
        [
            _("Vendor"),
            _("Underpinning Contracts"),
            _("Vendor Tickets"),
            _("Resolved"),
            _("Open"),
            _("Average Response (h)"),
            _("Average Resolution (h)"),
            _("SLA Met"),
            _("SLA Breaches"),
            _("SLA Met %"),
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
        _("Major Incidents"),
        "major_incident",
        [_("Reference"), _("Subject"), _("Service"), _("Review"), _("Date"), _("Duration (h)")],
        lambda line: [line.reference, line.name, line.category, line.status, str(line.date or ""), line.hours],
    )
    _sheet(
        workbook,
        report,
        bold,
        _("Complaints"),
        "complaint",
        [_("Reference"), _("Subject"), _("Customer / Severity"), _("Status"), _("Date")],
        lambda line: [line.reference, line.name, line.category, line.status, str(line.date or "")],
    )
    _sheet(
        workbook,
        report,
        bold,
        _("Improvements"),
        "improvement",
        [_("Action"), _("Status"), _("Date")],
        lambda line: [line.name, line.status, str(line.date or "")],
    )
    _sheet(
        workbook,
        report,
        bold,
        _("Highlights"),
        "highlight",
        [_("Highlight"), _("Kind"), _("Date"), _("Description")],
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
    _ = report.env._
    sheet = workbook.add_worksheet(_("Trends"))
    headers = [
        _("Period"),
        _("Tickets"),
        _("SLA Met %"),
        _("Average Satisfaction (1-5)"),
        _("Complaints"),
        _("Major Incidents"),
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
