from odoo import models


class ItsmTicket(models.Model):
    _inherit = "itsm.ticket"

    def _sla_get_party_rules(self, rules):
        """The underpinning contracts of the vendors the ticket was escalated to."""
        found = super()._sla_get_party_rules(rules)
        company = self.company_id.id
        for vendor_id in dict.fromkeys(self.vendor_ticket_ids.vendor_id.ids):
            found += rules.get((company, "vendor", vendor_id), ())
        return found

    def _sla_clock_action(self, contract, metric, first_stage):
        if contract.kind == "vendor" and not self.is_closed:
            return self._sla_vendor_clock_action(contract, metric)
        return super()._sla_clock_action(contract, metric, first_stage)

    def _sla_vendor_clock_action(self, contract, metric):
        """An underpinning contract counts the time the ticket waits on its vendor.

        Its clocks run while a vendor ticket with that vendor is open (whatever the ticket's
        own stage: waiting for the vendor is what it measures); the response is met by the
        vendor's first answer, the resolution by its resolution; otherwise they wait.
        """
        cases = self.vendor_ticket_ids.filtered(lambda v: v.vendor_id.id == contract.party_id)
        if metric == "response" and any(case.answered_at for case in cases):
            return "stop"
        if any(case.is_open for case in cases):
            return "run"
        if any(case.state == "resolved" for case in cases):
            return "stop"
        return "pause"
