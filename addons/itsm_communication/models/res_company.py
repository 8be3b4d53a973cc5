from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    itsm_coverage_months = fields.Integer(
        "Satisfaction Coverage (months)",
        default=6,
        help="Customers with tickets but no satisfaction measure for this many months are flagged "
        "and asked first by the next callback campaign. 0 disables the rule.",
    )

    def _itsm_major_recipients(self):
        """Management, and the stakeholders (the board) subscribed to major incident warnings."""
        recipients = super()._itsm_major_recipients()
        stakeholders = (
            self.env["itsm.stakeholder"]
            .sudo()
            .search([("company_id", "=", self.id), ("is_major_incident_warned", "=", True)])
        )
        for stakeholder in stakeholders:
            recipients |= stakeholder._get_recipient_partners()
        return recipients
