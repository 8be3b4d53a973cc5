from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ItsmSlaContract(models.Model):
    """Underpinning contracts: agreements with a vendor, measured while tickets wait on it."""

    _inherit = "itsm.sla.contract"

    kind = fields.Selection(
        selection_add=[("vendor", "Underpinning Contract")], ondelete={"vendor": "cascade"}
    )
    vendor_id = fields.Many2one(
        "res.partner",
        tracking=True,
        domain=[("is_itsm_vendor", "=", True)],
        help="Underpinning contracts measure the time tickets wait on this vendor: from the "
        "escalation to the vendor's answer (response) and resolution.",
    )

    @api.constrains("kind", "vendor_id")
    def _check_vendor(self):
        for contract in self:
            if contract.kind == "vendor" and not contract.vendor_id:
                raise ValidationError(self.env._("Underpinning contract %s needs its vendor.", contract.name))

    def _open_tickets_domain(self):
        domain = super()._open_tickets_domain()
        if self.kind == "vendor":
            domain.append(("vendor_ticket_ids.vendor_id", "=", self.vendor_id.id))
        return domain

    @api.model
    def _get_rule_fields(self):
        return [*super()._get_rule_fields(), "vendor_id"]

    def _get_rule_party(self):
        self.ensure_one()
        if self.kind == "vendor":
            return self.vendor_id.id
        return super()._get_rule_party()
