from freezegun import freeze_time

from odoo import Command
from odoo.http import Request
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestCommunicationPortal(HttpCase):
    """Recipients read and answer their own communications; contacts read their own customer's reviews."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_a = cls.env["res.partner"].create({"name": "Portal Customer A", "is_company": True})
        cls.customer_b = cls.env["res.partner"].create({"name": "Portal Customer B", "is_company": True})
        cls.portal_a = new_test_user(
            cls.env,
            "comm_portal_a",
            groups="base.group_portal",
            name="Ada A",
            email="ada@a.example.com",
            password="comm_portal_a",
        )
        cls.portal_a2 = new_test_user(
            cls.env,
            "comm_portal_a2",
            groups="base.group_portal",
            name="Abe A",
            email="abe@a.example.com",
            password="comm_portal_a2",
        )
        cls.portal_b = new_test_user(
            cls.env,
            "comm_portal_b",
            groups="base.group_portal",
            name="Ben B",
            email="ben@b.example.com",
            password="comm_portal_b",
        )
        cls.portal_a.partner_id.parent_id = cls.customer_a
        cls.portal_a2.partner_id.parent_id = cls.customer_a
        cls.portal_b.partner_id.parent_id = cls.customer_b
        cls.env["itsm.communication.plan"].search([]).write({"state": "closed"})
        plan = cls.env["itsm.communication.plan"].create({"name": "Portal plan", "state": "active"})
        for customer, reader in ((cls.customer_a, cls.portal_a), (cls.customer_b, cls.portal_b)):
            stakeholder = cls.env["itsm.stakeholder"].create(
                {
                    "name": customer.name,
                    "partner_id": customer.id,
                    "contact_ids": [Command.set(reader.partner_id.ids)],
                }
            )
            cls.env["itsm.communication.plan.line"].create(
                {"plan_id": plan.id, "stakeholder_id": stakeholder.id, "start_date": "2026-01-01"}
            )
        with freeze_time("2026-02-02 08:00:00"):
            deliveries = cls.env["itsm.communication.plan.line"]._cron_deliver(companies=cls.env.company)
        cls.delivery_a = deliveries.filtered(lambda d: d.stakeholder_id.partner_id == cls.customer_a)
        cls.delivery_b = deliveries - cls.delivery_a
        manager = cls.env.ref("base.user_admin")
        cls.review_a, cls.review_b = cls.env["itsm.relationship.review"].create(
            [
                {
                    "partner_id": customer.id,
                    "manager_id": manager.id,
                    "review_date": "2026-01-20",
                    "period_start": "2025-10-20",
                    "period_end": "2026-01-19",
                    "contact_partner_ids": [Command.set(reader.partner_id.ids)],
                    "minutes": f"<p>Minutes of {customer.name}</p>",
                }
                for customer, reader in ((cls.customer_a, cls.portal_a), (cls.customer_b, cls.portal_b))
            ]
        )
        (cls.review_a | cls.review_b).action_done()

    def test_recipient_reads_and_answers(self):
        self.authenticate("comm_portal_a", "comm_portal_a")
        listing = self.url_open("/my/communications")
        self.assertIn(self.delivery_a.name, listing.text)
        self.assertNotIn(self.delivery_b.name, listing.text)
        page = self.url_open(f"/my/communications/{self.delivery_a.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Tickets opened", page.text)
        self.assertTrue(self.delivery_a.opened_at)
        answer = self.url_open(
            f"/my/communications/{self.delivery_a.id}/answer",
            data={"csrf_token": Request.csrf_token(self), "rating": "4", "comment": "Clear, thanks"},
        )
        self.assertEqual(answer.status_code, 200)
        self.assertEqual(self.delivery_a.acknowledged_by_id, self.portal_a.partner_id)
        self.assertEqual(
            (self.delivery_a.feedback_rating, self.delivery_a.feedback_comment), ("4", "Clear, thanks")
        )

    def test_recipients_download_the_delivered_files_only(self):
        attachment = self.env["ir.attachment"].create(
            {
                "name": "Report.pdf",
                "raw": b"%PDF-1.4 delivered",
                "res_model": self.delivery_a._name,
                "res_id": self.delivery_a.id,
            }
        )
        self.delivery_a.attachment_ids = attachment
        other = self.env["ir.attachment"].create({"name": "Other.pdf", "raw": b"%PDF-1.4 other"})
        path = f"/my/communications/{self.delivery_a.id}/attachments/{attachment.id}"
        self.assertEqual(self.url_open(path).status_code, 404, "not for the anonymous visitor")
        url = self.delivery_a._get_recipient_url(self.portal_a.partner_id)
        signed = url[url.index("?") :]
        page = self.url_open(f"/my/communications/{self.delivery_a.id}{signed}")
        self.assertIn(path, page.text, "the page links the file")
        download = self.url_open(path + signed)
        self.assertEqual((download.status_code, download.content), (200, b"%PDF-1.4 delivered"))
        self.authenticate("comm_portal_b", "comm_portal_b")
        self.assertEqual(self.url_open(path).status_code, 404, "not for another customer")
        self.authenticate("comm_portal_a", "comm_portal_a")
        self.assertEqual(self.url_open(path).status_code, 200)
        foreign = f"/my/communications/{self.delivery_a.id}/attachments/{other.id}"
        self.assertEqual(self.url_open(foreign).status_code, 404, "only the delivery's own files")

    def test_another_customer_cannot_read_or_answer(self):
        self.authenticate("comm_portal_b", "comm_portal_b")
        self.assertEqual(self.url_open(f"/my/communications/{self.delivery_a.id}").status_code, 404)
        answer = self.url_open(
            f"/my/communications/{self.delivery_a.id}/answer",
            data={"csrf_token": Request.csrf_token(self), "rating": "1"},
        )
        self.assertEqual(answer.status_code, 404)
        self.assertFalse(self.delivery_a.opened_at or self.delivery_a.feedback_at)

    def test_signed_link_only_for_its_recipient(self):
        url = self.delivery_a._get_recipient_url(self.portal_a.partner_id)
        path = url[url.index("/my/") :]
        self.authenticate(None, None)
        self.assertEqual(self.url_open(path).status_code, 200, "the link works for its recipient, logged out")
        self.assertTrue(self.delivery_a.opened_at)
        bare = f"/my/communications/{self.delivery_a.id}?access_token={self.delivery_a.access_token}"
        self.assertEqual(self.url_open(bare).status_code, 404, "the token alone names no recipient")
        forged = path.replace(f"pid={self.portal_a.partner_id.id}", f"pid={self.portal_b.partner_id.id}")
        self.assertEqual(self.url_open(forged).status_code, 404)
        self.authenticate("comm_portal_b", "comm_portal_b")
        self.assertEqual(self.url_open(path).status_code, 404, "never for another logged-in person")

    def test_designated_contacts_read_their_own_reviews_only(self):
        self.authenticate("comm_portal_a", "comm_portal_a")
        listing = self.url_open("/my/relationship-reviews")
        self.assertIn("Portal Customer A", listing.text)
        self.assertNotIn("Portal Customer B", listing.text)
        page = self.url_open(f"/my/relationship-reviews/{self.review_a.id}")
        self.assertIn("Minutes of Portal Customer A", page.text)
        self.assertEqual(self.url_open(f"/my/relationship-reviews/{self.review_b.id}").status_code, 404)
        self.authenticate("comm_portal_a2", "comm_portal_a2")
        self.assertEqual(
            self.url_open(f"/my/relationship-reviews/{self.review_a.id}").status_code,
            404,
            "a contact of the customer who is not designated does not read the minutes",
        )
        self.assertNotIn("Minutes of", self.url_open("/my/relationship-reviews").text)
