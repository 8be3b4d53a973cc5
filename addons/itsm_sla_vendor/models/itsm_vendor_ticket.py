from odoo import api, fields, models

SLA_VENDOR_FIELDS = {"state", "vendor_id", "answered_at", "resolved_at", "ticket_id"}


class ItsmVendorTicket(models.Model):
    _inherit = "itsm.vendor.ticket"

    @api.model_create_multi
    def create(self, vals_list):
        cases = super().create(vals_list)
        cases.ticket_id._sla_sync(fields.Datetime.now())
        return cases

    def write(self, vals):
        tickets = self.ticket_id
        result = super().write(vals)
        if SLA_VENDOR_FIELDS & set(vals):
            # the underpinning contracts of the vendor start, stop or wait with the escalation
            (tickets | self.ticket_id)._sla_sync(fields.Datetime.now())
        return result
