# The ticket's SLA deadline is read through its pacing clock (``sla_line_id``) since this
# version instead of being copied onto the ticket row. The former column is no longer written;
# its index would still get an entry on every update of a ticket row: both go.


def migrate(cr, version):
    cr.execute("DROP INDEX IF EXISTS itsm_ticket__sla_deadline_index")
    cr.execute("ALTER TABLE itsm_ticket DROP COLUMN IF EXISTS sla_deadline")
