from odoo import api, fields, models


class ItsmTicket(models.Model):
    _inherit = "itsm.ticket"

    vendor_ticket_ids = fields.One2many(
        "itsm.vendor.ticket", "ticket_id", groups="itsm_helpdesk.group_itsm_agent"
    )
    vendor_ticket_count = fields.Integer(
        compute="_compute_vendor_ticket_count", groups="itsm_helpdesk.group_itsm_agent"
    )
    has_open_vendor_ticket = fields.Boolean(
        "Open Vendor Escalation",
        compute="_compute_has_open_vendor_ticket",
        store=True,
        precompute=True,
        help="Escalated to a vendor who has not resolved it yet.",
        groups="base.group_user",
    )

    @api.model
    def _prepare_new_ticket_values(self, vals_list):
        # a new ticket has no vendor ticket: saying so spares the precomputation of
        # has_open_vendor_ticket a default_get per ticket (see EMPTY_ON_CREATE of itsm_helpdesk)
        result = super()._prepare_new_ticket_values(vals_list)
        for vals in vals_list:
            vals.setdefault("vendor_ticket_ids", [])
        return result

    @api.depends("vendor_ticket_ids")
    def _compute_vendor_ticket_count(self):
        for ticket in self:
            ticket.vendor_ticket_count = len(ticket.vendor_ticket_ids)

    @api.depends("vendor_ticket_ids.is_open")
    def _compute_has_open_vendor_ticket(self):
        for ticket in self:
            ticket.has_open_vendor_ticket = any(ticket.vendor_ticket_ids.mapped("is_open"))

    def action_open_vendor_escalate_wizard(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "itsm_vendor.itsm_ticket_vendor_escalate_action"
        )
        action["context"] = {"default_ticket_id": self.id}
        return action

    def action_view_vendor_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("itsm_vendor.itsm_vendor_ticket_action")
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {"default_ticket_id": self.id}
        return action
