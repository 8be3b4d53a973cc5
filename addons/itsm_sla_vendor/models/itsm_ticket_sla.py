from odoo import fields, models


class ItsmTicketSla(models.Model):
    _inherit = "itsm.ticket.sla"

    agreement_kind = fields.Selection(
        selection_add=[("vendor", "Underpinning Contract")], ondelete={"vendor": "cascade"}
    )
