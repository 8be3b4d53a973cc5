"""Working-time arithmetic on a resource calendar, in batch.

A :class:`WorkClock` loads the work intervals of one calendar (attendances minus public
holidays, in the calendar's time zone) once for a span of time and then answers, without
further queries, how many working hours lie between two instants and when a number of
working hours will have elapsed. It gives the same results as
``resource.calendar.get_work_hours_count`` and ``plan_hours(..., compute_leaves=True)``,
but for thousands of SLA lines at the cost of one interval computation per calendar.

Spans are widened to whole weeks and their intervals kept in the registry cache
(``resource.calendar._itsm_sla_work_intervals``, cleared whenever working hours or public
holidays change): creating a ticket then plans its deadlines without reading the calendar.

Instants are naive UTC datetimes, as Odoo stores them, inside as outside: a public holiday
plans a deadline and a next action time for each of 20,000 clocks per batch, and giving each
of those instants a time zone and taking it off again was a tenth of the planning's time.
"""

from bisect import bisect_left, bisect_right
from datetime import datetime, timedelta

from pytz import utc

CHUNK = timedelta(days=42)
MAX_CHUNKS = 60  # about seven years: a calendar without any working time never ends a plan
BLOCK = timedelta(days=7)
EPOCH = datetime(2000, 1, 3)  # a Monday: spans start and end on Mondays, 00:00 UTC


def naive_utc(dt):
    """``dt`` as a naive UTC datetime (a naive ``dt`` is taken as UTC already)."""
    return dt if dt.tzinfo is None else dt.astimezone(utc).replace(tzinfo=None)


class WorkClock:
    """Working time of ``calendar``; an empty calendar means 24x7 (every hour counts)."""

    def __init__(self, calendar):
        self.calendar = calendar
        self.starts, self.stops, self.cumul, self.cumul_end = [], [], [], []
        self.total = 0.0
        self.lo = self.hi = None

    # -- loading -----------------------------------------------------------
    def _load(self, start, stop):
        """Make sure the intervals cover [start, stop)."""
        if self.lo is not None and self.lo <= start and stop <= self.hi:
            return
        lo = start if self.lo is None else min(start, self.lo)
        hi = stop if self.hi is None else max(stop, self.hi)
        # reload the whole span, widened to whole weeks so that the cached intervals serve
        # every ticket of the week: a single sorted list keeps the cumulative sums simple
        lo = EPOCH + BLOCK * ((lo - timedelta(days=1) - EPOCH) // BLOCK)
        hi = EPOCH + BLOCK * -((EPOCH - hi - timedelta(days=1)) // BLOCK)
        intervals = self.calendar._itsm_sla_work_intervals(self.calendar.id, lo, hi)  # naive UTC
        self.starts = [a for a, _b in intervals]
        self.stops = [b for _a, b in intervals]
        self.cumul, self.cumul_end, total = [], [], 0.0
        for a, b in intervals:
            self.cumul.append(total)
            total += (b - a).total_seconds() / 3600
            self.cumul_end.append(total)
        self.total = total
        self.lo, self.hi = lo, hi

    def _hours_before(self, dt):
        """Working hours between the start of the loaded span and ``dt``."""
        i = bisect_right(self.starts, dt) - 1
        if i < 0:
            return 0.0
        inside = min(dt, self.stops[i]) - self.starts[i]
        return self.cumul[i] + max(inside.total_seconds(), 0) / 3600

    # -- API ---------------------------------------------------------------
    def prepare(self, start, stop):
        """Load the span [start, stop) in one go before many calls (optional)."""
        if self.calendar:
            self._load(naive_utc(start), naive_utc(stop))

    def worked(self, start, end):
        """Working hours between two naive UTC datetimes (0 if end <= start)."""
        if not start or not end or end <= start:
            return 0.0
        if not self.calendar:
            return (end - start).total_seconds() / 3600
        start, end = naive_utc(start), naive_utc(end)
        self._load(start, end)
        return self._hours_before(end) - self._hours_before(start)

    def plan(self, start, hours):
        """The naive UTC instant when ``hours`` working hours after ``start`` have elapsed."""
        if not self.calendar:
            return start + timedelta(hours=hours)
        start = naive_utc(start)
        if hours <= 0:
            return start
        stop = start + CHUNK
        for _i in range(MAX_CHUNKS):
            self._load(start, stop)
            wanted = self._hours_before(start) + hours
            if wanted <= self.total + 1e-9:
                i = min(bisect_left(self.cumul_end, wanted - 1e-9), len(self.starts) - 1)
                return self.starts[i] + timedelta(hours=wanted - self.cumul[i])
            stop += CHUNK
        return False


class WorkClocks(dict):
    """One :class:`WorkClock` per calendar, created on demand."""

    def __missing__(self, calendar):
        clock = self[calendar] = WorkClock(calendar)
        return clock
