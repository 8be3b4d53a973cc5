from odoo import api, models


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    def write(self, vals):
        result = super().write(vals)
        if {"attendance_ids", "tz", "global_leave_ids"} & set(vals):
            self._itsm_sla_recompute_deadlines()
        return result

    def _itsm_sla_recompute_deadlines(self):
        """Working hours changed: move the deadlines of the open SLA clocks that count them."""
        lines = (
            self.env["itsm.ticket.sla"]
            .sudo()
            .search(
                [
                    ("stopped_at", "=", False),
                    ("contract_id.is_24x7", "=", False),
                    ("contract_id.calendar_id", "in", self.ids),
                ]
            )
        )
        lines._retarget()


class ResourceCalendarLeaves(models.Model):
    _inherit = "resource.calendar.leaves"

    @api.model_create_multi
    def create(self, vals_list):
        leaves = super().create(vals_list)
        leaves._itsm_sla_public_holidays_changed()
        return leaves

    def write(self, vals):
        calendars = self._itsm_sla_calendars()
        result = super().write(vals)
        (calendars | self._itsm_sla_calendars())._itsm_sla_recompute_deadlines()
        return result

    def unlink(self):
        calendars = self._itsm_sla_calendars()
        result = super().unlink()
        calendars._itsm_sla_recompute_deadlines()
        return result

    def _itsm_sla_calendars(self):
        """Calendars whose public holidays these leaves are (leaves of a resource do not count)."""
        holidays = self.filtered(lambda leave: not leave.resource_id)
        calendars = holidays.calendar_id
        if any(not leave.calendar_id for leave in holidays):
            calendars |= self.env["resource.calendar"].search(
                [("company_id", "in", holidays.company_id.ids + [False])]
            )
        return calendars

    def _itsm_sla_public_holidays_changed(self):
        self._itsm_sla_calendars()._itsm_sla_recompute_deadlines()
