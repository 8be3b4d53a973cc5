"""The clock of the demo history: each event is recorded by the ORM at the moment it happened."""

from contextlib import contextmanager


@contextmanager
def demo_clock(env, start):
    """Freeze the clock at ``start`` and yield ``move_to(moment)``, which moves it.

    While the clock is frozen, the code computes what it computes in production (dates of
    assignment, first response, line transfers and closing, SLA clocks, step logs, stored
    KPIs) as of the frozen moment. The log columns (``create_date``, ``write_date``) take the
    transaction's timestamp, ``cursor.now()``, which PostgreSQL gives and no clock freezer
    reaches: ``move_to`` sets that timestamp to the moment too, so the records created or
    changed at an event carry its date. Pending computations are flushed before the clock
    moves, at the moment they belong to. The transaction's timestamp is restored on leaving.
    """
    from freezegun import freeze_time  # installed with Odoo; imported only to play the history

    cr = env.cr
    saved_now = cr._now
    with freeze_time(start) as frozen:

        def move_to(moment):
            env.flush_all()
            frozen.move_to(moment)
            cr._now = moment

        move_to(start)
        try:
            yield move_to
        finally:
            env.flush_all()
            cr._now = saved_now


def first_play(env, key):
    """True the first time the demo history ``key`` is played in the database, False afterwards.

    The ``<function>`` tags of demo files run again when a module is updated (``make run``
    updates an existing database): the history is played once.
    """
    param = f"itsm.demo_history.{key}"
    Param = env["ir.config_parameter"].sudo()
    if Param.get_param(param):
        return False
    Param.set_param(param, "1")
    return True
