from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL, html2plaintext, is_html_empty

from odoo.addons.itsm_helpdesk.tools import text_search

SUGGESTION_LIMIT = 5
SUGGESTION_CANDIDATES = 100
# weight of a match in the title against one in the summary or text, for the first cut in SQL
SEARCH_VECTOR_SQL = """
    setweight(array_to_tsvector(string_to_array(COALESCE(search_title_terms, ''), ' ')), 'A')
    || setweight(array_to_tsvector(string_to_array(COALESCE(search_text_terms, ''), ' ')), 'D')
"""


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
    # the terms searched by suggestions and the portal search (see tools/text_search.py); the
    # database indexes them as the generated column search_vector (see init)
    search_title_terms = fields.Text(compute="_compute_search_terms", store=True, groups="base.group_system")
    search_text_terms = fields.Text(compute="_compute_search_terms", store=True, groups="base.group_system")
    deflection_count = fields.Integer(
        "Deflections",
        compute="_compute_deflection_count",
        compute_sudo=True,
        help="Times a portal user marked the article as the solution of their problem.",
        groups="base.group_user",
    )

    def init(self):
        result = super().init()
        # a generated column: PostgreSQL derives it from the stored terms, the ORM never writes it
        self.env.cr.execute(
            SQL(
                """
                ALTER TABLE itsm_kb_article ADD COLUMN IF NOT EXISTS search_vector tsvector
                      GENERATED ALWAYS AS (%s) STORED;
                CREATE INDEX IF NOT EXISTS itsm_kb_article_search_vector_index
                    ON itsm_kb_article USING gin (search_vector);
                """,
                SQL(SEARCH_VECTOR_SQL),
            )
        )
        return result

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

    @api.depends("name", "summary", "body")
    def _compute_search_terms(self):
        for article in self:
            title_terms = text_search.text_terms(article.name)
            text = f"{article.summary or ''} {html2plaintext(article.body or '')}"
            article.search_title_terms = " ".join(title_terms)
            article.search_text_terms = " ".join(text_search.text_terms(text))

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
        action = self.env["ir.actions.act_window"]._for_xml_id("itsm_knowledge.itsm_kb_deflection_action")
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
    def _get_suggestions(self, query, service=None, limit=SUGGESTION_LIMIT):
        """Published articles matching ``query``, best first, as the current user sees them.

        Works for Chinese, English and mixed text (see ``tools/text_search.py``). Articles whose
        title shares more of the query's terms come first, then those of the ticket's service,
        then those whose summary or text shares more, then the most read. An article must share
        enough of a long query's terms to be offered at all.
        """
        terms = text_search.query_terms(query)
        if not terms or limit <= 0:
            return self.browse()
        # the terms are read in SQL: write pending changes first
        self.flush_model()
        # record rules apply: the query is the user's search, narrowed by the index
        query_sql = self._search(self._get_portal_domain())
        tsquery = text_search.to_tsquery(terms)
        vector = SQL.identifier(self._table, "search_vector")
        query_sql.add_where(SQL("%s @@ %s::tsquery", vector, tsquery))
        query_sql.order = SQL(
            "ts_rank(%s, %s::tsquery) DESC, %s DESC", vector, tsquery, SQL.identifier(self._table, "id")
        )
        query_sql.limit = max(SUGGESTION_CANDIDATES, limit)
        rows = self.env.execute_query(
            query_sql.select(
                SQL.identifier(self._table, "id"),
                SQL.identifier(self._table, "name"),
                SQL.identifier(self._table, "search_title_terms"),
                SQL.identifier(self._table, "search_text_terms"),
                SQL.identifier(self._table, "view_count"),
            )
        )
        if not rows:
            return self.browse()
        # services are catalogue data the requester may not read itself
        of_service = set()
        if service:
            of_service = set(
                self.sudo()
                .browse([row[0] for row in rows])
                .filtered(lambda article: service.id in article.service_ids.ids)
                .ids
            )
        ranked = []
        for article_id, name, title_terms, other_terms, view_count in rows:
            title_hits = text_search.matched_terms(terms, set((title_terms or "").split()))
            text_hits = text_search.matched_terms(terms, set((other_terms or "").split()))
            if not text_search.is_relevant(terms, set(f"{title_terms or ''} {other_terms or ''}".split())):
                continue
            key = (
                -title_hits,
                article_id not in of_service,
                -text_hits,
                -(view_count or 0),
                name.lower(),
                article_id,
            )
            ranked.append((key, article_id))
        ranked.sort()
        return self.browse([article_id for _key, article_id in ranked[:limit]])

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
