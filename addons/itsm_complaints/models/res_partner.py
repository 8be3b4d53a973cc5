from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    itsm_complaint_count = fields.Integer("Complaints", compute="_compute_itsm_complaint_count")

    def _compute_itsm_complaint_count(self):
        """Complaints of the customer (commercial entity) that the user may see, in one query."""
        counts = {}
        Complaint = self.env["itsm.complaint"]
        commercial_ids = self.commercial_partner_id.ids
        if commercial_ids and self.env.user.has_group("itsm_complaints.group_complaint_receiver"):
            counts = {
                partner.id: count
                for partner, count in Complaint._read_group(
                    [("commercial_partner_id", "in", commercial_ids)], ["commercial_partner_id"], ["__count"]
                )
            }
        for partner in self:
            partner.itsm_complaint_count = counts.get(partner.commercial_partner_id.id, 0)

    def action_view_itsm_complaints(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("itsm_complaints.itsm_complaint_action")
        action["domain"] = [("commercial_partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"default_partner_id": self.id}
        return action
