import pytz

from odoo import models

from ..tools.spreadsheet import safe_cell

# records exported per pass of the column-wise export: their values leave the cache after it
EXPORT_CHUNK = 2000
# field types the column-wise export writes exactly as Odoo's export does
COLUMN_TYPES = frozenset(
    ("char", "text", "integer", "float", "monetary", "boolean", "selection", "date", "datetime", "many2one")
)


class Base(models.AbstractModel):
    _inherit = "base"

    def export_data(self, fields_to_export):
        """Odoo's list export (CSV and XLSX, grouped or not) of the suite's records is formula-safe:
        a text such as a portal user's subject ``=HYPERLINK(...)`` comes out as text, never as a live
        formula of the spreadsheet that opens the file. Other models are left as Odoo exports them.

        A list export of the suite's records (the list's columns, as labels) is written column by
        column, in chunks, with the values Odoo's export gives: 100,000 tickets in seconds and with
        the memory of one chunk. Other exports (import-compatible, related paths, lines) take Odoo's
        own way."""
        if not self._name.startswith("itsm."):
            return super().export_data(fields_to_export)
        if self._itsm_column_export(fields_to_export):
            # Odoo's own check of the right to export, on no record
            super(Base, self.browse()).export_data(fields_to_export)
            return {"datas": self._itsm_export_columns(fields_to_export)}
        result = super().export_data(fields_to_export)
        result["datas"] = [[safe_cell(value) for value in row] for row in result.get("datas", [])]
        return result

    def _itsm_column_export(self, fnames):
        """Whether the column-wise export writes these columns as Odoo's export would."""
        if self.env.context.get("import_compat", True) or not fnames:
            return False
        for fname in fnames:
            field = self._fields.get(fname)
            if field is None or field.type not in COLUMN_TYPES:
                return False
        return True

    def _itsm_export_columns(self, fnames):
        fields = [self._fields[fname] for fname in fnames]
        tz_name = self.env.context.get("tz") or self.env.user.tz
        try:
            tz = pytz.timezone(tz_name) if tz_name else pytz.utc
        except pytz.UnknownTimeZoneError:
            tz = pytz.utc
        labels = {
            field.name: dict(field._description_selection(self.env))
            for field in fields
            if field.type == "selection" and isinstance(field.selection, list)
        }
        rows = []
        for start in range(0, len(self._ids), EXPORT_CHUNK):
            chunk = self.browse(self._ids[start : start + EXPORT_CHUNK])
            chunk.fetch(fnames)  # as Odoo's export: access rights and rules, stored dependencies
            columns = [self._itsm_export_column(chunk, field, tz, labels.get(field.name)) for field in fields]
            rows.extend([safe_cell(value) for value in row] for row in zip(*columns, strict=True))
            chunk.invalidate_recordset()
        return rows

    def _itsm_export_column(self, records, field, tz, labels):
        """The cells of ``field`` for ``records``: the values of ``field.convert_to_export`` (and
        the display name of a many2one's record), read from the cache column by column."""
        values = field.mapped(records)  # every value in the cache, computed or fetched in batch
        kind = field.type
        if kind == "many2one":
            names = {record.id: record.display_name for record in values}
            ids = list(records.env.cache.get_values(records, field))
            return [names.get(record_id) or "" for record_id in ids]
        if kind == "selection":
            if labels is None:
                return [value or "" for value in values]
            return [labels.get(value, "") for value in values]
        if kind == "datetime":
            return [
                pytz.utc.localize(value).astimezone(tz).replace(tzinfo=None, microsecond=0) if value else ""
                for value in values
            ]
        if kind == "boolean":
            return [bool(value) for value in values]
        if kind in ("integer", "float", "monetary"):
            return [value if value or value == 0 else "" for value in values]
        return [value or "" for value in values]
