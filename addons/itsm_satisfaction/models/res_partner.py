from dateutil.relativedelta import relativedelta

from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    itsm_do_not_survey = fields.Boolean(
        "Do Not Survey",
        help="Never send this person rating requests, callbacks or satisfaction surveys.",
    )
    itsm_satisfaction_count = fields.Integer("Opinions (12 months)", compute="_compute_itsm_satisfaction")
    itsm_satisfaction_rate = fields.Float("Satisfaction (12 months)", compute="_compute_itsm_satisfaction")
    itsm_satisfaction_trend = fields.Float(
        "Satisfaction Trend",
        compute="_compute_itsm_satisfaction",
        help="Satisfaction of the last 3 months minus that of the 9 months before, in points.",
    )

    def _itsm_satisfaction_domain(self):
        return [
            ("commercial_partner_id", "in", self.commercial_partner_id.ids),
            ("is_answered", "=", True),
            ("is_default", "=", False),
            ("scored_count", "=", 1),
        ]

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_itsm_satisfaction(self):
        """Real answers only (default ratings are not opinions), one grouped query for all partners.

        Read as superuser (a relationship manager needs no access to each rating) but only in the
        companies the user works in: a customer of two companies shows each its own figures.
        """
        today = fields.Date.context_today(self)
        since, recent = today - relativedelta(months=12), today - relativedelta(months=3)
        stats = {}
        if self.ids:
            groups = (
                self.env["itsm.satisfaction.report"]
                .sudo()
                ._read_group(
                    self._itsm_satisfaction_domain()
                    + [("date", ">=", since), ("company_id", "in", self.env.companies.ids)],
                    ["commercial_partner_id", "date:month"],
                    ["scored_count:sum", "satisfied_count:sum"],
                )
            )
            for partner, month, count, satisfied in groups:
                period = "recent" if month >= recent.replace(day=1) else "before"
                entry = stats.setdefault(partner.id, {"recent": [0, 0], "before": [0, 0]})
                entry[period][0] += count
                entry[period][1] += satisfied
        for partner in self:
            entry = stats.get(partner.commercial_partner_id.id)
            if not entry:
                partner.itsm_satisfaction_count = 0
                partner.itsm_satisfaction_rate = partner.itsm_satisfaction_trend = 0.0
                continue
            count = entry["recent"][0] + entry["before"][0]
            satisfied = entry["recent"][1] + entry["before"][1]
            partner.itsm_satisfaction_count = count
            partner.itsm_satisfaction_rate = 100.0 * satisfied / count
            recent_rate = 100.0 * entry["recent"][1] / entry["recent"][0] if entry["recent"][0] else None
            before_rate = 100.0 * entry["before"][1] / entry["before"][0] if entry["before"][0] else None
            partner.itsm_satisfaction_trend = (
                recent_rate - before_rate if recent_rate is not None and before_rate is not None else 0.0
            )

    def action_view_itsm_satisfaction(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "itsm_satisfaction.itsm_satisfaction_report_action"
        )
        action["domain"] = [("commercial_partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"search_default_real": 1, "search_default_group_month": 1}
        return action
