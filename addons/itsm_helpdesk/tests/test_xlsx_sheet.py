import datetime
import io
import zipfile
from decimal import Decimal
from fractions import Fraction

import openpyxl
from markupsafe import Markup

from odoo.tests import BaseCase, tagged

from odoo.addons.itsm_helpdesk.tools.xlsx import XLSX_STR_MAX, StreamedSheet, column_letters


@tagged("post_install", "-at_install")
class TestStreamedSheet(BaseCase):
    """The sheet of the XLSX list export, read back as a spreadsheet program reads it (openpyxl)."""

    def _sheet(self, rows, headers=("A", "B", "C"), **options):
        output = io.BytesIO()
        with StreamedSheet(output, list(headers), len(rows), too_long="Too long", **options) as sheet:
            for row in rows:
                sheet.write_row(row)
        return output.getvalue(), openpyxl.load_workbook(io.BytesIO(output.getvalue())).active

    def test_values_keep_their_type_and_format(self):
        moment = datetime.datetime(2026, 11, 30, 23, 59, 58)
        day = datetime.date(2027, 1, 1)
        content, sheet = self._sheet(
            [
                ["打印机无法打印", 42, 3.25],
                [moment, day, True],
                [False, None, ""],
                [float("nan"), -0.5, 10**12],
                [Decimal("2.50"), Fraction(1, 4), Decimal("NaN")],
            ]
        )
        values = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
        self.assertEqual(values[0], ["打印机无法打印", 42, 3.25])
        self.assertEqual(values[1], [moment, datetime.datetime(2027, 1, 1), True])
        self.assertEqual(values[2], [False, None, None], "None and empty text leave the cell empty")
        self.assertEqual(values[3], ["nan", -0.5, 10**12], "what a number cell cannot hold is text")
        self.assertEqual(values[4], [2.5, 0.25, "NaN"])
        cells = list(sheet.iter_rows(min_row=2))
        self.assertEqual(cells[1][0].number_format, "yyyy-mm-dd hh:mm:ss")
        self.assertEqual(cells[1][1].number_format, "yyyy-mm-dd")
        self.assertEqual(cells[0][2].number_format, "#,##0.00")
        self.assertEqual(cells[0][1].number_format, "General")
        self.assertEqual(cells[1][2].data_type, "b")
        self.assertEqual(sheet.dimensions, "A1:C6")
        with zipfile.ZipFile(io.BytesIO(content)) as workbook:
            self.assertIsNone(workbook.testzip())
            self.assertEqual(
                sorted(workbook.namelist()),
                sorted(
                    [
                        "[Content_Types].xml",
                        "_rels/.rels",
                        "xl/workbook.xml",
                        "xl/_rels/workbook.xml.rels",
                        "xl/styles.xml",
                        "xl/worksheets/sheet1.xml",
                    ]
                ),
            )

    def test_text_is_text(self):
        """Markup characters, formulas, links, spaces, control characters and bad surrogates."""
        texts = [
            "<b>R&D</b> > ops",
            "=1+1",
            "https://example.com/ticket",
            "  two spaces around  ",
            "line one\r\nline two",
            "bell\x07here",
            "broken \ud800 pair",
            Markup("<p>kept as written</p>"),
        ]
        content, sheet = self._sheet([[text] for text in texts], headers=["Text"])
        values = [row[0].value for row in sheet.iter_rows(min_row=2)]
        self.assertEqual(
            values[:5],
            [
                "<b>R&D</b> > ops",
                "=1+1",
                "https://example.com/ticket",
                "  two spaces around  ",
                "line one \nline two",
            ],
        )
        self.assertIn(values[5], ("bell\x07here", "bell_x0007_here"), "a control character is escaped")
        self.assertEqual(values[6], "broken \ufffd pair")
        self.assertEqual(values[7], "<p>kept as written</p>")
        self.assertTrue(all(row[0].data_type == "s" for row in sheet.iter_rows(min_row=2)))
        with zipfile.ZipFile(io.BytesIO(content)) as workbook:
            xml = workbook.read("xl/worksheets/sheet1.xml")
        self.assertNotIn(b"<f>", xml)
        self.assertNotIn(b"hyperlink", xml)
        self.assertIn(b"_x0007_", xml)

    def test_too_long_text_and_wide_rows(self):
        self.assertEqual(column_letters(28)[-3:], ["Z", "AA", "AB"])
        headers = [f"Column {index}" for index in range(28)]
        row = ["x" * (XLSX_STR_MAX + 1)] + list(range(27))
        _content, sheet = self._sheet([row], headers=headers, monetary=[27], monetary_format="#,##0.000")
        cells = next(sheet.iter_rows(min_row=2))
        self.assertEqual(cells[0].value, "Too long")
        self.assertEqual(cells[27].value, 26)
        self.assertEqual(sheet["AB1"].value, "Column 27")
        self.assertTrue(sheet["AB1"].font.b)
        _content, sheet = self._sheet(
            [[1.5, 2.5]], headers=["Amount", "Hours"], monetary=[0], monetary_format="#,##0.000"
        )
        self.assertEqual([sheet["A2"].number_format, sheet["B2"].number_format], ["#,##0.000", "#,##0.00"])

    def test_many_rows_stream(self):
        """Rows past the flush size all arrive, in order."""
        rows = [[f"T-{index}", index] for index in range(1234)]
        _content, sheet = self._sheet(rows, headers=["Ref", "N"])
        self.assertEqual(sheet.max_row, 1235)
        self.assertEqual(sheet["A1235"].value, "T-1233")
        self.assertEqual(sheet["B600"].value, 598)
