from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged, users, warmup
from odoo.tools import mute_logger

from odoo.addons.itsm_helpdesk.tests.test_security import MALICIOUS

from .common import ItsmKnowledgeCommon


@tagged("post_install", "-at_install")
class TestKnowledgeArticle(ItsmKnowledgeCommon):
    def test_publish_rules(self):
        article = (
            self.env["itsm.kb.article"]
            .with_user(self.agent_1)
            .create({"name": "Share your calendar", "body": "<p><br></p>"})
        )
        self.assertFalse(article.is_published, "a new article is internal")
        self.assertEqual(article.author_id, self.agent_1)
        self.assertEqual(article.access_url, f"/my/knowledge/{article.id}")
        with self.assertRaisesRegex(ValidationError, "no content"), self.env.cr.savepoint():
            article.action_publish()
        self.assertFalse(article.is_published)
        article.body = "<p>Open the calendar, then <b>Share</b>.</p>"
        with freeze_time("2026-03-02 09:00:00"):
            article.action_publish()
            self._flush_tracking()
        self.assertTrue(article.is_published)
        self.assertEqual(article.published_at, fields.Datetime.to_datetime("2026-03-02 09:00:00"))
        with freeze_time("2026-03-05 09:00:00"):
            article.write({"summary": "Calendars", "is_published": True})
            article.flush_recordset()
        self.assertEqual(
            article.published_at,
            fields.Datetime.to_datetime("2026-03-02 09:00:00"),
            "editing a published article keeps its publication date",
        )
        with self.assertRaisesRegex(ValidationError, "no content"), self.env.cr.savepoint():
            article.body = False
        article.action_unpublish()
        self.assertFalse(article.published_at)
        self._flush_tracking()
        tracked = article.sudo().message_ids.tracking_value_ids.filtered(
            lambda v: v.field_id.name == "is_published"
        )
        self.assertEqual(len(tracked), 2, "publishing and unpublishing are logged on the article")

    def test_body_is_sanitized(self):
        self.article_vpn.with_user(self.agent_1).body = MALICIOUS
        self.assertIn("Broken screen", self.article_vpn.body)
        for dangerous in ("<script", "onerror", "javascript:"):
            self.assertNotIn(dangerous, self.article_vpn.body)

    def test_create_article_from_resolution(self):
        ticket = self._ticket(
            name="Wi-Fi drops in meeting room B",
            service_id=self.service_network.id,
            category_id=self.ticket_category_wifi.id,
            resolution="<p>Forget the network, then reconnect with the <b>new</b> certificate.</p>",
        )
        action = ticket.with_user(self.agent_1).action_create_article_from_resolution()
        self.assertEqual(action["res_model"], "itsm.kb.article")
        with Form(
            self.env["itsm.kb.article"].with_user(self.agent_1).with_context(**action["context"])
        ) as form:
            self.assertEqual(form.name, "Wi-Fi drops in meeting room B")
            self.assertEqual(form.category_id, self.kb_network, "filed under the parent's category")
            form.summary = "Reconnect with the new certificate."
        article = form.record
        self.assertRecordValues(
            article,
            [
                {
                    "name": "Wi-Fi drops in meeting room B",
                    "category_id": self.kb_network.id,
                    "is_published": False,
                    "author_id": self.agent_1.id,
                    "company_id": ticket.company_id.id,
                }
            ],
        )
        self.assertIn("reconnect with the <b>new</b> certificate", article.body)
        self.assertEqual(article.service_ids, self.service_network)
        self.assertEqual(article.ticket_ids, ticket)
        self.assertEqual(ticket.kb_article_ids, article, "the ticket lists the article written from it")
        self.assertEqual(article.ticket_count, 1)

    def test_create_article_without_resolution_fails(self):
        ticket = self._ticket()
        before = self.env["itsm.kb.article"].search_count([])
        for resolution in (False, "<p><br></p>", "<p>  </p>"):
            ticket.resolution = resolution
            with self.subTest(resolution=resolution), self.assertRaisesRegex(UserError, "no resolution"):
                ticket.with_user(self.agent_1).action_create_article_from_resolution()
        self.assertEqual(self.env["itsm.kb.article"].search_count([]), before)

    def test_resolution_is_sanitized(self):
        ticket = self._ticket(resolution=MALICIOUS)
        self.assertIn("Broken screen", ticket.resolution)
        self.assertNotIn("<script", ticket.resolution)

    def test_category_of_ticket_category(self):
        Category = self.env["itsm.kb.category"]
        self.assertEqual(Category._find_for_ticket_category(self.ticket_category_wifi), self.kb_network)
        wifi = Category.create(
            {"name": "Wi-Fi", "ticket_category_ids": [Command.set(self.ticket_category_wifi.ids)]}
        )
        self.assertEqual(Category._find_for_ticket_category(self.ticket_category_wifi), wifi, "nearest first")
        self.assertFalse(Category._find_for_ticket_category(self.env["itsm.ticket.category"]))
        with self.assertRaises(UserError):
            self.kb_network.parent_id = self.kb_network

    def test_linked_articles_stay_in_the_company(self):
        ticket = self._ticket()
        with self.assertRaises(UserError):
            ticket.kb_article_ids = self.article_other_company

    def test_deflection_count(self):
        self.article_vpn.with_user(self.portal_a)._register_deflection(query="vpn at the hotel")
        self.article_vpn.with_user(self.portal_b)._register_deflection(
            query="vpn", service=self.service_network
        )
        self.article_printer.with_user(self.portal_a)._register_deflection()
        deflection = self.env["itsm.kb.deflection"].search(
            [("article_id", "=", self.article_vpn.id)], limit=1
        )
        self.assertRecordValues(
            deflection,
            [
                {
                    "user_id": self.portal_b.id,
                    "partner_id": self.portal_b.partner_id.id,
                    "commercial_partner_id": self.customer_b.id,
                    "query": "vpn",
                    "service_id": self.service_network.id,
                    "category_id": self.kb_network.id,
                }
            ],
        )
        articles = (self.article_vpn | self.article_printer | self.article_internal).with_user(self.agent_1)
        with self.assertQueryCount(1):
            self.assertEqual(articles.mapped("deflection_count"), [2, 1, 0])
        self.assertEqual(self.article_vpn.with_user(self.portal_a).deflection_count, 2)

    def test_ticket_closed_with_article(self):
        ticket = self._ticket(kb_article_ids=[Command.set(self.article_vpn.ids)])
        self.assertFalse(ticket.is_deflected)
        ticket._close_with_article(self.article_vpn)
        self.assertTrue(ticket.is_closed)
        self.assertTrue(ticket.is_deflected)
        self.assertEqual(ticket.deflection_article_id, self.article_vpn)
        self.assertIn("Connect to the VPN from home", ticket.message_ids[0].body)
        groups = dict(
            self.env["itsm.ticket"]._read_group(
                [("id", "in", (ticket | self._ticket()).ids)], ["is_deflected"], ["__count"]
            )
        )
        self.assertEqual(groups, {True: 1, False: 1}, "deflection is a stored KPI of the ticket")


@tagged("post_install", "-at_install")
class TestKnowledgeSuggestions(ItsmKnowledgeCommon):
    def _suggest(self, query, user=None, **kwargs):
        return self.env["itsm.kb.article"].with_user(user or self.portal_a)._get_suggestions(query, **kwargs)

    def test_title_match_first(self):
        self.assertEqual(
            self._suggest("VPN does not connect"),
            self.article_vpn | self.article_printer,
            "a title match ranks before a match in the text; internal and other companies' never come",
        )
        self.assertEqual(self._suggest("paper jam"), self.article_printer)
        self.assertEqual(self._suggest("printer and VPN"), self.article_printer | self.article_vpn)

    def test_service_breaks_ties(self):
        other = self.env["itsm.kb.article"].create(
            {"name": "VPN error 809", "body": "<p>Open port 1701.</p>", "is_published": True}
        )
        self.assertEqual(self._suggest("vpn")[:2], other | self.article_vpn, "alphabetical without service")
        self.assertEqual(
            self._suggest("vpn", service=self.service_network)[:2],
            self.article_vpn | other,
            "the article of the chosen service first",
        )

    def test_nothing_for_short_or_common_words(self):
        for query in ("", "   ", "vp", "how does the", None):
            with self.subTest(query=query):
                self.assertFalse(self._suggest(query))
        self.assertFalse(self._suggest("div"), "HTML markup of the text is no match")
        self.assertFalse(self._suggest("nect"), "words match from their start: not in 'Connect'")

    def test_limit(self):
        self.env["itsm.kb.article"].create(
            [{"name": f"Toner cartridge {i}", "body": "<p>toner</p>", "is_published": True} for i in range(8)]
        )
        self.assertEqual(len(self._suggest("toner")), 5)
        self.assertEqual(len(self._suggest("toner", limit=2)), 2)

    def test_agents_get_only_published_suggestions(self):
        self.assertEqual(
            self._suggest("gateway", user=self.agent_1),
            self.article_vpn,
            "suggestions are for the portal: internal articles are left out for agents too",
        )


@tagged("post_install", "-at_install")
class TestKnowledgeSuggestionsChinese(ItsmKnowledgeCommon):
    """Chinese is written without spaces: suggestions match pairs of characters, not words."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Article = cls.env["itsm.kb.article"]
        cls.zh_printer = Article.create(
            {
                "name": "打印机无法打印怎么办",
                "summary": "先检查纸张和墨粉。",
                "body": "<p>清除卡纸，然后取消打印队列中卡住的任务。</p>",
                "is_published": True,
            }
        )
        cls.zh_paper = Article.create(
            {"name": "打印机卡纸", "body": "<p>打开前盖，取出纸张。</p>", "is_published": True}
        )
        cls.zh_vpn = Article.create(
            {"name": "如何连接VPN", "body": "<p>安装客户端，用公司账号登录。</p>", "is_published": True}
        )
        cls.zh_internal = Article.create({"name": "打印服务器重启（内部）", "body": "<p>内部步骤。</p>"})

    def _suggest(self, query, **kwargs):
        return self.env["itsm.kb.article"].with_user(self.portal_a)._get_suggestions(query, **kwargs)

    def test_chinese_sentences_find_the_article(self):
        for query in ("打印机坏了", "我的打印机无法打印", "打印机无法打印"):
            with self.subTest(query=query):
                self.assertEqual(self._suggest(query)[:1], self.zh_printer)
        self.assertEqual(
            self._suggest("我的打印机无法打印"),
            self.zh_printer | self.zh_paper,
            "the article sharing most of the sentence first; the internal one never",
        )
        self.assertEqual(self._suggest("卡纸了")[:1], self.zh_paper, "the title counts before the text")
        self.assertEqual(self._suggest("墨粉"), self.zh_printer, "the summary and the text are searched too")

    def test_unrelated_chinese_finds_nothing(self):
        for query in ("会议室预订", "我的邮箱怎么设置", "怎么办", "你好"):
            with self.subTest(query=query):
                self.assertFalse(self._suggest(query))

    def test_mixed_chinese_and_english(self):
        self.assertEqual(self._suggest("VPN连接失败")[:1], self.zh_vpn, "both the word and the Chinese count")
        self.assertEqual(self._suggest("vpn")[:2], self.article_vpn | self.zh_vpn, "an English word alone")
        self.assertLessEqual(self.article_printer | self.zh_printer, self._suggest("printer 打印机"))

    def test_encoded_data_is_no_word(self):
        article = self.env["itsm.kb.article"].create(
            {"name": "扫描仪驱动", "body": f"<p>{'A' * 5000} 扫描仪</p>", "is_published": True}
        )
        self.assertEqual(
            self._suggest("扫描仪坏了"), article, "a 5,000-letter 'word' does not stop the article"
        )

    def test_terms_follow_the_article(self):
        self.zh_paper.write({"name": "复印机卡纸"})
        self.assertNotIn(self.zh_paper, self._suggest("打印机坏了"), "the terms are recomputed on change")
        self.assertIn(self.zh_paper, self._suggest("复印机卡住了"))


@tagged("post_install", "-at_install", "is_query_count")
class TestKnowledgeQueries(ItsmKnowledgeCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["itsm.kb.article"].create(
            [
                {"name": f"VPN note {i}", "body": f"<p>VPN step {i}</p>", "is_published": True}
                for i in range(30)
            ]
        )

    @users("itsm_portal_a")
    @warmup
    def test_suggestions(self):
        with self.assertQueryCount(itsm_portal_a=3):
            suggestions = self.env["itsm.kb.article"]._get_suggestions("vpn gateway", service=None)
        self.assertEqual(len(suggestions), 5)
        self.assertEqual(suggestions[0], self.article_vpn)


@tagged("post_install", "-at_install")
class TestKnowledgeAccess(ItsmKnowledgeCommon):
    def _visible(self, user):
        return self.env["itsm.kb.article"].with_user(user).search([])

    def test_agents(self):
        self.assertEqual(
            self._visible(self.agent_1),
            self.article_vpn | self.article_printer | self.article_internal,
            "agents read internal articles, never another company's",
        )
        self.assertIn("break-glass", self.article_internal.with_user(self.agent_1).body)
        article = (
            self.env["itsm.kb.article"].with_user(self.agent_1).create({"name": "Draft", "body": "<p>x</p>"})
        )
        article.write({"summary": "Edited"})
        article.action_publish()
        with mute_logger("odoo.addons.base.models.ir_model"), self.assertRaises(AccessError):
            article.unlink()
        article.with_user(self.manager).unlink()
        deflections = self.env["itsm.kb.deflection"].with_user(self.agent_1)
        self.assertFalse(deflections.search([]).filtered(lambda d: d.company_id == self.company_2))
        with mute_logger("odoo.addons.base.models.ir_model"), self.assertRaises(AccessError):
            deflections.create({"article_id": self.article_vpn.id})

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model")
    def test_other_company_is_invisible(self):
        with self.assertRaises(AccessError):
            self.article_other_company.with_user(self.manager).read(["name"])
        self.article_other_company._register_deflection(query="secret")
        self.assertFalse(
            self.env["itsm.kb.deflection"]
            .with_user(self.manager)
            .search([("article_id.company_id", "!=", False)])
            .filtered(lambda d: d.article_id == self.article_other_company)
        )
        shared = self.env["itsm.kb.article"].create(
            {"name": "Shared article", "body": "<p>x</p>", "company_id": False, "is_published": True}
        )
        self.assertIn(shared, self._visible(self.portal_a), "an article without company is shared")

    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model")
    def test_portal_users_read_published_articles_only(self):
        for user in (self.portal_a, self.employee):
            with self.subTest(user=user.login):
                self.assertEqual(self._visible(user), self.article_vpn | self.article_printer)
                with self.assertRaises(AccessError):
                    self.article_internal.with_user(user).read(["name", "body"])
                with self.assertRaises(AccessError):
                    self.article_vpn.with_user(user).write({"name": "Hacked"})
                with self.assertRaises(AccessError):
                    self.env["itsm.kb.article"].with_user(user).create({"name": "Spam"})
                with self.assertRaises(AccessError):
                    self.article_vpn.with_user(user).read(["ticket_ids"])
                with self.assertRaises(AccessError):
                    self.env["itsm.kb.deflection"].with_user(user).search([])
        self.article_vpn.action_unpublish()
        self.assertEqual(self._visible(self.portal_a), self.article_printer, "unpublished at once")
