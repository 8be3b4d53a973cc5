from odoo.exceptions import ValidationError
from odoo.http import Request
from odoo.tests import HttpCase, tagged

from .common import ItsmCommon


class CatalogueCommon(ItsmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.service = cls.env["itsm.service"].create({"name": "Accounts", "team_id": cls.team_desk.id})
        cls.template = cls.env["itsm.request.template"].create(
            {
                "name": "Password reset",
                "service_id": cls.service.id,
                "kind": "service_request",
                "impact": "3",
                "urgency": "2",
                "checklist_item_ids": [
                    (0, 0, {"name": "Verify identity", "sequence": 1}),
                    (0, 0, {"name": "Reset password", "sequence": 2}),
                ],
                "field_ids": [
                    (0, 0, {"name": "Login", "field_type": "char", "is_required": True, "sequence": 1}),
                    (
                        0,
                        0,
                        {
                            "name": "Delivery",
                            "field_type": "selection",
                            "options": "Phone\nIn person",
                            "sequence": 2,
                        },
                    ),
                    (0, 0, {"name": "Since", "field_type": "date", "is_required": False, "sequence": 3}),
                    (
                        0,
                        0,
                        {"name": "Locked out", "field_type": "boolean", "is_required": False, "sequence": 4},
                    ),
                ],
            }
        )
        cls.q_login, cls.q_delivery, cls.q_since, cls.q_locked = cls.template.field_ids


@tagged("post_install", "-at_install")
class TestCatalogue(CatalogueCommon):
    def test_template_sets_defaults_and_checklist(self):
        ticket = self.env["itsm.ticket"].create({"name": "Reset for Paula", "template_id": self.template.id})
        self.assertRecordValues(
            ticket,
            [
                {
                    "service_id": self.service.id,
                    "team_id": self.team_desk.id,
                    "kind": "service_request",
                    "impact": "3",
                    "urgency": "2",
                    "priority": "4",
                }
            ],
        )
        self.assertEqual(ticket.checklist_ids.mapped("name"), ["Verify identity", "Reset password"])
        self.assertEqual(ticket.checklist_progress, 0)
        ticket.checklist_ids[0].with_user(self.agent_1).is_done = True
        self.assertEqual(ticket.checklist_progress, 50)
        self.assertEqual(ticket.checklist_ids[0].done_by_id, self.agent_1)
        self.assertTrue(ticket.checklist_ids[0].done_at)
        # explicit values win over the template's
        urgent = self.env["itsm.ticket"].create(
            {"name": "x", "template_id": self.template.id, "urgency": "1"}
        )
        self.assertEqual(urgent.urgency, "1")

    def test_template_steps_are_copies(self):
        ticket = self.env["itsm.ticket"].create({"name": "Reset", "template_id": self.template.id})
        self.template.checklist_item_ids[0].name = "Changed later"
        self.assertEqual(
            ticket.checklist_ids[0].name, "Verify identity", "a ticket keeps the steps it started with"
        )

    def test_selection_question_needs_options(self):
        with self.assertRaises(ValidationError):
            self.env["itsm.request.template.field"].create(
                {"template_id": self.template.id, "name": "Empty choice", "field_type": "selection"}
            )


@tagged("post_install", "-at_install")
class TestCataloguePortal(CatalogueCommon, HttpCase):
    def _post(self, data):
        data = dict(data, csrf_token=Request.csrf_token(self))
        return self.url_open("/my/tickets/new", data=data, allow_redirects=False)

    def test_portal_offers_template_and_asks_its_questions(self):
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        catalogue = self.url_open("/my/tickets/new").text
        self.assertIn(f"/my/tickets/new?template_id={self.template.id}", catalogue)
        form = self.url_open(f"/my/tickets/new?template_id={self.template.id}").text
        for question in self.template.field_ids:
            self.assertIn(f'name="q_{question.id}"', form)
        self.assertIn("Phone", form)
        response = self._post(
            {
                "template_id": self.template.id,
                "name": "Cannot log in",
                "description": "Locked out since Monday",
                f"q_{self.q_login.id}": "paula.a",
                f"q_{self.q_delivery.id}": "Phone",
                f"q_{self.q_since.id}": "2026-03-02",
                f"q_{self.q_locked.id}": "1",
            }
        )
        self.assertEqual(response.status_code, 303)
        ticket = self.env["itsm.ticket"].search([("name", "=", "Cannot log in")])
        self.assertRecordValues(
            ticket,
            [
                {
                    "template_id": self.template.id,
                    "service_id": self.service.id,
                    "kind": "service_request",
                    "team_id": self.team_desk.id,
                    "partner_id": self.portal_a.partner_id.id,
                }
            ],
        )
        self.assertEqual(
            [(a.name, a.value) for a in ticket.answer_ids],
            [("Login", "paula.a"), ("Delivery", "Phone"), ("Since", "2026-03-02"), ("Locked out", "Yes")],
        )
        self.assertEqual(len(ticket.checklist_ids), 2)
        page = self.url_open(f"/my/tickets/{ticket.id}").text
        self.assertIn("paula.a", page, "the requester sees their answers")

    def test_bad_answers_write_nothing(self):
        hidden = self.template.copy({"name": "Hidden", "is_published": False})
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        self.assertEqual(self.url_open(f"/my/tickets/new?template_id={hidden.id}").status_code, 404)
        self.assertEqual(self.url_open("/my/tickets/new?template_id=abc").status_code, 404)
        before = self.env["itsm.ticket"].search_count([])
        base = {"template_id": self.template.id, "name": "Cannot log in", "description": "x"}
        cases = [
            (base, "Please answer: Login"),
            (
                dict(base, **{f"q_{self.q_login.id}": "p", f"q_{self.q_delivery.id}": "Pigeon"}),
                "proposed answers",
            ),
            (
                dict(
                    base,
                    **{
                        f"q_{self.q_login.id}": "p",
                        f"q_{self.q_delivery.id}": "Phone",
                        f"q_{self.q_since.id}": "yesterday",
                    },
                ),
                "YYYY-MM-DD",
            ),
            (
                dict(base, **{f"q_{self.q_login.id}": "p" * 2001, f"q_{self.q_delivery.id}": "Phone"}),
                "too long",
            ),
            (dict(base, template_id=hidden.id), "not offered"),
        ]
        for data, message in cases:
            with self.subTest(message=message):
                response = self._post(data)
                self.assertEqual(response.status_code, 400)
                self.assertIn(message, response.text)
        self.assertEqual(self.env["itsm.ticket"].search_count([]), before)
        self.assertFalse(self.env["itsm.ticket.answer"].search([("value", "=", "Pigeon")]))
