from odoo import models


class ItsmTicket(models.Model):
    _inherit = "itsm.ticket"

    def _notify_major_incident(self):
        note = super()._notify_major_incident()
        self.env["itsm.relationship.notice"]._notify("major_incident", self)
        return note

    def _itsm_follow_up_low_rating(self, rating):
        result = super()._itsm_follow_up_low_rating(rating)
        if rating.rating < self.company_id.itsm_followup_threshold:
            self.env["itsm.relationship.notice"]._notify(
                "low_rating",
                self,
                {
                    self.id: self.env._(
                        "%(ticket)s rated %(rating)s/5", ticket=self.display_name, rating=int(rating.rating)
                    )
                },
            )
        return result
