from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    is_itsm_vendor = fields.Boolean(
        "IT Vendor",
        help="A supplier to whom the service desk can escalate tickets (hardware maker, "
        "software publisher, telecom operator...).",
    )
    itsm_vendor_ticket_count = fields.Integer("Vendor Tickets", compute="_compute_itsm_vendor_ticket_count")
    itsm_open_vendor_ticket_count = fields.Integer(
        "Open Vendor Tickets", compute="_compute_itsm_vendor_ticket_count"
    )

    def _compute_itsm_vendor_ticket_count(self):
        VendorTicket = self.env["itsm.vendor.ticket"]
        totals, opens = {}, {}
        vendors = self.filtered("is_itsm_vendor")
        if vendors and VendorTicket.has_access("read"):
            for vendor, state, count in VendorTicket._read_group(
                [("vendor_id", "in", vendors.ids)], ["vendor_id", "state"], ["__count"]
            ):
                totals[vendor.id] = totals.get(vendor.id, 0) + count
                if state in ("sent", "answered"):
                    opens[vendor.id] = opens.get(vendor.id, 0) + count
        for partner in self:
            partner.itsm_vendor_ticket_count = totals.get(partner.id, 0)
            partner.itsm_open_vendor_ticket_count = opens.get(partner.id, 0)

    def action_view_itsm_vendor_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("itsm_vendor.itsm_vendor_ticket_action")
        action["domain"] = [("vendor_id", "=", self.id)]
        action["context"] = {"default_vendor_id": self.id, "search_default_open": 1}
        return action
