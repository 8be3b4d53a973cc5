from odoo import fields, models
from odoo.tools import SQL

from odoo.addons.itsm_helpdesk.tools.periods import local_time_sql

SOURCES = [
    ("rating", "Ticket rating"),
    ("callback", "Ticket callback"),
    ("overall", "Overall service survey"),
]
CHANNELS = [
    ("email", "E-mail"),
    ("portal", "Portal"),
    ("on_site", "On site"),
    ("default", "Default"),
    ("phone", "Phone call"),
    ("survey", "Portal survey"),
]


class ItsmSatisfactionReport(models.Model):
    """Every opinion asked for, one row each: ticket ratings and callbacks, real and default apart.

    Ratings count in the month their ticket was resolved; callbacks in the month they were
    answered (or generated, while unanswered); days are those of the company's time zone.
    """

    _name = "itsm.satisfaction.report"
    _inherit = "itsm.sql.report"
    _description = "Satisfaction Analysis"
    _auto = False
    _order = "date desc"
    _rec_name = "ticket_id"

    date = fields.Date(readonly=True)
    source = fields.Selection(SOURCES, readonly=True)
    channel = fields.Selection(CHANNELS, readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    ticket_id = fields.Many2one("itsm.ticket", readonly=True)
    rating_id = fields.Many2one("rating.rating", readonly=True)
    callback_id = fields.Many2one("itsm.callback", readonly=True)
    campaign_id = fields.Many2one("itsm.callback.campaign", readonly=True)
    team_id = fields.Many2one("itsm.team", readonly=True)
    agent_id = fields.Many2one("res.users", readonly=True)
    service_id = fields.Many2one("itsm.service", readonly=True)
    partner_id = fields.Many2one("res.partner", "Person", readonly=True)
    commercial_partner_id = fields.Many2one("res.partner", "Customer", readonly=True)
    is_default = fields.Boolean("Default Rating", readonly=True)
    is_answered = fields.Boolean("Answered", readonly=True)
    score = fields.Float("Score (1-5)", readonly=True, aggregator="avg")
    timeliness_score = fields.Float("Timeliness", readonly=True, aggregator="avg")
    courtesy_score = fields.Float("Courtesy", readonly=True, aggregator="avg")
    asked_count = fields.Integer("Asked", readonly=True)
    answered_count = fields.Integer("Answers", readonly=True)
    default_count = fields.Integer("Default Ratings", readonly=True)
    scored_count = fields.Integer("Scored Answers", readonly=True)
    satisfied_count = fields.Integer("Satisfied (4-5)", readonly=True)
    dissatisfied_count = fields.Integer("Dissatisfied (1-2)", readonly=True)
    followup_count = fields.Integer("Follow-ups", readonly=True)
    informed_count = fields.Integer("Informed of Changes", readonly=True)
    advice_count = fields.Integer("Advice Given", readonly=True)
    opinion = fields.Text("Opinions and Suggestions", readonly=True)

    # one row per ticket rating (even ids) and per callback (odd ids); each part extendable
    def _select_rating(self):
        return SQL(
            """
            r.id * 2 AS id,
            %(date)s::date AS date,
            'rating' AS source,
            COALESCE(r.itsm_channel, 'email') AS channel,
            t.company_id, t.id AS ticket_id, r.id AS rating_id,
            NULL::integer AS callback_id, NULL::integer AS campaign_id,
            t.team_id, t.user_id AS agent_id, t.service_id,
            r.partner_id, t.commercial_partner_id,
            COALESCE(r.is_default, FALSE) AS is_default,
            r.consumed AS is_answered,
            CASE WHEN r.consumed THEN r.rating END AS score,
            NULL::float AS timeliness_score, NULL::float AS courtesy_score,
            1 AS asked_count,
            CASE WHEN r.consumed AND NOT COALESCE(r.is_default, FALSE) THEN 1 ELSE 0 END
                AS answered_count,
            CASE WHEN COALESCE(r.is_default, FALSE) THEN 1 ELSE 0 END AS default_count,
            CASE WHEN r.consumed THEN 1 ELSE 0 END AS scored_count,
            CASE WHEN r.consumed AND r.rating >= 4 THEN 1 ELSE 0 END AS satisfied_count,
            CASE WHEN r.consumed AND r.rating < 3 THEN 1 ELSE 0 END AS dissatisfied_count,
            CASE WHEN r.consumed AND NOT COALESCE(r.is_default, FALSE)
                      AND r.rating < company.itsm_followup_threshold THEN 1 ELSE 0 END
                AS followup_count,
            0 AS informed_count, 0 AS advice_count,
            r.feedback AS opinion
            """,
            date=local_time_sql(SQL("COALESCE(t.closed_at, r.create_date)"), SQL("company.itsm_tz")),
        )

    def _from_rating(self):
        return SQL(
            """
            rating_rating r
            JOIN itsm_ticket t ON t.id = r.res_id
            JOIN res_company company ON company.id = t.company_id
            """
        )

    def _where_rating(self):
        return SQL("r.res_model = 'itsm.ticket'")

    def _select_callback(self):
        return SQL(
            """
            c.id * 2 + 1 AS id,
            %(date)s::date AS date,
            CASE WHEN c.target = 'contacts' THEN 'overall' ELSE 'callback' END AS source,
            c.method AS channel,
            c.company_id, c.ticket_id, NULL::integer AS rating_id,
            c.id AS callback_id, c.campaign_id,
            c.team_id, c.agent_id, c.service_id,
            c.partner_id, c.commercial_partner_id,
            FALSE AS is_default,
            c.state = 'done' AS is_answered,
            CASE WHEN c.state = 'done' AND c.scored_count = 1 THEN c.score END AS score,
            NULLIF(c.timeliness_score, '')::float AS timeliness_score,
            NULLIF(c.courtesy_score, '')::float AS courtesy_score,
            1 AS asked_count,
            CASE WHEN c.state = 'done' THEN 1 ELSE 0 END AS answered_count,
            0 AS default_count,
            CASE WHEN c.state = 'done' THEN c.scored_count ELSE 0 END AS scored_count,
            CASE WHEN c.state = 'done' THEN c.satisfied_count ELSE 0 END AS satisfied_count,
            CASE WHEN c.state = 'done' AND c.scored_count = 1 AND c.score < 3 THEN 1 ELSE 0 END
                AS dissatisfied_count,
            CASE WHEN c.needs_followup THEN 1 ELSE 0 END AS followup_count,
            CASE WHEN c.informed = 'yes' THEN 1 ELSE 0 END AS informed_count,
            CASE WHEN c.advice_given = 'yes' THEN 1 ELSE 0 END AS advice_count,
            c.comment AS opinion
            """,
            date=local_time_sql(SQL("COALESCE(c.done_at, c.create_date)"), SQL("company.itsm_tz")),
        )

    def _from_callback(self):
        return SQL("itsm_callback c JOIN res_company company ON company.id = c.company_id")

    def _query(self):
        return SQL(
            "SELECT %s FROM %s WHERE %s UNION ALL SELECT %s FROM %s",
            self._select_rating(),
            self._from_rating(),
            self._where_rating(),
            self._select_callback(),
            self._from_callback(),
        )
