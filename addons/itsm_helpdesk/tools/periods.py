"""Periods (days, months, years) cut in a time zone, never at UTC midnight.

A complaint received on 1 November at 01:30 in Shanghai (31 October 17:30 UTC) belongs to
November's review of a company working in Shanghai. Every period of the suite is a range of
local calendar days; these helpers turn it into the UTC range that stored datetimes compare to.
"""

from datetime import datetime, time, timedelta

import pytz
from dateutil.relativedelta import relativedelta

from odoo.tools import SQL


def month_bounds(day):
    """First and last day of the month of ``day``."""
    start = day.replace(day=1)
    return start, start + relativedelta(months=1, days=-1)


def year_bounds(day):
    """First and last day of the year of ``day``."""
    start = day.replace(month=1, day=1)
    return start, start + relativedelta(years=1, days=-1)


def previous_month(day):
    """First and last day of the month before the month of ``day``."""
    return month_bounds(day.replace(day=1) - timedelta(days=1))


def previous_year(day):
    """First and last day of the year before the year of ``day``."""
    return year_bounds(day.replace(month=1, day=1) - timedelta(days=1))


def local_midnight_utc(tz_name, day):
    """The naive UTC datetime of midnight at the start of ``day`` in the zone ``tz_name``."""
    tz = pytz.timezone(tz_name or "UTC")
    return tz.localize(datetime.combine(day, time.min)).astimezone(pytz.utc).replace(tzinfo=None)


def utc_range(tz_name, date_from, date_to):
    """``(start, end)``: the naive UTC datetimes of the local days ``date_from`` to ``date_to``.

    ``end`` is excluded: compare with ``>= start`` and ``< end``.
    """
    return local_midnight_utc(tz_name, date_from), local_midnight_utc(tz_name, date_to + timedelta(days=1))


def local_today(tz_name, now=None):
    """Today's date in the zone ``tz_name`` (``now``: a naive UTC datetime, default the clock)."""
    now = now or datetime.utcnow()
    return pytz.utc.localize(now).astimezone(pytz.timezone(tz_name or "UTC")).date()


def local_time_sql(utc_column, tz_column):
    """SQL of ``utc_column`` (a naive UTC timestamp) as local time in the zone ``tz_column``.

    For SQL views, with ``tz_column`` the company's ``itsm_tz``: ``date_trunc('month', <this>)``
    is the company's month, ``EXTRACT(HOUR FROM <this>)`` its hour.
    """
    return SQL("((%s AT TIME ZONE 'UTC') AT TIME ZONE COALESCE(%s, 'UTC'))", utc_column, tz_column)
