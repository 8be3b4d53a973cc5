from werkzeug.exceptions import Forbidden

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request
from odoo.tools import consteq, plaintext2html

from odoo.addons.itsm_helpdesk.controllers.portal import (
    PortalRateLimited,
    check_portal_creation_rate,
    read_portal_uploads,
)
from odoo.addons.portal.controllers.mail import PortalChatter
from odoo.addons.portal.controllers.portal import CustomerPortal, pager as portal_pager

MAX_SUBJECT_LENGTH = 200
MAX_DESCRIPTION_LENGTH = 20000
MAX_COMMENT_LENGTH = 4000
# complaints and suggestions a portal user may send per period
PORTAL_COMPLAINT_LIMIT = 5
PORTAL_KINDS = ("complaint", "suggestion")


class ItsmComplaintPortal(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "itsm_complaint_count" in counters:
            Complaint = request.env["itsm.complaint"]
            values["itsm_complaint_count"] = Complaint.search_count([]) if Complaint.has_access("read") else 0
        return values

    # ------------------------------------------------------------------
    # list and page
    # ------------------------------------------------------------------
    @http.route(["/my/complaints", "/my/complaints/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_complaints(self, page=1, **kw):
        Complaint = request.env["itsm.complaint"]
        if not Complaint.has_access("read"):
            return request.not_found()
        values = self._prepare_portal_layout_values()
        # record rules keep the list to the complainant's own complaints
        total = Complaint.search_count([])
        pager = portal_pager(url="/my/complaints", total=total, page=page, step=self._items_per_page)
        complaints = Complaint.search([], limit=self._items_per_page, offset=pager["offset"])
        request.session["my_itsm_complaints_history"] = complaints.ids[:100]
        values.update(
            {
                "complaints": complaints,
                "page_name": "itsm_complaint",
                "default_url": "/my/complaints",
                "pager": pager,
            }
        )
        return request.render("itsm_complaints.portal_my_complaints", values)

    def _itsm_complaint_access(self, complaint_id, access_token=None, pid=None, token_hash=None):
        """The complaint (sudo) and the complainant acting on it, or AccessError / MissingError.

        A logged-in user reads what the record rules let them read. Anyone else needs the link
        of the complainant's own e-mail: the token together with the complainant's partner and
        its signature, so that a token copied from anywhere else opens nothing.
        """
        complaint = request.env["itsm.complaint"].browse(complaint_id).exists()
        if not complaint:
            raise MissingError(request.env._("This complaint does not exist."))
        complaint_sudo = complaint.sudo()
        if not request.env.user._is_public() and complaint.has_access("read"):
            return complaint_sudo, request.env.user.partner_id
        try:
            pid = int(pid or 0)
        except (TypeError, ValueError):
            pid = 0
        complainant = complaint_sudo.partner_id
        if not (
            access_token
            and token_hash
            and pid
            and pid == complainant.id
            and complaint_sudo.access_token
            and consteq(complaint_sudo.access_token, access_token)
            and consteq(complaint_sudo._sign_token(pid), token_hash)
            and not complaint_sudo._itsm_access_token_expired()
        ):
            raise AccessError(request.env._("This link does not open this complaint."))
        return complaint_sudo, complainant

    def _itsm_complaint_login(self, complaint_id, access_token):
        """A visitor without the link of their e-mail logs in first."""
        if request.env.user._is_public() and not access_token:
            return request.redirect(f"/web/login?redirect=/my/complaints/{complaint_id}")
        return request.not_found()

    @http.route(["/my/complaints/<int:complaint_id>"], type="http", auth="public", website=True)
    def portal_my_complaint(self, complaint_id, access_token=None, pid=None, hash=None, **kw):  # pylint: disable=redefined-builtin
        try:
            complaint_sudo, partner = self._itsm_complaint_access(complaint_id, access_token, pid, hash)
        except (AccessError, MissingError):
            return self._itsm_complaint_login(complaint_id, access_token)
        feedback_url = False
        if partner == complaint_sudo.partner_id:
            feedback_url = (
                complaint_sudo._get_feedback_url(partner.id)
                if access_token
                else f"/my/complaints/{complaint_sudo.id}/feedback"
            )
        values = {
            "page_name": "itsm_complaint",
            "complaint": complaint_sudo,
            "message": kw.get("message"),
            "feedback_url": feedback_url,
        }
        if access_token:
            # the chatter of the page opens for the complainant's signature, not for the token
            kw.update(pid=pid, hash=hash)
        values = self._get_page_view_values(
            complaint_sudo, access_token, values, "my_itsm_complaints_history", False, **kw
        )
        return request.render("itsm_complaints.portal_my_complaint", values)

    # ------------------------------------------------------------------
    # feedback on the response (the link of the response e-mail)
    # ------------------------------------------------------------------
    @http.route(["/my/complaints/<int:complaint_id>/feedback"], type="http", auth="public", website=True)
    def portal_complaint_feedback(self, complaint_id, access_token=None, pid=None, hash=None, **post):  # pylint: disable=redefined-builtin
        try:
            complaint_sudo, partner = self._itsm_complaint_access(complaint_id, access_token, pid, hash)
        except (AccessError, MissingError):
            return self._itsm_complaint_login(complaint_id, access_token)
        if partner != complaint_sudo.partner_id:
            # only the complainant answers, never a handler in their name
            return request.not_found()
        values = {
            "page_name": "itsm_complaint",
            "complaint": complaint_sudo,
            "access_token": access_token,
            "pid": pid if access_token else False,
            "hash": hash if access_token else False,
        }
        if complaint_sudo.state not in ("responded", "awaiting_feedback"):
            values["closed"] = True
            return request.render("itsm_complaints.portal_complaint_feedback", values)
        if request.httprequest.method != "POST":
            return request.render("itsm_complaints.portal_complaint_feedback", values)
        feedback = post.get("feedback")
        comment = (post.get("comment") or "").strip()
        error = None
        if feedback not in ("satisfied", "not_satisfied"):
            error = request.env._("Tell us whether you are satisfied or not.")
        elif len(comment) > MAX_COMMENT_LENGTH:
            error = request.env._("The comment is limited to %s characters.", MAX_COMMENT_LENGTH)
        if error:
            values.update(error=error, comment=comment)
            return request.render("itsm_complaints.portal_complaint_feedback", values, status=400)
        complaint_sudo.with_context(mail_create_nosubscribe=True)._record_feedback(
            feedback, comment, author=partner
        )
        values["thanks"] = feedback
        return request.render("itsm_complaints.portal_complaint_feedback", values)

    @http.route(
        ["/my/complaints/<int:complaint_id>/withdraw"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
    )
    def portal_complaint_withdraw(self, complaint_id, access_token=None, pid=None, hash=None, **kw):  # pylint: disable=redefined-builtin
        try:
            complaint_sudo, partner = self._itsm_complaint_access(complaint_id, access_token, pid, hash)
        except (AccessError, MissingError):
            return request.not_found()
        if partner != complaint_sudo.partner_id:
            return request.not_found()
        if complaint_sudo.state in ("received", "investigating", "responded", "awaiting_feedback"):
            complaint_sudo.action_withdraw()
            complaint_sudo.message_post(
                body=request.env._("Withdrawn by the complainant from the portal."),
                author_id=partner.id,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        return request.redirect(f"/my/complaints/{complaint_sudo.id}")

    # ------------------------------------------------------------------
    # new complaint or suggestion
    # ------------------------------------------------------------------
    def _itsm_complaint_categories(self):
        return request.env["itsm.complaint.category"].sudo().search([("is_published", "=", True)])

    def _itsm_complaint_tickets(self):
        """The tickets of this user a complaint may refer to: those the user may read."""
        Ticket = request.env["itsm.ticket"]
        if not Ticket.has_access("read"):
            return Ticket
        return Ticket.search(
            [("partner_id", "child_of", request.env.user.commercial_partner_id.id)], limit=100
        )

    def _itsm_new_complaint_values(self, form=None, error=None):
        env = request.env
        return {
            "page_name": "itsm_complaint_new",
            "kinds": env["itsm.complaint"]._fields["kind"]._description_selection(env),
            "categories": self._itsm_complaint_categories(),
            "tickets": self._itsm_complaint_tickets(),
            "form": form or {},
            "error": error or {},
        }

    @http.route(["/my/complaints/new"], type="http", auth="user", methods=["GET"], website=True)
    def portal_new_complaint(self, **kw):
        values = self._prepare_portal_layout_values()
        values.update(self._itsm_new_complaint_values(form={"ticket_id": kw.get("ticket_id", "")}))
        return request.render("itsm_complaints.portal_new_complaint", values)

    @http.route(
        ["/my/complaints/new"],
        type="http",
        auth="user",
        methods=["POST"],
        website=True,
        max_content_length=lambda controller: controller._itsm_max_form_body(),
    )
    def portal_new_complaint_submit(self, **post):
        files = request.httprequest.files.getlist("attachments")
        try:
            check_portal_creation_rate(
                request.env,
                "itsm.complaint",
                [("partner_id", "=", request.env.user.partner_id.id), ("channel", "=", "portal")],
                limit=PORTAL_COMPLAINT_LIMIT,
            )
            vals, attachments = self._itsm_validate_new_complaint(post, files)
        except UserError as error:
            values = self._prepare_portal_layout_values()
            values.update(self._itsm_new_complaint_values(form=post, error={"message": str(error.args[0])}))
            status = 429 if isinstance(error, PortalRateLimited) else 400
            return request.render("itsm_complaints.portal_new_complaint", values, status=status)
        complaint = self._itsm_create_portal_complaint(vals, attachments)
        return request.redirect(complaint.get_portal_url(query_string="&message=sent"))

    def _itsm_int(self, value, message):
        try:
            return int(value)
        except (TypeError, ValueError):
            raise UserError(message) from None

    def _itsm_validate_new_complaint(self, post, files):
        """Turn the portal form into complaint values; raise UserError with a clear message."""
        env = request.env
        kind = post.get("kind") or ""
        if kind not in PORTAL_KINDS:
            raise UserError(env._("Choose whether this is a complaint or a suggestion."))
        subject = (post.get("name") or "").strip()
        description = (post.get("description") or "").strip()
        if not subject:
            raise UserError(env._("Please give your message a subject."))
        if len(subject) > MAX_SUBJECT_LENGTH:
            raise UserError(env._("The subject is limited to %s characters.", MAX_SUBJECT_LENGTH))
        if not description:
            raise UserError(env._("Please describe what happened or what you suggest."))
        if len(description) > MAX_DESCRIPTION_LENGTH:
            raise UserError(env._("The description is limited to %s characters.", MAX_DESCRIPTION_LENGTH))
        category = env["itsm.complaint.category"]
        if post.get("category_id"):
            category_id = self._itsm_int(post["category_id"], env._("Unknown category."))
            category = self._itsm_complaint_categories().filtered(lambda c: c.id == category_id)
            if not category:
                raise UserError(env._("Unknown category."))
        ticket = env["itsm.ticket"]
        if post.get("ticket_id"):
            # the same message whether the ticket does not exist or is someone else's: nothing leaks
            unknown = env._("This ticket is not one of your tickets.")
            ticket_id = self._itsm_int(post["ticket_id"], unknown)
            ticket = self._itsm_complaint_tickets().filtered(lambda t: t.id == ticket_id)
            if not ticket:
                raise UserError(unknown)
        attachments = read_portal_uploads(env, files)
        vals = {
            "name": subject,
            "kind": kind,
            "description": plaintext2html(description),
            "channel": "portal",
            "partner_id": env.user.partner_id.id,
            "category_id": category.id or False,
            "ticket_id": ticket.id or False,
            "service_id": ticket.sudo().service_id.id or False,
            "team_id": ticket.sudo().team_id.id or False,
            "receiver_id": False,
            "company_id": (ticket.sudo().company_id or env.user.company_id).id,
        }
        return vals, attachments

    def _itsm_create_portal_complaint(self, vals, attachments):
        env = request.env
        complaint = env["itsm.complaint"].sudo().with_context(mail_create_nosubscribe=True).create(vals)
        if attachments:
            complaint._intake_attach_files(
                attachments, env.user.partner_id, env._("Files attached by the complainant.")
            )
        return complaint


class ItsmComplaintChatter(PortalChatter):
    @http.route()
    def portal_message_fetch(self, thread_model, thread_id, limit=10, after=None, before=None, **kw):
        """The conversation of a complaint fetched with its token needs the complainant's
        signature too (this route passes the token alone to the access check)."""
        if thread_model == "itsm.complaint" and kw.get("token"):
            try:
                ItsmComplaintPortal()._itsm_complaint_access(
                    thread_id, kw["token"], kw.get("pid"), kw.get("hash")
                )
            except (AccessError, MissingError):
                raise Forbidden() from None
            request.update_context(itsm_complaint_signed_link=True)
        return super().portal_message_fetch(
            thread_model, thread_id, limit=limit, after=after, before=before, **kw
        )
