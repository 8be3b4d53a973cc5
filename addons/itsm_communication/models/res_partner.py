from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

from .itsm_relationship_review import REVIEW_STEPS


class ResPartner(models.Model):
    _inherit = "res.partner"

    itsm_is_review_contact = fields.Boolean(
        "Service Review Contact",
        help="Attends the customer's service reviews and reads their minutes on the portal.",
    )
    itsm_relationship_review_ids = fields.One2many(
        "itsm.relationship.review", "partner_id", "Service Reviews"
    )

    itsm_has_coverage_gap = fields.Boolean(
        "Satisfaction Not Measured",
        readonly=True,
        index=True,
        help="This customer had tickets but gave no satisfaction measure (a real rating or an "
        "answered callback) for the company's coverage period: the next campaign asks it first.",
    )

    @api.model
    def _cron_flag_satisfaction_coverage(self, now=None):
        """Flag the customers with tickets but no satisfaction measure over each company's period.

        A measure is a real (not default) rating of one of their tickets or an answered callback
        of one of their people. A few grouped queries per company; only changed flags are written.
        """
        now = now or fields.Datetime.now()
        Ticket = self.env["itsm.ticket"].sudo().with_context(active_test=False)
        gaps = self.browse()
        for company in self.env["res.company"].sudo().search([("itsm_coverage_months", ">", 0)]):
            since = now - relativedelta(months=company.itsm_coverage_months)
            scope = [("company_id", "=", company.id), ("commercial_partner_id", "!=", False)]
            with_tickets = {
                partner.id
                for [partner] in Ticket._read_group(
                    scope + [("opened_at", ">=", since)], ["commercial_partner_id"]
                )
            }
            rated_ticket_ids = (
                self.env["rating.rating"]
                .sudo()
                .search(
                    [
                        ("res_model", "=", "itsm.ticket"),
                        ("consumed", "=", True),
                        ("is_default", "=", False),
                        ("write_date", ">=", since),
                    ]
                )
                .mapped("res_id")
            )
            measured = {
                partner.id
                for [partner] in Ticket._read_group(
                    scope + [("id", "in", rated_ticket_ids)], ["commercial_partner_id"]
                )
            }
            measured |= {
                partner.id
                for [partner] in self.env["itsm.callback"]
                .sudo()
                ._read_group(
                    [("company_id", "=", company.id), ("state", "=", "done"), ("done_at", ">=", since)],
                    ["commercial_partner_id"],
                )
            }
            gaps |= self.browse(with_tickets - measured)
        flagged = self.sudo().search([("itsm_has_coverage_gap", "=", True)])
        (flagged - gaps).write({"itsm_has_coverage_gap": False})
        (gaps - flagged).sudo().write({"itsm_has_coverage_gap": True})
        return gaps

    def _itsm_prepare_relationship_review(self):
        """Values of the customer's next service review: the period since the previous one."""
        self.ensure_one()
        date = self.itsm_next_review_date
        manager = self.itsm_relationship_manager_id
        return {
            "partner_id": self.id,
            "manager_id": manager.id,
            "company_id": (self.company_id or manager.company_id).id,
            "review_date": date,
            "period_start": date - REVIEW_STEPS[self.itsm_review_frequency],
            "period_end": date - timedelta(days=1),
            "attendee_user_ids": [(6, 0, manager.ids)],
            "contact_partner_ids": [(6, 0, self.child_ids.filtered("itsm_is_review_contact").ids)],
        }
