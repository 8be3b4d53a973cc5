from datetime import date, datetime

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import ComplaintCommon


@tagged("post_install", "-at_install")
class TestComplaintFigures(ComplaintCommon):
    """Complaint figures: counted per month of the company's time zone, read by desk managers
    without a complaint role, naming nobody, within the complaints' own limits."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.resource_calendar_id.tz = "Asia/Shanghai"
        # 1 November 01:30 in Shanghai is 31 October 17:30 UTC: a complaint of November
        cls.november = cls._complaint(received_at=datetime(2026, 10, 31, 17, 30))
        cls.october = cls._complaint(received_at=datetime(2026, 10, 31, 15, 30), agent_id=cls.agent_2.id)
        cls.about_manager = cls._complaint(received_at=datetime(2026, 11, 3, 9, 0), agent_id=cls.manager.id)
        cls.other_company = cls.env["res.company"].create({"name": "Other Desk Ltd"})
        cls.elsewhere = cls.env["itsm.complaint"].create(
            {
                "name": "Slow answer",
                "partner_id": cls.portal_b.partner_id.id,
                "company_id": cls.other_company.id,
                "received_at": datetime(2026, 11, 4, 9, 0),
            }
        )
        cls.env.flush_all()

    def _figures(self, user):
        return self.env["itsm.complaint.report"].with_user(user)

    def test_months_are_cut_in_the_company_time_zone(self):
        rows = self._figures(self.process_owner).search(
            [("complaint_id", "in", (self.november | self.october).ids)]
        )
        months = {row.complaint_id: row.received_month for row in rows}
        self.assertEqual(months, {self.november: date(2026, 11, 1), self.october: date(2026, 10, 1)})

    def test_desk_manager_reads_figures_not_complaints(self):
        figures = self._figures(self.manager)
        [(count,)] = figures._read_group(
            [("received_month", "=", date(2026, 11, 1))], [], ["complaint_count:sum"]
        )
        self.assertEqual(
            count, 1, "November counts the complaint of 01:30 in Shanghai, not the one about the reader"
        )
        with self.assertRaises(AccessError):
            self.env["itsm.complaint"].with_user(self.manager).search([])
        with self.assertRaises(AccessError):
            figures.search([], limit=1).read(["complaint_id"])
        self.assertNotIn("partner_id", figures._fields, "the figures name no complainant")
        self.assertNotIn("agent_id", figures._fields, "nor the agent concerned")

    def test_never_about_oneself_nor_another_company(self):
        seen = self._figures(self.process_owner).search([]).complaint_id
        self.assertEqual(seen, self.november | self.october | self.about_manager)
        manager_ids = self._figures(self.manager).search([]).ids
        self.assertNotIn(self.about_manager.id, manager_ids)
        self.assertNotIn(self.elsewhere.id, manager_ids)

    def test_roles_without_figures(self):
        agent_only = new_test_user(self.env, "cmp_fig_agent", groups="itsm_helpdesk.group_itsm_agent")
        for user in (agent_only, self.receiver, self.employee, self.portal_a):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self._figures(user).search([])

    def test_timing_and_feedback_measures(self):
        self.november.sudo().write({"responded_at": datetime(2026, 11, 1, 17, 30), "feedback": "satisfied"})
        self.october.sudo().write({"feedback": "not_satisfied"})
        self.env.flush_all()
        rows = self._figures(self.process_owner).search(
            [("complaint_id", "in", (self.november | self.october).ids)]
        )
        by_complaint = {row.complaint_id: row for row in rows}
        self.assertAlmostEqual(by_complaint[self.november].response_days, 1.0)
        self.assertFalse(by_complaint[self.october].response_days)
        [(satisfied,)] = rows._read_group([("id", "in", rows.ids)], [], ["satisfied_pct:avg"])
        self.assertEqual(satisfied, 50.0)
        self.assertTrue(all(row.is_open for row in rows))
