from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ItsmImprovementAction(models.Model):
    _inherit = "itsm.improvement.action"

    source = fields.Selection(
        selection_add=[("satisfaction", "Satisfaction Follow-up"), ("other",)],
        ondelete={"satisfaction": lambda actions: actions.write({"source": "other"})},
    )
    satisfaction_ticket_id = fields.Many2one(
        "itsm.ticket", "Source Rated Ticket", index="btree_not_null", ondelete="set null", check_company=True
    )

    rating_id = fields.Many2one(
        "rating.rating",
        "Source Rating",
        index="btree_not_null",
        ondelete="set null",
        domain="[('itsm_ticket_id', '=', satisfaction_ticket_id)]",
        help="The low rating followed up.",
    )

    @api.constrains("rating_id", "satisfaction_ticket_id")
    def _check_rating_of_ticket(self):
        for action in self.sudo().filtered("rating_id"):
            if action.rating_id.itsm_ticket_id != action.satisfaction_ticket_id:
                raise ValidationError(
                    self.env._("The rating followed up must be one of the source ticket's.")
                )

    @api.model
    def _source_fields(self):
        return {**super()._source_fields(), "satisfaction": "satisfaction_ticket_id"}
