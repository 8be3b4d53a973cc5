from odoo import fields, models


class ItsmKbDeflection(models.Model):
    """One "this solved my problem" of a portal user: a request the desk did not have to handle.

    Written by the portal when the user clicks the button, never edited afterwards.
    """

    _name = "itsm.kb.deflection"
    _description = "Self-Service Deflection"
    _order = "create_date desc, id desc"
    _rec_name = "article_id"

    article_id = fields.Many2one(
        "itsm.kb.article", required=True, readonly=True, index=True, ondelete="cascade"
    )
    category_id = fields.Many2one(related="article_id.category_id", string="Article Category", store=True)
    company_id = fields.Many2one(related="article_id.company_id", store=True, index=True)
    user_id = fields.Many2one("res.users", readonly=True, index=True)
    partner_id = fields.Many2one("res.partner", "Contact", readonly=True, index=True)
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id", string="Customer", store=True, index=True
    )
    query = fields.Char(
        "Searched For", readonly=True, help="What the user typed when the article was suggested."
    )
    service_id = fields.Many2one("itsm.service", readonly=True, index=True)
    ticket_id = fields.Many2one(
        "itsm.ticket",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        help="The ticket the requester closed with the article, when they found it on the ticket.",
    )
    create_date = fields.Datetime("When", readonly=True, index=True)
