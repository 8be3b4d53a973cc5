from odoo import api, models


class ItsmComplaint(models.Model):
    _inherit = "itsm.complaint"

    @api.model_create_multi
    def create(self, vals_list):
        complaints = super().create(vals_list)
        # only the complaint's number is told: its content stays with the complaint roles
        self.env["itsm.relationship.notice"]._notify(
            "complaint", complaints, {c.id: c.sudo().number or str(c.id) for c in complaints}
        )
        return complaints
