from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    itsm_relationship_manager_id = fields.Many2one(
        "res.users",
        "Relationship Manager",
        domain=[("share", "=", False)],
        tracking=True,
        help="Owns the service relationship with this customer.",
    )
    itsm_contact_channel_ids = fields.Many2many(
        "itsm.contact.channel", string="Agreed Communication Channels"
    )
    itsm_review_frequency = fields.Selection(
        [
            ("monthly", "Monthly"),
            ("quarterly", "Quarterly"),
            ("half_yearly", "Every six months"),
            ("yearly", "Yearly"),
        ],
        "Service Review Frequency",
    )
    itsm_next_review_date = fields.Date("Next Service Review")
    itsm_company_access = fields.Boolean(
        "Sees All Company Tickets",
        help="On the portal, this contact sees and follows every ticket of its company.",
    )
    itsm_ticket_count = fields.Integer("Tickets", compute="_compute_itsm_ticket_count")
    itsm_open_ticket_count = fields.Integer("Open Tickets", compute="_compute_itsm_ticket_count")

    def _compute_itsm_ticket_count(self):
        """Counts for the customer (the commercial entity), in one grouped query."""
        commercial_ids = self.commercial_partner_id.ids
        totals, opens = {}, {}
        if commercial_ids and self.env["itsm.ticket"].has_access("read"):
            for partner, is_closed, count in self.env["itsm.ticket"]._read_group(
                [("commercial_partner_id", "in", commercial_ids)],
                ["commercial_partner_id", "is_closed"],
                ["__count"],
            ):
                totals[partner.id] = totals.get(partner.id, 0) + count
                if not is_closed:
                    opens[partner.id] = opens.get(partner.id, 0) + count
        for partner in self:
            partner.itsm_ticket_count = totals.get(partner.commercial_partner_id.id, 0)
            partner.itsm_open_ticket_count = opens.get(partner.commercial_partner_id.id, 0)

    def action_view_itsm_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("itsm_helpdesk.itsm_ticket_action")
        action["domain"] = [("commercial_partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.id, "search_default_open": 1}
        return action

    def write(self, vals):
        result = super().write(vals)
        if "itsm_company_access" in vals:
            # the portal record rules read this flag: drop their cached domains
            self.env.registry.clear_cache()
        return result

    @api.model
    def _commercial_fields(self):
        return super()._commercial_fields() + [
            "itsm_relationship_manager_id",
            "itsm_contact_channel_ids",
            "itsm_review_frequency",
            "itsm_next_review_date",
        ]
