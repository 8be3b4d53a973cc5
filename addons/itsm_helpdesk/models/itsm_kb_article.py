import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression
from odoo.tools import html2plaintext, is_html_empty

SUGGESTION_LIMIT = 5
SUGGESTION_CANDIDATES = 100
MIN_TERM_LENGTH = 3
MAX_TERMS = 8
# English words too common to tell articles apart (the source language of the suite)
STOP_WORDS = frozenset(
    {
        "about",
        "and",
        "are",
        "can",
        "cannot",
        "does",
        "doesn",
        "for",
        "from",
        "has",
        "have",
        "how",
        "into",
        "not",
        "the",
        "this",
        "that",
        "what",
        "when",
        "where",
        "which",
        "why",
        "with",
        "wont",
        "you",
        "your",
    }
)
WORD_PATTERN = re.compile(r"\w+", re.UNICODE)


class ItsmKbArticle(models.Model):
    _name = "itsm.kb.article"
    _description = "Knowledge Article"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char("Title", required=True, tracking=True)
    summary = fields.Text(help="One or two sentences shown in search results and suggestions.")
    body = fields.Html(sanitize=True, sanitize_attributes=True, sanitize_style=True)
    category_id = fields.Many2one("itsm.kb.category", tracking=True, index=True)
    tag_ids = fields.Many2many("itsm.kb.tag", string="Tags")
    service_ids = fields.Many2many("itsm.service", string="Services", check_company=True)
    is_published = fields.Boolean(
        "Published",
        default=False,
        copy=False,
        tracking=True,
        index=True,
        help="Published articles are shown to portal users; the others are internal to the desk.",
    )
    published_at = fields.Datetime(
        "Published On", compute="_compute_published_at", store=True, readonly=True, copy=False
    )
    author_id = fields.Many2one(
        "res.users",
        default=lambda self: self.env.user,
        tracking=True,
        index=True,
        domain="[('share', '=', False)]",
    )
    company_id = fields.Many2one(
        "res.company",
        index=True,
        default=lambda self: self.env.company,
        help="Leave empty to share the article with every company.",
    )
    active = fields.Boolean(default=True, tracking=True)
    ticket_ids = fields.Many2many(
        "itsm.ticket",
        "itsm_kb_article_ticket_rel",
        "article_id",
        "ticket_id",
        string="Linked Tickets",
        copy=False,
        groups="itsm_helpdesk.group_itsm_agent",
    )
    ticket_count = fields.Integer(compute="_compute_ticket_count", groups="itsm_helpdesk.group_itsm_agent")
    view_count = fields.Integer(
        "Views", readonly=True, copy=False, help="Portal page views, once per session."
    )
    helpful_count = fields.Integer(
        "Helpful Votes",
        readonly=True,
        copy=False,
        help="Portal users who found the article helpful.",
        groups="base.group_user",
    )
    deflection_ids = fields.One2many(
        "itsm.kb.deflection",
        "article_id",
        "Self-Service Deflections",
        groups="itsm_helpdesk.group_itsm_agent",
    )
    deflection_count = fields.Integer(
        "Deflections",
        compute="_compute_deflection_count",
        compute_sudo=True,
        help="Times a portal user marked the article as the solution of their problem.",
        groups="base.group_user",
    )

    @api.constrains("is_published", "body")
    def _check_published_body(self):
        for article in self:
            if article.is_published and is_html_empty(article.body):
                raise ValidationError(
                    self.env._("Article “%s” has no content: write it before publishing it.", article.name)
                )

    @api.depends("is_published")
    def _compute_published_at(self):
        for article in self:
            if not article.is_published:
                article.published_at = False
            elif not article.published_at:
                article.published_at = fields.Datetime.now()

    def _compute_ticket_count(self):
        counts = dict(
            self.env["itsm.ticket"]._read_group(
                [("kb_article_ids", "in", self.ids)], ["kb_article_ids"], ["__count"]
            )
        )
        for article in self:
            article.ticket_count = counts.get(article, 0)

    def _compute_deflection_count(self):
        counts = dict(
            self.env["itsm.kb.deflection"]._read_group(
                [("article_id", "in", self.ids)], ["article_id"], ["__count"]
            )
        )
        for article in self:
            article.deflection_count = counts.get(article, 0)

    def _compute_access_url(self):
        super()._compute_access_url()
        for article in self:
            article.access_url = f"/my/knowledge/{article.id}"

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------
    def action_publish(self):
        self.write({"is_published": True})
        return True

    def action_unpublish(self):
        self.write({"is_published": False})
        return True

    def action_view_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("itsm_helpdesk.itsm_ticket_action")
        action.update(
            domain=[("kb_article_ids", "in", self.ids)],
            context={"default_kb_article_ids": self.ids, "active_test": False},
        )
        return action

    def action_view_deflections(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("itsm_helpdesk.itsm_kb_deflection_action")
        action.update(domain=[("article_id", "=", self.id)], context={})
        return action

    def action_preview_portal(self):
        self.ensure_one()
        return {"type": "ir.actions.act_url", "url": self.access_url, "target": "new"}

    # ------------------------------------------------------------------
    # portal
    # ------------------------------------------------------------------
    @api.model
    def _get_portal_domain(self):
        """Articles shown on the portal; record rules add the user's companies."""
        return [("is_published", "=", True)]

    @api.model
    def _get_search_terms(self, query):
        """The distinct, meaningful words of what a user typed, lower-cased."""
        terms = []
        for word in WORD_PATTERN.findall((query or "").lower()):
            if len(word) >= MIN_TERM_LENGTH and word not in STOP_WORDS and word not in terms:
                terms.append(word)
        return terms[:MAX_TERMS]

    @api.model
    def _get_suggestions(self, query, service=None, limit=SUGGESTION_LIMIT):
        """Published articles matching ``query``, best first, as the current user sees them.

        Articles whose title contains more of the words come first, then those of the
        ticket's service, then those whose summary or text contains more of the words,
        then the most read.
        """
        terms = self._get_search_terms(query)
        if not terms or limit <= 0:
            return self.browse()
        published = self._get_portal_domain()
        fields_to_read = ["name", "summary", "body", "view_count"]
        candidates = self.search_fetch(
            expression.AND([published, expression.OR([[("name", "ilike", term)] for term in terms])]),
            fields_to_read,
            limit=SUGGESTION_CANDIDATES,
        )
        if len(candidates) < limit:
            text_domain = expression.OR(
                [[(fname, "ilike", term)] for term in terms for fname in ("summary", "body")]
            )
            candidates |= self.search_fetch(
                expression.AND([published, [("id", "not in", candidates.ids)], text_domain]),
                fields_to_read,
                limit=SUGGESTION_CANDIDATES,
            )

        # a word must start where a term does: "work" is not found in "network"
        patterns = [re.compile(rf"\b{re.escape(term)}") for term in terms]

        def rank(article):
            title = article.name.lower()
            text = f"{article.summary or ''} {html2plaintext(article.body or '')}".lower()
            title_hits = sum(bool(pattern.search(title)) for pattern in patterns)
            text_hits = sum(bool(pattern.search(text)) for pattern in patterns)
            return (
                title_hits,
                # services are catalogue data the requester may not read itself
                bool(service and service.id in article.sudo().service_ids.ids),
                text_hits,
                article.view_count,
            )

        scored = [(rank(article), article) for article in candidates]
        # the database matched anywhere, even in the HTML markup of the body: keep true matches
        ranked = sorted(
            (item for item in scored if item[0][0] or item[0][2]), key=lambda item: item[0], reverse=True
        )
        return self.browse([article.id for _rank, article in ranked[:limit]])

    def _register_deflection(self, query=None, service=None, ticket=None):
        """Record that the current user solved their problem with this published article.

        Called by the portal after checking the article and the ticket; returns the new
        deflection record.
        """
        self.ensure_one()
        user = self.env.user
        return (
            self.env["itsm.kb.deflection"]
            .sudo()
            .create(
                {
                    "article_id": self.id,
                    "user_id": user.id,
                    "partner_id": user.partner_id.id,
                    "query": (query or "").strip() or False,
                    "service_id": service.id if service else False,
                    "ticket_id": ticket.id if ticket else False,
                }
            )
        )
