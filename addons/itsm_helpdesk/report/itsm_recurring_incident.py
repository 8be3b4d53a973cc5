from odoo import fields, models
from odoo.tools import SQL


class ItsmRecurringIncident(models.Model):
    """Incidents of the same service and category reported three times or more in the last
    30 days and not yet attached to a problem: candidates for problem management."""

    _name = "itsm.recurring.incident"
    _inherit = "itsm.sql.report"
    _description = "Recurring Incidents"
    _auto = False
    _order = "incident_count desc"

    company_id = fields.Many2one("res.company", readonly=True)
    service_id = fields.Many2one("itsm.service", readonly=True)
    category_id = fields.Many2one("itsm.ticket.category", readonly=True)
    incident_count = fields.Integer("Incidents", readonly=True)
    open_count = fields.Integer("Still Open", readonly=True)
    first_at = fields.Datetime("First Reported", readonly=True)
    last_at = fields.Datetime("Last Reported", readonly=True)

    WINDOW_DAYS = 30
    MIN_INCIDENTS = 3

    def _select(self):
        return SQL(
            """
            MIN(t.id) AS id, t.company_id, t.service_id, t.category_id,
            COUNT(*) AS incident_count,
            COUNT(*) FILTER (WHERE NOT COALESCE(t.is_closed, FALSE)) AS open_count,
            MIN(t.opened_at) AS first_at,
            MAX(t.opened_at) AS last_at
            """
        )

    def _from(self):
        return SQL("itsm_ticket t")

    def _where(self):
        return SQL(
            """
            t.kind = 'incident' AND t.active AND t.problem_id IS NULL AND t.service_id IS NOT NULL
            AND t.opened_at >= (NOW() AT TIME ZONE 'UTC') - %s * INTERVAL '1 day'
            """,
            self.WINDOW_DAYS,
        )

    def _group_by(self):
        return SQL("t.company_id, t.service_id, t.category_id")

    def _having(self):
        return SQL("COUNT(*) >= %s", self.MIN_INCIDENTS)

    def _get_incidents(self):
        self.ensure_one()
        return self.env["itsm.ticket"].search(
            [
                ("kind", "=", "incident"),
                ("problem_id", "=", False),
                ("company_id", "=", self.company_id.id),
                ("service_id", "=", self.service_id.id),
                ("category_id", "=", self.category_id.id),
                ("opened_at", ">=", fields.Datetime.subtract(fields.Datetime.now(), days=self.WINDOW_DAYS)),
            ]
        )

    def action_create_problem(self):
        """Open a problem for these incidents and attach them to it."""
        self.ensure_one()
        incidents = self._get_incidents()
        problem = self.env["itsm.problem"].create(
            {
                "name": self.env._(
                    "Recurring: %(service)s / %(category)s",
                    service=self.service_id.name,
                    category=self.category_id.name or "-",
                ),
                "company_id": self.company_id.id,
                "service_id": self.service_id.id,
                "category_id": self.category_id.id,
            }
        )
        incidents.write({"problem_id": problem.id})
        return {
            "type": "ir.actions.act_window",
            "res_model": "itsm.problem",
            "res_id": problem.id,
            "view_mode": "form",
        }

    def action_view_incidents(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("itsm_helpdesk.itsm_ticket_action")
        action.update(domain=[("id", "in", self._get_incidents().ids)], context={})
        return action
