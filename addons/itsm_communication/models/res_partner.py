from datetime import timedelta

from odoo import fields, models

from .itsm_relationship_review import REVIEW_STEPS


class ResPartner(models.Model):
    _inherit = "res.partner"

    itsm_is_review_contact = fields.Boolean(
        "Service Review Contact",
        help="Attends the customer's service reviews and reads their minutes on the portal.",
    )
    itsm_relationship_review_ids = fields.One2many(
        "itsm.relationship.review", "partner_id", "Service Reviews"
    )

    def _itsm_prepare_relationship_review(self):
        """Values of the customer's next service review: the period since the previous one."""
        self.ensure_one()
        date = self.itsm_next_review_date
        manager = self.itsm_relationship_manager_id
        return {
            "partner_id": self.id,
            "manager_id": manager.id,
            "company_id": (self.company_id or manager.company_id).id,
            "review_date": date,
            "period_start": date - REVIEW_STEPS[self.itsm_review_frequency],
            "period_end": date - timedelta(days=1),
            "attendee_user_ids": [(6, 0, manager.ids)],
            "contact_partner_ids": [(6, 0, self.child_ids.filtered("itsm_is_review_contact").ids)],
        }
