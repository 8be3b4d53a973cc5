"""The XLSX of an issued service report: one sheet per section, native charts, no live formula."""

import io

import xlsxwriter

from odoo.addons.itsm_helpdesk.tools.spreadsheet import safe_cell


def _text(value):
    """A text cell that is never read as a formula (formula injection)."""
    return safe_cell(str(value or ""))


def _selection(record, fname):
    return dict(record._fields[fname]._description_selection(record.env)).get(record[fname], "")


def render_xlsx(report):
    env = report.env
    output = io.BytesIO()
    # strings_to_formulas off: text from tickets, complaints and comments stays text
    workbook = xlsxwriter.Workbook(output, {"in_memory": True, "strings_to_formulas": False})
    bold = workbook.add_format({"bold": True})
    title = workbook.add_format({"bold": True, "font_size": 14})

    summary = workbook.add_worksheet(env._("Summary"))
    summary.set_column(0, 0, 36)
    summary.set_column(1, 1, 24)
    summary.write_string(0, 0, _text(env._("Service report %s", report.name)), title)
    figures = [
        (env._("Customer"), _text(report.partner_id.display_name)),
        (env._("Period From"), str(report.date_from)),
        (env._("Period To"), str(report.date_to)),
        (env._("Time Zone"), _text(report.tz)),
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
    for row, (label, value) in enumerate(figures, start=2):
        summary.write_string(row, 0, label, bold)
        if isinstance(value, str):
            summary.write_string(row, 1, value)
        else:
            summary.write_number(row, 1, value)

    _sla_sheet(workbook, report, bold)
    _workload_sheet(workbook, report, bold)
    _list_sheet(
        workbook,
        report,
        bold,
        env._("Non-conformities"),
        ("complaint", "major_incident"),
        [
            env._("Section"),
            env._("Reference"),
            env._("Subject"),
            env._("Category"),
            env._("Status"),
            env._("Date"),
        ],
        lambda line: [
            _selection(line, "section"),
            line.reference,
            line.name,
            line.category,
            line.status,
            str(line.date or ""),
        ],
    )
    _list_sheet(
        workbook,
        report,
        bold,
        env._("Comments"),
        ("comment",),
        [env._("Date"), env._("Source"), env._("Score"), env._("Comment")],
        lambda line: [str(line.date.date() if line.date else ""), line.category, line.value, line.name],
    )
    _list_sheet(
        workbook,
        report,
        bold,
        env._("Improvements"),
        ("improvement",),
        [env._("Action"), env._("Status"), env._("Date")],
        lambda line: [line.name, line.status, str(line.date or "")],
    )
    _trend_sheet(workbook, report, bold)
    workbook.close()
    return output.getvalue()


def _write_row(sheet, row, values, cell_format=None):
    for col, value in enumerate(values):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            sheet.write_number(row, col, value, cell_format)
        else:
            sheet.write_string(row, col, _text(value), cell_format)


def _sla_sheet(workbook, report, bold):
    env = report.env
    sheet = workbook.add_worksheet(env._("SLA"))
    sheet.set_column(0, 0, 28)
    _write_row(
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
        _write_row(
            sheet,
            row,
            [
                line.contract_name,
                _selection(line, "metric"),
                _selection(line, "priority") or env._("Any"),
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
        sheet.write_string(0, col, _text(label), bold)
        sheet.write_string(0, col + 1, env._("Tickets"), bold)
        for row, line in enumerate(lines, start=1):
            sheet.write_string(row, col, _text(line.name))
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


def _list_sheet(workbook, report, bold, name, sections, headers, row_values):
    sheet = workbook.add_worksheet(name)
    sheet.set_column(0, len(headers), 22)
    _write_row(sheet, 0, headers, bold)
    lines = report.line_ids.filtered(lambda line: line.section in sections)
    for row, line in enumerate(lines, start=1):
        _write_row(sheet, row, row_values(line))


def _trend_sheet(workbook, report, bold):
    env = report.env
    sheet = workbook.add_worksheet(env._("Trends"))
    _write_row(
        sheet,
        0,
        [env._("Period"), env._("Tickets"), env._("SLA Met %"), env._("Average Satisfaction (1-5)")],
        bold,
    )
    trends = report.trend_ids.sorted("sequence")
    for row, trend in enumerate(trends, start=1):
        _write_row(sheet, row, [trend.name, trend.ticket_count, trend.sla_met_pct, trend.satisfaction_avg])
    if not trends:
        return
    for col, title in (
        (1, env._("Tickets")),
        (2, env._("SLA Met %")),
        (3, env._("Average Satisfaction (1-5)")),
    ):
        chart = workbook.add_chart({"type": "line" if col > 1 else "column"})
        chart.add_series(
            {
                "name": title,
                "categories": [sheet.name, 1, 0, len(trends), 0],
                "values": [sheet.name, 1, col, len(trends), col],
                "marker": {"type": "circle"},
            }
        )
        chart.set_title({"name": title})
        chart.set_legend({"none": True})
        chart.set_size({"width": 360, "height": 220})
        sheet.insert_chart(len(trends) + 3, (col - 1) * 6, chart)
