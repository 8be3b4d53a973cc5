"""Reading a one2many of many records, and the fields of its lines, in one query."""

from collections import defaultdict


def prefetch_one2many(records, fname, field_names, order=None):
    """Put ``records.<fname>`` and ``field_names`` of its lines in the record cache, in one query.

    Reading a one2many through the ORM costs two queries (the ids of the lines, then their
    values); the clock rules read both for every ticket they handle (a stage change, a batch
    of new tickets), so this reads them at once. It is the module's one helper that fills the
    record cache itself, kept for that query (measured: the pinned stage change and creation
    counts need it; ``write_rows`` writes through the fields, not the cache):

    * it only reads: the lines come from ``search_fetch`` with the rights of ``records``'
      environment (the clock rules pass tickets in sudo, as the system reads the clocks), and
      the ids are stored in the cache as Odoo's own ``One2many.read`` stores them, for the
      records whose one2many is not in the cache yet (nothing there is overwritten);
    * nothing is written or marked to write: changes go through ``create`` and ``write``.

    ``order`` is the order of the lines within a record when it differs from the comodel's
    ``_order`` only by its first key, the one2many's inverse field: ordering by that many2one
    would make PostgreSQL join and sort the records' table (all the open tickets) for nothing.

    ``tests/test_sla_access.py`` checks that the cache then holds what the database holds and
    that a user without read access to the lines gets an AccessError.
    """
    field = records._fields[fname]
    missing = records.browse(records.env.cache.get_missing_ids(records, field))
    if not missing:
        return
    lines = (
        records.env[field.comodel_name]
        .with_context(active_test=False)
        .search_fetch([(field.inverse_name, "in", missing.ids)], field_names, order=order)
    )
    ids = defaultdict(list)
    for line in lines:
        ids[line[field.inverse_name].id].append(line.id)
    records.env.cache.insert_missing(missing, field, [tuple(ids[rec_id]) for rec_id in missing._ids])
