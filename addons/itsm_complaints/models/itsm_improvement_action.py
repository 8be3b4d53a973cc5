from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ItsmImprovementAction(models.Model):
    _inherit = "itsm.improvement.action"

    source = fields.Selection(
        selection_add=[("complaint", "Complaint"), ("complaint_review", "Complaint Review"), ("other",)],
        ondelete={
            "complaint": lambda actions: actions.write({"source": "other"}),
            "complaint_review": lambda actions: actions.write({"source": "other"}),
        },
    )
    complaint_id = fields.Many2one(
        "itsm.complaint",
        "Source Complaint",
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
        # a many2one's display name is read with elevated rights: only the complaint roles get the field
        groups="itsm_complaints.group_complaint_receiver",
    )
    review_id = fields.Many2one(
        "itsm.complaint.review",
        "Source Review",
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
    )

    @api.model
    def _source_fields(self):
        return {"complaint": "complaint_id", "complaint_review": "review_id", **super()._source_fields()}

    @api.depends(lambda self: list(self._source_fields().values()))
    def _compute_restricted(self):
        res = super()._compute_restricted()
        for action in self.sudo():
            if action.complaint_id or action.review_id:
                action.restricted = True
        return res

    @api.constrains("owner_id", "complaint_id")
    def _check_owner_not_concerned(self):
        for action in self.sudo().filtered("complaint_id"):
            if action.owner_id == action.complaint_id.agent_id:
                raise ValidationError(
                    self.env._(
                        "%(owner)s is the agent concerned by complaint %(number)s: they cannot own "
                        "its improvement actions, which would show it to them.",
                        owner=action.owner_id.name,
                        number=action.complaint_id.number,
                    )
                )
