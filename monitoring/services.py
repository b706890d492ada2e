"""Writing service-time observations: typed in one at a time, as a batch, or imported from a
queue machine's file. The forms and the import check every value first; the service checks the
rules again (a row of another facility, a completion before arrival, a time still to come) so
that no other caller can store an observation the figures would count wrongly.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from charters.models import Facility, ServiceStandard

from .models import MAX_OBSERVED_MINUTES, ObservationMethod, ServiceObservation

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ObservationRow:
    """One observation as the forms and the import clean it: the arrival, and either the
    completion or the measured duration (exactly one of the two)."""

    service: ServiceStandard
    arrived_at: datetime.datetime
    completed_at: datetime.datetime | None = None
    duration_minutes: int | None = None
    method: str = ObservationMethod.OBSERVED
    note: str = ""

    @property
    def minutes(self) -> int:
        """The duration as the observation stores it: from the completion time when given."""
        observation = ServiceObservation(
            arrived_at=self.arrived_at, completed_at=self.completed_at, duration_minutes=self.duration_minutes
        )
        observation.set_derived_fields()
        return observation.duration_minutes

    def as_observation(self, facility: Facility, **extra: Any) -> ServiceObservation:
        observation = ServiceObservation(
            facility=facility,
            service=self.service,
            arrived_at=self.arrived_at,
            completed_at=self.completed_at,
            duration_minutes=self.duration_minutes,
            method=self.method,
            note=self.note.strip(),
            **extra,
        )
        observation.set_derived_fields()
        return observation


def check_row(row: ObservationRow, now: datetime.datetime) -> None:
    """The rules of one observation, whoever sends it; a ValidationError says what is wrong."""
    if row.completed_at is None and row.duration_minutes is None:
        raise ValidationError(_("Enter the completion time or the duration in minutes."), code="no_end")
    if row.completed_at is not None and row.duration_minutes is not None:
        raise ValidationError(_("Enter either the completion time or the duration, not both."), code="two_ends")
    if row.arrived_at > now:
        raise ValidationError(_("The user cannot have arrived later than now."), code="arrived_future")
    if row.completed_at is not None:
        if row.completed_at < row.arrived_at:
            raise ValidationError(_("The service cannot be completed before the user arrived."), code="reversed")
        if row.completed_at > now:
            raise ValidationError(_("The service cannot be completed later than now."), code="completed_future")
    if row.duration_minutes is not None and not 0 <= row.duration_minutes <= MAX_OBSERVED_MINUTES:
        raise ValidationError(duration_range_message(), code="duration_range")
    if row.minutes > MAX_OBSERVED_MINUTES:
        raise ValidationError(too_long_message(), code="too_long")
    if row.method not in ObservationMethod.values:
        raise ValidationError(_("Choose one of the methods."), code="method")


def duration_range_message() -> str:
    return _("Enter a whole number of minutes from 0 to %(limit)s.") % {
        "limit": formats.number_format(MAX_OBSERVED_MINUTES, force_grouping=True)
    }


def too_long_message() -> str:
    return _("A service cannot last more than %(days)s days: check the times.") % {
        "days": MAX_OBSERVED_MINUTES // (60 * 24)
    }


def record_observations(
    facility: Facility, rows: Iterable[ObservationRow], user: Any, *, now: datetime.datetime | None = None
) -> list[ServiceObservation]:
    """Observations recorded by `user` at `now` (default: the current time): all of them are
    saved, or none (a ValidationError names the first rule broken)."""
    now = now or timezone.now()
    rows = list(rows)
    service_ids = {row.service.pk for row in rows}
    own = set(
        ServiceStandard.objects.filter(pk__in=service_ids, charter__facility=facility).values_list("pk", flat=True)
    )
    if own != service_ids:
        raise ValidationError(_("This service is not one of the facility's."), code="unknown_service")
    for row in rows:
        check_row(row, now)
    observations = [row.as_observation(facility, recorded_by=user, created_at=now) for row in rows]
    with transaction.atomic():
        return ServiceObservation.objects.bulk_create(observations, batch_size=500)


def delete_observation(
    observation: ServiceObservation, user: Any, *, now: datetime.datetime | None = None
) -> ServiceObservation:
    """Remove an observation recorded by mistake; who removed it, and when, goes to the log."""
    now = now or timezone.now()
    logger.info(
        "service observation %s of facility %s (%s) deleted by user %s at %s",
        observation.pk,
        observation.facility_id,
        observation,
        getattr(user, "pk", None),
        now.isoformat(),
    )
    observation.delete()
    return observation
