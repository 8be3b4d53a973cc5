from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import is_html_empty


class ItsmTicket(models.Model):
    _inherit = "itsm.ticket"

    resolution = fields.Html(
        sanitize=True,
        sanitize_attributes=True,
        sanitize_style=True,
        help="How the ticket was solved; it can be turned into a knowledge article.",
    )
    kb_article_ids = fields.Many2many(
        "itsm.kb.article",
        "itsm_kb_article_ticket_rel",
        "ticket_id",
        "article_id",
        string="Knowledge Articles",
        check_company=True,
        help="Articles that helped with this ticket; the published ones are shown to the requester.",
    )
    deflection_article_id = fields.Many2one(
        "itsm.kb.article",
        "Solved by Article",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The article with which the requester solved and closed the ticket themselves.",
    )
    is_deflected = fields.Boolean(
        "Solved by Self-Service",
        compute="_compute_is_deflected",
        store=True,
        precompute=True,
        help="The requester closed the ticket with a knowledge article.",
    )

    @api.model
    def _prepare_new_ticket_values(self, vals_list):
        # a new ticket was not deflected: saying so spares the precomputation of is_deflected a
        # default_get per ticket (see EMPTY_ON_CREATE of itsm_helpdesk)
        result = super()._prepare_new_ticket_values(vals_list)
        for vals in vals_list:
            vals.setdefault("deflection_article_id", False)
        return result

    @api.depends("deflection_article_id")
    def _compute_is_deflected(self):
        for ticket in self:
            ticket.is_deflected = bool(ticket.deflection_article_id)

    def action_create_article_from_resolution(self):
        """Open a new knowledge article prefilled from the ticket and linked to it."""
        self.ensure_one()
        if is_html_empty(self.resolution):
            raise UserError(
                self.env._(
                    "Ticket %s has no resolution yet: describe how it was solved first.", self.display_name
                )
            )
        category = self.env["itsm.kb.category"]._find_for_ticket_category(self.category_id)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Article"),
            "res_model": "itsm.kb.article",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": {
                "default_name": self.name,
                "default_body": self.resolution,
                "default_service_ids": self.service_id.ids,
                "default_category_id": category.id,
                "default_company_id": self.company_id.id,
                "default_ticket_ids": self.ids,
            },
        }

    def _close_with_article(self, article):
        """The requester solved the ticket with ``article``: record it and close the ticket."""
        self.ensure_one()
        self.deflection_article_id = article
        if not self.is_closed:
            self.action_close()
        self.message_post(
            body=self.env._("Solved by the requester with the article “%s”.", article.name),
            author_id=self.env.user.partner_id.id,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
