import secrets
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from odoo.addons.itsm_helpdesk.tools import periods
from odoo.addons.itsm_helpdesk.tools.locking import claim

from ..tools import demo_satisfaction

METHODS = [
    ("phone", "Phone call"),
    ("email", "E-mail survey"),
    ("survey", "Portal survey"),
]


class ItsmCallbackCampaign(models.Model):
    """A satisfaction measurement: who is asked (a reproducible random sample), how and what."""

    _name = "itsm.callback.campaign"
    _description = "Satisfaction Callback Campaign"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "period_start desc, id desc"

    name = fields.Char(required=True, translate=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    user_id = fields.Many2one(
        "res.users",
        "Responsible",
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
        tracking=True,
    )
    target = fields.Selection(
        [("tickets", "Resolved tickets"), ("contacts", "Customers' contacts (overall IT service)")],
        required=True,
        default="tickets",
        help="Resolved tickets: one callback about a ticket per sampled requester. Customers' "
        "contacts: the periodic survey of the IT service as a whole.",
    )
    state = fields.Selection(
        [("draft", "Draft"), ("running", "Running"), ("done", "Done")],
        default="draft",
        required=True,
        tracking=True,
    )
    # scope
    team_ids = fields.Many2many("itsm.team", string="Teams", check_company=True)
    service_ids = fields.Many2many("itsm.service", string="Services", check_company=True)
    kind_ids = fields.Many2many("itsm.satisfaction.kind", string="Ticket Kinds")
    customer_ids = fields.Many2many(
        "res.partner",
        string="Customers",
        domain=[("is_company", "=", True)],
        help="Contacts campaigns: customers whose contacts are surveyed; empty: every customer "
        "with a ticket resolved in the period.",
    )
    period_start = fields.Date(required=True, default=lambda self: self._default_period()[0])
    period_end = fields.Date(required=True, default=lambda self: self._default_period()[1])
    # sample
    sample_type = fields.Selection(
        [("count", "Number"), ("percentage", "Percentage")], required=True, default="percentage"
    )
    sample_count = fields.Integer("Sample Size", default=20)
    sample_percentage = fields.Float(
        default=10.0,
        help="Share of the resolved tickets (or contacts) in scope to sample.",
    )
    seed = fields.Char(
        required=True,
        copy=False,
        default=lambda self: secrets.token_hex(8),
        help="The same seed on the same data draws the same sample: the draw can be reproduced for an audit.",
    )
    # how and what
    method = fields.Selection(METHODS, required=True, default="phone", tracking=True)
    survey_id = fields.Many2one(
        "survey.survey",
        "Questionnaire",
        default=lambda self: self.env.ref("itsm_satisfaction.survey_ticket_callback", False),
    )
    caller_ids = fields.Many2many(
        "res.users",
        string="Callers",
        domain=[("share", "=", False)],
        help="Staff who make the calls, in turn.",
    )
    due_days = fields.Integer("Days to Answer", default=10)
    # recurrence
    recurrence = fields.Selection(
        [("none", "One-off"), ("monthly", "Monthly"), ("yearly", "Yearly")], required=True, default="none"
    )
    parent_id = fields.Many2one(
        "itsm.callback.campaign", "Recurring Campaign", readonly=True, index=True, copy=False
    )
    child_ids = fields.One2many("itsm.callback.campaign", "parent_id", "Occurrences")
    period_key = fields.Char(
        "Occurrence", readonly=True, copy=False, help="Period of an occurrence of a recurring campaign."
    )
    # results
    callback_ids = fields.One2many("itsm.callback", "campaign_id", "Callbacks")
    population_count = fields.Integer("Population", readonly=True, copy=False)
    callback_count = fields.Integer(compute="_compute_results")
    done_count = fields.Integer("Answered", compute="_compute_results")
    satisfaction_rate = fields.Float("Satisfaction (%)", compute="_compute_results")
    generated_at = fields.Datetime(readonly=True, copy=False)

    _sql_constraints = [
        ("occurrence_unique", "UNIQUE(parent_id, period_key)", "A recurring campaign runs once per period."),
        ("sample_count_positive", "CHECK (sample_count >= 0)", "The sample size cannot be negative."),
        (
            "sample_percentage_range",
            "CHECK (sample_percentage >= 0 AND sample_percentage <= 100)",
            "The sample percentage is between 0 and 100.",
        ),
    ]

    @api.model
    def _default_period(self, today=None):
        """The previous calendar month (of the company's calendar)."""
        return periods.previous_month(today or self.env.company._itsm_today())

    def _period_utc_range(self):
        """The UTC range of the period's days where the company works (end excluded)."""
        self.ensure_one()
        return self.company_id._itsm_utc_range(self.period_start, self.period_end)

    @api.constrains("period_start", "period_end")
    def _check_period(self):
        for campaign in self:
            if campaign.period_end < campaign.period_start:
                raise ValidationError(
                    self.env._("The period of campaign %s ends before it starts.", campaign.name)
                )

    @api.constrains("method", "survey_id")
    def _check_survey(self):
        for campaign in self:
            if campaign.method != "phone" and not campaign.survey_id:
                raise ValidationError(self.env._("E-mail and portal campaigns need a questionnaire."))

    def _compute_results(self):
        groups = self.env["itsm.callback"]._read_group(
            [("campaign_id", "in", self.ids)],
            ["campaign_id", "state"],
            ["__count", "satisfied_count:sum", "scored_count:sum"],
        )
        stats = {}
        for campaign, state, count, satisfied, scored in groups:
            entry = stats.setdefault(campaign.id, [0, 0, 0, 0])
            entry[0] += count
            if state == "done":
                entry[1] += count
            entry[2] += satisfied
            entry[3] += scored
        for campaign in self:
            total, done, satisfied, scored = stats.get(campaign.id, [0, 0, 0, 0])
            campaign.callback_count = total
            campaign.done_count = done
            campaign.satisfaction_rate = 100.0 * satisfied / scored if scored else 0.0

    # ------------------------------------------------------------------
    # sampling
    # ------------------------------------------------------------------
    def _sample_limit_sql(self, population):
        if self.sample_type == "count":
            return SQL("%s", self.sample_count)
        return SQL("(SELECT ceil(count(*) * %s / 100.0)::int FROM %s)", self.sample_percentage, population)

    def _sample_tickets(self, at):
        """Draw the sample in one query: ``[(ticket_id, partner_id)]`` and the population size.

        The population is the tickets of the scope resolved in the period; each requester counts
        once (their ticket with the lowest draw) and people protected by the fatigue rule are left
        out. Draws are ``md5(seed || id)``: random, yet reproducible with the seed.
        """
        self.ensure_one()
        period_utc = self._period_utc_range()
        conditions = [
            SQL("t.company_id = %s", self.company_id.id),
            SQL("t.is_closed"),
            SQL("t.active"),
            SQL("t.partner_id IS NOT NULL"),
            SQL("t.closed_at >= %s", period_utc[0]),
            SQL("t.closed_at < %s", period_utc[1]),
        ]
        if self.team_ids:
            conditions.append(SQL("t.team_id IN %s", tuple(self.team_ids.ids)))
        if self.service_ids:
            conditions.append(SQL("t.service_id IN %s", tuple(self.service_ids.ids)))
        if self.kind_ids:
            conditions.append(SQL("t.kind IN %s", tuple(self.kind_ids.mapped("code"))))
        fatigue = self.env["itsm.survey.contact"]._itsm_fatigue_sql(
            "p", at, self.company_id.itsm_survey_min_days
        )
        query = SQL(
            """
            WITH scope AS (
                SELECT t.id, t.partner_id FROM itsm_ticket t WHERE %(where)s
            ), eligible AS (
                SELECT DISTINCT ON (s.partner_id) s.id, s.partner_id, md5(%(seed)s || s.id::text) AS draw
                  FROM scope s
                  JOIN res_partner p ON p.id = s.partner_id
                 WHERE p.active AND %(fatigue)s
              ORDER BY s.partner_id, draw
            )
            SELECT NULL, NULL, (SELECT count(*) FROM scope)
            UNION ALL
            (SELECT id, partner_id, NULL FROM eligible ORDER BY draw LIMIT %(limit)s)
            """,
            where=SQL(" AND ").join(conditions),
            seed=self.seed,
            fatigue=fatigue,
            limit=self._sample_limit_sql(SQL("scope")),
        )
        return self._split_sample(self.env.execute_query(query))

    @api.model
    def _split_sample(self, rows):
        """The sample rows and the population size (the row without an id) of a sampling query."""
        population = next(row[2] for row in rows if row[0] is None and row[1] is None)
        return [(row[0], row[1]) for row in rows if row[1] is not None], population

    def _sample_contacts(self, at):
        """Draw contacts of customers (the overall survey): ``[(False, partner_id)]`` and the population."""
        self.ensure_one()
        period_utc = self._period_utc_range()
        if self.customer_ids:
            customers = SQL("%s", tuple(self.customer_ids.ids))
        else:
            ticket_conditions = [
                SQL("t.company_id = %s", self.company_id.id),
                SQL("t.closed_at >= %s", period_utc[0]),
                SQL("t.closed_at < %s", period_utc[1]),
                SQL("t.commercial_partner_id IS NOT NULL"),
            ]
            if self.team_ids:
                ticket_conditions.append(SQL("t.team_id IN %s", tuple(self.team_ids.ids)))
            if self.service_ids:
                ticket_conditions.append(SQL("t.service_id IN %s", tuple(self.service_ids.ids)))
            customers = SQL(
                "(SELECT DISTINCT t.commercial_partner_id FROM itsm_ticket t WHERE %s)",
                SQL(" AND ").join(ticket_conditions),
            )
        fatigue = self.env["itsm.survey.contact"]._itsm_fatigue_sql(
            "p", at, self.company_id.itsm_survey_min_days
        )
        query = SQL(
            """
            WITH scope AS (
                SELECT p.id FROM res_partner p
                 WHERE p.active AND NOT p.is_company AND p.email IS NOT NULL
                   AND p.commercial_partner_id IN %(customers)s
            )
            SELECT NULL, NULL, (SELECT count(*) FROM scope)
            UNION ALL
            (SELECT NULL, p.id, NULL
               FROM scope s JOIN res_partner p ON p.id = s.id
              WHERE %(fatigue)s
           ORDER BY md5(%(seed)s || p.id::text)
              LIMIT %(limit)s)
            """,
            customers=customers,
            fatigue=fatigue,
            seed=self.seed,
            limit=self._sample_limit_sql(SQL("scope")),
        )
        sample, population = self._split_sample(self.env.execute_query(query))
        return [(False, partner_id) for _ticket, partner_id in sample], population

    def _draw(self, at=None):
        """The sample of the campaign at ``at``, without creating anything (also used by the benchmark)."""
        self.ensure_one()
        at = at or fields.Datetime.now()
        self.env["itsm.survey.contact"].flush_model()
        self.env["itsm.ticket"].flush_model()
        self.env["res.partner"].flush_model(
            ["itsm_do_not_survey", "active", "is_company", "email", "commercial_partner_id"]
        )
        if self.target == "contacts":
            return self._sample_contacts(at)
        return self._sample_tickets(at)

    def action_generate(self):
        """Draw the sample and create its callbacks (with their survey invitations)."""
        for campaign in self:
            if campaign.state != "draft":
                raise UserError(self.env._("Campaign %s has already been generated.", campaign.name))
            if campaign.method == "phone" and not campaign.caller_ids:
                raise UserError(self.env._("Choose who calls for campaign %s.", campaign.name))
            now = fields.Datetime.now()
            sample, population = campaign._draw(now)
            callbacks = self.env["itsm.callback"].create(campaign._prepare_callback_values(sample))
            self.env["itsm.survey.contact"]._itsm_log(callbacks, campaign.method, at=now)
            if campaign.method != "phone":
                callbacks._itsm_invite_to_survey()
            campaign.write({"state": "running", "population_count": population, "generated_at": now})
            campaign.message_post(
                body=self.env._(
                    "%(sample)s people sampled out of %(population)s (seed %(seed)s).",
                    sample=len(callbacks),
                    population=population,
                    seed=campaign.seed,
                )
            )
        return True

    def _prepare_callback_values(self, sample):
        self.ensure_one()
        callers = self.caller_ids.sorted("id").ids
        due_date = fields.Date.context_today(self) + timedelta(days=self.due_days)
        return [
            {
                "campaign_id": self.id,
                "ticket_id": ticket_id,
                "partner_id": partner_id,
                "caller_id": callers[index % len(callers)] if callers else False,
                "due_date": due_date,
            }
            for index, (ticket_id, partner_id) in enumerate(sample)
        ]

    def action_done(self):
        self.write({"state": "done"})
        return True

    def action_view_callbacks(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("itsm_satisfaction.itsm_callback_action")
        action["domain"] = [("campaign_id", "=", self.id)]
        action["context"] = {"default_campaign_id": self.id}
        return action

    # ------------------------------------------------------------------
    # recurrence
    # ------------------------------------------------------------------
    def _occurrence_period(self, today):
        """(key, start, end) of the period an occurrence generated on ``today`` measures."""
        self.ensure_one()
        if self.recurrence == "yearly":
            start, end = periods.previous_year(today)
            return str(start.year), start, end
        start, end = self._default_period(today)
        return start.strftime("%Y-%m"), start, end

    @api.model
    def _cron_generate_recurring(self):
        """Generate, once per period, the occurrence of each recurring campaign.

        Running the job twice in a period creates nothing more: existing occurrences are skipped.
        The templates are claimed, so a run at the same moment on another node leaves them to this
        one; the unique (campaign, period) constraint remains the last guard.
        """
        templates = claim(
            self, [("recurrence", "!=", "none"), ("parent_id", "=", False), ("state", "!=", "done")]
        )
        # the period that just ended where the campaign's company works
        keys = {
            template: template._occurrence_period(template.company_id._itsm_today()) for template in templates
        }
        existing = {
            (campaign.parent_id.id, campaign.period_key)
            for campaign in self.with_context(active_test=False).search(
                [
                    ("parent_id", "in", templates.ids),
                    ("period_key", "in", [key for key, _s, _e in keys.values()]),
                ]
            )
        }
        created = self.browse()
        for template, (key, start, end) in keys.items():
            if (template.id, key) in existing:
                continue
            created |= template.copy(
                {
                    "name": f"{template.name} {key}",
                    "parent_id": template.id,
                    "period_key": key,
                    "period_start": start,
                    "period_end": end,
                    "recurrence": "none",
                    "seed": f"{template.seed}-{key}",
                }
            )
        created.action_generate()
        return created

    @api.model
    def _demo_generate_ratings(self):
        """Demo data (demo/itsm_satisfaction_demo.xml): ratings of the solved demo tickets, see
        tools/demo_satisfaction.py."""
        return demo_satisfaction.generate_ratings(self.env)

    @api.model
    def _demo_run_campaign(self, campaign_id):
        """Demo data (demo/itsm_satisfaction_demo.xml): last month's callbacks, see
        tools/demo_satisfaction.py."""
        return demo_satisfaction.run_campaign(self.env, campaign_id)
