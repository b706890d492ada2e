"""Promise against reality: how long users of a service really waited, against the duration its
charter promises (component 3).

`promise_kept()` is the one definition of the "promise kept" figure; every page, export and
comparison reads it from here.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol

from django.utils import timezone

from charters.models import DurationUnit, ServiceStandard
from feedback.workdays import WorkingCalendar

from .models import ServiceObservation

# Fewer observations than this say more about the observer's day than about the service: the
# public page does not show them.
MIN_PUBLIC_OBSERVATIONS = 10


def elapsed(observation: ServiceObservation, unit: str, calendar: WorkingCalendar) -> int:
    """How long the user waited, in the unit the charter promises: minutes (for promises in
    minutes or hours), calendar days, or working days (from the local day of arrival to the local
    day of completion, the day of arrival not counted)."""
    if unit in (DurationUnit.MINUTES, DurationUnit.HOURS):
        return observation.duration_minutes
    arrived = timezone.localdate(observation.arrived_at)
    completed = timezone.localdate(observation.completed)
    if unit == DurationUnit.DAYS:
        return (completed - arrived).days
    return calendar.working_days_between(arrived, completed)


def promised(service: ServiceStandard) -> int | None:
    """The promised duration in the unit `elapsed` measures it (hours as minutes); None when the
    service promises no duration."""
    if service.duration_value is None:
        return None
    if service.duration_unit == DurationUnit.HOURS:
        return service.duration_value * 60
    return service.duration_value


def percentile(values: Sequence[int], share: float) -> int | None:
    """The nearest-rank percentile: the smallest value that at least `share` of the values do not
    exceed (the median at 0.5: "half the users were served within …")."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(share * len(ordered)), 1) - 1]


@dataclass(frozen=True)
class PromiseFigures:
    """What the observations of one service in one period say about its promised duration."""

    service: ServiceStandard
    unit: str  # the unit of `median`, `p90` and `limit`: DurationUnit (minutes for hours)
    limit: int | None  # the promise in that unit; None: the service promises no duration
    count: int
    within: int  # observations within the promise
    median: int | None
    p90: int | None

    @property
    def promised(self) -> bool:
        return self.limit is not None

    @property
    def promise_kept(self) -> Decimal | None:
        return promise_kept(self)

    @property
    def is_public(self) -> bool:
        return self.count >= MIN_PUBLIC_OBSERVATIONS and self.promise_kept is not None


def figures_for(
    service: ServiceStandard, observations: Iterable[ServiceObservation], calendar: WorkingCalendar
) -> PromiseFigures:
    """The figures of `service` from `observations` (of that service, in the period asked)."""
    unit = DurationUnit.MINUTES if service.duration_unit == DurationUnit.HOURS else service.duration_unit
    limit = promised(service)
    values = [elapsed(observation, service.duration_unit, calendar) for observation in observations]
    return PromiseFigures(
        service=service,
        unit=unit,
        limit=limit,
        count=len(values),
        within=sum(1 for value in values if limit is not None and value <= limit),
        median=percentile(values, 0.5),
        p90=percentile(values, 0.9),
    )


class Tally(Protocol):
    """What `promise_kept` reads: a service's figures, or a facility's total over its services."""

    @property
    def count(self) -> int: ...  # observations

    @property
    def within(self) -> int: ...  # of them, completed within their service's promise

    @property
    def promised(self) -> bool: ...  # whether there was a promised duration to keep


def promise_kept(figures: Tally) -> Decimal | None:
    """Promise kept (%): the share of observed users whose service was completed within the
    duration the charter promises, in the charter's unit (working days for a promise in working
    days), rounded half up to a whole percent. None when nothing was observed or the service
    promises no duration: an unmeasured promise is neither kept nor broken."""
    if figures.count == 0 or not figures.promised:
        return None
    share = Decimal(figures.within * 100) / Decimal(figures.count)
    return share.quantize(Decimal(1), rounding=ROUND_HALF_UP)
