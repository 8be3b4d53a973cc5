from odoo import models


class ItsmTicketSla(models.Model):
    _inherit = "itsm.ticket.sla"

    def _write_changes(self, changes, current=None):
        """Every breach passes here: the job's and a target reached late."""
        breached = self.browse(
            [
                line.id
                for line, vals in changes.items()
                if vals.get("status") == "breached" and line.status != "breached"
            ]
        )
        result = super()._write_changes(changes, current)
        if breached:
            self.env["itsm.relationship.notice"]._notify(
                "sla_breach",
                breached.ticket_id,
                {
                    line.ticket_id.id: f"{line.ticket_id.display_name} ({line.target_id.display_name})"
                    for line in breached
                },
            )
        return result
