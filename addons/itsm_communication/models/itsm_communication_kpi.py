from odoo import api, models

from .itsm_communication_period import utc_range


class ItsmCommunicationKpi(models.AbstractModel):
    """The figures communicated to stakeholders, defined once for every content kind."""

    _name = "itsm.communication.kpi"
    _description = "Communicated Service Figures"

    @api.model
    def _get_figures(self, company, date_from, date_to, partner=None, team=None):
        """Tickets opened and closed, SLA met %, satisfaction and complaints of a period.

        The period is the local days ``date_from`` .. ``date_to`` in ``company``'s time zone;
        ``partner`` (a customer) or ``team`` narrows the figures to it. Each figure is one
        grouped query, read as the system: the recipients are told, not the reader's rights.
        """
        start, end = utc_range(company, date_from, date_to)
        scope = [("company_id", "=", company.id)]
        if partner:
            scope.append(("commercial_partner_id", "=", partner.commercial_partner_id.id))
        if team:
            scope.append(("team_id", "=", team.id))
        Ticket = self.env["itsm.ticket"].sudo().with_context(active_test=False)
        opened = Ticket._read_group(
            scope + [("opened_at", ">=", start), ("opened_at", "<", end)], [], ["__count"]
        )
        closed = Ticket._read_group(
            scope + [("closed_at", ">=", start), ("closed_at", "<", end)], [], ["__count"]
        )
        sla_scope = [("ticket_id." + leaf[0], leaf[1], leaf[2]) for leaf in scope]
        sla = dict(
            self.env["itsm.ticket.sla"]
            .sudo()
            ._read_group(
                sla_scope
                + [
                    ("status", "in", ("met", "breached")),
                    ("stopped_at", ">=", start),
                    ("stopped_at", "<", end),
                ],
                ["status"],
                ["__count"],
            )
        )
        # a rating belongs to the period its ticket was closed in, as in the satisfaction analysis
        closed_scope = scope + [("closed_at", ">=", start), ("closed_at", "<", end)]
        rating_scope = [
            ("res_model", "=", "itsm.ticket"),
            ("res_id", "in", Ticket._search(closed_scope)),
            ("consumed", "=", True),
            ("is_default", "=", False),
        ]
        [(rating_count, rating_avg)] = (
            self.env["rating.rating"].sudo()._read_group(rating_scope, [], ["__count", "rating:avg"])
        )
        complaint_scope = [
            ("company_id", "=", company.id),
            ("received_at", ">=", start),
            ("received_at", "<", end),
        ]
        if partner:
            complaint_scope.append(("commercial_partner_id", "=", partner.commercial_partner_id.id))
        [(complaints,)] = self.env["itsm.complaint"].sudo()._read_group(complaint_scope, [], ["__count"])
        measured = sla.get("met", 0) + sla.get("breached", 0)
        return {
            "date_from": date_from,
            "date_to": date_to,
            "tickets_opened": opened[0][0],
            "tickets_closed": closed[0][0],
            "sla_met": sla.get("met", 0),
            "sla_breached": sla.get("breached", 0),
            "sla_met_percent": round(100.0 * sla.get("met", 0) / measured, 1) if measured else None,
            "rating_count": rating_count,
            "rating_average": round(rating_avg, 2) if rating_count else None,
            "complaints": complaints,
        }
