from datetime import datetime, time, timedelta

import pytz

from odoo import models


class ResCompany(models.Model):
    _inherit = "res.company"

    def _itsm_evidence_tz(self):
        """The company's time zone: its working calendar's, else its partner's, else UTC."""
        self.ensure_one()
        name = self.resource_calendar_id.tz or self.partner_id.tz or "UTC"
        return pytz.timezone(name)

    def _itsm_evidence_bounds(self, date_from, date_to):
        """The period from ``date_from`` to ``date_to`` (both included) as naive UTC datetimes
        ``[start, end)``, cut at midnight in the company's time zone."""
        tz = self._itsm_evidence_tz()

        def utc(day):
            return tz.localize(datetime.combine(day, time.min)).astimezone(pytz.utc).replace(tzinfo=None)

        return utc(date_from), utc(date_to + timedelta(days=1))
