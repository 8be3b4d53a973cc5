from odoo import http
from odoo.exceptions import AccessError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal, pager as portal_pager


class ItsmCommunicationPortal(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        for counter, model in (
            ("itsm_communication_count", "itsm.communication.delivery"),
            ("itsm_relationship_review_count", "itsm.relationship.review"),
        ):
            if counter in counters:
                Model = request.env[model]
                values[counter] = Model.search_count([]) if Model.has_access("read") else 0
        return values

    def _itsm_delivery_reader(self, delivery_id, access_token=None, pid=None, token_hash=None):
        """The delivery and the recipient reading it, or (None, None).

        A logged-in recipient reads it through the record rules; a signed link (token, pid,
        hash) opens it for its recipient only, and never to another logged-in person.
        """
        user = request.env.user
        delivery_sudo = request.env["itsm.communication.delivery"].sudo().browse(delivery_id).exists()
        if not delivery_sudo or delivery_sudo.state != "sent":
            return None, None
        if not user._is_public() and delivery_sudo._is_recipient(user.partner_id):
            return delivery_sudo, user.partner_id
        if not user._is_public() and user._is_internal():
            try:
                delivery_sudo.with_user(user).check_access("read")
            except AccessError:
                return None, None
            return delivery_sudo, None
        partner = delivery_sudo._get_token_recipient(access_token, pid, token_hash)
        if not partner or (not user._is_public() and user.partner_id != partner):
            return None, None
        return delivery_sudo, partner

    # ------------------------------------------------------------------
    # deliveries
    # ------------------------------------------------------------------
    @http.route(
        ["/my/communications", "/my/communications/page/<int:page>"], type="http", auth="user", website=True
    )
    def portal_my_communications(self, page=1, **kw):
        Delivery = request.env["itsm.communication.delivery"]
        if not Delivery.has_access("read"):
            return request.not_found()
        values = self._prepare_portal_layout_values()
        # record rules keep the list to the deliveries sent to this person
        total = Delivery.search_count([])
        pager = portal_pager(url="/my/communications", total=total, page=page, step=self._items_per_page)
        deliveries = Delivery.search([], limit=self._items_per_page, offset=pager["offset"])
        values.update({"deliveries": deliveries, "page_name": "itsm_communication", "pager": pager})
        return request.render("itsm_communication.portal_my_communications", values)

    @http.route(["/my/communications/<int:delivery_id>"], type="http", auth="public", website=True)
    def portal_my_communication(self, delivery_id, access_token=None, pid=None, hash=None, **kw):  # noqa: A002 pylint: disable=redefined-builtin
        delivery_sudo, partner = self._itsm_delivery_reader(delivery_id, access_token, pid, hash)
        if not delivery_sudo:
            return request.not_found()
        if partner:
            delivery_sudo._mark_opened()
        values = {
            "page_name": "itsm_communication",
            "delivery": delivery_sudo,
            "reader": partner,
            "ratings": delivery_sudo._fields["feedback_rating"]._description_selection(request.env),
            "access_token": access_token,
            "pid": pid,
            "token_hash": hash,
            "message": kw.get("message"),
        }
        return request.render("itsm_communication.portal_my_communication", values)

    @http.route(
        ["/my/communications/<int:delivery_id>/attachments/<int:attachment_id>"],
        type="http",
        auth="public",
        website=True,
    )
    def portal_communication_attachment(self, delivery_id, attachment_id, access_token=None, pid=None, **kw):
        """A file delivered with the communication (a report's PDF), for whoever may read it."""
        delivery_sudo, _partner = self._itsm_delivery_reader(delivery_id, access_token, pid, kw.get("hash"))
        if not delivery_sudo:
            return request.not_found()
        attachment_sudo = delivery_sudo.attachment_ids.filtered(lambda a: a.id == attachment_id)
        if not attachment_sudo:
            return request.not_found()
        return request.env["ir.binary"]._get_stream_from(attachment_sudo).get_response(as_attachment=True)

    @http.route(
        ["/my/communications/<int:delivery_id>/answer"],
        type="http",
        auth="public",
        website=True,
        methods=["POST"],
    )
    def portal_communication_answer(self, delivery_id, access_token=None, pid=None, hash=None, **post):  # noqa: A002 pylint: disable=redefined-builtin
        """Acknowledge the delivery and, if given, tell how useful it was and why."""
        delivery_sudo, partner = self._itsm_delivery_reader(delivery_id, access_token, pid, hash)
        if not partner:
            return request.not_found()
        delivery_sudo._acknowledge(partner)
        if post.get("rating") or (post.get("comment") or "").strip():
            delivery_sudo._record_feedback(partner, post.get("rating"), post.get("comment"))
        url = f"/my/communications/{delivery_id}?message=thanks"
        if access_token and pid and hash:
            url += f"&access_token={access_token}&pid={pid}&hash={hash}"
        return request.redirect(url)

    # ------------------------------------------------------------------
    # service reviews
    # ------------------------------------------------------------------
    @http.route(
        ["/my/relationship-reviews", "/my/relationship-reviews/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_relationship_reviews(self, page=1, **kw):
        Review = request.env["itsm.relationship.review"]
        if not Review.has_access("read"):
            return request.not_found()
        values = self._prepare_portal_layout_values()
        # record rules keep the list to the held reviews of the contact's own customer
        total = Review.search_count([])
        pager = portal_pager(
            url="/my/relationship-reviews", total=total, page=page, step=self._items_per_page
        )
        reviews = Review.search([], limit=self._items_per_page, offset=pager["offset"])
        values.update({"reviews": reviews, "page_name": "itsm_relationship_review", "pager": pager})
        return request.render("itsm_communication.portal_my_relationship_reviews", values)

    @http.route(["/my/relationship-reviews/<int:review_id>"], type="http", auth="user", website=True)
    def portal_my_relationship_review(self, review_id, **kw):
        review = request.env["itsm.relationship.review"].browse(review_id).exists()
        try:
            review.check_access("read")
        except AccessError:
            return request.not_found()
        if not review:
            return request.not_found()
        values = {"page_name": "itsm_relationship_review", "review": review}
        return request.render("itsm_communication.portal_my_relationship_review", values)
