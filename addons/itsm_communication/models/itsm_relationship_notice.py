from odoo import api, fields, models

NOTICE_EVENTS = [
    ("major_incident", "Major Incident"),
    ("sla_breach", "SLA Breach"),
    ("complaint", "Complaint"),
    ("low_rating", "Low Rating"),
]


class ItsmRelationshipNotice(models.Model):
    """That a relationship manager was told of an event of their customer: each event is told once."""

    _name = "itsm.relationship.notice"
    _description = "Relationship Manager Notice"
    _order = "notified_at desc, id desc"

    event = fields.Selection(NOTICE_EVENTS, required=True, index=True)
    res_model = fields.Char("Document Model", required=True)
    res_id = fields.Many2oneReference("Document", model_field="res_model", required=True)
    partner_id = fields.Many2one("res.partner", "Customer", required=True, index=True, ondelete="cascade")
    manager_id = fields.Many2one("res.users", "Relationship Manager", required=True)
    company_id = fields.Many2one("res.company", index=True)
    summary = fields.Char(required=True)
    notified_at = fields.Datetime(required=True, default=fields.Datetime.now)

    _sql_constraints = [
        ("event_document_unique", "unique(event, res_model, res_id)", "Each event is told once."),
    ]

    @api.model
    def _notify(self, event, records, summaries=None):
        """Tell each customer's relationship manager of ``event`` on ``records``, once per record.

        ``records`` have a ``commercial_partner_id`` and a ``company_id``; ``summaries`` maps a
        record id to the line told (by default its display name). Records of customers without
        a relationship manager are skipped.
        """
        records = records.sudo().filtered(lambda r: r.commercial_partner_id.itsm_relationship_manager_id)
        if not records:
            return self.browse()
        told = set(
            self.sudo()
            .search([("event", "=", event), ("res_model", "=", records._name), ("res_id", "in", records.ids)])
            .mapped("res_id")
        )
        todo = records.filtered(lambda r: r.id not in told)
        summaries = summaries or {}
        notices = self.sudo().create(
            [
                {
                    "event": event,
                    "res_model": records._name,
                    "res_id": record.id,
                    "partner_id": record.commercial_partner_id.id,
                    "manager_id": record.commercial_partner_id.itsm_relationship_manager_id.id,
                    "company_id": record.company_id.id,
                    "summary": summaries.get(record.id) or record.display_name,
                }
                for record in todo
            ]
        )
        notices._send()
        return notices

    def _send(self):
        events = dict(self._fields["event"]._description_selection(self.env))
        for notice in self:
            notice.partner_id.message_notify(
                partner_ids=notice.manager_id.partner_id.ids,
                subject=self.env._(
                    "[%(event)s] %(customer)s", event=events[notice.event], customer=notice.partner_id.name
                ),
                body=self.env._(
                    "%(event)s for your customer %(customer)s: %(summary)s",
                    event=events[notice.event],
                    customer=notice.partner_id.name,
                    summary=notice.summary,
                ),
                email_layout_xmlid="mail.mail_notification_light",
            )
