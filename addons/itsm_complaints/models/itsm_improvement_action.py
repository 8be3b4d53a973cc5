from odoo import api, fields, models
from odoo.exceptions import ValidationError

from odoo.addons.itsm_helpdesk.tools.locking import claim

ACTION_STATES = [
    ("open", "Open"),
    ("in_progress", "In Progress"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
]


class ItsmImprovementAction(models.Model):
    _name = "itsm.improvement.action"
    _description = "Improvement Action"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "due_date, id desc"
    _check_company_auto = True

    name = fields.Char("Action", required=True, tracking=True)
    description = fields.Html(sanitize=True)
    owner_id = fields.Many2one(
        "res.users", required=True, tracking=True, index=True, domain=[("share", "=", False)]
    )
    due_date = fields.Date(required=True, tracking=True, index=True)
    state = fields.Selection(ACTION_STATES, default="open", required=True, tracking=True, index=True)
    outcome = fields.Html(sanitize=True, help="What was done and whether it worked.")
    done_at = fields.Datetime(readonly=True, copy=False)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
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
    is_overdue = fields.Boolean("Overdue", compute="_compute_is_overdue")
    overdue_reminded_at = fields.Datetime(
        "Overdue Reminder Sent", readonly=True, copy=False, index="btree_not_null"
    )

    @api.depends("due_date", "state")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for action in self:
            action.is_overdue = (
                action.state in ("open", "in_progress") and action.due_date and action.due_date < today
            )

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

    @api.model_create_multi
    def create(self, vals_list):
        actions = super().create(vals_list)
        for action in actions:
            action.message_subscribe(partner_ids=action.owner_id.partner_id.ids)
        return actions

    def write(self, vals):
        if vals.get("state") == "done":
            vals = dict(vals, done_at=fields.Datetime.now())
        elif vals.get("state") in ("open", "in_progress"):
            vals = dict(vals, done_at=False)
        if "due_date" in vals:
            # a new due date earns a new reminder when it passes too
            vals = dict(vals, overdue_reminded_at=False)
        return super().write(vals)

    def action_start(self):
        self.write({"state": "in_progress"})
        return True

    def action_done(self):
        self.write({"state": "done"})
        return True

    def action_cancel(self):
        self.write({"state": "cancelled"})
        return True

    def action_reopen(self):
        self.write({"state": "open"})
        return True

    @api.model
    def _cron_remind_overdue(self, batch_size=500):
        """Remind the owner of each action past its due date, once per due date.

        The actions are claimed: a run at the same moment on another node reminds of others.
        """
        actions = claim(
            self,
            [
                ("state", "in", ("open", "in_progress")),
                ("due_date", "<", fields.Date.context_today(self)),
                ("overdue_reminded_at", "=", False),
            ],
            limit=batch_size,
        )
        for action in actions:
            action.message_post(
                body=self.env._(
                    "This improvement action was due on %(date)s and is still %(state)s.",
                    date=action.due_date,
                    state=dict(self._fields["state"]._description_selection(self.env))[action.state],
                ),
                partner_ids=action.owner_id.partner_id.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
        actions.write({"overdue_reminded_at": fields.Datetime.now()})
        if len(actions) == batch_size:
            self.env.ref("itsm_complaints.ir_cron_improvement_overdue")._trigger()
        return actions
