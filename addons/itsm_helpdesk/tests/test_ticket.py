from datetime import datetime

import psycopg2.errors
from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import ItsmCommon


@tagged("post_install", "-at_install")
class TestTicketLifecycle(ItsmCommon):
    def test_lifecycle_per_kind(self):
        for kind in ("incident", "service_request", "change_request", "question"):
            with self.subTest(kind=kind):
                with freeze_time("2026-03-02 09:00:00"):
                    ticket = self._ticket(kind=kind, name=f"A {kind}")
                    self._flush_tracking()
                self.assertEqual(
                    ticket.stage_id, self.stage_new, "a new ticket starts in the team's first stage"
                )
                self.assertTrue(ticket.number.startswith("TKT"))
                self.assertFalse(ticket.is_closed)
                self.assertFalse(ticket.assigned_at)
                with freeze_time("2026-03-02 09:20:00"):
                    ticket.user_id = self.agent_1
                    ticket.stage_id = self.stage_progress
                    self._flush_tracking()
                self.assertEqual(ticket.assigned_at, datetime(2026, 3, 2, 9, 20))
                with freeze_time("2026-03-02 10:00:00"):
                    ticket.stage_id = self.stage_waiting
                    self._flush_tracking()
                self.assertTrue(ticket.is_paused)
                with freeze_time("2026-03-02 11:00:00"):
                    ticket.stage_id = self.stage_solved
                    self._flush_tracking()
                self.assertTrue(ticket.is_closed)
                self.assertEqual(ticket.closed_at, datetime(2026, 3, 2, 11, 0))
                self.assertEqual(ticket.last_stage_update_at, datetime(2026, 3, 2, 11, 0))
                with freeze_time("2026-03-04 08:00:00"):
                    ticket.action_reopen()
                    self._flush_tracking()
                self.assertFalse(ticket.is_closed)
                self.assertFalse(ticket.closed_at, "a reopened ticket is no longer closed")
                self.assertEqual(ticket.reopen_count, 1)
                self.assertEqual(
                    ticket.assigned_at, datetime(2026, 3, 2, 9, 20), "first assignment time is kept"
                )
                tracked = ticket.message_ids.tracking_value_ids.filtered(
                    lambda v: v.field_id.name == "stage_id"
                )
                self.assertEqual(
                    tracked.sorted("id").mapped("new_value_char"),
                    ["In Progress", "Waiting for Customer", "Solved", "New"],
                    "every stage change is tracked in the chatter",
                )

    def test_numbers_follow_each_company_sequence(self):
        company_2 = self.env["res.company"].create({"name": "Second Desk Company"})
        first = self._ticket()
        second = self._ticket()
        other = self.env["itsm.ticket"].create(
            {
                "name": "In the other company",
                "company_id": company_2.id,
            }
        )
        self.assertNotEqual(first.number, second.number)
        self.assertEqual(int(second.number[-5:]), int(first.number[-5:]) + 1)
        self.assertEqual(other.number[-5:], "00001", "each company numbers its own tickets")
        seqs = self.env["ir.sequence"].search([("code", "=", "itsm.ticket")])
        self.assertIn(company_2, seqs.company_id)

    def test_batch_create_numbers_are_unique_and_ordered(self):
        tickets = self.env["itsm.ticket"].create(
            [{"name": f"T{i}", "team_id": self.team_desk.id} for i in range(5)]
        )
        numbers = [int(n[-5:]) for n in tickets.mapped("number")]
        self.assertEqual(numbers, list(range(numbers[0], numbers[0] + 5)))
        # the prefix and suffix interpolated once for the batch are those of each number alone
        sequence = self.env["itsm.ticket"]._get_intake_sequence(self.env.company.id)
        sequence.write({"prefix": "T-%(year)s-%(month)s/", "suffix": "-%(y)s", "padding": 6})
        more = self.env["itsm.ticket"].create(
            [{"name": f"U{i}", "team_id": self.team_desk.id} for i in range(3)]
        )
        first = int(more[0].number.split("/")[1][:6])
        self.assertEqual(more.mapped("number"), [sequence.get_next_char(first + i) for i in range(3)])
        self.assertRegex(more[0].number, r"^T-\d{4}-\d{2}/\d{6}-\d{2}$")

    def test_same_values_twice_give_two_numbers(self):
        values = {"name": "Same values", "team_id": self.team_desk.id}
        first, second = self.env["itsm.ticket"].create(values), self.env["itsm.ticket"].create(values)
        self.assertNotEqual(first.number, second.number)
        self.assertNotIn("number", values, "the caller's values are left untouched")

    def test_priority_matrix(self):
        ticket = self._ticket(impact="1", urgency="1")
        self.assertEqual(ticket.priority, "1")
        ticket.write({"impact": "3", "urgency": "3"})
        self.assertEqual(ticket.priority, "5")
        ticket.urgency = "1"
        self.assertEqual(ticket.priority, "3", "low impact and high urgency is moderate")
        # an agent may override the derived priority
        ticket.priority = "2"
        self.assertEqual(ticket.priority, "2")
        # a company cell overrides the default cell
        self.env["itsm.priority.rule"].create(
            {
                "impact": "3",
                "urgency": "1",
                "priority": "4",
                "company_id": self.company.id,
            }
        )
        self.assertEqual(self._ticket(impact="3", urgency="1").priority, "4")
        other_company = self.env["res.company"].create({"name": "Default Matrix Co"})
        self.assertEqual(
            self.env["itsm.ticket"]
            .create({"name": "x", "company_id": other_company.id, "impact": "3", "urgency": "1"})
            .priority,
            "3",
            "other companies keep the default matrix",
        )

    def test_priority_matrix_one_cell_per_company(self):
        with (
            self.assertRaises(psycopg2.errors.UniqueViolation),
            self.cr.savepoint(),
            mute_logger("odoo.sql_db"),
        ):
            self.env["itsm.priority.rule"].create({"impact": "1", "urgency": "1", "priority": "2"})

    def test_reopen_window(self):
        self.team_desk.reopen_window_days = 3
        with freeze_time("2026-05-01 10:00:00"):
            ticket = self._ticket()
            ticket.action_close()
        self.assertTrue(ticket.is_closed)
        with freeze_time("2026-05-03 10:00:00"):
            self.assertTrue(ticket._can_reopen())
        with freeze_time("2026-05-05 10:00:00"):
            self.assertFalse(ticket._can_reopen())
            with self.assertRaises(UserError):
                ticket.action_reopen()
        self.assertTrue(ticket.is_closed)

    def test_requester_follows_and_gets_acknowledgement(self):
        ticket = self._ticket(partner_id=self.portal_b.partner_id.id)
        self.assertIn(self.portal_b.partner_id, ticket.message_partner_ids)
        self.assertTrue(ticket.is_ack_pending)
        self.env["itsm.ticket"]._cron_send_acknowledgements()
        self.assertFalse(ticket.is_ack_pending)
        self.env["itsm.ticket"]._cron_send_acknowledgements()
        ack = ticket.message_ids.filtered(lambda m: ticket.number in (m.subject or ""))
        self.assertEqual(
            len(ack), 1, "the requester is told the ticket number once, and the chatter keeps it"
        )
        mail = self.env["mail.mail"].sudo().search([("mail_message_id", "=", ack.id)])
        self.assertEqual(mail.recipient_ids, self.portal_b.partner_id)
        self.assertIn("/my/tickets/", mail.body_html, "the acknowledgement links to the portal")

    def test_reply_notifications_go_through_the_mail_queue(self):
        """An agent's reply reaches the requester by an e-mail that the mail queue sends, woken for
        it, instead of the request that posted it; a caller asking for sending at once gets it."""
        ticket = self._ticket(partner_id=self.portal_b.partner_id.id)
        mail_queue = self.env.ref("mail.ir_cron_mail_scheduler_action")
        Trigger = self.env["ir.cron.trigger"]
        triggers = Trigger.search([("cron_id", "=", mail_queue.id)])

        def mail_of(message):
            return self.env["mail.mail"].sudo().search([("mail_message_id", "=", message.id)])

        reply = ticket.with_user(self.agent_1).message_post(
            body="We are on it", message_type="comment", subtype_xmlid="mail.mt_comment"
        )
        self.assertEqual(mail_of(reply).recipient_ids, self.portal_b.partner_id)
        self.assertEqual(mail_of(reply).state, "outgoing", "queued, not sent by the reply's request")
        self.assertTrue(
            Trigger.search([("cron_id", "=", mail_queue.id)]) - triggers, "the mail queue is woken"
        )
        urgent = (
            ticket.with_user(self.agent_1)
            .with_context(mail_notify_force_send=True)
            .message_post(body="Power is back", message_type="comment", subtype_xmlid="mail.mt_comment")
        )
        self.assertNotEqual(mail_of(urgent).state, "outgoing", "sent at once when asked")

    def test_new_tickets_followers_and_their_subtypes(self):
        Subtype = self.env["mail.message.subtype"]
        all_subtypes, _internal, external = Subtype.default_subtypes("itsm.ticket")
        self.assertTrue(external)
        tickets = (
            self.env["itsm.ticket"]
            .with_user(self.agent_1)
            .create(
                [
                    {
                        "name": "Screen flickers",
                        "team_id": self.team_desk.id,
                        "partner_id": self.portal_a.partner_id.id,
                    },
                    {
                        "name": "VPN down",
                        "team_id": self.team_desk.id,
                        "partner_id": self.portal_b.partner_id.id,
                        "user_id": self.agent_2.id,
                    },
                    # the agent reports for themselves: one follower, not two
                    {
                        "name": "My laptop",
                        "team_id": self.team_desk.id,
                        "partner_id": self.agent_1.partner_id.id,
                    },
                ]
            )
        )
        followers = self.env["mail.followers"].search(
            [("res_model", "=", "itsm.ticket"), ("res_id", "in", tickets.ids)]
        )
        by_ticket = {
            ticket: {
                f.partner_id: f.subtype_ids for f in followers.filtered(lambda f, t=ticket: f.res_id == t.id)
            }
            for ticket in tickets
        }
        first, second, third = tickets
        self.assertEqual(
            by_ticket[first][self.portal_a.partner_id], external, "customers get customer subtypes"
        )
        self.assertEqual(by_ticket[first][self.agent_1.partner_id], all_subtypes, "the creator gets them all")
        self.assertEqual(by_ticket[second][self.agent_2.partner_id], all_subtypes, "the assignee too")
        self.assertEqual(by_ticket[second][self.portal_b.partner_id], external)
        self.assertEqual(list(by_ticket[third]), [self.agent_1.partner_id])
        # the records show their followers at once, in the same transaction
        self.assertIn(self.portal_b.partner_id, second.message_partner_ids)
        self.assertEqual(len(third.message_follower_ids), 1)
        # creator, assignee and requester; subscribing the requester again adds nobody
        self.assertEqual(len(second.message_follower_ids), 3)
        second.message_subscribe(partner_ids=self.portal_b.partner_id.ids)
        self.assertEqual(len(second.message_follower_ids), 3)

    def test_stage_templates_reach_the_requester(self):
        ticket = self._ticket(partner_id=self.portal_b.partner_id.id)
        self._flush_tracking()
        for stage, subject in ((self.stage_waiting, "We need your input"), (self.stage_solved, "Solved:")):
            ticket.stage_id = stage
            self._flush_tracking()
            sent = ticket.message_ids.filtered(lambda m, subject=subject: subject in (m.subject or ""))
            self.assertEqual(len(sent), 1, subject)
            self.assertIn(self.portal_b.partner_id, sent.partner_ids)
        ticket.stage_id = self.stage_progress
        self._flush_tracking()
        self.assertFalse(
            ticket.message_ids.filtered(lambda m: "In Progress" in (m.subject or "")),
            "a stage without template sends nothing to the requester",
        )

    def test_requester_contact_and_user_from_partner(self):
        partner = self.portal_a.partner_id
        partner.phone = "+1 555 0100"
        ticket = self._ticket(partner_id=partner.id)
        self.assertEqual(ticket.partner_email, partner.email)
        self.assertEqual(ticket.partner_phone, "+1 555 0100")
        self.assertEqual(ticket.requester_user_id, self.portal_a)
        self.assertEqual(ticket.commercial_partner_id, self.customer_a)

    def test_stage_follows_team(self):
        own_stage = self.env["itsm.stage"].create(
            {
                "name": "Triage",
                "sequence": 1,
                "team_ids": [(4, self.team_field.id)],
            }
        )
        ticket = self._ticket(team_id=self.team_field.id)
        self.assertEqual(ticket.stage_id, own_stage)
        ticket.team_id = self.team_desk
        self.assertEqual(
            ticket.stage_id, self.stage_new, "a stage of another team is left for the new team's first"
        )

    def test_partner_smart_button_counts(self):
        self._ticket()
        self._ticket(partner_id=self.portal_a2.partner_id.id).action_close()
        self.assertEqual(self.customer_a.itsm_ticket_count, 2)
        self.assertEqual(self.customer_a.itsm_open_ticket_count, 1)
        self.assertEqual(
            self.portal_a.partner_id.itsm_ticket_count, 2, "a contact shows its company's tickets"
        )
        action = self.customer_a.action_view_itsm_tickets()
        self.assertEqual(self.env["itsm.ticket"].search_count(action["domain"]), 2)

    def test_team_overview_counters(self):
        self._ticket(priority="1")
        self._ticket(user_id=self.agent_1.id)
        self._ticket().action_close()
        team = self.team_desk
        self.assertEqual(
            (team.open_ticket_count, team.unassigned_ticket_count, team.urgent_ticket_count), (2, 1, 1)
        )

    def test_ticket_report_renders(self):
        ticket = self._ticket(description="<p>The toner light blinks</p>")
        html, _kind = self.env["ir.actions.report"]._render_qweb_html(
            "itsm_helpdesk.action_report_itsm_ticket", ticket.ids
        )
        html = html.decode()
        self.assertIn(ticket.number, html)
        self.assertIn("The toner light blinks", html)

    def test_relationship_fields_shared_with_contacts(self):
        self.customer_a.write(
            {
                "itsm_relationship_manager_id": self.manager.id,
                "itsm_review_frequency": "quarterly",
                "itsm_contact_channel_ids": [(6, 0, self.env.ref("itsm_helpdesk.contact_channel_email").ids)],
            }
        )
        self.assertEqual(self.portal_a.partner_id.itsm_relationship_manager_id, self.manager)
        self.assertEqual(self.portal_a.partner_id.itsm_review_frequency, "quarterly")
