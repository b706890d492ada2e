"""Promise against reality, service by service, for a period: what the charter promises, how long
users really waited, what they complained about and how they rated its speed (U3) and fee (U4).

Services change rows from one charter version to the next but keep their slug: observations,
cases and survey responses of every version count together under the service of the charter in
force, and are measured against the duration it promises now.

`service_figures` costs a fixed number of queries whatever the number of services, observations,
cases and responses: the charter in force (two: whether a scheduled version takes effect, and its
services), the facility's calendar, the period's observations (only the four columns the figures
need), and one aggregate each for the cases and the survey responses.
"""

from __future__ import annotations

import calendar as months
import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F
from django.utils import timezone

from charters.models import DurationUnit, Facility, ServiceStandard
from charters.models.service import DURATION_FORMATS
from charters.services import published_services
from feedback.forms.dates import DateRangeForm
from feedback.models import Case, FeedbackKind, SurveyResponse
from feedback.survey import ikm
from feedback.workdays import WorkingCalendar, calendar_for

from .models import ServiceObservation
from .promises import MIN_PUBLIC_OBSERVATIONS, PromiseFigures, figures_for, promise_kept

DEFAULT_MONTHS = 3
# The survey elements about the promise: how fast (U3) and how fair the fee (U4).
TIME_ELEMENT, FEE_ELEMENT = "U3", "U4"


# --- The period --------------------------------------------------------------------------------


def months_before(day: datetime.date, count: int = DEFAULT_MONTHS) -> datetime.date:
    """The first day of the `count` months that end on `day` (2026-06-15 → 2026-03-16; a day the
    earlier month lacks is its last: 2026-05-31 → 2026-03-01)."""
    year, month = divmod(day.year * 12 + day.month - 1 - count, 12)
    month += 1
    same_day = min(day.day, months.monthrange(year, month)[1])
    return datetime.date(year, month, same_day) + datetime.timedelta(days=1)


def default_period(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The last three months up to today."""
    today = today or timezone.localdate()
    return months_before(today), today


def chosen_period(form: DateRangeForm, today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """The period `?from=&to=` asks for, completed from the default; the default when a date is
    wrong (the form then shows the error next to its field)."""
    today = today or timezone.localdate()
    default_start, default_end = default_period(today)
    if not form.is_bound or not form.is_valid():
        return default_start, default_end
    start, end = form.cleaned_data.get("from"), form.cleaned_data.get("to")
    if start and not end:
        end = max(start, today)
    if end and not start:
        start = months_before(end)
    return start or default_start, end or default_end


# --- Durations in the promise's unit -------------------------------------------------------------


def format_elapsed(value: int | None, unit: str) -> str:
    """A duration as `PromiseFigures` measures it, in words of the promise's unit: minutes (also
    for promises in hours, shown as hours and minutes), days or working days; "" for None."""
    if value is None:
        return ""
    if unit == DurationUnit.MINUTES and value >= 60:
        hours, minutes = divmod(value, 60)
        text = str(DURATION_FORMATS[DurationUnit.HOURS] % {"count": hours})
        if minutes:
            text += " " + str(DURATION_FORMATS[DurationUnit.MINUTES] % {"count": minutes})
        return text
    return str(DURATION_FORMATS[unit] % {"count": value})


# --- One row per service -----------------------------------------------------------------------


@dataclass(frozen=True)
class ServiceRow:
    """The figures of one service of the charter in force for the period."""

    service: ServiceStandard
    promise: PromiseFigures
    complaints: dict[str, int]  # cases received in the period, by kind (FeedbackKind values)
    survey: ikm.SurveyIndex | None  # the period's responses about the service; None: none

    @property
    def median_display(self) -> str:
        return format_elapsed(self.promise.median, self.promise.unit)

    @property
    def p90_display(self) -> str:
        return format_elapsed(self.promise.p90, self.promise.unit)

    @property
    def complaints_by_kind(self) -> list[tuple[Any, int]]:
        """(kind's label, number) for each kind received, in the kinds' order."""
        return [(kind.label, self.complaints[kind]) for kind in FeedbackKind if self.complaints.get(kind)]

    @property
    def complaints_total(self) -> int:
        return sum(self.complaints.values())

    def _score(self, code: str) -> ikm.ElementScore | None:
        return self.survey.score(code) if self.survey is not None else None

    @property
    def time_score(self) -> ikm.ElementScore | None:
        return self._score(TIME_ELEMENT)

    @property
    def fee_score(self) -> ikm.ElementScore | None:
        return self._score(FEE_ELEMENT)


@dataclass(frozen=True)
class FacilityTotal:
    """Every observation of a service that promises a duration, each measured against its own
    service's promise; `promise_kept` is the same definition as a service's."""

    count: int = 0
    within: int = 0
    services: int = 0  # services with a promise and at least one observation

    @property
    def promised(self) -> bool:
        return self.services > 0

    @property
    def promise_kept(self) -> Decimal | None:
        return promise_kept(self)


def facility_total(rows: Iterable[ServiceRow]) -> FacilityTotal:
    measured = [row.promise for row in rows if row.promise.promised and row.promise.count]
    return FacilityTotal(
        count=sum(figures.count for figures in measured),
        within=sum(figures.within for figures in measured),
        services=len(measured),
    )


def period_observations(facility_id: int, start: datetime.date, end: datetime.date) -> Any:
    """The period's observations with only what the figures read: arrival, completion, duration."""
    return (
        ServiceObservation.objects.filter(facility_id=facility_id)
        .between(start, end)
        .order_by()
        .only("arrived_at", "completed_at", "duration_minutes")
    )


def service_figures(
    facility: Facility, start: datetime.date, end: datetime.date, *, calendar: WorkingCalendar | None = None
) -> list[ServiceRow]:
    """One row per service of the charter in force (in its order), for `start` to `end`, both
    days included; none without a charter in force. Six queries (see the module's docstring)."""
    services = published_services(facility)
    if calendar is None:
        calendar = calendar_for(facility.pk)

    observed: dict[str, list[ServiceObservation]] = {}
    for observation in period_observations(facility.pk, start, end).annotate(service_slug=F("service__slug")):
        observed.setdefault(observation.service_slug, []).append(observation)

    complaints: dict[str, dict[str, int]] = {}
    cases = (
        Case.objects.filter(facility=facility, service__isnull=False)
        .received_between(start, end)
        .order_by()
        .values_list("service__slug", "kind")
        .annotate(number=Count("pk"))
    )
    for slug, kind, number in cases:
        complaints.setdefault(slug, {})[kind] = number

    responses = (
        SurveyResponse.objects.filter(facility=facility, service__isnull=False)
        .visited_between(start, end)
        .order_by()
        .values("service__slug")
        .annotate(**ikm.aggregates())
    )
    surveys = {values["service__slug"]: ikm.index_from(values) for values in responses}

    return [
        ServiceRow(
            service=service,
            promise=figures_for(service, observed.get(service.slug, []), calendar),
            complaints=complaints.get(service.slug, {}),
            survey=surveys.get(service.slug),
        )
        for service in services
    ]


@dataclass(frozen=True)
class PeriodFigures:
    """The figures page's content: the period, a row per service and the facility's total."""

    start: datetime.date
    end: datetime.date
    rows: list[ServiceRow] = field(default_factory=list)

    @property
    def total(self) -> FacilityTotal:
        return facility_total(self.rows)


# --- The public service page ----------------------------------------------------------------


def recent_figures(service: ServiceStandard, today: datetime.date | None = None) -> PromiseFigures | None:
    """The last three months' figures of a service of the charter in force, for its public page.

    None, without a query, when the service promises no duration. Otherwise one query for the
    observations, and one for the facility's calendar when the promise is in working days and
    there are enough observations to show.
    """
    if service.duration_value is None:
        return None
    facility_id = service.charter.facility_id
    start, end = default_period(today)
    observations = list(period_observations(facility_id, start, end).for_service(service.slug))
    needs_calendar = service.duration_unit == DurationUnit.WORKING_DAYS and len(observations) >= MIN_PUBLIC_OBSERVATIONS
    calendar = calendar_for(facility_id) if needs_calendar else WorkingCalendar()
    return figures_for(service, observations, calendar)
