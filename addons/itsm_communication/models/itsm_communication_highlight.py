from odoo import api, fields, models


class ItsmCommunicationHighlight(models.Model):
    """Good news for the board: an achievement, a certification, a record, told with the period's figures."""

    _name = "itsm.communication.highlight"
    _description = "Management Report Highlight"
    _order = "date desc, id desc"

    name = fields.Char("Highlight", required=True, translate=True)
    kind = fields.Selection(
        [
            ("achievement", "Achievement"),
            ("certification", "Certification"),
            ("record", "Record"),
            ("other", "Other"),
        ],
        required=True,
        default="achievement",
    )
    description = fields.Html(sanitize=True, translate=True)
    date = fields.Date(required=True, default=fields.Date.context_today)
    is_published = fields.Boolean(
        "In the Management Report", default=True, help="Carried by the management report of its period."
    )
    author_id = fields.Many2one(
        "res.users", default=lambda self: self.env.user, domain=[("share", "=", False)]
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    @api.model
    def _get_period_highlights(self, company, date_from, date_to):
        return self.sudo().search(
            [
                ("company_id", "=", company.id),
                ("is_published", "=", True),
                ("date", ">=", date_from),
                ("date", "<=", date_to),
            ],
            order="date",
        )
