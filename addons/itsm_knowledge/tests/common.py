from odoo import Command

from odoo.addons.itsm_helpdesk.tests.common import ItsmCommon


class ItsmKnowledgeCommon(ItsmCommon):
    """A small knowledge base: published and internal articles, and one of another company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Article = cls.env["itsm.kb.article"]
        # demo articles would blur every count and ranking below
        Article.search([]).action_archive()
        cls.env["itsm.kb.deflection"].search([]).unlink()
        cls.company_2 = cls.env["res.company"].create({"name": "Other Desk"})
        cls.service_network = cls.env["itsm.service"].create({"name": "Network", "team_id": cls.team_desk.id})
        cls.service_workplace = cls.env["itsm.service"].create({"name": "Workplace"})
        cls.ticket_category_network = cls.env["itsm.ticket.category"].create({"name": "Connectivity"})
        cls.ticket_category_wifi = cls.env["itsm.ticket.category"].create(
            {"name": "Wi-Fi", "parent_id": cls.ticket_category_network.id}
        )
        cls.kb_network = cls.env["itsm.kb.category"].create(
            {
                "name": "Network and Remote Access",
                "ticket_category_ids": [Command.set(cls.ticket_category_network.ids)],
            }
        )
        cls.kb_printing = cls.env["itsm.kb.category"].create({"name": "Printing"})
        cls.tag_howto = cls.env["itsm.kb.tag"].create({"name": "Remote work"})
        cls.article_vpn = Article.create(
            {
                "name": "Connect to the VPN from home",
                "summary": "Install the client and sign in with your company account.",
                "body": "<p>Open the client, choose the gateway and approve the sign-in on your phone.</p>",
                "category_id": cls.kb_network.id,
                "tag_ids": [Command.set(cls.tag_howto.ids)],
                "service_ids": [Command.set(cls.service_network.ids)],
                "is_published": True,
            }
        )
        cls.article_printer = Article.create(
            {
                "name": "The printer does not print",
                "summary": "Paper jam or empty toner: what to check first.",
                "body": "<p>Clear the paper jam, then cancel the jobs stuck in the queue. "
                "Printing from home needs the VPN.</p>",
                "category_id": cls.kb_printing.id,
                "is_published": True,
            }
        )
        cls.article_internal = Article.create(
            {
                "name": "Restart the VPN gateway (agents)",
                "summary": "Internal procedure of the network team.",
                "body": "<p>Log in to the gateway console with the break-glass account.</p>",
                "category_id": cls.kb_network.id,
            }
        )
        cls.article_other_company = Article.create(
            {
                "name": "VPN of the other company",
                "body": "<p>Other company's secret gateway.</p>",
                "company_id": cls.company_2.id,
                "is_published": True,
            }
        )
