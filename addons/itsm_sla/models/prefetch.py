"""Reading one2many fields of many records in one query."""

from collections import defaultdict


def prefetch_one2many(records, fname, field_names):
    """Put ``records.<fname>`` and ``field_names`` of the lines in the record cache, in one query.

    Reading a one2many costs two queries (the ids of the lines, then their values); the SLA
    code reads both for every ticket or contract it handles, so it reads them here at once.
    Records whose one2many is already in the cache are left as they are.
    """
    field = records._fields[fname]
    missing = records.browse(records.env.cache.get_missing_ids(records, field))
    if not missing:
        return
    lines = (
        records.env[field.comodel_name]
        .sudo()
        .with_context(active_test=False)
        .search_fetch([(field.inverse_name, "in", missing.ids)], field_names)
    )
    ids = defaultdict(list)
    for line in lines:
        ids[line[field.inverse_name].id].append(line.id)
    records.env.cache.insert_missing(missing, field, [tuple(ids[rec_id]) for rec_id in missing._ids])
