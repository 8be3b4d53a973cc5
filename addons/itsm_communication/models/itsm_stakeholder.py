from odoo import api, fields, models

STAKEHOLDER_KINDS = [
    ("customer", "Customer"),
    ("user_group", "User Group"),
    ("it_staff", "IT Staff"),
    ("senior_management", "Senior Management"),
    ("board", "Board"),
    ("other", "Other Party"),
]


class ItsmStakeholder(models.Model):
    """Someone the service is communicated to: who they are, who owns the relationship, what matters."""

    _name = "itsm.stakeholder"
    _description = "Stakeholder"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "kind, name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    active = fields.Boolean(default=True)
    kind = fields.Selection(STAKEHOLDER_KINDS, required=True, default="customer", tracking=True, index=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    owner_id = fields.Many2one(
        "res.users",
        required=True,
        tracking=True,
        domain=[("share", "=", False)],
        default=lambda self: self.env.user,
        help="Answers for the communication with this stakeholder.",
    )
    partner_id = fields.Many2one(
        "res.partner",
        "Organisation",
        tracking=True,
        index="btree_not_null",
        help="The customer, regulator, shareholder... this stakeholder stands for.",
    )
    team_id = fields.Many2one("itsm.team", "IT Team", check_company=True, tracking=True)
    user_ids = fields.Many2many("res.users", string="Members")
    contact_ids = fields.Many2many(
        "res.partner",
        "itsm_stakeholder_contact_rel",
        "stakeholder_id",
        "partner_id",
        string="Recipients",
        help="The people who receive this stakeholder's communications.",
    )
    interests = fields.Text(translate=True, help="What this stakeholder expects from the IT service.")
    measures = fields.Text(
        "Measures That Matter", translate=True, help="The figures this stakeholder follows."
    )
    is_major_incident_warned = fields.Boolean(
        "Warned of Major Incidents",
        tracking=True,
        help="The recipients are warned at once, with management, of every major incident.",
    )
    plan_line_ids = fields.One2many("itsm.communication.plan.line", "stakeholder_id", "Communications")

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        if self.partner_id and not self.name:
            self.name = self.partner_id.name

    def _get_recipient_partners(self):
        """The partners who receive this stakeholder's communications.

        The named recipients first; otherwise the members, the team's members, the organisation.
        """
        self.ensure_one()
        recipients = self.contact_ids | self.user_ids.partner_id
        if self.team_id:
            recipients |= self.team_id.member_ids.partner_id
        return recipients or self.partner_id
