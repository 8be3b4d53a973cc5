from odoo import models

from ..tools.spreadsheet import safe_cell


class Base(models.AbstractModel):
    _inherit = "base"

    def export_data(self, fields_to_export):
        """Odoo's list export (CSV and XLSX, grouped or not) of the suite's records is formula-safe:
        a text such as a portal user's subject ``=HYPERLINK(...)`` comes out as text, never as a live
        formula of the spreadsheet that opens the file. Other models are left as Odoo exports them."""
        result = super().export_data(fields_to_export)
        if self._name.startswith("itsm."):
            result["datas"] = [[safe_cell(value) for value in row] for row in result.get("datas", [])]
        return result
