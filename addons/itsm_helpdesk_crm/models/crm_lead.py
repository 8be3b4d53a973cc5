from odoo import fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    itsm_ticket_ids = fields.One2many("itsm.ticket", "lead_id", "Service Desk Tickets")
    itsm_ticket_count = fields.Integer("Tickets", compute="_compute_itsm_ticket_count")

    def _compute_itsm_ticket_count(self):
        counts = {}
        if self.ids and self.env["itsm.ticket"].has_access("read"):
            counts = dict(
                self.env["itsm.ticket"]._read_group([("lead_id", "in", self.ids)], ["lead_id"], ["__count"])
            )
        for lead in self:
            lead.itsm_ticket_count = counts.get(lead._origin, 0)

    def action_view_itsm_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("itsm_helpdesk.itsm_ticket_action")
        action["domain"] = [("lead_id", "=", self.id)]
        action["context"] = {"default_lead_id": self.id, "default_partner_id": self.partner_id.id}
        return action
