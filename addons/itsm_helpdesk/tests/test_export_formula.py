import csv
import io
import json
import zipfile
from datetime import timedelta
from unittest.mock import patch

import openpyxl

from odoo import http
from odoo.exceptions import AccessError, UserError
from odoo.models import BaseModel
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.itsm_helpdesk.models import base as export_base
from odoo.addons.itsm_helpdesk.tools.spreadsheet import safe_cell

FORMULA = '=HYPERLINK("http://x","y")'


@tagged("post_install", "-at_install")
class TestListExportFormulaSafe(HttpCase):
    """Odoo's generic list export of a ticket whose subject a portal user wrote as a formula."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.agent = new_test_user(
            cls.env,
            "itsm_export_agent",
            groups="itsm_helpdesk.group_itsm_agent,base.group_allow_export",
            name="Export Agent",
        )
        team = cls.env["itsm.team"].create({"name": "Export desk", "member_ids": [(4, cls.agent.id)]})
        cls.ticket = cls.env["itsm.ticket"].create(
            {"name": FORMULA, "team_id": team.id, "user_id": cls.agent.id}
        )

    def _export(self, fmt, groupby=None):
        self.authenticate("itsm_export_agent", "itsm_export_agent")
        params = {
            "model": "itsm.ticket",
            "fields": [
                {"name": "name", "label": "Subject", "type": "char"},
                {"name": "reopen_count", "label": "Reopened", "type": "integer"},
            ],
            "ids": self.ticket.ids,
            "domain": [],
            "import_compat": False,
            "context": {},
        }
        if groupby:
            params["groupby"] = groupby
        response = self.url_open(
            f"/web/export/{fmt}",
            data={"data": json.dumps(params), "csrf_token": http.Request.csrf_token(self)},
        )
        self.assertEqual(response.status_code, 200, response.text[:500])
        return response.content

    def _xlsx_cells(self, content):
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        return [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]

    def test_xlsx_export_writes_formula_as_text(self):
        for groupby in (None, ["stage_id"]):
            with self.subTest(groupby=groupby):
                cells = self._xlsx_cells(self._export("xlsx", groupby))
                subject = [
                    cell for cell in cells if isinstance(cell.value, str) and "HYPERLINK" in cell.value
                ]
                self.assertEqual(len(subject), 1)
                self.assertEqual(subject[0].data_type, "s", "the subject is a text cell, not a formula")
                self.assertFalse(subject[0].value.startswith("="))
                self.assertIn(0, [cell.value for cell in cells], "numbers stay numbers")

    def test_csv_export_quotes_formula(self):
        rows = list(csv.reader(io.StringIO(self._export("csv").decode("utf-8-sig"))))
        self.assertEqual(rows[1][0], "'" + FORMULA)
        self.assertEqual(rows[1][1], "0")

    def test_other_models_export_unchanged(self):
        partner = self.env["res.partner"].create({"name": "=1+1 Partner"})
        datas = partner.export_data(["name"])["datas"]
        self.assertEqual(datas, [["=1+1 Partner"]])

    def test_list_export_as_odoo_writes_it(self):
        """The list export of tickets is written column by column, in chunks: every cell is the one
        Odoo's export gives (labels, names, the user's time zone), only formula-safe."""
        self.agent.tz = "Asia/Shanghai"
        customer = self.env["res.partner"].create({"name": "Export Customer", "is_company": True})
        contact = self.env["res.partner"].create({"name": "Export Contact", "parent_id": customer.id})
        team = self.ticket.team_id
        tickets = self.ticket | self.env["itsm.ticket"].create(
            [
                {"name": "Printer jam", "team_id": team.id, "partner_id": contact.id, "priority": "1"},
                {"name": "+1 more", "team_id": team.id, "kind": "service_request", "channel": "phone"},
                {"name": "No owner", "team_id": team.id, "user_id": False},
            ]
        )
        tickets[2].action_close()
        arch = self.env["itsm.ticket"].get_views([(False, "list")])["views"]["list"]["arch"]
        fnames = [name for name in self.env["itsm.ticket"]._fields if f'name="{name}"' in arch]
        self.assertIn("opened_at", fnames)
        records = tickets.with_user(self.agent).with_context(import_compat=False)
        self.assertTrue(records._itsm_column_export(fnames), "the list's columns are written column-wise")
        self.assertFalse(records.with_context(import_compat=True)._itsm_column_export(fnames))
        self.assertFalse(records._itsm_column_export(["name", "partner_id/name"]))
        with patch.object(export_base, "EXPORT_CHUNK", 3):
            ours = records.export_data(fnames)["datas"]
        records.invalidate_recordset()
        odoo = BaseModel._export_rows(records, [[fname] for fname in fnames])
        self.assertEqual(ours, [[safe_cell(value) for value in row] for row in odoo])
        row = ours[list(tickets.ids).index(tickets[1].id)]
        self.assertIn("Export Customer, Export Contact", row)
        self.assertIn("'+1 more", [r[fnames.index("name")] for r in ours])
        self.assertEqual(
            ours[list(tickets.ids).index(tickets[2].id)][fnames.index("opened_at")],
            tickets[2].opened_at.replace(microsecond=0) + timedelta(hours=8),
            "in the user's time zone",
        )

    def test_list_export_of_unreadable_tickets_refused(self):
        """The column-wise export reads as the user: tickets of a team the agent may not see are
        refused, as Odoo's export refuses them; without the right to export, nothing is exported."""
        outsider = new_test_user(self.env, "itsm_export_member", groups="itsm_helpdesk.group_itsm_agent")
        private = self.env["itsm.team"].create(
            {"name": "Private desk", "visibility": "members", "member_ids": [(4, outsider.id)]}
        )
        hidden = self.env["itsm.ticket"].create({"name": "Hidden", "team_id": private.id})
        records = hidden.with_user(self.agent).with_context(import_compat=False)
        self.assertTrue(records._itsm_column_export(["name", "partner_id"]))
        with self.assertRaises(AccessError):
            records.export_data(["name", "partner_id"])
        with self.assertRaises(UserError):
            hidden.with_user(outsider).with_context(import_compat=False).export_data(["name"])

    def test_xlsx_export_streamed_keeps_odoo_styles(self):
        """The XLSX list export is written row by row by the suite's streamed sheet: the workbook
        has Odoo's bold headers, column widths, date-time and number formats, read back by openpyxl."""
        self.authenticate("itsm_export_agent", "itsm_export_agent")
        params = {
            "model": "itsm.ticket",
            "fields": [
                {"name": "number", "label": "Number", "type": "char"},
                {"name": "opened_at", "label": "Opened", "type": "datetime"},
                {"name": "reopen_count", "label": "Reopened", "type": "integer"},
                {"name": "name", "label": "Subject", "type": "char"},
            ],
            "ids": False,
            "domain": [("id", "=", self.ticket.id)],
            "import_compat": False,
            "context": {},
        }
        response = self.url_open(
            "/web/export/xlsx",
            data={"data": json.dumps(params), "csrf_token": http.Request.csrf_token(self)},
        )
        self.assertEqual(response.status_code, 200, response.text[:500])
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        header, row = list(sheet.iter_rows(max_row=2))
        self.assertEqual((sheet.max_row, sheet.max_column), (2, 4))
        self.assertEqual([cell.value for cell in header], ["Number", "Opened", "Reopened", "Subject"])
        self.assertTrue(header[0].font.b, "bold headers")
        self.assertFalse(row[0].font.b)
        self.assertEqual(round(sheet.column_dimensions["A"].width), 31, "Odoo's 30 characters")
        self.assertEqual(row[0].value, self.ticket.number)
        self.assertEqual(row[1].value, self.ticket.opened_at.replace(microsecond=0))
        self.assertEqual(row[1].number_format, "yyyy-mm-dd hh:mm:ss")
        self.assertEqual(row[2].value, 0)
        self.assertEqual(row[3].value, "'" + FORMULA)
        self.assertEqual(row[3].data_type, "s")
        self.assertTrue(row[3].alignment.wrap_text, "wrapped text, as Odoo's cells")
        with zipfile.ZipFile(io.BytesIO(response.content)) as workbook:
            sheet_xml = workbook.read("xl/worksheets/sheet1.xml")
        self.assertIn(b"inlineStr", sheet_xml, "written row by row: strings inline")
        self.assertNotIn(b"<f>", sheet_xml, "no formula anywhere")
