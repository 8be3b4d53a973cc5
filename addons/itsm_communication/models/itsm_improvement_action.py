from odoo import api, fields, models


class ItsmImprovementAction(models.Model):
    _inherit = "itsm.improvement.action"

    source = fields.Selection(
        selection_add=[("relationship_review", "Service Review"), ("morale", "Morale Pulse"), ("other",)],
        ondelete={
            "relationship_review": lambda actions: actions.write({"source": "other"}),
            "morale": lambda actions: actions.write({"source": "other"}),
        },
    )
    relationship_review_id = fields.Many2one(
        "itsm.relationship.review",
        "Source Service Review",
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
    )
    morale_pulse_id = fields.Many2one(
        "itsm.morale.pulse",
        "Source Morale Pulse",
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
        readonly=True,
    )

    @api.model
    def _source_fields(self):
        return {
            **super()._source_fields(),
            "relationship_review": "relationship_review_id",
            "morale": "morale_pulse_id",
        }

    @api.depends(lambda self: list(self._source_fields().values()))
    def _compute_restricted(self):
        res = super()._compute_restricted()
        # a team's morale is for the communication managers, not the whole desk
        for action in self.sudo():
            if action.morale_pulse_id:
                action.restricted = True
        return res
