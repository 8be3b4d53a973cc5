from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.http import Request
from odoo.tests import HttpCase, tagged

from .common import ComplaintCommon


@tagged("post_install", "-at_install")
class TestComplaintPortalLimits(ComplaintCommon, HttpCase):
    def _post(self, url, data=None):
        data = dict(data or {}, csrf_token=Request.csrf_token(self))
        return self.url_open(url, data=data, allow_redirects=False)

    def test_complaint_creation_is_throttled_per_user(self):
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        Complaint = self.env["itsm.complaint"].sudo()
        form = {"kind": "suggestion", "name": "Idea", "description": "Open earlier"}
        with patch("odoo.addons.itsm_complaints.controllers.portal.PORTAL_COMPLAINT_LIMIT", 2):
            for _i in range(2):
                self.assertEqual(self._post("/my/complaints/new", form).status_code, 303)
            before = Complaint.search_count([])
            response = self._post("/my/complaints/new", form)
            self.assertEqual(response.status_code, 429)
            self.assertIn("please wait", response.text)
            self.assertEqual(Complaint.search_count([]), before, "nothing is written")
            with freeze_time(fields.Datetime.now() + timedelta(hours=1, minutes=1)):
                self.assertEqual(self._post("/my/complaints/new", form).status_code, 303)

    def test_feedback_link_expires(self):
        complaint = self._complaint(response="<p>Sorry about that.</p>")
        complaint.with_user(self.handler).action_start_investigation()
        complaint.with_user(self.handler).action_send_response()
        self.env.flush_all()
        # the complainant's link: the token, signed for the complainant
        pid = self.portal_a.partner_id.id
        signed = {"access_token": complaint.access_token, "pid": pid, "hash": complaint._sign_token(pid)}
        url = f"/my/complaints/{complaint.id}/feedback?" + "&".join(f"{k}={v}" for k, v in signed.items())
        self.authenticate(None, None)
        with freeze_time(complaint.create_date + timedelta(days=29)):
            self.assertEqual(self.url_open(url).status_code, 200)
        with freeze_time(complaint.create_date + timedelta(days=31)):
            self.assertEqual(self.url_open(url).status_code, 404, "an expired link opens nothing")
            done = self._post(url, {**signed, "feedback": "satisfied"})
            self.assertEqual(done.status_code, 404)
        self.assertFalse(complaint.feedback)
