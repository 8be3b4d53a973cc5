from odoo import http
from odoo.http import request

from odoo.addons.itsm_helpdesk.controllers.portal import ItsmCustomerPortal


class ItsmSlaPortal(ItsmCustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "itsm_sla_contract_count" in counters:
            Contract = request.env["itsm.sla.contract"]
            values["itsm_sla_contract_count"] = (
                Contract.search_count(self._itsm_sla_contract_domain()) if Contract.has_access("read") else 0
            )
        return values

    def _itsm_sla_contract_domain(self):
        # record rules keep portal users to their own company's contracts in force
        partner = request.env.user.partner_id.commercial_partner_id
        return [("partner_id", "=", partner.id), ("state", "in", ("trial", "active"))]

    @http.route(["/my/sla"], type="http", auth="user", website=True)
    def portal_my_sla(self, **kw):
        Contract = request.env["itsm.sla.contract"]
        contracts = (
            Contract.search(self._itsm_sla_contract_domain()) if Contract.has_access("read") else Contract
        )
        values = self._prepare_portal_layout_values()
        # found with the user's rights (record rules: own company only); sudo only to read the
        # calendar name and services for display
        values.update({"contracts": contracts.sudo(), "page_name": "itsm_sla"})
        return request.render("itsm_sla.portal_my_sla", values)

    def _itsm_ticket_page_values(self, ticket_sudo, access_token, **kw):
        values = super()._itsm_ticket_page_values(ticket_sudo, access_token, **kw)
        # the ticket was checked by the parent (ownership or token): its own SLA lines only
        values["sla_lines"] = ticket_sudo.sla_line_ids.filtered(lambda ln: ln.agreement_kind == "customer")
        return values
