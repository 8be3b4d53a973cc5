import base64
import io

import openpyxl

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import FORMULA, EvidenceCommon

SHEETS = [
    "Index",
    "Incidents",
    "Service Requests",
    "Changes",
    "Major Incidents",
    "Post-Incident Reviews",
    "Problems and Known Errors",
    "SLA Compliance",
    "SLA Reviews",
    "Complaints",
    "Complaint Steps",
    "Complaint Reviews",
    "Ratings",
    "Callbacks",
    "Improvement Actions",
    "Supplier Performance",
]


@tagged("post_install", "-at_install")
class TestEvidenceExport(EvidenceCommon):
    def test_index_names_clauses_and_counts(self):
        log, workbook = self.export(self.process_owner)
        self.assertEqual(workbook.sheetnames, SHEETS)
        index = {row[0]: row for row in self.rows(workbook, "Index") if row[0] in SHEETS}
        steps = self.env["itsm.complaint.step.log"].search_count([("complaint_id", "=", self.complaint.id)])
        expected = {
            "Incidents": ("8.6.1", 4),  # the formula, first and last minute, the major incident
            "Service Requests": ("8.6.2", 1),
            "Changes": ("8.5.1", 1),
            "Major Incidents": ("8.6.1", 1),
            "Post-Incident Reviews": ("8.6.1, 10.2", 1),
            "Problems and Known Errors": ("8.6.3", 1),
            "SLA Reviews": ("8.3.3, 9.4", 1),
            "Complaints": ("8.3.2", 1),
            "Complaint Steps": ("8.3.2", steps),
            "Complaint Reviews": ("8.3.2, 9.4", 1),
            "Ratings": ("8.3.2, 9.1", 1),
            "Callbacks": ("8.3.2, 9.1", 0),
            "Improvement Actions": ("10.2", 1),
            "Supplier Performance": ("8.3.4", 1),
        }
        for title, (clauses, count) in expected.items():
            with self.subTest(sheet=title):
                self.assertEqual(index[title][1], clauses)
                self.assertTrue(index[title][2], "the clause is named")
                self.assertEqual(index[title][3], count)
                self.assertEqual(len(self.rows(workbook, title)), count)
        self.assertTrue(steps)
        self.assertEqual(log.user_id, self.process_owner)
        self.assertEqual(
            (log.company_id, log.date_from, log.date_to), (self.company, self.date_from, self.date_to)
        )
        self.assertEqual(
            log.row_count, sum(count for _clauses, count in expected.values()) + index["SLA Compliance"][3]
        )
        self.assertIn("Incidents: 4", log.row_counts)

    def test_period_cut_in_company_time_zone(self):
        _log, workbook = self.export(self.desk_manager)
        subjects = self.column(workbook, "Incidents", "Subject")
        self.assertIn("First minute of the period", subjects, "local midnight of the first day is in")
        self.assertIn("Last minute of the period", subjects)
        self.assertNotIn("One minute after the period", subjects, "the period ends at local midnight")
        self.assertNotIn("One minute before the period", subjects)

    def test_cells_are_formula_safe(self):
        log, _workbook = self.export(self.desk_manager)
        sheet = openpyxl.load_workbook(io.BytesIO(base64.b64decode(log.attachment_id.datas)))["Incidents"]
        cells = [cell for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
        formula = [cell for cell in cells if "HYPERLINK" in cell.value]
        self.assertEqual(len(formula), 1)
        self.assertEqual(formula[0].data_type, "s", "text, not a live formula")
        self.assertEqual(formula[0].value, "'" + FORMULA)
        self.assertFalse([cell for cell in cells if cell.data_type == "f"])

    def test_no_complaints_without_complaint_role(self):
        log, workbook = self.export(self.desk_manager)
        index = {row[0]: row for row in self.rows(workbook, "Index")}
        for title in ("Complaints", "Complaint Steps", "Complaint Reviews"):
            with self.subTest(sheet=title):
                self.assertEqual(index[title][3], "not included")
                self.assertEqual(self.rows(workbook, title), [])
        self.assertNotIn("Nobody called back", str(list(workbook["Complaints"].values)))
        self.assertIn("Complaints: -", log.row_counts)

    def test_other_company_never_exported(self):
        for user in (self.desk_manager, self.both_companies):
            with self.subTest(user=user.login):
                _log, workbook = self.export(user)
                every_cell = str([list(workbook[title].values) for title in workbook.sheetnames])
                self.assertNotIn("Company two secret", every_cell)
        _log, workbook = self.export(self.both_companies, company=self.company_2)
        self.assertEqual(self.column(workbook, "Incidents", "Subject"), ["Company two secret"])

    def test_company_outside_user_companies_refused(self):
        with self.assertRaises(UserError):
            self.export(self.desk_manager, company=self.company_2)

    def test_chunks_read_every_record(self):
        _log, one_chunk = self.export(self.process_owner)
        _log, small_chunks = self.export(self.process_owner, itsm_evidence_chunk_size=2)
        for title in SHEETS[1:]:
            with self.subTest(sheet=title):
                self.assertEqual(self.rows(small_chunks, title), self.rows(one_chunk, title))

    def test_queries_do_not_grow_with_records(self):
        """The same queries for 8 tickets as for 13 (one chunk each): no query per record."""
        self.export(self.process_owner)  # warm the caches
        queries = self.cr.sql_log_count
        self.export(self.process_owner)
        self.env.flush_all()
        queries = self.cr.sql_log_count - queries
        Ticket = self.env["itsm.ticket"]
        for kind in ("incident", "incident", "service_request", "change_request", "incident"):
            Ticket.create(
                {
                    "name": "More of the same",
                    "kind": kind,
                    "team_id": self.team.id,
                    "partner_id": self.customer.id,
                }
            )
        self.env.flush_all()
        self.export(self.process_owner)  # the same caches as the first measure
        with self.assertQueryCount(queries):
            _log, workbook = self.export(self.process_owner)
        self.assertEqual(len(self.rows(workbook, "Incidents")), 7)

    def test_columns_are_what_read_gives(self):
        """A chunk's columns come from its fetch: the values ``read`` gives the user (a many2one
        as its id), in the order of the rows; a field the fetch did not read, through the ORM."""
        wizard = (
            self.env["itsm.evidence.export.wizard"]
            .with_user(self.desk_manager)
            .create({"date_from": self.date_from, "date_to": self.date_to})
        )
        Ticket = wizard.env["itsm.ticket"]
        domain = [("company_id", "=", self.company.id)]
        fnames = [
            "number",
            "name",
            "partner_id",
            "team_id",
            "stage_id",
            "priority",
            "opened_at",
            "reopen_count",
        ]
        wizard.env.invalidate_all()
        records = next(wizard._iter_chunks(Ticket, domain, fnames, 1000))
        columns = {fname: wizard._column(records, Ticket._fields[fname]) for fname in fnames}
        not_fetched = wizard._many2one_ids(records, Ticket._fields["create_uid"])
        wizard.env.invalidate_all()
        expected = Ticket.search_read(domain, fnames + ["create_uid"], order="id")
        self.assertEqual(records.ids, [row["id"] for row in expected])
        self.assertGreater(len(expected), 3)
        for fname in fnames:
            with self.subTest(field=fname):
                if Ticket._fields[fname].type == "many2one":
                    self.assertEqual(
                        columns[fname], [row[fname] and row[fname][0] or None for row in expected]
                    )
                else:
                    self.assertEqual(columns[fname], [row[fname] for row in expected])
        self.assertEqual(not_fetched, [row["create_uid"][0] for row in expected])
