"""Service-time observations: when a user arrived for a service and when it was completed.

They are the evidence of component 3 (the promised duration): observed at the counter, asked in
exit interviews, or read from a queue machine's log.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from charters.models import Facility, ServiceStandard

# A service lasting longer than this was not observed: someone typed a wrong time.
MAX_OBSERVED_MINUTES = 60 * 24 * 90


class ObservationMethod(models.TextChoices):
    OBSERVED = "observed", _("Observed at the service")
    EXIT_INTERVIEW = "exit_interview", _("Exit interview")
    QUEUE_MACHINE = "queue_machine", _("Queue machine")


class ObservationQuerySet(models.QuerySet):
    def between(self, start: datetime.date, end: datetime.date) -> ObservationQuerySet:
        """Observations of users who arrived on a day from `start` to `end` (both included)."""
        return self.filter(arrived_on__gte=start, arrived_on__lte=end)

    def for_service(self, slug: str) -> ObservationQuerySet:
        """Observations of a service, in whichever charter version it was observed."""
        return self.filter(service__slug=slug)


class ServiceObservation(models.Model):
    """One user's time at one service: arrival, and completion or the measured duration."""

    facility = models.ForeignKey(
        Facility, on_delete=models.CASCADE, related_name="service_observations", verbose_name=_("facility")
    )
    # The service as the charter in force stated it then; figures group versions by its slug.
    service = models.ForeignKey(
        ServiceStandard, on_delete=models.PROTECT, related_name="observations", verbose_name=_("service")
    )
    arrived_at = models.DateTimeField(_("arrived at"))
    # The local day of arrival, kept for filtering by period in one index.
    arrived_on = models.DateField(_("day of arrival"), editable=False)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"),
        validators=[MinValueValidator(0), MaxValueValidator(MAX_OBSERVED_MINUTES)],
        help_text=_("From arrival to completion. Computed from the completion time when that is given."),
    )
    method = models.CharField(
        _("method"), max_length=20, choices=ObservationMethod.choices, default=ObservationMethod.OBSERVED
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    objects = ObservationQuerySet.as_manager()

    class Meta:
        ordering = ["-arrived_at", "-id"]
        verbose_name = _("service-time observation")
        verbose_name_plural = _("service-time observations")
        indexes = [models.Index(fields=["facility", "arrived_on"], name="observation_facility_day")]
        constraints = [
            models.CheckConstraint(
                condition=Q(completed_at__isnull=True) | Q(completed_at__gte=models.F("arrived_at")),
                name="observation_completed_after_arrival",
                violation_error_message=_("The service cannot be completed before the user arrived."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} {self.arrived_at:%Y-%m-%d %H:%M} ({self.duration_minutes} min)"

    @property
    def completed(self) -> datetime.datetime:
        """When the service was completed: as recorded, or arrival plus the measured duration."""
        return self.completed_at or self.arrived_at + datetime.timedelta(minutes=self.duration_minutes)

    def clean(self) -> None:
        if self.arrived_at and self.completed_at and self.completed_at < self.arrived_at:
            raise ValidationError({"completed_at": _("The service cannot be completed before the user arrived.")})

    def set_derived_fields(self) -> None:
        """The day of arrival, and the duration from the completion time when that is given;
        `save()` calls it, and so must code that saves with `bulk_create`."""
        if self.completed_at is not None and self.arrived_at is not None:
            self.duration_minutes = int((self.completed_at - self.arrived_at).total_seconds() // 60)
        self.arrived_on = timezone.localdate(self.arrived_at)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.set_derived_fields()
        super().save(*args, **kwargs)
