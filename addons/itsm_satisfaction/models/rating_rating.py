from odoo import fields, models

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
        index="btree_not_null",
        help="Recorded by the system because the requester did not answer in time; "
        "reported apart from real answers and replaced by a late real answer.",
    )
    recorded_by_id = fields.Many2one("res.users", readonly=True, help="Agent who recorded an on-site rating.")
