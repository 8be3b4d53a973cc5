from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import is_html_empty


class ItsmMajorIncidentUpdate(models.TransientModel):
    """A status update on a major incident: to the ticket's followers and to management."""

    _name = "itsm.major.incident.update"
    _description = "Major Incident Status Update"

    ticket_id = fields.Many2one("itsm.ticket", required=True)
    body = fields.Html("Update", required=True)
    notify_management = fields.Boolean("Also Warn Management", default=True)

    def action_send(self):
        self.ensure_one()
        if not self.ticket_id.is_major_incident:
            raise UserError(self.env._("Status updates are for major incidents."))
        if is_html_empty(self.body):
            raise UserError(self.env._("Write the update first."))
        ticket = self.ticket_id
        partner_ids = ticket.company_id._itsm_major_recipients().ids if self.notify_management else []
        ticket.message_post(
            body=self.body,
            subject=self.env._("[Major incident update] %s", ticket.display_name),
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            partner_ids=partner_ids,
        )
        return {"type": "ir.actions.act_window_close"}
