from odoo import api, fields, models


class ItsmTicketChecklist(models.Model):
    _name = "itsm.ticket.checklist"
    _description = "Ticket Checklist Step"
    _order = "sequence, id"

    ticket_id = fields.Many2one("itsm.ticket", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="ticket_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    name = fields.Char("Step", required=True)
    is_done = fields.Boolean("Done")
    done_by_id = fields.Many2one("res.users", readonly=True)
    done_at = fields.Datetime(readonly=True)

    def write(self, vals):
        if "is_done" in vals:
            vals = dict(
                vals,
                done_by_id=self.env.uid if vals["is_done"] else False,
                done_at=fields.Datetime.now() if vals["is_done"] else False,
            )
        return super().write(vals)

    @api.model_create_multi
    def create(self, vals_list):
        now = fields.Datetime.now()
        for vals in vals_list:
            if vals.get("is_done"):
                vals.update(done_by_id=self.env.uid, done_at=now)
        return super().create(vals_list)
