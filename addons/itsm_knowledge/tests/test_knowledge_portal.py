import json
import re

from odoo import Command
from odoo.tests import HttpCase, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from odoo.addons.itsm_helpdesk.tests.test_security import MALICIOUS

from .common import ItsmKnowledgeCommon


class ItsmKnowledgePortalCommon(ItsmKnowledgeCommon, HttpCase):
    def _deflections(self):
        return self.env["itsm.kb.deflection"].search([])


@tagged("post_install", "-at_install")
class TestKnowledgePortal(ItsmKnowledgePortalCommon):
    def test_search_in_chinese(self):
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        zh_article = self.env["itsm.kb.article"].create(
            {"name": "打印机无法打印怎么办", "body": "<p>检查纸张和墨粉。</p>", "is_published": True}
        )
        for search in ("打印机坏了", "我的打印机无法打印"):
            found = self.url_open(f"/my/knowledge?search={search}").text
            self.assertIn(zh_article.name, found, "a Chinese search finds the Chinese article")
            self.assertNotIn("Connect to the VPN from home", found)
        self.assertIn("o_itsm_kb_no_article", self.url_open("/my/knowledge?search=会议室预订").text)

    def test_list_search_category_and_page(self):
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        page = self.url_open("/my/knowledge").text
        self.assertIn("Connect to the VPN from home", page)
        self.assertIn("The printer does not print", page)
        self.assertNotIn("Restart the VPN gateway", page, "internal articles stay internal")
        self.assertNotIn("VPN of the other company", page)
        self.assertNotIn("break-glass", page)
        found = self.url_open("/my/knowledge?search=paper+jam").text
        self.assertIn("The printer does not print", found)
        self.assertNotIn("Connect to the VPN from home", found)
        by_body = self.url_open("/my/knowledge?search=approve+the+sign-in").text
        self.assertIn("Connect to the VPN from home", by_body, "the text of articles is searched too")
        self.assertIn("o_itsm_kb_no_article", self.url_open("/my/knowledge?search=break-glass").text)
        by_category = self.url_open(f"/my/knowledge?category={self.kb_printing.id}").text
        self.assertIn("The printer does not print", by_category)
        self.assertNotIn("Connect to the VPN from home", by_category)
        self.assertIn("Network and Remote Access (1)", page, "categories count published articles only")
        kb_vpn = self.env["itsm.kb.category"].create({"name": "VPN", "parent_id": self.kb_network.id})
        self.env["itsm.kb.article"].create(
            {
                "name": "VPN error 809",
                "body": "<p>Open port 1701.</p>",
                "category_id": kb_vpn.id,
                "is_published": True,
            }
        )
        page = self.url_open("/my/knowledge").text
        self.assertIn("Network and Remote Access (2)", page, "a category counts its subcategories")
        self.assertIn("Network and Remote Access / VPN (1)", page)
        by_parent = self.url_open(f"/my/knowledge?category={self.kb_network.id}").text
        self.assertIn("VPN error 809", by_parent)
        self.assertIn("Connect to the VPN from home", by_parent)
        self.assertEqual(self.url_open("/my/knowledge?category=abc").status_code, 200)
        self.env["itsm.kb.article"].create(
            [{"name": f"Zz article {i:03d}", "body": "<p>x</p>", "is_published": True} for i in range(79)]
        )
        page_1 = self.url_open("/my/knowledge").text
        self.assertIn("Zz article 076", page_1)
        self.assertNotIn("Zz article 077", page_1, "80 articles per page")
        self.assertIn("Zz article 078", self.url_open("/my/knowledge/page/2").text)
        self.assertIn("/my/knowledge", self.url_open("/my/home").text)
        self.assertEqual(
            self.make_jsonrpc_request("/my/counters", {"counters": ["itsm_kb_article_count"]}),
            {"itsm_kb_article_count": 82},
        )

    def test_article_page_counts_views_once_per_session(self):
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        response = self.url_open(f"/my/knowledge/{self.article_vpn.id}")
        self.assertEqual(response.status_code, 200)
        self.assertIn("approve the sign-in on your phone", response.text)
        self.assertIn("This solved my problem", response.text)
        self.url_open(f"/my/knowledge/{self.article_vpn.id}")
        self.article_vpn.invalidate_recordset(["view_count"])
        self.assertEqual(self.article_vpn.view_count, 1)
        self.authenticate("itsm_portal_b", "itsm_portal_b")
        self.url_open(f"/my/knowledge/{self.article_vpn.id}")
        self.article_vpn.invalidate_recordset(["view_count"])
        self.assertEqual(self.article_vpn.view_count, 2)
        self.authenticate("itsm_agent_1", "itsm_agent_1")
        self.assertEqual(self.url_open(f"/my/knowledge/{self.article_vpn.id}").status_code, 200)
        self.assertEqual(self.url_open(f"/my/knowledge/{self.article_internal.id}").status_code, 404)
        self.article_vpn.invalidate_recordset(["view_count"])
        self.assertEqual(self.article_vpn.view_count, 2, "agents previewing an article are not readers")

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model")
    def test_unpublished_and_foreign_articles_never_leak(self):
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        for article_id in (self.article_internal.id, self.article_other_company.id, 99999999):
            with self.subTest(article_id=article_id):
                response = self.url_open(f"/my/knowledge/{article_id}")
                self.assertEqual(response.status_code, 404)
                self.assertNotIn("break-glass", response.text)
        self.article_vpn.action_unpublish()
        self.assertEqual(self.url_open(f"/my/knowledge/{self.article_vpn.id}").status_code, 404)
        with self.assertRaises(JsonRpcException) as rpc:
            self.make_jsonrpc_request(
                "/web/dataset/call_kw/itsm.kb.article/read",
                {
                    "model": "itsm.kb.article",
                    "method": "read",
                    "args": [self.article_internal.ids, ["name", "body"]],
                    "kwargs": {},
                },
            )
        self.assertEqual(str(rpc.exception), "odoo.exceptions.AccessError")
        found = self.make_jsonrpc_request(
            "/web/dataset/call_kw/itsm.kb.article/search_read",
            {
                "model": "itsm.kb.article",
                "method": "search_read",
                "args": [[]],
                "kwargs": {"fields": ["name", "body"]},
            },
        )
        self.assertEqual([article["name"] for article in found], ["The printer does not print"])
        self.assertNotIn("break-glass", json.dumps(found))
        self.assertNotIn("secret gateway", json.dumps(found))

    def test_knowledge_requires_login(self):
        for url in ("/my/knowledge", f"/my/knowledge/{self.article_vpn.id}"):
            response = self.url_open(url, allow_redirects=False)
            self.assertIn(response.status_code, (302, 303))
            self.assertIn("/web/login", response.headers["Location"])
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request("/my/knowledge/suggest", {"query": "vpn"})
        with self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(f"/my/knowledge/{self.article_vpn.id}/deflect", {"query": "vpn"})
        self.assertFalse(self._deflections())

    def test_script_is_not_rendered(self):
        self.article_vpn.body = MALICIOUS
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        page = self.url_open(f"/my/knowledge/{self.article_vpn.id}").text
        body = re.search(r'<div class="o_itsm_kb_article_body">(.*?)</div>', page, re.S).group(1)
        self.assertIn("Broken screen", body)
        for dangerous in ('alert("x")', "<script", "onerror", "javascript:"):
            self.assertNotIn(dangerous, body)

    def test_suggestions(self):
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        result = self.make_jsonrpc_request(
            "/my/knowledge/suggest", {"query": "VPN does not connect", "service_id": "garbage"}
        )
        self.assertEqual(
            result,
            [
                {
                    "id": self.article_vpn.id,
                    "name": "Connect to the VPN from home",
                    "summary": "Install the client and sign in with your company account.",
                    "url": f"/my/knowledge/{self.article_vpn.id}",
                },
                {
                    "id": self.article_printer.id,
                    "name": "The printer does not print",
                    "summary": "Paper jam or empty toner: what to check first.",
                    "url": f"/my/knowledge/{self.article_printer.id}",
                },
            ],
            "title match first; never the internal or the other company's article",
        )
        self.env["itsm.kb.article"].create(
            [{"name": f"VPN tip {i}", "body": "<p>tip</p>", "is_published": True} for i in range(6)]
        )
        self.assertEqual(len(self.make_jsonrpc_request("/my/knowledge/suggest", {"query": "vpn"})), 5)
        self.assertEqual(self.make_jsonrpc_request("/my/knowledge/suggest", {"query": "vp"}), [])
        long_query = "vpn " + "x" * 10000
        self.assertEqual(len(self.make_jsonrpc_request("/my/knowledge/suggest", {"query": long_query})), 5)

    def test_deflection_one_record_per_click(self):
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        tickets_before = self.env["itsm.ticket"].search_count([])
        url = f"/my/knowledge/{self.article_vpn.id}/deflect"
        result = self.make_jsonrpc_request(
            url, {"query": "  vpn fails at the hotel ", "service_id": str(self.service_network.id)}
        )
        self.assertEqual(result, {"article_id": self.article_vpn.id, "ticket_closed": False})
        self.assertRecordValues(
            self._deflections(),
            [
                {
                    "article_id": self.article_vpn.id,
                    "user_id": self.portal_a.id,
                    "partner_id": self.portal_a.partner_id.id,
                    "commercial_partner_id": self.customer_a.id,
                    "query": "vpn fails at the hotel",
                    "service_id": self.service_network.id,
                    "ticket_id": False,
                }
            ],
        )
        self.make_jsonrpc_request(url, {"query": "vpn again"})
        self.assertEqual(len(self._deflections()), 2)
        self.assertEqual(self.article_vpn.deflection_count, 2)
        self.assertEqual(self.env["itsm.ticket"].search_count([]), tickets_before, "no ticket was opened")

    @mute_logger("odoo.http")
    def test_deflection_bad_input_writes_nothing(self):
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        cases = [
            (self.article_internal.id, {}, 404),
            (self.article_other_company.id, {}, 404),
            (99999999, {}, 404),
            (self.article_vpn.id, {"service_id": "abc"}, 200),
            (self.article_vpn.id, {"ticket_id": 99999999}, 404),
            (self.article_vpn.id, {"ticket_id": "abc"}, 404),
        ]
        for article_id, params, code in cases:
            with (
                self.subTest(article_id=article_id, params=params),
                self.assertRaises(JsonRpcException) as rpc,
            ):
                self.make_jsonrpc_request(f"/my/knowledge/{article_id}/deflect", dict(params, query="x"))
            self.assertEqual(rpc.exception.code, code)
        self.assertFalse(self._deflections())

    def test_votes_count_once_per_session(self):
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        url = f"/my/knowledge/{self.article_printer.id}/vote"
        self.assertEqual(self.make_jsonrpc_request(url, {}), {"counted": True})
        self.assertEqual(self.make_jsonrpc_request(url, {}), {"counted": False})
        self.article_printer.invalidate_recordset(["helpful_count"])
        self.assertEqual(self.article_printer.helpful_count, 1)
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(f"/my/knowledge/{self.article_internal.id}/vote", {})
        self.article_internal.invalidate_recordset(["helpful_count"])
        self.assertEqual(self.article_internal.helpful_count, 0)


@tagged("post_install", "-at_install")
class TestKnowledgeOnTicket(ItsmKnowledgePortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ticket_a = cls._ticket(
            name="VPN drops every hour",
            kb_article_ids=[Command.set((cls.article_vpn | cls.article_internal).ids)],
        )
        cls.ticket_b = cls._ticket(
            name="Secret of B",
            partner_id=cls.portal_b.partner_id.id,
            kb_article_ids=[Command.set(cls.article_vpn.ids)],
        )

    def test_related_articles_and_close_with_article(self):
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        page = self.url_open(f"/my/tickets/{self.ticket_a.id}").text
        related = re.search(
            r'<div class="card mb-4 o_itsm_kb_related">(.*?)<div id="ticket_chat"', page, re.S
        )
        self.assertIn("Connect to the VPN from home", related.group(1))
        self.assertNotIn("Restart the VPN gateway", page, "internal articles are not shown to requesters")
        result = self.make_jsonrpc_request(
            f"/my/knowledge/{self.article_vpn.id}/deflect", {"ticket_id": self.ticket_a.id, "query": ""}
        )
        self.assertEqual(result["ticket_closed"], True)
        self.assertTrue(self.ticket_a.is_closed)
        self.assertTrue(self.ticket_a.is_deflected)
        self.assertEqual(self.ticket_a.deflection_article_id, self.article_vpn)
        self.assertEqual(self._deflections().ticket_id, self.ticket_a)
        self.assertNotIn("o_itsm_kb_deflect", self.url_open(f"/my/tickets/{self.ticket_a.id}").text)
        with mute_logger("odoo.http"), self.assertRaises(JsonRpcException):
            self.make_jsonrpc_request(
                f"/my/knowledge/{self.article_vpn.id}/deflect", {"ticket_id": self.ticket_a.id}
            )
        self.assertEqual(len(self._deflections()), 1, "a closed ticket is not deflected twice")

    def test_public_visitor_with_token_sees_no_articles(self):
        response = self.url_open(f"/my/tickets/{self.ticket_a.id}?access_token={self.ticket_a.access_token}")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("o_itsm_kb_related", response.text)

    @mute_logger("odoo.http", "odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model")
    def test_other_requesters_ticket_cannot_be_closed(self):
        self.authenticate("itsm_portal_a", "itsm_portal_a")
        for article, ticket in (
            (self.article_vpn, self.ticket_b),  # not their ticket
            (self.article_printer, self.ticket_a),  # not an article of the ticket
            (self.article_internal, self.ticket_a),  # internal
        ):
            with (
                self.subTest(article=article.name, ticket=ticket.name),
                self.assertRaises(JsonRpcException) as rpc,
            ):
                self.make_jsonrpc_request(f"/my/knowledge/{article.id}/deflect", {"ticket_id": ticket.id})
            self.assertEqual(rpc.exception.code, 404)
        self.assertFalse(self.ticket_a.is_closed or self.ticket_b.is_closed)
        self.assertFalse(self._deflections())


@tagged("post_install", "-at_install")
class TestKnowledgeTour(ItsmKnowledgePortalCommon):
    def test_suggestion_deflects_the_ticket(self):
        partner = self.portal_a.partner_id
        tickets_before = self.env["itsm.ticket"].search_count([("partner_id", "=", partner.id)])
        self.start_tour("/my/tickets/new", "itsm_knowledge_deflection", login="itsm_portal_a")
        deflection = self._deflections()
        self.assertRecordValues(
            deflection,
            [
                {
                    "article_id": self.article_vpn.id,
                    "user_id": self.portal_a.id,
                    "query": "My VPN connection fails at the hotel",
                    "ticket_id": False,
                }
            ],
        )
        self.assertEqual(
            self.env["itsm.ticket"].search_count([("partner_id", "=", partner.id)]),
            tickets_before,
            "the problem was solved without a ticket",
        )
