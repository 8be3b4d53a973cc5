from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ItsmKbCategory(models.Model):
    _name = "itsm.kb.category"
    _description = "Knowledge Category"
    _parent_store = True
    _rec_name = "complete_name"
    _order = "sequence, complete_name, id"

    name = fields.Char(required=True, translate=True)
    complete_name = fields.Char(compute="_compute_complete_name", store=True, recursive=True)
    sequence = fields.Integer(default=10)
    parent_id = fields.Many2one("itsm.kb.category", "Parent Category", index=True, ondelete="cascade")
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("itsm.kb.category", "parent_id", "Subcategories")
    ticket_category_ids = fields.Many2many(
        "itsm.ticket.category",
        string="Ticket Categories",
        help="Articles written from the resolution of a ticket of these categories are filed here.",
    )
    article_ids = fields.One2many("itsm.kb.article", "category_id", "Articles")
    article_count = fields.Integer(compute="_compute_article_count")
    active = fields.Boolean(default=True)

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for category in self:
            if category.parent_id:
                category.complete_name = f"{category.parent_id.complete_name} / {category.name}"
            else:
                category.complete_name = category.name

    def _compute_article_count(self):
        counts = dict(
            self.env["itsm.kb.article"]._read_group(
                [("category_id", "in", self.ids)], ["category_id"], ["__count"]
            )
        )
        for category in self:
            category.article_count = counts.get(category, 0)

    @api.constrains("parent_id")
    def _check_parent(self):
        if self._has_cycle():
            raise ValidationError(self.env._("Knowledge categories cannot be nested in themselves."))

    @api.model
    def _find_for_ticket_category(self, ticket_category):
        """The knowledge category filed for a ticket category, or for its nearest parent."""
        if not ticket_category:
            return self.browse()
        ancestors = self.env["itsm.ticket.category"].browse(
            [int(cid) for cid in ticket_category.parent_path.split("/") if cid]
        )
        candidates = self.search([("ticket_category_ids", "in", ancestors.ids)])
        for ancestor in reversed(ancestors):
            match = candidates.filtered(lambda c, a=ancestor: a in c.ticket_category_ids)[:1]
            if match:
                return match
        return self.browse()
