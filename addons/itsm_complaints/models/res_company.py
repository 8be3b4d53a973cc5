from odoo import api, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    itsm_complaint_process_owner_id = fields.Many2one(
        "res.users",
        "Complaint Escalation: Level 1",
        domain=[("share", "=", False)],
        help="Takes over a complaint the first time its complainant is not satisfied with the response.",
    )
    itsm_complaint_management_id = fields.Many2one(
        "res.users",
        "Complaint Escalation: Level 2",
        domain=[("share", "=", False)],
        help="Takes over a complaint whose complainant is still not satisfied after the first escalation.",
    )

    def init(self):
        res = super().init()
        # every company numbers its complaints from the start (see _create_complaints_sequences)
        self.env.cr.execute("SELECT id FROM res_company")
        self.browse(id_ for (id_,) in self.env.cr.fetchall())._create_complaints_sequences()
        return res

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._create_complaints_sequences()
        return companies

    def _create_complaints_sequences(self):
        """Create the numbering of complaints with the company, not with its first one.

        Created on demand, two complaints received at the same moment by a new company would each
        create a sequence, and both would be numbered 00001.
        """
        for company in self:
            self.env["itsm.complaint"].sudo()._get_intake_sequence(company.id)
