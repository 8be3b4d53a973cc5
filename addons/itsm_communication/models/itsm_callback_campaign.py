from datetime import timedelta

from odoo import fields, models


class ItsmCallbackCampaign(models.Model):
    _inherit = "itsm.callback.campaign"

    def _draw(self, at=None):
        """The random sample, with the people of customers not measured for too long asked first."""
        sample, population = super()._draw(at)
        if self.target != "tickets" or not sample:
            return sample, population
        return self._itsm_coverage_first(sample, at or fields.Datetime.now()), population

    def _itsm_coverage_first(self, sample, at):
        """``sample`` (``[(ticket_id, partner_id)]``) with the uncovered customers' people first.

        The campaign's scope and the fatigue rule still hold: only resolved tickets of the scope
        and period, one per person, people who may be asked. The sample keeps its size.
        """
        self.ensure_one()
        domain = [
            ("company_id", "=", self.company_id.id),
            ("is_closed", "=", True),
            ("partner_id", "!=", False),
            ("commercial_partner_id.itsm_has_coverage_gap", "=", True),
            ("closed_at", ">=", fields.Datetime.to_datetime(self.period_start)),
            ("closed_at", "<", fields.Datetime.to_datetime(self.period_end + timedelta(days=1))),
        ]
        if self.team_ids:
            domain.append(("team_id", "in", self.team_ids.ids))
        if self.service_ids:
            domain.append(("service_id", "in", self.service_ids.ids))
        if self.kind_ids:
            domain.append(("kind", "in", self.kind_ids.mapped("code")))
        tickets = self.env["itsm.ticket"].sudo().search(domain, order="id")
        sampled = {partner_id for _ticket, partner_id in sample}
        first = {}
        for ticket in tickets:
            if ticket.partner_id.id not in sampled:
                first.setdefault(ticket.partner_id, ticket.id)
        surveyable = self.env["itsm.survey.contact"]._itsm_partners_surveyable(
            self.env["res.partner"].browse([p.id for p in first]), at, self.company_id.itsm_survey_min_days
        )
        uncovered = (
            self.env["res.partner"]
            .browse([p for _t, p in sample])
            .filtered("commercial_partner_id.itsm_has_coverage_gap")
        )
        ordered = (
            [row for row in sample if row[1] in uncovered.ids]
            + [(row_id, partner.id) for partner, row_id in first.items() if partner in surveyable]
            + [row for row in sample if row[1] not in uncovered.ids]
        )
        return ordered[: len(sample)]
