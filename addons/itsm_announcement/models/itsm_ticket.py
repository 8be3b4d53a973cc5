from odoo import api, fields, models


class ItsmTicket(models.Model):
    _inherit = "itsm.ticket"

    informed_announcement_ids = fields.Many2many(
        "itsm.announcement",
        "itsm_announcement_ticket_rel",
        "ticket_id",
        "announcement_id",
        string="Announcements Received",
        readonly=True,
        copy=False,
        groups="itsm_helpdesk.group_itsm_agent",
        help="Announcements of faults, changes or services that concerned this ticket's customer "
        "while the ticket was open: its requester was informed of them.",
    )
    is_requester_informed = fields.Boolean(
        "Requester Informed",
        compute="_compute_is_requester_informed",
        store=True,
        precompute=True,
        copy=False,
        help="The requester was told of a fault, change or new service that concerned this ticket.",
    )

    @api.model
    def _prepare_new_ticket_values(self, vals_list):
        # a new requester was informed of nothing yet: saying so spares the precomputation of
        # is_requester_informed a default_get per ticket (see EMPTY_ON_CREATE of itsm_helpdesk)
        result = super()._prepare_new_ticket_values(vals_list)
        for vals in vals_list:
            vals.setdefault("informed_announcement_ids", [])
        return result

    @api.depends("informed_announcement_ids")
    def _compute_is_requester_informed(self):
        for ticket in self:
            ticket.is_requester_informed = bool(ticket.informed_announcement_ids)
