"""When things happen in the demo: moments of a local day, and the days staff are at work."""

from __future__ import annotations

from datetime import date, datetime, time

from django.utils import timezone

from feedback.workdays import national_holidays


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    """`day` at `hour`:`minute` in the site's time zone."""
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def at_hour(day: date, hour: float) -> datetime:
    """`day` at a decimal hour: 7.75 is 07:45."""
    hours, minutes = divmod(round(hour * 60), 60)
    return at(day, hours, minutes)


def is_office_day(day: date) -> bool:
    """Monday to Saturday morning, except public holidays: when staff take cases and answer."""
    return day.weekday() < 6 and day not in national_holidays(day.year)
