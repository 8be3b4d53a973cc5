from odoo import api, fields, models
from odoo.tools.sql import create_index, drop_index

RATING_CHANNELS = [
    ("email", "E-mail"),
    ("portal", "Portal"),
    ("on_site", "On site"),
    ("default", "Default"),
]


class RatingRating(models.Model):
    _inherit = "rating.rating"

    # whoever holds the token answers in the customer's name: only the rating flow (as superuser)
    # and administrators read it, never the employees who may read the rating
    access_token = fields.Char(groups="base.group_system")

    itsm_channel = fields.Selection(RATING_CHANNELS, "Rating Channel", readonly=True)
    is_default = fields.Boolean(
        "Default Rating",
        readonly=True,
        help="Recorded by the system because the requester did not answer in time; "
        "reported apart from real answers and replaced by a late real answer.",
    )
    recorded_by_id = fields.Many2one("res.users", readonly=True, help="Agent who recorded an on-site rating.")
    itsm_ticket_id = fields.Many2one(
        "itsm.ticket",
        "Ticket",
        compute="_compute_itsm_ticket_id",
        store=True,
        index="btree_not_null",
        ondelete="cascade",
        help="The rated ticket: the record rules of ticket ratings follow it.",
    )

    @api.depends("res_model", "res_id")
    def _compute_itsm_ticket_id(self):
        for rating in self:
            is_ticket = rating.res_model == "itsm.ticket" and rating.res_id
            rating.itsm_ticket_id = rating.res_id if is_ticket else False

    def init(self):
        res = super().init()
        # the default ratings of a record: few among the ratings. The ORM stores False, not NULL,
        # so the btree_not_null index the field once declared held every rating; this one holds
        # the default ratings only
        drop_index(self.env.cr, "rating_rating__is_default_index", self._table)
        create_index(
            self.env.cr,
            "rating_rating_itsm_default_index",
            self._table,
            ["res_model", "res_id"],
            where="is_default",
        )
        return res
