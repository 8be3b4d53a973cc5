from odoo import api, fields, models


class ItsmProblem(models.Model):
    """The unknown cause of one or more incidents, and, once found, the known error."""

    _name = "itsm.problem"
    _description = "Problem"
    _inherit = ["mail.thread", "mail.activity.mixin", "itsm.improvement.source.mixin"]
    _order = "id desc"
    _rec_names_search = ["number", "name"]
    _improvement_source_field = "problem_id"

    number = fields.Char(readonly=True, copy=False, index="btree_not_null")
    name = fields.Char("Summary", required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    service_id = fields.Many2one("itsm.service", tracking=True, index=True)
    improvement_action_ids = fields.One2many("itsm.improvement.action", "problem_id", "Improvement Actions")
    category_id = fields.Many2one("itsm.ticket.category", tracking=True)
    owner_id = fields.Many2one(
        "res.users", "Problem Manager", default=lambda self: self.env.user, tracking=True
    )
    state = fields.Selection(
        [
            ("new", "New"),
            ("investigating", "Investigating"),
            ("known_error", "Known Error"),
            ("resolved", "Resolved"),
            ("closed", "Closed"),
        ],
        default="new",
        required=True,
        tracking=True,
        index=True,
    )
    description = fields.Html()
    root_cause = fields.Text(tracking=True)
    is_known_error = fields.Boolean("Known Error", tracking=True)
    known_error_note = fields.Text(help="What is known of the error; agents see it on linked tickets.")
    workaround = fields.Html(
        help="How to restore service until the cause is removed; shown on linked tickets."
    )
    ticket_ids = fields.One2many("itsm.ticket", "problem_id", "Incidents")
    ticket_count = fields.Integer(compute="_compute_ticket_count")
    open_ticket_count = fields.Integer(compute="_compute_ticket_count")

    def _compute_ticket_count(self):
        totals, opens = {}, {}
        if self.ids:
            for problem, is_closed, count in self.env["itsm.ticket"]._read_group(
                [("problem_id", "in", self.ids)], ["problem_id", "is_closed"], ["__count"]
            ):
                totals[problem.id] = totals.get(problem.id, 0) + count
                if not is_closed:
                    opens[problem.id] = opens.get(problem.id, 0) + count
        for problem in self:
            problem.ticket_count = totals.get(problem.id, 0)
            problem.open_ticket_count = opens.get(problem.id, 0)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("number"):
                vals["number"] = self.env["ir.sequence"].next_by_code("itsm.problem") or "/"
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("state") == "known_error":
            vals = dict(vals, is_known_error=True)
        return super().write(vals)

    def action_view_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("itsm_helpdesk.itsm_ticket_action")
        action.update(domain=[("problem_id", "=", self.id)], context={"default_problem_id": self.id})
        return action
