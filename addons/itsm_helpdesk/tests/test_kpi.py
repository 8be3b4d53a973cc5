from datetime import datetime

from freezegun import freeze_time

from odoo.tests import tagged, users, warmup

from .common import ItsmCommon


@tagged("post_install", "-at_install")
class TestDeskKpis(ItsmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Desk 9-17 UTC",
                "tz": "UTC",
                "attendance_ids": [(5, 0, 0)]
                + [
                    (
                        0,
                        0,
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": 9,
                            "hour_to": 17,
                            "day_period": "morning",
                        },
                    )
                    for day in range(5)
                ],
            }
        )
        cls.team_desk.resource_calendar_id = cls.calendar

    def test_scripted_timeline(self):
        with freeze_time("2026-03-02 09:00:00"):  # a Monday
            ticket = self._ticket()
            self._flush_tracking()
        with freeze_time("2026-03-02 09:20:00"):
            ticket.with_user(self.portal_a).sudo().message_post(
                body="Any news?",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
                author_id=self.portal_a.partner_id.id,
            )
            ticket.with_user(self.agent_1).message_post(
                body="Internal: checking", message_type="comment", subtype_xmlid="mail.mt_note"
            )
        self.assertFalse(ticket.first_response_at, "neither the requester nor an internal note is a response")
        with freeze_time("2026-03-02 09:30:00"):
            ticket.user_id = self.agent_1
        with freeze_time("2026-03-02 10:00:00"):
            ticket.with_user(self.agent_1).message_post(
                body="We are on it", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        with freeze_time("2026-03-02 10:30:00"):
            ticket.with_user(self.agent_1).message_post(
                body="Second reply", message_type="comment", subtype_xmlid="mail.mt_comment"
            )
        with freeze_time("2026-03-02 11:00:00"):
            ticket.with_context(itsm_transfer_reason="Needs a technician").team_id = self.team_field
            ticket.team_id.resource_calendar_id = self.calendar
        with freeze_time("2026-03-03 15:00:00"):
            ticket.write({"stage_id": self.stage_solved.id, "is_advice_given": True})
        self.env.flush_all()
        self.assertEqual(ticket.first_response_at, datetime(2026, 3, 2, 10, 0))
        self.assertAlmostEqual(ticket.first_response_hours, 1.0)
        self.assertAlmostEqual(ticket.assignment_hours, 0.5)
        self.assertAlmostEqual(ticket.line2_delay_hours, 2.0)
        self.assertAlmostEqual(ticket.resolution_hours, 30.0)
        self.assertAlmostEqual(ticket.resolution_work_hours, 14.0, msg="8 h on Monday and 6 h on Tuesday")
        self.assertFalse(ticket.is_resolved_by_line1)
        self.assertTrue(ticket.is_advice_given)
        # the desk report reads these KPIs from the ticket: one definition, the same figures
        report = self.env["itsm.desk.report"].search([("ticket_id", "=", ticket.id)])
        self.assertRecordValues(
            report,
            [
                {
                    "first_response_hours": ticket.first_response_hours,
                    "assignment_hours": 0.5,
                    "line2_delay_hours": 2.0,
                    "resolution_hours": 30.0,
                    "resolution_work_hours": 14.0,
                    "line1_resolution_pct": 0.0,
                    "advice_pct": 100.0,
                }
            ],
        )

    def test_desk_report_leaves_out_what_has_not_happened(self):
        """A measure that does not apply yet is NULL, not 0: averages count only its tickets."""
        with freeze_time("2026-03-02 09:00:00"):
            waiting = self._ticket()
        self.env.flush_all()
        report = self.env["itsm.desk.report"].search([("ticket_id", "=", waiting.id)])
        self.env.cr.execute(
            "SELECT first_response_hours, assignment_hours, resolution_hours, line1_resolution_pct"
            " FROM itsm_desk_report WHERE id = %s",
            [report.id],
        )
        self.assertEqual(self.env.cr.fetchone(), (None, None, None, None))

    def test_sql_report_parts_compose_the_view(self):
        """Reports are built as project.report: another module extends a part, not the view."""
        query = self.env["itsm.desk.report"]._query()
        self.assertIn("itsm_ticket t JOIN res_company co", query.code)
        self.assertIn("GROUP BY", self.env["itsm.recurring.incident"]._query().code)
        self.assertIn("HAVING", self.env["itsm.recurring.incident"]._query().code)
        self.assertNotIn("GROUP BY", query.code)

    def test_first_line_resolution_rate(self):
        with freeze_time("2026-03-02 09:00:00"):
            solved_by_desk = self._ticket()
            escalated = self._ticket()
            still_open = self._ticket()
        escalated.team_id = self.team_field
        (solved_by_desk | escalated).action_close()
        self.assertTrue(solved_by_desk.is_resolved_by_line1)
        self.assertFalse(escalated.is_resolved_by_line1)
        self.env.flush_all()
        [(rate, count)] = self.env["itsm.desk.report"]._read_group(
            [("ticket_id", "in", (solved_by_desk | escalated | still_open).ids)],
            [],
            ["line1_resolution_pct:avg", "ticket_count:sum"],
        )
        self.assertEqual(count, 3)
        self.assertEqual(rate, 50.0, "open tickets stay out of the first-line resolution rate")
        # a ticket handed back to line 1 and closed there was not resolved by line 1
        self.assertFalse(still_open.is_resolved_by_line1)


@tagged("post_install", "-at_install", "is_query_count")
class TestDashboardQueries(ItsmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["itsm.ticket"].create(
            [
                {
                    "name": f"T{i}",
                    "team_id": (cls.team_desk if i % 2 else cls.team_field).id,
                    "user_id": cls.agent_1.id if i % 3 else False,
                }
                for i in range(30)
            ]
        )

    @users("itsm_manager")
    @warmup
    def test_management_pivot_data(self):
        with self.assertQueryCount(itsm_manager=4):
            self.env["itsm.desk.report"].read_group(
                [],
                [
                    "ticket_count:sum",
                    "line1_resolution_pct:avg",
                    "first_response_hours:avg",
                    "resolution_work_hours:avg",
                ],
                ["opened_at:month", "team_id"],
                lazy=False,
            )

    @users("itsm_manager")
    @warmup
    def test_desk_lead_overview(self):
        teams = self.env["itsm.team"].search([("id", "in", (self.team_desk | self.team_field).ids)])
        with self.assertQueryCount(itsm_manager=2):
            self.assertEqual(sum(teams.mapped("open_ticket_count")), 30)
            teams.mapped("unassigned_ticket_count")
