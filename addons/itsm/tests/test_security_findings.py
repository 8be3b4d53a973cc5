from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import SuiteFixture, unchanged_values

MUTE = ("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model")


@tagged("post_install", "-at_install")
class TestSecurityFindings(SuiteFixture):
    """One test per leak of issue 10's findings 1 to 3, as a user of company 1 would try it."""

    def assertDenied(self, records, user, operations=("read", "write", "unlink")):
        records = records.with_user(user)
        for operation in operations:
            with (
                self.subTest(model=records._name, user=user.login, operation=operation),
                self.assertRaises(AccessError),
            ):
                if operation == "read":
                    records.read(["display_name"])
                elif operation == "write":
                    records.write(unchanged_values(records[:1]))
                else:
                    records.unlink()

    def _visible(self, model, user, records):
        return self.env[model].with_user(user).search([("id", "in", records.ids)])

    # 1. rules that restricted nothing ('any', [] evaluated as superuser) -------------------------

    @mute_logger(*MUTE)
    def test_line1_agent_reads_no_callback_of_a_members_only_team(self):
        self.assertFalse(self._visible("itsm.callback", self.agent_1, self.callback_members))
        self.assertDenied(self.callback_members, self.agent_1, ("read",))
        rows = (
            self.env["itsm.satisfaction.report"].sudo().search([("ticket_id", "=", self.ticket_members.id)])
        )
        self.assertTrue(rows, "the members-only ticket has analysis rows")
        self.assertFalse(self._visible("itsm.satisfaction.report", self.agent_1, rows))
        # the expert of the team does read it
        self.assertEqual(
            self._visible("itsm.callback", self.expert, self.callback_members), self.callback_members
        )

    @mute_logger(*MUTE)
    def test_rated_agent_cannot_rewrite_the_customers_opinion(self):
        # the agent of ticket A reads the callback about their ticket, but cannot change it
        callback = self.callback_a.with_user(self.agent_concerned)
        self.assertEqual(callback.overall_score, "1")
        with self.assertRaises(AccessError):
            callback.write({"overall_score": "5", "comment": "All good"})
        self.assertEqual(self.callback_a.overall_score, "1")
        # the caller records the answers
        self.callback_a.with_user(self.agent_1).write({"comment": "Called back, still unhappy"})

    @mute_logger(*MUTE)
    def test_complaint_roles_read_no_step_log_about_themselves(self):
        log = self.complaint_about_agent.step_log_ids
        self.assertTrue(log, "the complaint has a step history")
        self.assertFalse(self._visible("itsm.complaint.step.log", self.agent_concerned, log))
        self.assertDenied(log, self.agent_concerned, ("read",))
        about_receiver = self.env["itsm.complaint"].create(
            {
                "name": "MX the receiver was rude",
                "partner_id": self.portal_b.partner_id.id,
                "agent_id": self.receiver.id,
            }
        )
        about_receiver.receiver_id = self.receiver
        self.assertFalse(self._visible("itsm.complaint.step.log", self.receiver, about_receiver.step_log_ids))
        # the handler of the queue does read it
        self.assertEqual(self._visible("itsm.complaint.step.log", self.handler, log), log)

    @mute_logger(*MUTE)
    def test_review_lines_stay_in_their_company(self):
        lines = self.env["itsm.complaint.review.line"].sudo().search([("label", "like", "MX figures of")])
        self.assertEqual(len(lines), 2)
        visible = self._visible("itsm.complaint.review.line", self.process_owner, lines)
        self.assertEqual(visible.review_id.company_id, self.company)

    # 2. child and configuration records of another company ---------------------------------------

    @mute_logger(*MUTE)
    def test_other_company_child_records_are_out_of_reach(self):
        Checklist, Answer = self.env["itsm.ticket.checklist"], self.env["itsm.ticket.answer"]
        records = [
            Checklist.search([("ticket_id", "=", self.ticket_2.id)]),
            Answer.search([("ticket_id", "=", self.ticket_2.id)]),
            self.env["itsm.major.incident.review"].search([("ticket_id", "=", self.ticket_2.id)]),
        ]
        for user in (self.agent_1, self.expert, self.desk_manager):
            for record in records:
                self.assertTrue(record)
                self.assertFalse(self._visible(record._name, user, record))
                self.assertDenied(record, user)

    @mute_logger(*MUTE)
    def test_other_company_configuration_is_out_of_reach(self):
        configuration = {
            "itsm.sla.threshold": self.contract_2.threshold_ids,
            "itsm.sla.requirement.line": self.env["itsm.sla.requirement.line"].search(
                [("requirement_id.company_id", "=", self.company_2.id)]
            ),
            "itsm.priority.rule": self.priority_rule_2,
            "itsm.request.template.checklist": self.template_2.checklist_item_ids,
            "itsm.request.template.field": self.template_2.field_ids,
        }
        for model, records in configuration.items():
            self.assertTrue(records, model)
            self.assertFalse(self._visible(model, self.desk_manager, records), model)
            self.assertDenied(records, self.desk_manager)

    # 3. records that showed tickets beyond the ticket's visibility -------------------------------

    @mute_logger(*MUTE)
    def test_line1_agent_reads_nothing_of_a_ticket_it_cannot_read(self):
        Sudo = self.env["itsm.ticket.sla"].sudo()
        hidden = self.ticket_members | self.ticket_sla_members
        shown = {
            "itsm.ticket.sla": Sudo.search([("ticket_id", "in", hidden.ids)]),
            "itsm.ticket.sla.event": self.env["itsm.ticket.sla.event"].search(
                [("ticket_id", "in", hidden.ids)]
            ),
            "itsm.sla.report": self.env["itsm.sla.report"].search([("ticket_id", "in", hidden.ids)]),
            "itsm.sla.demand.report": self.env["itsm.sla.demand.report"].search(
                [("ticket_id", "in", hidden.ids)]
            ),
            "itsm.vendor.ticket.report": self.env["itsm.vendor.ticket.report"].search(
                [("ticket_id", "in", hidden.ids)]
            ),
            "itsm.kb.deflection": self.env["itsm.kb.deflection"].search([("ticket_id", "in", hidden.ids)]),
            "rating.rating": self.ratings[self.ticket_members],
        }
        for model, records in shown.items():
            with self.subTest(model=model):
                self.assertTrue(records, f"the fixture has {model} records of the hidden tickets")
                self.assertFalse(self._visible(model, self.agent_1, records))
                self.assertFalse(self._visible(model, self.agent_concerned, records))
                self.assertEqual(self._visible(model, self.expert, records), records, "the team member does")

    @mute_logger(*MUTE)
    def test_ticket_ratings_follow_the_ticket_and_are_never_rewritten(self):
        rating = self.ratings[self.ticket_a]
        # the rated agent reads the rating of their ticket but cannot change the customer's score
        self.assertEqual(rating.with_user(self.agent_concerned).rating, 1)
        self.assertDenied(rating, self.agent_concerned, ("write", "unlink"))
        self.assertDenied(rating, self.desk_manager, ("write",))
        # employees outside the desk read no ticket rating, nor its token
        for user in (self.impl_lead, self.receiver):
            self.assertFalse(self._visible("rating.rating", user, rating))
            self.assertDenied(rating, user, ("read",))
        # company 2's ratings stay in company 2
        self.assertFalse(self._visible("rating.rating", self.desk_manager, self.ratings[self.ticket_2]))
        # ratings of other applications keep Odoo's access
        other = (
            self.env["rating.rating"]
            .sudo()
            .create(
                {
                    "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                    "res_id": self.customer_a.id,
                    "rating": 3,
                }
            )
        )
        other.with_user(self.impl_lead).write({"feedback": "fine"})
        self.assertEqual(other.feedback, "fine")
