from pytz import timezone, utc

from odoo import api, fields, models, tools

from odoo.addons.itsm_helpdesk.tools.locking import claim

from .work_clock import naive_utc

HOURS_FIELDS = {"attendance_ids", "tz", "global_leave_ids", "two_weeks_calendar", "flexible_hours"}
REPLAN_NOW = 5000  # open clocks moved in the transaction that changes the working hours
REPLAN_BATCH = 20000  # clocks moved per run of the job beyond that


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    itsm_sla_replan_pending = fields.Boolean(
        "SLA Deadlines Being Moved",
        copy=False,
        readonly=True,
        help="The working hours changed: a job is moving the deadlines of the open SLA clocks.",
    )
    itsm_sla_replan_next_id = fields.Integer("Next SLA Clock to Move", copy=False, readonly=True)

    @api.model
    @tools.ormcache("calendar_id", "start", "stop")
    def _itsm_sla_work_intervals(self, calendar_id, start, stop):
        """The work intervals of a calendar between two naive UTC instants, as naive UTC pairs.

        Attendances minus public holidays, in the calendar's time zone. Cached in the
        registry: the cache is cleared whenever working hours or public holidays change.
        """
        calendar = self.browse(calendar_id).sudo()
        tz = timezone(calendar.tz or "UTC")
        start, stop = start.replace(tzinfo=utc), stop.replace(tzinfo=utc)
        intervals = calendar._work_intervals_batch(start, stop, tz=tz, compute_leaves=True)[False]
        return tuple((naive_utc(a), naive_utc(b)) for a, b, _meta in intervals if b > a)

    def write(self, vals):
        if not HOURS_FIELDS & set(vals):
            return super().write(vals)
        # attendances and holidays written through the calendar: one recomputation at the end
        result = super(ResourceCalendar, self.with_context(itsm_sla_no_recompute=True)).write(vals)
        self._itsm_sla_recompute_deadlines()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result

    def _itsm_sla_recompute_deadlines(self):
        """Working hours changed: move the deadlines of the open SLA clocks that count them.

        Up to ``REPLAN_NOW`` open clocks move at once, in the change's own transaction; more
        (a public holiday on a large desk) are moved by a job, ``REPLAN_BATCH`` clocks per run,
        so that saving the holiday does not wait for them. Until the job has passed, a clock
        shows its former deadline; the warning job recomputes the working time with the new
        calendar before it warns, so no warning fires early.
        """
        if not self or self.env.context.get("itsm_sla_no_recompute"):
            return
        self.env.registry.clear_cache()  # the cached work intervals
        Line = self.env["itsm.ticket.sla"].sudo()
        domain = self._itsm_sla_open_lines_domain()
        if Line.search_count(domain, limit=REPLAN_NOW + 1) <= REPLAN_NOW:
            Line.search_fetch(domain, Line._replan_fields())._replan()
            return
        self.sudo().write({"itsm_sla_replan_pending": True, "itsm_sla_replan_next_id": 0})
        self.env.ref("itsm_sla.ir_cron_sla_replan")._trigger()

    def _itsm_sla_open_lines_domain(self):
        return [
            ("stopped_at", "=", False),
            ("contract_id.is_24x7", "=", False),
            ("contract_id.calendar_id", "in", self.ids),
        ]

    @api.model
    def _cron_itsm_sla_replan(self, batch=REPLAN_BATCH):
        """Move the next ``batch`` deadlines of a calendar whose working hours changed.

        The calendar is claimed: a run at the same moment on another node moves another
        calendar's deadlines, or none. Each run is one transaction (its clocks, their tickets
        and the calendar's next clock to move); its progress, in clocks moved and clocks left,
        is what the scheduled action shows.
        """
        calendar = claim(self.sudo(), [("itsm_sla_replan_pending", "=", True)], limit=1, order="id")
        if not calendar:
            return
        Line = self.env["itsm.ticket.sla"].sudo()
        lines = Line.search_fetch(
            calendar._itsm_sla_open_lines_domain() + [("id", ">=", calendar.itsm_sla_replan_next_id)],
            Line._replan_fields(),
            order="id",
            limit=batch + 1,  # one more tells whether the calendar is done
        )
        more = len(lines) > batch
        lines = lines[:batch]
        lines._replan()
        if more:
            calendar.itsm_sla_replan_next_id = lines[-1].id + 1
        else:
            calendar.write({"itsm_sla_replan_pending": False, "itsm_sla_replan_next_id": 0})
        pending = self.sudo().search([("itsm_sla_replan_pending", "=", True)])
        remaining = sum(
            Line.search_count(cal._itsm_sla_open_lines_domain() + [("id", ">=", cal.itsm_sla_replan_next_id)])
            for cal in pending
        )
        # a pending calendar whose clocks all closed meanwhile still needs a run to end
        self.env["ir.cron"]._notify_progress(done=len(lines), remaining=remaining or len(pending))
        if pending and not self.env.context.get("ir_cron_progress_id"):
            self.env.ref("itsm_sla.ir_cron_sla_replan")._trigger()


class ResourceCalendarAttendance(models.Model):
    _inherit = "resource.calendar.attendance"

    @api.model_create_multi
    def create(self, vals_list):
        attendances = super().create(vals_list)
        attendances.calendar_id._itsm_sla_recompute_deadlines()
        return attendances

    def write(self, vals):
        calendars = self.calendar_id
        result = super().write(vals)
        (calendars | self.calendar_id)._itsm_sla_recompute_deadlines()
        return result

    def unlink(self):
        calendars = self.calendar_id
        result = super().unlink()
        calendars._itsm_sla_recompute_deadlines()
        return result


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
