from odoo.http import Request
from odoo.tests import HttpCase, tagged
from odoo.tools import mute_logger

from odoo.addons.itsm_helpdesk.controllers import portal

from .common import ComplaintCommon


@tagged("post_install", "-at_install")
class TestComplaintPortal(ComplaintCommon, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket_b = cls._ticket(name="Secret ticket of B", partner_id=cls.portal_b.partner_id.id)

    def _post(self, url, data=None, files=None):
        data = dict(data or {}, csrf_token=Request.csrf_token(self))
        return self.url_open(url, data=data, files=files, allow_redirects=False)

    def _count(self):
        return self.env["itsm.complaint"].sudo().search_count([])

    def test_submit_complaint_with_own_ticket_and_file(self):
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        form = self.url_open("/my/complaints/new").text
        self.assertIn("Printer jam", form, "the user's own tickets are offered")
        self.assertNotIn("Secret ticket of B", form)
        response = self._post(
            "/my/complaints/new",
            {
                "kind": "complaint",
                "name": "Too slow",
                "description": "Three days <b>without</b> news",
                "category_id": self.category_time.id,
                "ticket_id": self.ticket_a.id,
            },
            files={"attachments": ("proof.txt", b"call log", "text/plain")},
        )
        self.assertEqual(response.status_code, 303)
        complaint = self.env["itsm.complaint"].search([("name", "=", "Too slow")])
        self.assertEqual(complaint.partner_id, self.portal_a.partner_id)
        self.assertEqual(complaint.channel, "portal")
        self.assertEqual(complaint.ticket_id, self.ticket_a)
        self.assertEqual(complaint.team_id, self.team_desk)
        self.assertNotIn("<b>", complaint.description, "text is escaped, not rendered")
        self.assertEqual(complaint.message_ids.attachment_ids.mapped("name"), ["proof.txt"])
        self.assertIn(f"/my/complaints/{complaint.id}", response.headers["Location"])
        self.assertEqual(
            self.make_jsonrpc_request("/my/counters", {"counters": ["itsm_complaint_count"]}),
            {"itsm_complaint_count": 1},
        )

    @mute_logger("odoo.http")
    def test_bad_input_is_refused_and_writes_nothing(self):
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        before = self._count()
        good = {"kind": "suggestion", "name": "Idea", "description": "Open earlier"}
        cases = [
            ({**good, "name": ""}, "subject"),
            ({**good, "description": "  "}, "describe"),
            ({**good, "kind": "praise"}, "complaint or a suggestion"),
            ({**good, "category_id": "abc"}, "Unknown category"),
            ({**good, "ticket_id": str(self.ticket_b.id)}, "not one of your tickets"),
            ({**good, "ticket_id": "99999999"}, "not one of your tickets"),
            ({**good, "ticket_id": "1 OR 1=1"}, "not one of your tickets"),
        ]
        for data, message in cases:
            with self.subTest(data=data):
                response = self._post("/my/complaints/new", data)
                self.assertEqual(response.status_code, 400)
                self.assertIn(message, response.text)
                self.assertNotIn("Secret ticket of B", response.text)
        big = b"x" * (portal.MAX_ATTACHMENT_SIZE + 1)
        response = self._post(
            "/my/complaints/new", good, files={"attachments": ("huge.bin", big, "text/plain")}
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("larger than", response.text)
        self.assertIn("Open earlier", response.text, "the form keeps what was typed")
        self.assertEqual(self._count(), before, "nothing was written")
        self.assertFalse(self.env["ir.attachment"].sudo().search([("name", "=", "huge.bin")]))

    def test_feedback_through_tokenised_link(self):
        complaint = self._complaint(response="<p>Sorry about that.</p>")
        complaint.with_user(self.handler).action_start_investigation()
        complaint.with_user(self.handler).action_send_response()
        url = f"/my/complaints/{complaint.id}/feedback"
        # the link of the complainant's e-mail: the token, signed for the complainant
        pid = self.portal_a.partner_id.id
        signed = {"access_token": complaint.access_token, "pid": pid, "hash": complaint._sign_token(pid)}
        query = f"access_token={complaint.access_token}&pid={pid}&hash={signed['hash']}"
        self.authenticate(None, None)
        # not logged in: the token of the e-mail is the key; a wrong one opens nothing
        self.assertEqual(
            self.url_open(f"{url}?access_token=wrong&pid={pid}&hash={signed['hash']}").status_code, 404
        )
        page = self.url_open(f"{url}?{query}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Sorry about that.", page.text)
        bad = self._post(url, {**signed, "feedback": "meh"})
        self.assertEqual(bad.status_code, 400)
        self.assertFalse(complaint.feedback)
        self.assertEqual(
            self._post(url, {**signed, "access_token": "wrong", "feedback": "not_satisfied"}).status_code, 404
        )
        self.assertFalse(complaint.feedback)
        done = self._post(url, {**signed, "feedback": "not_satisfied", "comment": "No"})
        self.assertEqual(done.status_code, 200)
        self.assertEqual(complaint.feedback, "not_satisfied")
        self.assertEqual(complaint.feedback_comment, "No")
        self.assertEqual(complaint.escalation_level, 1)
        self.assertEqual(complaint.state, "investigating")
        again = self._post(url, {**signed, "feedback": "satisfied"})
        self.assertIn("not waiting for your feedback", again.text)
        self.assertEqual(complaint.escalation_level, 1)

    def test_complainant_withdraws(self):
        complaint = self._complaint()
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        response = self._post(f"/my/complaints/{complaint.id}/withdraw")
        self.assertEqual(response.status_code, 303)
        self.assertEqual(complaint.state, "withdrawn")
