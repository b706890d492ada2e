"""Working days: Monday to Friday (or Saturday too, where the facility serves on Saturdays), except
Indonesia's national holidays, the government's collective leave days and the facility's own days off.

National holidays and *cuti bersama* (set each year by joint ministerial decree) come from the
maintained `holidays` library: its public and government categories. It estimates the Islamic and
Chinese calendar dates ahead, but knows a year's cuti bersama only once the decree is out; a facility
adds what the library cannot know, such as a regional holiday or a changed date (`FacilityHoliday`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from functools import lru_cache

import holidays
from holidays.constants import GOVERNMENT, PUBLIC

# Public holidays, and the cuti bersama that government offices, Puskesmas included, close for.
NATIONAL_CATEGORIES = (PUBLIC, GOVERNMENT)


def _national(year: int, language: str | None = None) -> holidays.HolidayBase:
    return holidays.country_holidays("ID", years=year, categories=NATIONAL_CATEGORIES, language=language)


@lru_cache(maxsize=32)
def national_holidays(year: int) -> frozenset[datetime.date]:
    """The public holidays and cuti bersama of `year`."""
    return frozenset(_national(year))


def national_holiday_names(year: int, language: str = "id") -> dict[datetime.date, str]:
    """The public holidays and cuti bersama of `year` with their names ("Cuti Bersama Hari Raya
    Natal", or "Christmas Joint Holiday" in English)."""
    return dict(_national(year, "en_US" if language.startswith("en") else "id"))


class WorkingCalendar:
    """Counts working days; `extra_holidays` are the facility's own days off, `saturday` says
    whether the facility serves on Saturdays (a Saturday holiday still does not count)."""

    def __init__(self, extra_holidays: Iterable[datetime.date] = (), *, saturday: bool = False) -> None:
        self.extra = frozenset(extra_holidays)
        self.saturday = saturday
        self._last_weekday = 5 if saturday else 4

    def is_working_day(self, day: datetime.date) -> bool:
        return day.weekday() <= self._last_weekday and day not in self.extra and day not in national_holidays(day.year)

    def add_working_days(self, start: datetime.date, days: int) -> datetime.date:
        """The `days`-th working day after `start` (`start` itself never counts).

        A case received on Friday with a norm of 2 working days is due on Tuesday, or on Monday
        where Saturday is a working day.
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
    """The facility's calendar in one query (see `calendars_for`)."""
    return calendars_for([facility_id]).get(facility_id, WorkingCalendar())


def calendars_for(facility_ids: Iterable[int]) -> dict[int, WorkingCalendar]:
    """The calendars of the facilities in one query: each one's Saturday rule (off when it has no
    settings yet) joined with its own days off (one row each, or one row without a date)."""
    from charters.models import Facility

    rows = Facility.objects.filter(pk__in=list(facility_ids)).values_list(
        "pk", "feedback_settings__saturday_is_working_day", "holidays__date"
    )
    saturdays: dict[int, bool] = {}
    days: dict[int, list[datetime.date]] = {}
    for facility_id, saturday_works, day in rows:
        saturdays[facility_id] = bool(saturday_works)
        own = days.setdefault(facility_id, [])
        if day is not None:
            own.append(day)
    return {pk: WorkingCalendar(days[pk], saturday=saturday) for pk, saturday in saturdays.items()}
