from markupsafe import Markup

from odoo import fields, models
from odoo.exceptions import UserError
from odoo.tools import plaintext2html


class ItsmTicketVendorEscalate(models.TransientModel):
    """Escalate a ticket to an IT vendor: open a vendor ticket and log it on the ticket."""

    _name = "itsm.ticket.vendor.escalate"
    _description = "Escalate a Ticket to a Vendor"

    ticket_id = fields.Many2one("itsm.ticket", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="ticket_id.company_id")
    vendor_id = fields.Many2one(
        "res.partner",
        required=True,
        domain="[('is_itsm_vendor', '=', True), "
        "'|', ('company_id', '=', False), ('company_id', '=', company_id)]",
    )
    vendor_reference = fields.Char(help="The vendor's case number, if already known.")
    note = fields.Text(help="What is asked of the vendor.")
    move_to_waiting = fields.Boolean(
        "Wait for the Vendor",
        default=True,
        help="Move the ticket to the stage Waiting for Vendor.",
    )

    def action_confirm(self):
        self.ensure_one()
        ticket = self.ticket_id
        if ticket.is_closed:
            raise UserError(self.env._("Ticket %s is closed: reopen it before escalating it.", ticket.number))
        if not self.vendor_id.is_itsm_vendor:
            raise UserError(self.env._("%s is not marked as an IT vendor.", self.vendor_id.display_name))
        note = (self.note or "").strip()
        vendor_ticket = self.env["itsm.vendor.ticket"].create(
            {
                "ticket_id": ticket.id,
                "vendor_id": self.vendor_id.id,
                "vendor_reference": (self.vendor_reference or "").strip() or False,
                "note": note or False,
            }
        )
        body = Markup("<p>%s</p>") % self.env._(
            "Escalated to the vendor %(vendor)s (reference: %(reference)s).",
            vendor=self.vendor_id.display_name,
            reference=vendor_ticket.vendor_reference or self.env._("none yet"),
        )
        if note:
            body += plaintext2html(note)
        ticket.message_post(body=body, message_type="comment", subtype_xmlid="mail.mt_note")
        if self.move_to_waiting:
            stage = self.env.ref("itsm_helpdesk.stage_waiting_vendor", raise_if_not_found=False)
            if stage and stage in ticket._get_team_stages() and ticket.stage_id != stage:
                ticket.stage_id = stage
        return {"type": "ir.actions.act_window_close"}
