from odoo import fields, models


class ItsmSlaReport(models.Model):
    _inherit = "itsm.sla.report"

    agreement_kind = fields.Selection(selection_add=[("vendor", "Underpinning Contract")])
