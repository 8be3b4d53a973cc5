from odoo import api, fields, models


class ItsmSlaContractRule(models.AbstractModel):
    """What targets and thresholds share: they belong to a contract, and changing one changes
    how its clocks are planned.

    Ticket creation reads the rules of the contracts in force from the registry cache
    (``itsm.sla.contract._get_rules``): every change clears it, and the open clocks of the
    contract re-read their rules, keeping the working time already spent.
    """

    _name = "itsm.sla.contract.rule"
    _description = "SLA Contract Rule"

    contract_id = fields.Many2one("itsm.sla.contract", required=True, index=True, ondelete="cascade")

    @api.model_create_multi
    def create(self, vals_list):
        rules = super().create(vals_list)
        rules._itsm_sla_rules_changed(rules.contract_id)
        return rules

    def write(self, vals):
        result = super().write(vals)
        self._itsm_sla_rules_changed(self.contract_id)
        return result

    def unlink(self):
        contracts = self.contract_id
        result = super().unlink()
        self._itsm_sla_rules_changed(contracts.exists())
        return result

    def _itsm_sla_rules_changed(self, contracts):
        self.env.registry.clear_cache()
        contracts._itsm_sla_targets_changed()
