from datetime import timedelta

from odoo import fields, models


class ItsmPortalTokenMixin(models.AbstractModel):
    """Portal links whose token expires.

    A link shared by e-mail (``?access_token=``) opens the record for whoever holds it, without
    an account; it stops working once older than the company's link validity. The next link
    the record sends (a notification, a response e-mail) carries a fresh token.
    """

    _name = "itsm.portal.token.mixin"
    _description = "Expiring Portal Link"
    _inherit = ["portal.mixin"]

    access_token_issued_at = fields.Datetime(
        "Link Issued On",
        readonly=True,
        copy=False,
        help="When the current access token was issued; empty: at the record's creation.",
    )

    def _itsm_access_token_expired(self):
        """Whether the record's access token is older than its company's link validity."""
        self.ensure_one()
        record = self.sudo()
        days = record.company_id.itsm_access_token_days if "company_id" in record._fields else 0
        if not days:
            days = self.env.company.itsm_access_token_days
        issued_at = record.access_token_issued_at or record.create_date
        return bool(days and issued_at and issued_at + timedelta(days=days) < fields.Datetime.now())

    def _portal_ensure_token(self):
        if self.access_token and self._itsm_access_token_expired():
            self.sudo().write({"access_token": False})
        if not self.access_token:
            self.sudo().write({"access_token_issued_at": fields.Datetime.now()})
        return super()._portal_ensure_token()
