import base64
import io
from datetime import date, datetime

import pytz
import xlsxwriter

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext

from odoo.addons.itsm_helpdesk.tools.spreadsheet import safe_cell

# Records read per query: memory stays flat whatever the period holds, the queries grow by chunk.
CHUNK_SIZE = 2000
MAX_CELL = 32000  # a spreadsheet cell holds at most 32,767 characters
# the field types whose value in ``read`` is their record value (an integer may become a float)
READ_AS_RECORD = {"char", "text", "html", "selection", "boolean", "float", "monetary", "date", "datetime"}
X2MANY = {"one2many", "many2many"}

TICKET_FIELDS = [
    "number",
    "name",
    "partner_id",
    "commercial_partner_id",
    "service_id",
    "category_id",
    "channel",
    "impact",
    "urgency",
    "priority",
    "team_id",
    "support_line",
    "user_id",
    "stage_id",
    "opened_at",
    "first_response_at",
    "closed_at",
    "reopen_count",
    "is_escalated",
    "is_major_incident",
    "problem_id",
]


class ItsmEvidenceExportWizard(models.TransientModel):
    _name = "itsm.evidence.export.wizard"
    _description = "ISO/IEC 20000 Evidence Export Wizard"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
        domain=lambda self: [("id", "in", self.env.user.company_ids.ids)],
    )
    date_from = fields.Date("Period From", required=True)
    date_to = fields.Date("Period To", required=True)

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise UserError(self.env._("The period ends before it starts."))

    # the sheets -----------------------------------------------------------------------------

    def _get_clauses(self):
        """The ISO/IEC 20000-1:2018 clauses the sheets evidence, by number."""
        return {
            "8.3.2": self.env._("Business relationship management"),
            "8.3.3": self.env._("Service level management"),
            "8.3.4": self.env._("Supplier management"),
            "8.5.1": self.env._("Change management"),
            "8.6.1": self.env._("Incident management"),
            "8.6.2": self.env._("Service request fulfilment"),
            "8.6.3": self.env._("Problem management"),
            "9.1": self.env._("Monitoring, measurement, analysis and evaluation"),
            "9.4": self.env._("Service reporting"),
            "10.2": self.env._("Continual improvement"),
        }

    def _has_complaint_role(self):
        return self.env.user.has_group("itsm_complaints.group_complaint_receiver")

    def _get_sheets(self, start, end):
        """The sheets of the workbook, in order: a title, the clauses it evidences, the model and
        domain of its rows and their fields. Another module adds a sheet by extending the list;
        a sheet with ``rows`` (a method) computes its rows instead of reading records."""
        company = [("company_id", "=", self.company_id.id)]
        opened = [("opened_at", ">=", start), ("opened_at", "<", end)]
        overlap_from, overlap_to = self.date_from, self.date_to
        complaints = self._has_complaint_role()
        return [
            {
                "title": self.env._("Incidents"),
                "clauses": ["8.6.1"],
                "model": "itsm.ticket",
                "domain": company + opened + [("kind", "=", "incident")],
                "fields": TICKET_FIELDS,
            },
            {
                "title": self.env._("Service Requests"),
                "clauses": ["8.6.2"],
                "model": "itsm.ticket",
                "domain": company + opened + [("kind", "=", "service_request")],
                "fields": TICKET_FIELDS,
            },
            {
                "title": self.env._("Changes"),
                "clauses": ["8.5.1"],
                "model": "itsm.ticket",
                "domain": company + opened + [("kind", "=", "change_request")],
                "fields": TICKET_FIELDS,
            },
            {
                "title": self.env._("Major Incidents"),
                "clauses": ["8.6.1"],
                "model": "itsm.ticket",
                "domain": company + opened + [("is_major_incident", "=", True)],
                "fields": [
                    "number",
                    "name",
                    "service_id",
                    "priority",
                    "major_declared_at",
                    "affected_user_count",
                    "major_incident_manager_id",
                    "stage_id",
                    "closed_at",
                    "has_completed_review",
                ],
            },
            {
                "title": self.env._("Post-Incident Reviews"),
                "clauses": ["8.6.1", "10.2"],
                "model": "itsm.major.incident.review",
                "domain": company + [("ticket_id.opened_at", ">=", start), ("ticket_id.opened_at", "<", end)],
                "fields": [
                    "ticket_id",
                    "reviewer_id",
                    "review_date",
                    "state",
                    "completed_at",
                    "timeline",
                    "impact_summary",
                    "root_cause",
                    "actions",
                    "lessons_learned",
                ],
            },
            {
                "title": self.env._("Problems and Known Errors"),
                "clauses": ["8.6.3"],
                "model": "itsm.problem",
                "domain": company + [("create_date", ">=", start), ("create_date", "<", end)],
                "fields": [
                    "number",
                    "name",
                    "service_id",
                    "category_id",
                    "owner_id",
                    "state",
                    "root_cause",
                    "is_known_error",
                    "known_error_note",
                    "workaround",
                ],
            },
            {
                "title": self.env._("SLA Compliance"),
                "clauses": ["8.3.3", "9.4"],
                "model": "itsm.sla.report",
                "domain": company + opened + [("is_stopped", "=", True)],
                "rows": self._sla_compliance_rows,
            },
            {
                "title": self.env._("SLA Reviews"),
                "clauses": ["8.3.3", "9.4"],
                "model": "itsm.sla.review",
                "domain": company + [("date_from", "<=", overlap_to), ("date_to", ">=", overlap_from)],
                "fields": [
                    "contract_id",
                    "partner_id",
                    "date_from",
                    "date_to",
                    "state",
                    "minutes",
                    "decisions",
                    "target_changes",
                ],
            },
            {
                "title": self.env._("Complaints"),
                "clauses": ["8.3.2"],
                "model": "itsm.complaint",
                "skip": not complaints,
                "domain": company + [("received_at", ">=", start), ("received_at", "<", end)],
                "fields": [
                    "number",
                    "name",
                    "kind",
                    "channel",
                    "received_at",
                    "receiver_id",
                    "partner_id",
                    "category_id",
                    "severity",
                    "service_id",
                    "ticket_id",
                    "owner_id",
                    "state",
                    "escalation_level",
                    "responded_at",
                    "feedback",
                    "feedback_comment",
                    "closed_at",
                    "rejection_reason",
                ],
            },
            {
                "title": self.env._("Complaint Steps"),
                "clauses": ["8.3.2"],
                "model": "itsm.complaint.step.log",
                "skip": not complaints,
                "domain": company
                + [("complaint_id.received_at", ">=", start), ("complaint_id.received_at", "<", end)],
                "fields": [
                    "complaint_id",
                    "state",
                    "entered_at",
                    "left_at",
                    "deadline",
                    "user_id",
                    "escalation_level",
                    "duration_hours",
                    "is_late",
                ],
            },
            {
                "title": self.env._("Complaint Reviews"),
                "clauses": ["8.3.2", "9.4"],
                "model": "itsm.complaint.review",
                "skip": not complaints,
                "domain": company + [("period_start", "<=", overlap_to), ("period_end", ">=", overlap_from)],
                "fields": [
                    "name",
                    "period_type",
                    "period_start",
                    "period_end",
                    "state",
                    "meeting_date",
                    "received_count",
                    "complaint_count",
                    "suggestion_count",
                    "closed_count",
                    "open_count",
                    "overdue_count",
                    "late_step_count",
                    "escalated_count",
                    "minutes",
                    "improvement_requirements",
                ],
            },
            {
                "title": self.env._("Ratings"),
                "clauses": ["8.3.2", "9.1"],
                "model": "rating.rating",
                "domain": [
                    ("res_model", "=", "itsm.ticket"),
                    ("consumed", "=", True),
                    ("itsm_ticket_id.company_id", "=", self.company_id.id),
                    ("create_date", ">=", start),
                    ("create_date", "<", end),
                ],
                "fields": [
                    "itsm_ticket_id",
                    "partner_id",
                    "rated_partner_id",
                    "rating",
                    "rating_text",
                    "is_default",
                    "itsm_channel",
                    "feedback",
                    "create_date",
                ],
            },
            {
                "title": self.env._("Callbacks"),
                "clauses": ["8.3.2", "9.1"],
                "model": "itsm.callback",
                "domain": company
                + [
                    "|",
                    "&",
                    ("done_at", ">=", start),
                    ("done_at", "<", end),
                    "&",
                    ("due_date", ">=", overlap_from),
                    ("due_date", "<=", overlap_to),
                ],
                "fields": [
                    "campaign_id",
                    "ticket_id",
                    "partner_id",
                    "caller_id",
                    "due_date",
                    "state",
                    "done_at",
                    "overall_score",
                    "timeliness_score",
                    "courtesy_score",
                    "informed",
                    "advice_given",
                    "comment",
                    "needs_followup",
                ],
            },
            {
                "title": self.env._("Improvement Actions"),
                "clauses": ["10.2"],
                "model": "itsm.improvement.action",
                "domain": company
                + [("create_date", "<", end), "|", ("done_at", "=", False), ("done_at", ">=", start)],
                "fields": [
                    "name",
                    "owner_id",
                    "due_date",
                    "state",
                    "done_at",
                    "complaint_id",
                    "review_id",
                    "outcome",
                ],
            },
            {
                "title": self.env._("Supplier Performance"),
                "clauses": ["8.3.4"],
                "model": "itsm.vendor.ticket.report",
                "domain": company + [("sent_at", ">=", start), ("sent_at", "<", end)],
                "fields": [
                    "vendor_id",
                    "vendor_ticket_id",
                    "ticket_id",
                    "service_id",
                    "team_id",
                    "state",
                    "outcome",
                    "sent_at",
                    "response_hours",
                    "resolution_hours",
                ],
            },
        ]

    def _sla_compliance_rows(self, Model, domain):
        """Compliance per contract and metric: met, breached, met % and average working hours."""
        headers = [
            Model._fields["contract_id"]._description_string(self.env),
            self.env._("Trial"),
            Model._fields["metric"]._description_string(self.env),
            self.env._("Met"),
            self.env._("Breached"),
            self.env._("Met %"),
            self.env._("Average Working Hours"),
            self.env._("Average Target Hours"),
        ]
        metrics = dict(Model._fields["metric"]._description_selection(self.env))
        groups = Model._read_group(
            domain,
            ["contract_id", "is_trial", "metric"],
            ["met_count:sum", "breached_count:sum", "worked_hours:avg", "target_hours:avg"],
            order="contract_id, metric",
        )
        rows = []
        for contract, is_trial, metric, met, breached, worked, target in groups:
            stopped = (met or 0) + (breached or 0)
            rate = round(100.0 * met / stopped, 1) if stopped else 0.0
            rows.append(
                [
                    contract.display_name or "",
                    is_trial,
                    metrics.get(metric, metric or ""),
                    met,
                    breached,
                    rate,
                    round(worked or 0.0, 2),
                    round(target or 0.0, 2),
                ]
            )
        return headers, rows

    # reading ----------------------------------------------------------------------------------

    def _iter_chunks(self, Model, domain, fnames, chunk_size):
        """The records of ``domain`` by chunks keyed on the id, their ``fnames`` fetched (the
        user's rights and record rules applied), the cache emptied between chunks so that memory
        does not grow with the period."""
        last_id = 0
        while True:
            records = Model.search_fetch(
                domain + [("id", ">", last_id)], fnames, limit=chunk_size, order="id"
            )
            if records:
                yield records
            if len(records) < chunk_size:
                return
            last_id = records._ids[-1]
            Model.env.invalidate_all()

    def _column(self, records, field):
        """The values of ``field`` for ``records`` in order, as ``read`` gives them, but a
        many2one as an id (or None, see ``_many2one_ids``)."""
        if field.type == "many2one":
            return self._many2one_ids(records, field)
        if field.type in X2MANY:
            values = [record[field.name] for record in records]
        else:
            values = records.mapped(field.name)  # one list for the chunk, from what the fetch read
        if field.type not in READ_AS_RECORD:
            values = [field.convert_to_read(value, records, use_display_name=False) for value in values]
        return values

    def _many2one_ids(self, records, field):
        """The ids ``field`` (a many2one) links ``records`` to, in order (None where empty).

        ``mapped`` gives the linked records without their order, and ``record[field]`` builds a
        recordset per value: the ids are read from the values the chunk's ``search_fetch`` put in
        the cache (the user's rights and record rules applied), through the reader ``mapped``
        itself uses, never written; a field the fetch did not read (not stored) goes through the
        ORM."""
        values = records.env.cache.get_until_miss(records, field)
        if len(values) == len(records):
            return values
        return [record[field.name].id or None for record in records]

    def _cell_converter(self, field, tz, selections, names):
        """The function that turns a value of ``_column`` into the cell of ``field``: the cell
        Odoo's ``read`` value gives (a record's display name, a selection's label, plain text of
        HTML, a time in the company's time zone), formula-safe and cut to a cell's size."""
        ftype = field.type
        if ftype == "many2one":
            return lambda value: names[value] if value else ""
        if ftype == "selection":
            labels = selections[field.name]
            return lambda value: labels.get(value, value or "")
        if ftype == "datetime":
            utc = pytz.utc
            return lambda value: utc.localize(value).astimezone(tz).replace(tzinfo=None) if value else ""
        if ftype == "date":
            return lambda value: value or ""
        empty = "" if ftype not in ("boolean", "integer", "float", "monetary") else None

        def convert(value):
            if ftype == "html":
                value = html2plaintext(value) if value else ""
            if value is False or value is None:
                return empty if empty is not None else value or False
            if isinstance(value, str):
                return safe_cell(value[:MAX_CELL])
            return value

        return convert

    def _display_names(self, comodel_name, ids, names):
        """Complete ``names`` (id: display name, as ``read`` gives it: with superuser rights)
        with the records ``ids`` of ``comodel_name``, computed together."""
        missing = [id_ for id_ in set(ids) if id_ and id_ not in names]
        if missing:
            records = self.env[comodel_name].browse(missing).sudo()
            names.update(zip(records._ids, records.mapped("display_name"), strict=True))
        return names

    # writing ----------------------------------------------------------------------------------

    def _write_row(self, sheet, row, values, formats):
        write_string, write_number = sheet.write_string, sheet.write_number
        for column, value in enumerate(values):
            kind = type(value)
            # the common types first, by exact type; anything else as before by its class
            if kind is str:
                if value:
                    write_string(row, column, safe_cell(value))
            elif kind is int or kind is float:
                write_number(row, column, value)
            elif kind is bool:
                sheet.write_boolean(row, column, value)
            elif kind is datetime:
                sheet.write_datetime(row, column, value, formats["datetime"])
            elif isinstance(value, date):
                fmt = formats["datetime"] if isinstance(value, datetime) else formats["date"]
                sheet.write_datetime(row, column, value, fmt)
            elif isinstance(value, bool):
                sheet.write_boolean(row, column, value)
            elif isinstance(value, (int, float)):
                sheet.write_number(row, column, value)
            elif value == "":
                continue
            else:
                sheet.write_string(row, column, safe_cell(str(value)))

    def _write_sheet(self, workbook, spec, tz, formats, chunk_size, names=None):
        """Write one sheet; return its number of rows, or None when the user may not read it.
        ``names`` keeps the display names of linked records per model from sheet to sheet."""
        sheet = workbook.add_worksheet(spec["title"][:31])
        Model = self.env[spec["model"]]
        if spec.get("skip") or not self.env["ir.model.access"].check(Model._name, "read", False):
            sheet.write_string(
                0, 0, self.env._("Not included: your access rights do not cover these records.")
            )
            return None
        if spec.get("rows"):
            headers, rows = spec["rows"](Model, spec["domain"])
            self._write_row(sheet, 0, headers, formats)
            for row, values in enumerate(rows, start=1):
                self._write_row(sheet, row, [safe_cell(value) for value in values], formats)
            return len(rows)
        fields_ = [
            Model._fields[name] for name in spec["fields"] if Model._fields[name].is_accessible(self.env)
        ]
        selections = {
            field.name: dict(field._description_selection(self.env))
            for field in fields_
            if field.type == "selection"
        }
        sheet.write_row(0, 0, [field._description_string(self.env) for field in fields_], formats["header"])
        sheet.freeze_panes(1, 0)
        count = 0
        fnames = [field.name for field in fields_]
        names = {} if names is None else names
        converters = [
            self._cell_converter(
                field,
                tz,
                selections,
                names.setdefault(field.comodel_name, {}) if field.type == "many2one" else None,
            )
            for field in fields_
        ]
        for records in self._iter_chunks(Model, spec["domain"], fnames, chunk_size):
            columns = []
            for field, convert in zip(fields_, converters, strict=True):
                values = self._column(records, field)
                if field.type == "many2one":
                    self._display_names(field.comodel_name, values, names[field.comodel_name])
                columns.append([convert(value) for value in values])
            for values in zip(*columns, strict=True):
                count += 1
                self._write_row(sheet, count, values, formats)
        return count

    def _build_workbook(self, start, end):
        """The workbook (bytes) and the rows per sheet title, the user's rights applied."""
        chunk_size = self.env.context.get("itsm_evidence_chunk_size", CHUNK_SIZE)
        tz = self.company_id._itsm_evidence_tz()
        clauses = self._get_clauses()
        output = io.BytesIO()
        workbook = xlsxwriter.Workbook(output, {"constant_memory": True, "strings_to_formulas": False})
        formats = {
            "header": workbook.add_format({"bold": True}),
            "date": workbook.add_format({"num_format": "yyyy-mm-dd"}),
            "datetime": workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
        }
        index = workbook.add_worksheet(self.env._("Index"))
        index.write_row(
            0,
            0,
            [
                self.env._("Sheet"),
                self.env._("ISO/IEC 20000-1:2018 Clause"),
                self.env._("Requirement"),
                self.env._("Rows"),
            ],
            formats["header"],
        )
        index.set_column(0, 0, 28)
        index.set_column(2, 2, 50)
        counts, names = {}, {}
        for row, spec in enumerate(self._get_sheets(start, end), start=1):
            count = self._write_sheet(workbook, spec, tz, formats, chunk_size, names)
            counts[spec["title"]] = count
            self._write_row(
                index,
                row,
                [
                    spec["title"],
                    ", ".join(spec["clauses"]),
                    "; ".join(clauses[c] for c in spec["clauses"]),
                    count if count is not None else self.env._("not included"),
                ],
                formats,
            )
        period = self.env._(
            "Company: %(company)s. Period: %(start)s to %(end)s (%(tz)s). Exported by %(user)s.",
            company=self.company_id.name,
            start=self.date_from,
            end=self.date_to,
            tz=tz.zone,
            user=self.env.user.name,
        )
        index.write_string(len(counts) + 2, 0, safe_cell(period))
        workbook.close()
        return output.getvalue(), counts

    # the action -------------------------------------------------------------------------------

    def action_export(self):
        """Build the evidence workbook of the company and period with the user's rights, log the
        export and download the file."""
        self.ensure_one()
        if self.company_id not in self.env.user.company_ids:
            raise UserError(self.env._("You may only export the records of your own companies."))
        wizard = self.with_context(allowed_company_ids=[self.company_id.id]).with_company(self.company_id)
        start, end = self.company_id._itsm_evidence_bounds(self.date_from, self.date_to)
        content, counts = wizard._build_workbook(start, end)
        return wizard._log_export(content, counts).action_download()

    def _log_export(self, content, counts):
        name = self.env._(
            "ISO 20000 evidence %(company)s %(start)s %(end)s",
            company=self.company_id.name,
            start=self.date_from,
            end=self.date_to,
        )
        log = self.env["itsm.evidence.export"].create(
            {
                "name": name,
                "company_id": self.company_id.id,
                "user_id": self.env.user.id,
                "exported_at": fields.Datetime.now(),
                "date_from": self.date_from,
                "date_to": self.date_to,
                "row_count": sum(count or 0 for count in counts.values()),
                "row_counts": "\n".join(
                    f"{title}: {count if count is not None else '-'}" for title, count in counts.items()
                ),
            }
        )
        # the file is stored by the system for the log the user just created and may read
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .create(
                {
                    "name": f"{name}.xlsx",
                    "datas": base64.b64encode(content),
                    "res_model": log._name,
                    "res_id": log.id,
                    "mimetype": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                }
            )
        )
        log.sudo().attachment_id = attachment
        return log
