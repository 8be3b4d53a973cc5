from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools import groupby

from odoo.addons.itsm_helpdesk.tools.locking import claim

ANNOUNCEMENT_KINDS = [
    ("fault", "Fault"),
    ("planned_change", "Planned Change"),
    ("new_service", "New Service"),
]
# the commercial entities: companies, and individuals who belong to no company
COMMERCIAL_PARTNER_DOMAIN = ["|", ("is_company", "=", True), ("parent_id", "=", False)]


class ItsmAnnouncement(models.Model):
    """A notice to customers: a current fault, a planned change or a new service.

    It is shown on the portal and in the back office while it is published and its
    display window is open, and its publication e-mails the affected customers once.
    """

    _name = "itsm.announcement"
    _description = "Service Announcement"
    _inherit = ["mail.thread"]
    _order = "start_at desc, id desc"
    _check_company_auto = True

    name = fields.Char("Title", required=True, tracking=True)
    kind = fields.Selection(ANNOUNCEMENT_KINDS, required=True, default="fault", tracking=True, index=True)
    body = fields.Html("Message", sanitize=True, sanitize_attributes=True, sanitize_style=True)
    state = fields.Selection(
        [("draft", "Draft"), ("published", "Published"), ("closed", "Closed")],
        "Status",
        required=True,
        default="draft",
        tracking=True,
        copy=False,
        index=True,
    )
    start_at = fields.Datetime(
        "Shown From",
        required=True,
        default=fields.Datetime.now,
        tracking=True,
        help="From this moment the published announcement is shown on the portal and in the back office.",
    )
    end_at = fields.Datetime(
        "Shown Until",
        tracking=True,
        help="After this moment the announcement is no longer shown. Leave empty while the end is unknown.",
    )
    service_ids = fields.Many2many("itsm.service", string="Affected Services", check_company=True)
    partner_ids = fields.Many2many(
        "res.partner",
        string="Affected Customers",
        domain=COMMERCIAL_PARTNER_DOMAIN,
        help="Customers concerned. Leave empty for an announcement to everybody: then the customers "
        "with open tickets (on the affected services, if any) are e-mailed.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    user_id = fields.Many2one(
        "res.users",
        "Author",
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
        groups="base.group_user",
    )
    is_active = fields.Boolean(
        "Shown Now",
        compute="_compute_is_active",
        search="_search_is_active",
        help="Published, and now is within its display window.",
    )
    sent_at = fields.Datetime(
        "E-mailed At",
        readonly=True,
        copy=False,
        help="When the affected customers were e-mailed. They are e-mailed once only.",
        groups="base.group_user",
    )
    recipient_count = fields.Integer("Contacts E-mailed", readonly=True, copy=False, groups="base.group_user")
    informed_ticket_ids = fields.Many2many(
        "itsm.ticket",
        "itsm_announcement_ticket_rel",
        "announcement_id",
        "ticket_id",
        string="Informed Tickets",
        readonly=True,
        copy=False,
        help="Open tickets of the affected customers at publication: their requesters were informed.",
        groups="base.group_user",
    )
    informed_ticket_count = fields.Integer(
        "Tickets Informed", compute="_compute_informed_ticket_count", groups="base.group_user"
    )

    @api.depends("state", "start_at", "end_at")
    def _compute_is_active(self):
        now = fields.Datetime.now()
        for announcement in self:
            announcement.is_active = (
                announcement.state == "published"
                and announcement.start_at <= now
                and (not announcement.end_at or announcement.end_at > now)
            )

    def _search_is_active(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Operation not supported on the field Shown Now."))
        now = fields.Datetime.now()
        domain = [
            ("state", "=", "published"),
            ("start_at", "<=", now),
            "|",
            ("end_at", "=", False),
            ("end_at", ">", now),
        ]
        if (operator == "=") == value:
            return domain
        return ["!", *expression.normalize_domain(domain)]

    @api.depends("informed_ticket_ids")
    def _compute_informed_ticket_count(self):
        for announcement in self:
            announcement.informed_ticket_count = len(announcement.informed_ticket_ids)

    @api.constrains("start_at", "end_at")
    def _check_window(self):
        for announcement in self:
            if announcement.end_at and announcement.end_at <= announcement.start_at:
                raise ValidationError(
                    self.env._("The announcement %s must end after it starts.", announcement.name)
                )

    @api.constrains("partner_ids")
    def _check_partners(self):
        for announcement in self:
            contacts = announcement.partner_ids.filtered(lambda p: p.commercial_partner_id != p)
            if contacts:
                raise ValidationError(
                    self.env._(
                        "Affected customers are companies (or individuals without company); "
                        "choose %(companies)s instead of %(contacts)s.",
                        companies=", ".join(contacts.commercial_partner_id.mapped("display_name")),
                        contacts=", ".join(contacts.mapped("display_name")),
                    )
                )

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------
    def action_publish(self):
        """Publish, and the first time only inform the affected customers.

        ``sent_at`` guards the e-mails: publishing again, or re-publishing a closed
        announcement, never sends them twice. Writing the state first also locks the
        rows, so two concurrent publications cannot both send.
        """
        now = fields.Datetime.now()
        ended = self.filtered(lambda a: a.end_at and a.end_at <= now)
        if ended:
            raise UserError(
                self.env._(
                    "%s has already ended: change its end before publishing it.",
                    ", ".join(ended.mapped("name")),
                )
            )
        self.write({"state": "published"})
        self.filtered(lambda a: not a.sent_at)._inform_affected_customers()
        return True

    def action_close(self):
        self.write({"state": "closed"})
        return True

    def action_draft(self):
        self.write({"state": "draft"})
        return True

    def action_view_informed_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("itsm_helpdesk.itsm_ticket_action")
        action["domain"] = [("informed_announcement_ids", "in", self.ids)]
        action["context"] = {"active_test": False}
        return action

    @api.model
    def _cron_close_expired(self):
        """Close the published announcements whose display window has ended.

        Claimed, so that two runs at once close (and log the closing of) each one once.
        """
        expired = claim(self, [("state", "=", "published"), ("end_at", "<=", fields.Datetime.now())])
        expired.action_close()
        return len(expired)

    # ------------------------------------------------------------------
    # informing the customers
    # ------------------------------------------------------------------
    def _inform_affected_customers(self):
        template = self.env.ref("itsm_announcement.mail_template_announcement", raise_if_not_found=False)
        now = fields.Datetime.now()
        for announcement in self:
            tickets = announcement._get_affected_tickets()
            customers = announcement.partner_ids or tickets.commercial_partner_id
            contacts = announcement._get_recipients(customers)
            if template and contacts:
                announcement._send_announcement(template, contacts)
            announcement.write({"sent_at": now, "recipient_count": len(contacts)})
            if tickets:
                announcement._mark_tickets_informed(tickets)
            announcement._message_log(
                body=self.env._(
                    "Published: %(contacts)s contacts e-mailed, %(tickets)s open tickets informed.",
                    contacts=len(contacts),
                    tickets=len(tickets),
                )
            )

    def _get_affected_tickets_domain(self):
        """Open tickets of the affected customers, on the affected services if any are named.

        Without named customers, every customer with such an open ticket is affected.
        """
        self.ensure_one()
        domain = [("is_closed", "=", False), ("company_id", "=", self.company_id.id)]
        if self.partner_ids:
            domain.append(("commercial_partner_id", "in", self.partner_ids.ids))
        else:
            domain.append(("commercial_partner_id", "!=", False))
        if self.service_ids:
            domain.append(("service_id", "in", self.service_ids.ids))
        return domain

    def _get_affected_tickets(self):
        # every affected ticket counts, whichever of them the publisher may see
        return self.env["itsm.ticket"].sudo().search(self._get_affected_tickets_domain())

    @api.model
    def _get_recipients(self, customers):
        """The contacts of ``customers`` to e-mail: one per address, none opted out."""
        if not customers:
            return self.env["res.partner"]
        contacts = (
            self.env["res.partner"]
            .sudo()
            .search_fetch(
                [
                    ("commercial_partner_id", "in", customers.ids),
                    ("type", "=", "contact"),
                    ("email_normalized", "!=", False),
                    ("is_blacklisted", "=", False),
                ],
                ["email_normalized", "lang"],
                order="id",
            )
        )
        first_by_email = {}
        for contact in contacts:
            first_by_email.setdefault(contact.email_normalized, contact.id)
        return contacts.browse(first_by_email.values())

    def _send_announcement(self, template, contacts):
        """Queue the announcement for ``contacts``: one e-mail per language.

        Each contact receives a personal copy (mail.mail sends one message per recipient
        partner), so customers never see each other's addresses.
        """
        self.ensure_one()
        default_lang = self.env.lang or "en_US"
        for lang, lang_contacts in groupby(contacts, key=lambda p: p.lang or default_lang):
            template.with_context(lang=lang).send_mail_batch(
                self.ids,
                email_values={
                    "recipient_ids": [Command.set([p.id for p in lang_contacts])],
                    "is_notification": True,
                    "message_type": "email_outgoing",
                },
                email_layout_xmlid="mail.mail_notification_light",
            )

    def _mark_tickets_informed(self, tickets):
        """Record on each ticket that its requester was informed, with a note in its chatter."""
        self.ensure_one()
        # linked from this side: the tickets' own last update stays untouched
        self.sudo().write({"informed_ticket_ids": [Command.link(ticket_id) for ticket_id in tickets.ids]})
        body = Markup("<p>%s</p>") % self.env._(
            "The requester was informed by the announcement: %s", self.name
        )
        tickets._message_log_batch(bodies=dict.fromkeys(tickets.ids, body))
