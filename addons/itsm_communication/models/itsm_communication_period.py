"""Reporting periods cut in the company's time zone (a module-level helper, not a model)."""

from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from pytz import UTC, timezone

FREQUENCIES = [
    ("weekly", "Weekly"),
    ("monthly", "Monthly"),
    ("quarterly", "Quarterly"),
    ("yearly", "Yearly"),
]
STEPS = {
    "weekly": relativedelta(weeks=1),
    "monthly": relativedelta(months=1),
    "quarterly": relativedelta(months=3),
    "yearly": relativedelta(years=1),
}


def period_start(day, frequency):
    """First day of the period of ``frequency`` that contains ``day``."""
    if frequency == "weekly":
        return day - timedelta(days=day.weekday())
    if frequency == "monthly":
        return day.replace(day=1)
    if frequency == "quarterly":
        return day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1)
    return day.replace(month=1, day=1)


def period_bounds(day, frequency):
    """(first day, last day) of the period of ``frequency`` that contains ``day``."""
    start = period_start(day, frequency)
    return start, start + STEPS[frequency] - timedelta(days=1)


def company_tz(company):
    return timezone(company.resource_calendar_id.tz or company.partner_id.tz or "UTC")


def utc_range(company, date_from, date_to):
    """Naive UTC datetimes [from, to) of the local days ``date_from`` .. ``date_to`` of ``company``."""
    tz = company_tz(company)
    start = tz.localize(datetime.combine(date_from, time.min)).astimezone(UTC).replace(tzinfo=None)
    end = tz.localize(datetime.combine(date_to + timedelta(days=1), time.min))
    return start, end.astimezone(UTC).replace(tzinfo=None)


def local_today(company, now):
    """The company's local date at the naive UTC datetime ``now``."""
    return UTC.localize(now).astimezone(company_tz(company)).date()
