from freezegun import freeze_time

from odoo.tests import tagged

from .common import JANUARY, ManagementReportCommon


@tagged("post_install", "-at_install")
class TestManagementReportDelivery(ManagementReportCommon):
    """The communication plan's management report line sends the issued report of its period."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.line = cls.env["itsm.communication.plan.line"].create(
            {
                "plan_id": cls.plan.id,
                "stakeholder_id": cls.stakeholder_board.id,
                "content_kind": "management_report",
                "frequency": "quarterly",
                "channel": "email",
                "owner_id": cls.comm_manager.id,
                "start_date": "2025-01-01",
            }
        )

    def _deliver(self, when):
        with freeze_time(when):
            return self.env["itsm.communication.plan.line"]._cron_deliver(companies=self.company)

    def test_delivery_carries_the_issued_pdf(self):
        report = self._mgmt_report(kind="quarter")
        report.action_issue()
        delivery = self._deliver("2025-04-02 08:00:00")
        self.assertEqual(len(delivery), 1)
        self.assertEqual(delivery.name, f"Management report {report.name}")
        self.assertIn(report.name, delivery.body)
        self.assertIn("ISO/IEC 20000-1 certified", delivery.body, "the period's highlights")
        attachment = delivery.attachment_ids
        self.assertEqual(len(attachment), 1)
        self.assertEqual(attachment.raw, report.pdf_attachment_id.raw, "the PDF issued, not a new rendering")
        self.assertEqual((attachment.res_model, attachment.res_id), (delivery._name, delivery.id))
        self.assertNotEqual(attachment, report.pdf_attachment_id, "the delivery owns its copy")
        sent = delivery.message_ids.filtered(lambda m: self.board_member in m.partner_ids)
        self.assertEqual(sent.attachment_ids, attachment, "the e-mail carries the PDF")

    def test_plain_figures_while_no_report_is_issued(self):
        self._mgmt_report(kind="quarter")  # a draft: nothing issued yet
        delivery = self._deliver("2025-04-02 08:00:00")
        self.assertFalse(delivery.attachment_ids)
        self.assertIn("Tickets opened", delivery.body)
        self.assertIn("ISO/IEC 20000-1 certified", delivery.body)

    def test_a_report_of_another_period_is_not_sent(self):
        self._mgmt_report(date_from=JANUARY, kind="month").action_issue()
        delivery = self._deliver("2025-04-02 08:00:00")
        self.assertFalse(delivery.attachment_ids, "January's monthly report is not the quarter's")
