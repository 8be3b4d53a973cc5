from odoo import fields, models


class ItsmTicket(models.Model):
    _inherit = "itsm.ticket"

    lead_id = fields.Many2one(
        "crm.lead",
        "Lead / Opportunity",
        tracking=True,
        index="btree_not_null",
        groups="sales_team.group_sale_salesman",
        help="The sales opportunity this request belongs to or gave rise to.",
    )
