from odoo.tests import BaseCase, tagged

from ..tools.spreadsheet import safe_cell


@tagged("post_install", "-at_install")
class TestSpreadsheetCells(BaseCase):
    def test_formulas_are_never_exported_as_formulas(self):
        for dangerous in ('=HYPERLINK("http://x")', "+1+2", "-1+2", "@SUM(A1)", "\tcmd", "\rcmd"):
            self.assertEqual(safe_cell(dangerous), "'" + dangerous)
        self.assertEqual(safe_cell("Printer on floor 2"), "Printer on floor 2")
        self.assertEqual(safe_cell(-3), -3, "numbers stay numbers")
        self.assertIsNone(safe_cell(None))
