from collections import defaultdict

from werkzeug.exceptions import NotFound

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request
from odoo.osv import expression
from odoo.tools import html2plaintext, sql

from odoo.addons.itsm_helpdesk.controllers.portal import (
    MAX_SUBJECT_LENGTH,
    ItsmCustomerPortal,
    check_portal_creation_rate,
)
from odoo.addons.portal.controllers.portal import pager as portal_pager

SUMMARY_LENGTH = 200
# articles remembered per session so that views and votes count once per visitor
SESSION_MEMORY = 200
# matches listed by the portal search, best first
SEARCH_LIMIT = 500
# "this solved my problem" clicks a portal user may record per period
PORTAL_DEFLECTION_LIMIT = 20


class ItsmKnowledgePortal(ItsmCustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "itsm_kb_article_count" in counters:
            Article = request.env["itsm.kb.article"]
            values["itsm_kb_article_count"] = (
                Article.search_count(Article._get_portal_domain()) if Article.has_access("read") else 0
            )
        return values

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def _itsm_kb_get_article(self, article_id):
        """The published article, as the current user reads it; NotFound for anything else.

        Searching as the user lets the record rules decide: internal articles, unpublished
        ones and those of other companies are all "not found".
        """
        Article = request.env["itsm.kb.article"]
        try:
            article = Article.search(
                expression.AND([Article._get_portal_domain(), [("id", "=", int(article_id))]]), limit=1
            )
        except (AccessError, ValueError, TypeError):
            raise NotFound() from None
        if not article:
            raise NotFound()
        return article

    def _itsm_kb_get_service(self, service_id):
        """The portal service chosen on the form, if any; UserError for an unknown one."""
        if not service_id:
            return request.env["itsm.service"]
        try:
            service_id = int(service_id)
        except (ValueError, TypeError):
            raise UserError(request.env._("Unknown service.")) from None
        service = self._itsm_portal_services().filtered(lambda s: s.id == service_id)
        if not service:
            raise UserError(request.env._("Unknown service."))
        return service

    def _itsm_kb_remember(self, key, article):
        """Whether ``article`` is new in the session list ``key``; adds it if so."""
        seen = request.session.get(key, [])
        if article.id in seen:
            return False
        request.session[key] = (seen + [article.id])[-SESSION_MEMORY:]
        return True

    def _itsm_kb_excerpt(self, article):
        text = article.summary or html2plaintext(article.body or "")
        text = " ".join(text.split())
        return text if len(text) <= SUMMARY_LENGTH else text[: SUMMARY_LENGTH - 1].rstrip() + "…"

    def _itsm_kb_category_counts(self, domain):
        """(category, number of articles in it and its subcategories), for the categories in use."""
        totals = defaultdict(int)
        for category, count in request.env["itsm.kb.article"]._read_group(
            domain, ["category_id"], ["__count"]
        ):
            for ancestor_id in category.parent_path.split("/")[:-1] if category else []:
                totals[int(ancestor_id)] += count
        categories = request.env["itsm.kb.category"].search([("id", "in", list(totals))])
        return [(category, totals[category.id]) for category in categories]

    def _itsm_kb_search(self, search):
        """The ids of the published articles matching ``search``, best first (None: no search).

        The same matching as the suggestions, so that Chinese and English both work.
        """
        if not search:
            return None
        return request.env["itsm.kb.article"]._get_suggestions(search, limit=SEARCH_LIMIT).ids

    # ------------------------------------------------------------------
    # pages
    # ------------------------------------------------------------------
    @http.route(["/my/knowledge", "/my/knowledge/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_knowledge(self, page=1, search=None, category=None, **kw):
        Article = request.env["itsm.kb.article"]
        if not Article.has_access("read"):
            return request.not_found()
        published = Article._get_portal_domain()
        category_record = request.env["itsm.kb.category"]
        if category and str(category).isdigit():
            category_record = category_record.search([("id", "=", int(category))])
        search = (search or "").strip()[:MAX_SUBJECT_LENGTH]
        domain = published
        ranked_ids = self._itsm_kb_search(search)
        if ranked_ids is not None:
            domain = expression.AND([domain, [("id", "in", ranked_ids)]])
        if category_record:
            domain = expression.AND([domain, [("category_id", "child_of", category_record.id)]])
        total = Article.search_count(domain)
        pager = portal_pager(
            url="/my/knowledge",
            url_args={"search": search, "category": category_record.id or None},
            total=total,
            page=page,
            step=self._items_per_page,
        )
        if ranked_ids is None:
            articles = Article.search(domain, limit=self._items_per_page, offset=pager["offset"])
        else:
            found = set(Article.search(domain).ids)
            page_ids = [article_id for article_id in ranked_ids if article_id in found]
            articles = Article.browse(page_ids[pager["offset"] : pager["offset"] + self._items_per_page])
        categories = self._itsm_kb_category_counts(published)
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "itsm_knowledge",
                "default_url": "/my/knowledge",
                "articles": articles,
                "categories": categories,
                "category": category_record,
                "search": search,
                "pager": pager,
                "excerpt": self._itsm_kb_excerpt,
            }
        )
        return request.render("itsm_knowledge.portal_my_knowledge", values)

    @http.route(["/my/knowledge/<int:article_id>"], type="http", auth="user", website=True)
    def portal_knowledge_article(self, article_id, query=None, **kw):
        try:
            article = self._itsm_kb_get_article(article_id)
        except NotFound:
            return request.not_found()
        # the desk previewing its own articles is no reader
        is_agent = request.env.user.has_group("itsm_helpdesk.group_itsm_agent")
        if not is_agent and self._itsm_kb_remember("itsm_kb_viewed", article):
            sql.increment_fields_skiplock(article, "view_count")
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "itsm_knowledge",
                "article": article,
                "query": (query or "")[:MAX_SUBJECT_LENGTH],
            }
        )
        return request.render("itsm_knowledge.portal_knowledge_article", values)

    # ------------------------------------------------------------------
    # self-service: suggestions, deflections, votes
    # ------------------------------------------------------------------
    @http.route(["/my/knowledge/suggest"], type="json", auth="user", methods=["POST"])
    def portal_knowledge_suggest(self, query="", service_id=None, **kw):
        """Published articles matching what the user types as the subject of a new ticket."""
        try:
            service = self._itsm_kb_get_service(service_id)
        except UserError:
            service = request.env["itsm.service"]
        articles = request.env["itsm.kb.article"]._get_suggestions(
            str(query or "")[:MAX_SUBJECT_LENGTH], service=service
        )
        return [
            {
                "id": article.id,
                "name": article.name,
                "summary": self._itsm_kb_excerpt(article),
                "url": article.access_url,
            }
            for article in articles
        ]

    @http.route(["/my/knowledge/<int:article_id>/deflect"], type="json", auth="user", methods=["POST"])
    def portal_knowledge_deflect(self, article_id, query=None, service_id=None, ticket_id=None, **kw):
        """ "This solved my problem": count a self-service deflection.

        With ``ticket_id`` (the article was offered on one of the user's tickets), the
        ticket is closed as solved by the article.
        """
        article = self._itsm_kb_get_article(article_id)
        service = self._itsm_kb_get_service(service_id)
        check_portal_creation_rate(
            request.env,
            "itsm.kb.deflection",
            [("user_id", "=", request.env.uid)],
            limit=PORTAL_DEFLECTION_LIMIT,
        )
        ticket_sudo = request.env["itsm.ticket"]
        if ticket_id:
            try:
                ticket_sudo = self._itsm_check_ticket(int(ticket_id))
            except (AccessError, MissingError, ValueError, TypeError):
                raise NotFound() from None
            if article not in ticket_sudo.kb_article_ids:
                raise NotFound()
            if ticket_sudo.is_closed:
                raise UserError(request.env._("This ticket is already closed."))
        article._register_deflection(
            query=str(query or "")[:MAX_SUBJECT_LENGTH], service=service, ticket=ticket_sudo
        )
        if ticket_sudo:
            ticket_sudo._close_with_article(article)
        return {"article_id": article.id, "ticket_closed": bool(ticket_sudo)}

    @http.route(["/my/knowledge/<int:article_id>/vote"], type="json", auth="user", methods=["POST"])
    def portal_knowledge_vote(self, article_id, **kw):
        """ "This article was helpful": one vote per article and session."""
        article = self._itsm_kb_get_article(article_id)
        counted = self._itsm_kb_remember("itsm_kb_voted", article)
        if counted:
            sql.increment_fields_skiplock(article, "helpful_count")
        return {"counted": counted}

    # ------------------------------------------------------------------
    # ticket page: related articles
    # ------------------------------------------------------------------
    def _itsm_ticket_page_values(self, ticket_sudo, access_token, **kw):
        values = super()._itsm_ticket_page_values(ticket_sudo, access_token, **kw)
        Article = request.env["itsm.kb.article"]
        related = Article
        # visitors with only the ticket's token (no account) see no articles
        if ticket_sudo.kb_article_ids and Article.has_access("read"):
            related = Article.search(
                expression.AND([Article._get_portal_domain(), [("id", "in", ticket_sudo.kb_article_ids.ids)]])
            )
        values["kb_related_articles"] = related
        return values
