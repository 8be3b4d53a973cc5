from odoo import api, fields, models


class ItsmTicket(models.Model):
    _inherit = "itsm.ticket"

    template_id = fields.Many2one(
        "itsm.request.template",
        index="btree_not_null",
        tracking=True,
        domain="[('service_id', '=?', service_id)]",
    )
    checklist_ids = fields.One2many("itsm.ticket.checklist", "ticket_id", copy=True)
    checklist_progress = fields.Float(
        compute="_compute_checklist_progress",
        store=True,
        precompute=True,
        aggregator="avg",
        help="Share of the checklist steps done, in percent.",
    )
    answer_ids = fields.One2many("itsm.ticket.answer", "ticket_id", "Requester's Answers", copy=True)

    @api.depends("checklist_ids.is_done")
    def _compute_checklist_progress(self):
        for ticket in self:
            steps = ticket.checklist_ids
            ticket.checklist_progress = 100.0 * len(steps.filtered("is_done")) / len(steps) if steps else 0.0

    @api.onchange("template_id")
    def _onchange_template_id(self):
        if self.template_id:
            self.update(self.template_id._get_ticket_defaults())

    @api.model_create_multi
    def create(self, vals_list):
        vals_list = [dict(vals) for vals in vals_list]
        templates = self.env["itsm.request.template"].browse(
            {vals["template_id"] for vals in vals_list if vals.get("template_id")}
        )
        defaults = {template.id: template._get_ticket_defaults() for template in templates}
        for vals in vals_list:
            for key, value in defaults.get(vals.get("template_id"), {}).items():
                if value and not vals.get(key):
                    vals[key] = value
        tickets = super().create(vals_list)
        tickets._copy_template_checklists()
        return tickets

    def _copy_template_checklists(self):
        """Give each new ticket of a template its own copy of the template's steps, in one create."""
        values = [
            {"ticket_id": ticket.id, "sequence": item.sequence, "name": item.name}
            for ticket in self.filtered(lambda t: t.template_id and not t.checklist_ids)
            for item in ticket.template_id.checklist_item_ids
        ]
        if values:
            self.env["itsm.ticket.checklist"].create(values)
