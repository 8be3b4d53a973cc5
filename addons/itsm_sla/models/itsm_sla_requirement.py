from odoo import Command, fields, models
from odoo.exceptions import UserError

from odoo.addons.itsm_helpdesk.models.itsm_priority_rule import PRIORITIES
from odoo.addons.itsm_helpdesk.models.itsm_ticket import TICKET_KINDS


class ItsmSlaRequirement(models.Model):
    """What a customer asked for (services, hours, targets), before it becomes a contract."""

    _name = "itsm.sla.requirement"
    _description = "Service Level Requirement"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, tracking=True, domain=[("is_company", "=", True)]
    )
    service_ids = fields.Many2many("itsm.service", string="Services")
    calendar_id = fields.Many2one(
        "resource.calendar", "Service Hours", default=lambda self: self.env.company.resource_calendar_id
    )
    is_24x7 = fields.Boolean("24x7")
    line_ids = fields.One2many("itsm.sla.requirement.line", "requirement_id", "Wished Targets", copy=True)
    notes = fields.Html(sanitize=True)
    contract_ids = fields.One2many("itsm.sla.contract", "requirement_id", "Contracts")
    contract_count = fields.Integer(compute="_compute_contract_count")

    def _compute_contract_count(self):
        counts = dict(
            self.env["itsm.sla.contract"]._read_group(
                [("requirement_id", "in", self.ids)], ["requirement_id"], ["__count"]
            )
        )
        for requirement in self:
            requirement.contract_count = counts.get(requirement, 0)

    def _prepare_contract_values(self):
        self.ensure_one()
        targets = []
        for line in self.line_ids:
            for metric, hours in (("response", line.response_hours), ("resolution", line.resolution_hours)):
                if hours:
                    targets.append(
                        Command.create(
                            {
                                "metric": metric,
                                "priority": line.priority,
                                "ticket_kind": line.ticket_kind,
                                "target_hours": hours,
                            }
                        )
                    )
        return {
            "name": self.name,
            "company_id": self.company_id.id,
            "partner_id": self.partner_id.id,
            "service_ids": [Command.set(self.service_ids.ids)],
            "calendar_id": self.calendar_id.id,
            "is_24x7": self.is_24x7,
            "requirement_id": self.id,
            "target_ids": targets,
            "notes": self.notes,
        }

    def action_create_contract(self):
        """Derive a draft contract, with its targets, from the requirement."""
        self.ensure_one()
        if not self.line_ids:
            raise UserError(self.env._("Record at least one wished target before deriving a contract."))
        contract = self.env["itsm.sla.contract"].create(self._prepare_contract_values())
        return {
            "type": "ir.actions.act_window",
            "res_model": "itsm.sla.contract",
            "res_id": contract.id,
            "view_mode": "form",
        }

    def action_view_contracts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("itsm_sla.itsm_sla_contract_action")
        action["domain"] = [("requirement_id", "=", self.id)]
        return action


class ItsmSlaRequirementLine(models.Model):
    _name = "itsm.sla.requirement.line"
    _description = "Wished Service Level"
    _order = "requirement_id, priority, id"

    requirement_id = fields.Many2one("itsm.sla.requirement", required=True, index=True, ondelete="cascade")
    priority = fields.Selection(PRIORITIES)
    ticket_kind = fields.Selection(TICKET_KINDS)
    response_hours = fields.Float("Response (working hours)")
    resolution_hours = fields.Float("Resolution (working hours)")

    _sql_constraints = [
        (
            "hours_positive",
            "CHECK (response_hours >= 0 AND resolution_hours >= 0)",
            "Target hours cannot be negative.",
        ),
    ]
