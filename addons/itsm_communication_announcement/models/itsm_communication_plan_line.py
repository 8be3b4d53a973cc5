from odoo import fields, models

from odoo.addons.itsm_communication.models.itsm_communication_period import utc_range


class ItsmCommunicationPlanLine(models.Model):
    _inherit = "itsm.communication.plan.line"

    content_kind = fields.Selection(
        selection_add=[("announcements_digest", "Announcements Digest"), ("satisfaction_results",)],
        ondelete={"announcements_digest": "set default"},
    )

    def _get_content_payload_announcements_digest(self, date_from, date_to):
        start, end = utc_range(self.company_id, date_from, date_to)
        announcements = (
            self.env["itsm.announcement"]
            .sudo()
            .search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("sent_at", ">=", start),
                    ("sent_at", "<", end),
                ],
                order="sent_at",
            )
        )
        return {"body": self._render_content(announcements=announcements)}
