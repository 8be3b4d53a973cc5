from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestServiceReportPortal(HttpCase):
    """Designated contacts read their own company's issued reports; nobody else's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer_a = cls.env["res.partner"].create({"name": "Portal Customer A", "is_company": True})
        cls.customer_b = cls.env["res.partner"].create({"name": "Portal Customer B", "is_company": True})
        cls.contact_a = cls._portal_user("sr_contact_a", cls.customer_a, designated=True)
        cls.requester_a = cls._portal_user("sr_requester_a", cls.customer_a, designated=False)
        cls.contact_b = cls._portal_user("sr_contact_b", cls.customer_b, designated=True)
        Report = cls.env["itsm.service.report"]
        cls.report_a = Report.create({"partner_id": cls.customer_a.id, "date_from": "2025-01-01"})
        cls.report_b = Report.create({"partner_id": cls.customer_b.id, "date_from": "2025-01-01"})
        (cls.report_a | cls.report_b).action_issue()
        cls.draft_a = Report.create({"partner_id": cls.customer_a.id, "date_from": "2025-02-01"})

    @classmethod
    def _portal_user(cls, login, company, designated):
        user = new_test_user(
            cls.env, login, groups="base.group_portal", name=login, email=f"{login}@example.com"
        )
        user.partner_id.write({"parent_id": company.id, "itsm_company_access": designated})
        return user

    def test_designated_contact_reads_own_reports(self):
        self.authenticate("sr_contact_a", "sr_contact_a")
        page = self.url_open("/my/service-reports")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.report_a.name, page.text)
        self.assertNotIn(self.report_b.name, page.text)
        self.assertNotIn("2025-02", page.text, "a draft is not published")
        detail = self.url_open(f"/my/service-reports/{self.report_a.id}")
        self.assertIn("o_itsm_service_report_page", detail.text)
        pdf = self.url_open(f"/my/service-reports/{self.report_a.id}/pdf")
        self.assertEqual(pdf.headers["Content-Type"], "application/pdf")
        self.assertTrue(pdf.content)

    def test_other_customer_never_reads_the_report(self):
        self.authenticate("sr_contact_b", "sr_contact_b")
        page = self.url_open("/my/service-reports")
        self.assertNotIn(self.report_a.name, page.text)
        detail = self.url_open(f"/my/service-reports/{self.report_a.id}")
        self.assertNotIn("o_itsm_service_report_page", detail.text)
        self.assertNotIn(self.report_a.name, detail.text)
        pdf = self.url_open(f"/my/service-reports/{self.report_a.id}/pdf")
        self.assertNotEqual(pdf.headers.get("Content-Type"), "application/pdf")
        token = self.report_a.sudo()._portal_ensure_token()
        leaked = self.url_open(f"/my/service-reports/{self.report_a.id}?access_token={token}")
        self.assertNotIn("o_itsm_service_report_page", leaked.text, "no token opens a report")

    def test_undesignated_contact_and_draft_are_hidden(self):
        self.authenticate("sr_requester_a", "sr_requester_a")
        self.assertNotIn(self.report_a.name, self.url_open("/my/service-reports").text)
        self.assertNotIn(
            "o_itsm_service_report_page", self.url_open(f"/my/service-reports/{self.report_a.id}").text
        )
        self.authenticate("sr_contact_a", "sr_contact_a")
        draft = self.url_open(f"/my/service-reports/{self.draft_a.id}")
        self.assertNotIn("o_itsm_service_report_page", draft.text)

    def test_record_rules_for_portal_users(self):
        Report = self.env["itsm.service.report"]
        with self.assertRaises(AccessError):
            self.report_a.with_user(self.contact_a).read(["pdf_attachment_id", "review_id"])
        self.assertEqual(Report.with_user(self.contact_a).search([]), self.report_a)
        self.assertFalse(Report.with_user(self.contact_b).search([("partner_id", "=", self.customer_a.id)]))
        self.assertFalse(Report.with_user(self.requester_a).search([]))
        groups = Report.with_user(self.contact_b).read_group([], ["ticket_count:sum"], ["partner_id"])
        self.assertEqual(
            [group["partner_id"][0] for group in groups],
            [self.customer_b.id],
            "no figure of another customer through read_group",
        )
