"""What the XLSX of every issued report shares: formula-safe cells, a summary sheet, sheets of
section lines with a native chart, and the trend sheet. Never a live formula."""

import io

import xlsxwriter

from odoo.addons.itsm_helpdesk.tools.spreadsheet import safe_cell


def text(value):
    """A text cell that is never read as a formula (formula injection)."""
    return safe_cell(str(value or ""))


def selection(record, fname):
    """The label of a selection field's value, in the user's language."""
    return dict(record._fields[fname]._description_selection(record.env)).get(record[fname], "")


def write_row(sheet, row, values, cell_format=None):
    """Numbers as numbers, everything else as formula-safe text (a boolean as an empty cell)."""
    for col, value in enumerate(values):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            sheet.write_number(row, col, value, cell_format)
        else:
            sheet.write_string(row, col, text(value if not isinstance(value, bool) else ""), cell_format)


class IssuedReportWorkbook:
    """An in-memory workbook whose strings never turn into formulas: names of customers,
    services, vendors, complaints and comments stay text."""

    def __init__(self):
        self.output = io.BytesIO()
        self.workbook = xlsxwriter.Workbook(self.output, {"in_memory": True, "strings_to_formulas": False})
        self.bold = self.workbook.add_format({"bold": True})
        self.title = self.workbook.add_format({"bold": True, "font_size": 14})

    def close(self):
        self.workbook.close()
        return self.output.getvalue()

    def summary_sheet(self, name, title, figures):
        """The first sheet: a title, then a row per ``(label, value)``."""
        sheet = self.workbook.add_worksheet(name)
        sheet.set_column(0, 0, 36)
        sheet.set_column(1, 1, 24)
        sheet.write_string(0, 0, text(title), self.title)
        for row, (label, value) in enumerate(figures, start=2):
            write_row(sheet, row, [label, value])
            sheet.write_string(row, 0, text(label), self.bold)
        return sheet

    def lines_sheet(self, name, lines, headers, row_values, chart_col=None, width=20):
        """A sheet of section lines, a row each; a column chart of ``chart_col`` when given."""
        sheet = self.workbook.add_worksheet(name)
        sheet.set_column(0, len(headers), width)
        write_row(sheet, 0, headers, self.bold)
        for row, line in enumerate(lines, start=1):
            write_row(sheet, row, row_values(line))
        if lines and chart_col is not None:
            chart = self.workbook.add_chart({"type": "column"})
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
        return sheet

    def trend_sheet(self, name, trends, headers, row_values):
        """The trend of the report's periods: the volume as columns, every other figure as a line,
        three charts a row."""
        sheet = self.workbook.add_worksheet(name)
        write_row(sheet, 0, headers, self.bold)
        for row, trend in enumerate(trends, start=1):
            write_row(sheet, row, row_values(trend))
        if not trends:
            return sheet
        for col in range(1, len(headers)):
            chart = self.workbook.add_chart({"type": "column" if col == 1 else "line"})
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
        return sheet
