from odoo import fields

from odoo.addons.itsm_helpdesk.tests.common import ItsmCommon


class SatisfactionCommon(ItsmCommon):
    """The desk team asks for ratings; fatigue 30 days, default 5/5 after 7 days, follow-up below 3."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "itsm_survey_min_days": 30,
                "itsm_default_rating_days": 7,
                "itsm_default_rating_value": 5,
                "itsm_followup_threshold": 3,
            }
        )
        cls.team_desk.write({"use_rating": True, "leader_id": cls.manager.id})
        # the fixture's figures only: the demo's year of solved tickets and their ratings fall in
        # the periods these tests measure (campaigns draw active tickets only)
        cls.env["rating.rating"].sudo().search([("res_model", "=", "itsm.ticket")]).unlink()
        cls.env["itsm.ticket"].sudo().search([]).write({"active": False})
        cls.Rating = cls.env["rating.rating"]
        cls.Contact = cls.env["itsm.survey.contact"]

    @classmethod
    def _resolved(cls, closed_at=None, **values):
        """A ticket moved to the solved stage (hence its rating request), optionally closed at a date."""
        ticket = cls._ticket(**values)
        ticket.write({"stage_id": cls.stage_solved.id})
        if closed_at:
            ticket.write({"closed_at": fields.Datetime.to_datetime(closed_at)})
        return ticket

    def _pending(self, ticket):
        return self.Rating.sudo().search(
            [("res_model", "=", "itsm.ticket"), ("res_id", "=", ticket.id), ("consumed", "=", False)]
        )
