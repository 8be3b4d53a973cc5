from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    itsm_sla_contract_count = fields.Integer(
        "SLAs in Force",
        compute="_compute_itsm_sla_contract_count",
        help="Service level agreements in trial or active for this customer (its commercial entity).",
    )

    def _compute_itsm_sla_contract_count(self):
        """Counts for the customer (the commercial entity), in one grouped query."""
        Contract = self.env["itsm.sla.contract"]
        counts = {}
        if self.commercial_partner_id and Contract.has_access("read"):
            counts = {
                partner.id: count
                for partner, count in Contract._read_group(
                    [
                        ("partner_id", "in", self.commercial_partner_id.ids),
                        ("state", "in", ("trial", "active")),
                    ],
                    ["partner_id"],
                    ["__count"],
                )
            }
        for partner in self:
            partner.itsm_sla_contract_count = counts.get(partner.commercial_partner_id.id, 0)

    def action_view_itsm_sla_contracts(self):
        self.ensure_one()
        customer = self.commercial_partner_id
        action = self.env["ir.actions.act_window"]._for_xml_id("itsm_sla.itsm_sla_contract_action")
        action["domain"] = [("partner_id", "=", customer.id)]
        action["context"] = {"default_partner_id": customer.id}
        return action
