from datetime import date, datetime

from odoo.tests import tagged

from odoo.addons.itsm_communication.tests.common import CommunicationCommon


@tagged("post_install", "-at_install")
class TestAnnouncementsDigest(CommunicationCommon):
    """The announcements digest lists the announcements e-mailed to customers in the period."""

    def test_digest_lists_the_period_announcements(self):
        Announcement = self.env["itsm.announcement"]
        Announcement.create(
            [
                {
                    "name": "Mail outage in January",
                    "start_at": datetime(2026, 1, 10),
                    "sent_at": datetime(2026, 1, 10, 9),
                },
                {
                    "name": "ERP upgrade in February",
                    "start_at": datetime(2026, 2, 3),
                    "sent_at": datetime(2026, 2, 3, 9),
                },
                {"name": "Draft never sent", "start_at": datetime(2026, 1, 12)},
            ]
        )
        line = self._line(content_kind="announcements_digest", stakeholder_id=self.stakeholder_board.id)
        payload = line._get_content_payload(date(2026, 1, 1), date(2026, 1, 31))
        self.assertIn("Announcements Digest", payload["subject"])
        self.assertIn("Mail outage in January", payload["body"])
        self.assertNotIn("ERP upgrade in February", payload["body"], "another period")
        self.assertNotIn("Draft never sent", payload["body"], "never e-mailed")

    def test_digest_of_a_quiet_period(self):
        line = self._line(content_kind="announcements_digest", stakeholder_id=self.stakeholder_board.id)
        payload = line._get_content_payload(date(2025, 1, 1), date(2025, 1, 31))
        self.assertIn("No announcement in this period.", payload["body"])
