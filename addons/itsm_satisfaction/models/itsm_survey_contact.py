from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

CONTACT_CHANNELS = [
    ("email", "E-mail"),
    ("portal", "Portal"),
    ("on_site", "On site"),
    ("phone", "Phone"),
    ("survey", "Online survey"),
]


class ItsmSurveyContact(models.Model):
    """Every time somebody is asked for an opinion: the memory of the survey-fatigue rule."""

    _name = "itsm.survey.contact"
    _description = "Satisfaction Contact"
    _order = "contact_date desc, id desc"
    _rec_name = "partner_id"

    partner_id = fields.Many2one("res.partner", "Person", required=True, ondelete="cascade")
    contact_date = fields.Datetime("Asked On", required=True, default=fields.Datetime.now)
    channel = fields.Selection(CONTACT_CHANNELS, required=True)
    res_model = fields.Char("Origin Model", required=True)
    res_id = fields.Many2oneReference("Origin", model_field="res_model", required=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)

    def init(self):
        # the fatigue rule asks "was this person contacted since ...?" for many people at once
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS itsm_survey_contact_partner_date_idx "
            "ON itsm_survey_contact (partner_id, contact_date DESC)"
        )

    @api.model
    def _itsm_fatigue_sql(self, partner_alias, at, min_days):
        """SQL condition true for the partners of table alias ``partner_alias`` who may be asked.

        The single definition of the survey-fatigue rule: not flagged "do not survey" and not
        asked since ``at - min_days``. Rating requests, on-site ratings and campaign sampling
        all go through it (the sampling embeds it in its query).
        """
        alias = SQL.identifier(partner_alias)
        condition = SQL("NOT COALESCE(%s.itsm_do_not_survey, FALSE)", alias)
        if min_days:
            condition = SQL(
                "%s AND NOT EXISTS (SELECT 1 FROM itsm_survey_contact fatigue "
                "WHERE fatigue.partner_id = %s.id AND fatigue.contact_date > %s)",
                condition,
                alias,
                at - timedelta(days=min_days),
            )
        return condition

    @api.model
    def _itsm_partners_surveyable(self, partners, at=None, min_days=None):
        """Return the partners of ``partners`` who may be asked for their opinion at ``at``.

        :param min_days: the interval to respect; the current company's setting by default.
        """
        if not partners:
            return partners
        at = at or fields.Datetime.now()
        if min_days is None:
            min_days = self.env.company.itsm_survey_min_days
        self.flush_model()
        partners.flush_recordset(["itsm_do_not_survey"])
        rows = self.env.execute_query(
            SQL(
                "SELECT partner.id FROM res_partner partner WHERE partner.id IN %s AND %s",
                tuple(partners.ids),
                self._itsm_fatigue_sql("partner", at, min_days),
            )
        )
        allowed = {row[0] for row in rows}
        return partners.filtered(lambda partner: partner.id in allowed)

    @api.model
    def _itsm_log(self, records, channel, partner_field="partner_id", at=None):
        """Remember that the partners of ``records`` were asked through ``channel``."""
        at = at or fields.Datetime.now()
        return self.sudo().create(
            [
                {
                    "partner_id": record[partner_field].id,
                    "contact_date": at,
                    "channel": channel,
                    "res_model": record._name,
                    "res_id": record.id,
                    "company_id": record.company_id.id or self.env.company.id,
                }
                for record in records
                if record[partner_field]
            ]
        )
