import pytz

from odoo import api, fields, models

from ..tools import periods
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

    itsm_tz = fields.Char(
        "Reporting Time Zone",
        compute="_compute_itsm_tz",
        store=True,
        help="Months, years, weekdays and hours of reviews and reports are cut in this time zone: "
        "the time zone of the company's working hours, else of its address.",
    )

    @api.depends("resource_calendar_id.tz", "partner_id.tz")
    def _compute_itsm_tz(self):
        for company in self:
            tz = company.resource_calendar_id.tz or company.partner_id.tz
            company.itsm_tz = tz if tz in pytz.all_timezones_set else "UTC"

    def _itsm_today(self):
        """Today's date where the company works."""
        self.ensure_one()
        return periods.local_today(self.itsm_tz, fields.Datetime.now())

    def _itsm_utc_range(self, date_from, date_to):
        """``(start, end)``: the UTC datetimes of the company's local days ``date_from`` to ``date_to``.

        ``end`` is excluded. Use it for every period of a review or report.
        """
        self.ensure_one()
        return periods.utc_range(self.itsm_tz, date_from, date_to)

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

    def init(self):
        res = super().init()
        # every company numbers its tickets from the start (see _create_tickets_sequences)
        self.env.cr.execute("SELECT id FROM res_company")
        self.browse(id_ for (id_,) in self.env.cr.fetchall())._create_tickets_sequences()
        return res

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._create_tickets_sequences()
        return companies

    def _create_tickets_sequences(self):
        """Create the numbering of tickets with the company, not with its first one.

        Created on demand, two tickets received at the same moment by a new company would each
        create a sequence, and both would be numbered 00001.
        """
        for company in self:
            self.env["itsm.ticket"].sudo()._get_intake_sequence(company.id)
