from odoo import fields, models

from .itsm_priority_rule import PRIORITIES


class ResCompany(models.Model):
    _inherit = "res.company"

    itsm_major_min_priority = fields.Selection(
        PRIORITIES,
        "Major Incident from Priority",
        default="1",
        help="Incidents of this priority or higher are major incidents. Empty: priority alone never decides.",
    )
    itsm_major_min_affected_users = fields.Integer(
        "Major Incident from Affected Users", default=50, help="0 disables this criterion."
    )
    itsm_major_min_affected_customers = fields.Integer(
        "Major Incident from Affected Customers", default=3, help="0 disables this criterion."
    )
    itsm_major_manager_id = fields.Many2one(
        "res.users", "Default Major Incident Manager", domain=[("share", "=", False)]
    )
    itsm_major_notify_user_ids = fields.Many2many(
        "res.users",
        "res_company_itsm_major_notify_rel",
        "company_id",
        "user_id",
        string="Management to Warn",
        domain=[("share", "=", False)],
    )
    itsm_major_notify_group_id = fields.Many2one(
        "res.groups", "Management Group to Warn", help="Every user of this group is warned too."
    )

    itsm_access_token_days = fields.Integer(
        "Portal Link Validity (days)",
        default=30,
        help="A link to a ticket or a complaint sent by e-mail opens it without an account for this "
        "many days; later, its holder must log in. 0: links never expire.",
    )

    def _itsm_major_recipients(self):
        """Partners of the users to warn of a major incident of this company."""
        self.ensure_one()
        users = self.itsm_major_notify_user_ids | self.itsm_major_notify_group_id.users
        return users.filtered(lambda u: u.active and not u.share).partner_id
