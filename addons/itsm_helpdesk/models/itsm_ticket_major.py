from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import groupby

MAJOR_CRITERIA_FIELDS = {
    "kind",
    "priority",
    "impact",
    "urgency",
    "affected_user_count",
    "affected_partner_ids",
}


class ItsmTicket(models.Model):
    _inherit = "itsm.ticket"

    affected_user_count = fields.Integer("Affected Users", tracking=True, groups="base.group_user")
    affected_partner_ids = fields.Many2many(
        "res.partner",
        "itsm_ticket_affected_partner_rel",
        "ticket_id",
        "partner_id",
        string="Affected Customers",
        domain=[("is_company", "=", True)],
        groups="base.group_user",
    )
    is_major_incident = fields.Boolean(
        "Major Incident",
        compute="_compute_is_major_incident",
        store=True,
        precompute=True,
        readonly=False,
        tracking=True,
        index=True,
        help="Set automatically when the company's criteria are met, or by hand; management is warned once.",
    )
    major_incident_manager_id = fields.Many2one(
        "res.users", tracking=True, domain=[("share", "=", False)], groups="base.group_user"
    )
    major_declared_at = fields.Datetime("Declared Major At", readonly=True, copy=False)
    major_review_ids = fields.One2many(
        "itsm.major.incident.review", "ticket_id", "Post-Incident Reviews", groups="base.group_user"
    )
    has_completed_review = fields.Boolean(compute="_compute_has_completed_review", groups="base.group_user")

    @api.depends("kind", "priority", "affected_user_count", "affected_partner_ids", "company_id")
    def _compute_is_major_incident(self):
        for ticket in self:
            # once declared, a major incident stays one unless a person says otherwise
            ticket.is_major_incident = ticket.is_major_incident or ticket._meets_major_criteria()

    def _meets_major_criteria(self):
        self.ensure_one()
        company = self.company_id
        if self.kind != "incident":
            return False
        return bool(
            (
                company.itsm_major_min_priority
                and self.priority
                and self.priority <= company.itsm_major_min_priority
            )
            or (
                company.itsm_major_min_affected_users
                and self.affected_user_count >= company.itsm_major_min_affected_users
            )
            or (
                company.itsm_major_min_affected_customers
                and len(self.affected_partner_ids) >= company.itsm_major_min_affected_customers
            )
        )

    @api.depends("major_review_ids.state")
    def _compute_has_completed_review(self):
        for ticket in self:
            ticket.has_completed_review = "done" in ticket.major_review_ids.mapped("state")

    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        tickets._declare_new_major_incidents()
        return tickets

    def write(self, vals):
        if vals.get("stage_id") and self.env["itsm.stage"].browse(vals["stage_id"]).is_closed:
            self._check_major_reviews_done()
        result = super().write(vals)
        if MAJOR_CRITERIA_FIELDS.intersection(vals) or vals.get("is_major_incident"):
            self._declare_new_major_incidents()
        return result

    def _check_major_reviews_done(self):
        unreviewed = self.filtered(
            lambda t: t.is_major_incident and not t.is_closed and not t.has_completed_review
        )
        if unreviewed:
            raise UserError(
                self.env._(
                    "A major incident can only be closed once its post-incident review is completed: %s",
                    ", ".join(unreviewed.mapped("display_name")),
                )
            )

    def _declare_new_major_incidents(self):
        """Give new major incidents their manager and warn management, once per ticket.

        Tickets are stamped with one write per manager and the chatter records are posted in
        one batch; each ticket still sends its own warning, linked to it.
        """
        declared = self.filtered(lambda t: t.is_major_incident and not t.major_declared_at)
        if not declared:
            return
        now = fields.Datetime.now()
        by_manager = groupby(
            declared,
            key=lambda t: (
                t.major_incident_manager_id or t.company_id.itsm_major_manager_id or t.team_id.leader_id
            ),
        )
        for manager, tickets in by_manager:
            self.browse([t.id for t in tickets]).write(
                {"major_declared_at": now, "major_incident_manager_id": manager.id}
            )
        logs = {ticket.id: ticket._notify_major_incident() for ticket in declared}
        declared._message_log_batch(bodies=logs)

    def _notify_major_incident(self):
        """Warn the company's management (chosen users and group) and the manager, and nobody else.

        Returns the note that records the warning in the ticket's chatter.
        """
        self.ensure_one()
        recipients = self.company_id._itsm_major_recipients() | self.major_incident_manager_id.partner_id
        body = Markup("<p>%s</p><p>%s</p>") % (
            self.env._("Major incident declared: %(ticket)s", ticket=self.display_name),
            self.env._(
                "Priority %(priority)s, %(users)s affected users, %(customers)s affected customers. "
                "Manager: %(manager)s.",
                priority=dict(self._fields["priority"]._description_selection(self.env)).get(self.priority),
                users=self.affected_user_count,
                customers=len(self.affected_partner_ids),
                manager=self.major_incident_manager_id.name or "-",
            ),
        )
        if recipients:
            self.message_notify(
                partner_ids=recipients.ids,
                body=body,
                subject=self.env._("[Major incident] %s", self.display_name),
                email_layout_xmlid="mail.mail_notification_light",
            )
            for user in recipients.user_ids:
                user._bus_send(
                    "simple_notification",
                    {
                        "type": "danger",
                        "sticky": True,
                        "title": self.env._("Major incident"),
                        "message": self.display_name,
                    },
                )
        return Markup("%s<p>%s</p>") % (
            body,
            self.env._(
                "Warned: %s",
                ", ".join(recipients.mapped("name")) or self.env._("nobody (no management configured)"),
            ),
        )

    def action_declare_major_incident(self):
        self.write({"is_major_incident": True})
        return True

    def action_open_major_update(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Status Update"),
            "res_model": "itsm.major.incident.update",
            "view_mode": "form",
            "target": "new",
            "context": {"default_ticket_id": self.id},
        }

    def action_open_major_review(self):
        self.ensure_one()
        review = self.major_review_ids[:1] or self.env["itsm.major.incident.review"].create(
            {"ticket_id": self.id}
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "itsm.major.incident.review",
            "res_id": review.id,
            "view_mode": "form",
        }
