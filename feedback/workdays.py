"""Working days: Monday to Friday, except Indonesia's public holidays and the facility's own days off.

National holidays come from the maintained `holidays` library (including the Islamic and
Chinese calendar dates it estimates ahead); a facility adds what the library cannot know,
such as cuti bersama or a regional holiday (`FacilityHoliday`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from functools import lru_cache

import holidays


@lru_cache(maxsize=32)
def national_holidays(year: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("ID", years=year))


def national_holiday_names(year: int, language: str = "id") -> dict[datetime.date, str]:
    lang = "en_US" if language.startswith("en") else "id"
    return dict(holidays.country_holidays("ID", years=year, language=lang))


class WorkingCalendar:
    """Counts working days; `extra_holidays` are the facility's own days off."""

    def __init__(self, extra_holidays: Iterable[datetime.date] = ()) -> None:
        self.extra = frozenset(extra_holidays)

    def is_working_day(self, day: datetime.date) -> bool:
        return day.weekday() < 5 and day not in self.extra and day not in national_holidays(day.year)

    def add_working_days(self, start: datetime.date, days: int) -> datetime.date:
        """The `days`-th working day after `start` (`start` itself never counts).

        A case received on Friday with a norm of 2 working days is due on Tuesday.
        """
        day = start
        remaining = days
        while remaining > 0:
            day += datetime.timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after `start` up to and including `end` (0 when `end` <= `start`)."""
        count = 0
        day = start
        while day < end:
            day += datetime.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count


def calendar_for(facility_id: int) -> WorkingCalendar:
    from .models import FacilityHoliday

    return WorkingCalendar(FacilityHoliday.objects.filter(facility_id=facility_id).values_list("date", flat=True))
