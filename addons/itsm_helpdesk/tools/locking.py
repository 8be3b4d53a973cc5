"""Claiming work in scheduled jobs, so that several Odoo nodes running a job at once do it once.

Odoo's cron takes a lock on its ``ir_cron`` row, but the same job also runs from a button, a
``_trigger`` or another node; each job therefore claims the records it acts on. A record that
another transaction holds is skipped (it is being done there), not waited for: both runs
succeed and share the work instead of the second failing on a serialization error.
"""

from odoo.tools import SQL


def claim(model, domain, limit=None, order=None):
    """The records of ``domain`` that no other transaction holds, locked until this one ends.

    One statement reads and locks them (``FOR NO KEY UPDATE SKIP LOCKED``). The lock is the one
    an UPDATE takes: rows that refer to a claimed record can still be inserted meanwhile. Odoo's
    transactions are REPEATABLE READ: a record that another run processed and committed after
    this transaction's snapshot cannot be locked (a serialization error), so it is never done
    twice either.
    """
    model.env.flush_all()
    query = model._search(domain, limit=limit, order=order)
    model.env.cr.execute(
        SQL("%s FOR NO KEY UPDATE OF %s SKIP LOCKED", query.select(), SQL.identifier(model._table))
    )
    return model.browse(row[0] for row in model.env.cr.fetchall())


def claim_keys(model, domain, name):
    """The records of ``domain`` whose lock (``name``, id) this transaction obtained, held until it ends.

    For work that creates records rather than changing the ones found (one review per company
    and period): a record left out is being worked on by another transaction right now. The
    locks are PostgreSQL advisory locks, taken by the query that finds the records; they say
    nothing of work committed after this transaction's snapshot, so a unique constraint on the
    records created stays the last guard.
    """
    query = model._search(domain)
    query.add_where(
        SQL("pg_try_advisory_xact_lock(hashtext(%s), %s)", name, SQL.identifier(model._table, "id"))
    )
    model.env.cr.execute(query.select())
    return model.browse(row[0] for row in model.env.cr.fetchall())
