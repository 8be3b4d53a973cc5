"""Writing a different value on each record of a batch, with one ``write``'s checks for all."""

from collections import defaultdict


def write_rows(records, values):
    """Write ``values[i]`` (a dict of field values, in the ``write`` format) on ``records[i]``.

    ``records[i].write(values[i])`` for every record costs a whole ``write`` each: the access
    checks, the fields' triggers (``modified``), the constraints. A public holiday gives each
    of the thousands of clocks it moves its own deadline, and these per-record calls were most
    of the job's Python time (measured: about 0.3 ms a line, 6 s for a batch of 20,000 clocks,
    against about 0.05 ms here). This does what ``write`` does, once for the whole batch:

    * the rights of ``records``' environment are checked for all of them, as ``write`` checks;
    * the values are set through the fields themselves (``Field.write``, as a compute method
      sets them: the record cache and the rows to flush are Odoo's own), records getting the
      same value at once; Odoo's flush then writes the rows in multi-row UPDATEs;
    * what depends on the fields is marked to recompute once (``modified``, before and after
      for relational fields, as ``write`` does), then the constraints on them are checked.

    Only for plain stored fields (no inverse, no one2many/many2many, not computed): the clock
    fields. ``tests/test_sla_access.py`` checks that the database then holds what the cache
    holds, that the dependent ticket fields follow and that the rights are enforced.
    """
    records = records.browse(records._ids)  # keep the order of ``values``
    if len(records) != len(values):
        raise ValueError("one dict of values per record")
    fnames = set().union(*values)
    if not fnames:
        return
    if records._log_access:
        log = {"write_uid": records.env.uid, "write_date": records.env.cr.now()}
        values = [log | vals for vals in values]
        fnames |= set(log)
    records.check_access("write")
    records.check_field_access_rights("write", list(fnames - {"write_uid", "write_date"}))
    fields = [records._fields[name] for name in fnames]
    for field in fields:
        if field.name in ("write_uid", "write_date"):
            continue
        if not field.store or field.inverse or field.compute or field.type in ("one2many", "many2many"):
            raise ValueError(f"{field} is not a plain stored field")
    ids_by_value = defaultdict(list)  # (field name, value) -> record ids
    for record_id, vals in zip(records._ids, values, strict=True):
        for name, value in vals.items():
            ids_by_value[name, value].append(record_id)
    relational = [field.name for field in fields if records.pool.is_modifying_relations(field)]
    env = records.env
    with env.protecting(fields, records):
        records.modified(relational, before=True)
        for (name, value), ids in ids_by_value.items():
            records.browse(ids)[name] = value
        records.modified(fnames)
    records._validate_fields(fnames)
    if records._check_company_auto and any(
        field.name == "company_id" or (field.relational and field.check_company) for field in fields
    ):
        records._check_company(list(fnames))
