from odoo import models


class ItsmCommunicationPlanLine(models.Model):
    _inherit = "itsm.communication.plan.line"

    def _get_issued_management_report(self, date_from, date_to):
        """The management report issued for exactly this period of the line's company, if any."""
        self.ensure_one()
        return (
            self.env["itsm.management.report"]
            .sudo()
            .search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("state", "=", "issued"),
                    ("date_from", "=", date_from),
                    ("date_to", "=", date_to),
                ],
                limit=1,
            )
        )

    def _get_content_payload_management_report(self, date_from, date_to):
        """The issued management report of the period, its PDF attached; the figures of the
        period as a plain body while none is issued."""
        report = self._get_issued_management_report(date_from, date_to)
        if not report._ensure_pdf():
            return super()._get_content_payload_management_report(date_from, date_to)
        # the delivery owns its copy: whoever reads the delivery reads its attachment
        attachment = report.pdf_attachment_id.copy({"res_model": "itsm.communication.delivery", "res_id": 0})
        body = self.env["ir.qweb"]._render(
            "itsm_management_report.management_report_content",
            {"report": report, "line": self},
            minimal_qcontext=True,
        )
        return {
            "subject": self.env._("Management report %s", report.name),
            "body": body,
            "attachment_ids": attachment.ids,
        }
