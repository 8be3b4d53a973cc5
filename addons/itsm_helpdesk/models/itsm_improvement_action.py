from odoo import api, fields, models

from ..tools.locking import claim

ACTION_STATES = [
    ("open", "Open"),
    ("in_progress", "In Progress"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
]


class ItsmImprovementAction(models.Model):
    """The one improvement register (ISO/IEC 20000-1 10.2).

    Every module that raises improvement actions adds its source: a Many2one to the source record,
    a `source` value (selection_add) and the pair in `_source_fields`.
    """

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
    source = fields.Selection(
        [
            ("problem", "Problem"),
            ("major_incident_review", "Post-Incident Review"),
            ("other", "Other"),
        ],
        compute="_compute_source",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        index=True,
        tracking=True,
        help="What raised the action.",
    )
    source_ref = fields.Reference(
        selection="_selection_source_ref",
        string="Raised From",
        compute="_compute_source_ref",
        compute_sudo=False,
    )
    restricted = fields.Boolean(
        compute="_compute_restricted",
        store=True,
        help="Raised from a confidential source: only its owner and the roles of that source see it.",
    )
    problem_id = fields.Many2one(
        "itsm.problem", "Source Problem", index="btree_not_null", ondelete="set null", check_company=True
    )
    major_incident_review_id = fields.Many2one(
        "itsm.major.incident.review",
        "Source Post-Incident Review",
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
    )
    is_overdue = fields.Boolean("Overdue", compute="_compute_is_overdue")
    overdue_reminded_at = fields.Datetime(
        "Overdue Reminder Sent", readonly=True, copy=False, index="btree_not_null"
    )

    @api.model
    def _source_fields(self):
        """The sources, in order of precedence: {source value: Many2one field to the source}."""
        return {"problem": "problem_id", "major_incident_review": "major_incident_review_id"}

    @api.model
    def _selection_source_ref(self):
        models = [self._fields[fname].comodel_name for fname in self._source_fields().values()]
        return [(model, self.env["ir.model"]._get(model).name) for model in models]

    @api.depends(lambda self: list(self._source_fields().values()))
    def _compute_source(self):
        sources = self._source_fields()
        for action in self:
            source = next((src for src, fname in sources.items() if action[fname]), False)
            if source:
                action.source = source
            elif not action.source or action.source in sources:
                action.source = "other"

    @api.depends(lambda self: ["source", *self._source_fields().values()])
    @api.depends_context("uid")
    def _compute_source_ref(self):
        sources = self._source_fields()
        # only a source the user may open: the register never leaks a confidential one. One access
        # check per kind of source, not per action. The source fields are read as superuser (one
        # may be restricted to some groups), their records checked with the user's rights
        readable = {}
        for source, fname in sources.items():
            records = self.sudo().filtered(lambda a, src=source: a.source == src)[fname].with_env(self.env)
            readable[source] = records._filtered_access("read") if records else records
        for action in self:
            fname = sources.get(action.source)
            record = fname and action.sudo()[fname].with_env(self.env)
            action.source_ref = record if record and record in readable[action.source] else False

    @api.depends(lambda self: list(self._source_fields().values()))
    def _compute_restricted(self):
        self.restricted = False

    @api.depends("due_date", "state")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for action in self:
            action.is_overdue = (
                action.state in ("open", "in_progress") and action.due_date and action.due_date < today
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
            self.env.ref("itsm_helpdesk.ir_cron_improvement_overdue")._trigger()
        return actions


class ItsmImprovementSourceMixin(models.AbstractModel):
    """A record improvement actions are raised from: its count, its "Raise Improvement Action" button."""

    _name = "itsm.improvement.source.mixin"
    _description = "Improvement Action Source"
    _improvement_source_field = None  # the action's Many2one to this model

    improvement_action_count = fields.Integer(compute="_compute_improvement_action_count")

    def _compute_improvement_action_count(self):
        Action = self.env["itsm.improvement.action"]
        counts = {}
        if Action.has_access("read"):
            fname = self._improvement_source_field
            counts = dict(Action._read_group([(fname, "in", self.ids)], [fname], ["__count"]))
        for record in self:
            record.improvement_action_count = counts.get(record, 0)

    def _improvement_action_defaults(self):
        self.ensure_one()
        return {
            f"default_{self._improvement_source_field}": self.id,
            "default_company_id": self.company_id.id,
            "default_name": self.display_name,
        }

    def action_raise_improvement_action(self):
        """Open a new improvement action raised from this record."""
        self.ensure_one()
        self.env["itsm.improvement.action"].check_access("create")
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Raise Improvement Action"),
            "res_model": "itsm.improvement.action",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": self._improvement_action_defaults(),
        }

    def action_view_improvement_actions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("itsm_helpdesk.itsm_improvement_action_action")
        action["domain"] = [(self._improvement_source_field, "=", self.id)]
        action["context"] = {
            key: value for key, value in self._improvement_action_defaults().items() if key != "default_name"
        }
        return action
