"""The staff's forms for service-time observations: one observation, a batch of rows typed from
a paper sheet (one service and one day, a row per user), and the filter of the list.

Times are typed, not picked: `08:15`, `08.15` or `0815`, so that a row is filled from the keyboard
alone. The rules of an observation (an end and only one, not before the arrival, nothing still to
come, at most `MAX_OBSERVED_MINUTES`) are `services.check_row`'s; a form puts its error next to
the field it is about. Nothing here saves.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from charters.models import ServiceStandard
from feedback.forms.dates import DateRangeForm
from feedback.forms.survey_staff import DATE_ERRORS, DEFAULT_ROWS, MAX_PAPER_ROWS, SERVICE_ERRORS
from feedback.models.survey import plausible_date

from ..models import MAX_OBSERVED_MINUTES, ObservationMethod, ServiceObservation
from ..services import ObservationRow, check_row, duration_range_message

MAX_BATCH_ROWS = MAX_PAPER_ROWS  # as many rows as the paper survey's table
TIME_FORMATS = ("%H:%M", "%H.%M", "%H%M", "%H:%M:%S")
TIME_ERRORS = {"invalid": _("Enter a time from 00:00 to 23:59, e.g. 08:15.")}
MINUTES_ERRORS = {"invalid": _("Enter the minutes as a whole number, e.g. 25.")}
NOTE_MAX = ServiceObservation._meta.get_field("note").max_length

# Which field a broken rule of `check_row` is shown next to.
RULE_FIELDS = {
    "no_end": "completed_time",
    "two_ends": "duration_minutes",
    "arrived_future": "arrived_time",
    "reversed": "completed_time",
    "completed_future": "completed_time",
    "duration_range": "duration_minutes",
    "too_long": "completed_time",
    "method": "method",
}


def _not_in_the_future(day: datetime.date) -> None:
    if day > timezone.localdate():
        raise ValidationError(_("The day cannot be in the future."), code="future")


def _minutes_in_range(minutes: int) -> None:
    if not 0 <= minutes <= MAX_OBSERVED_MINUTES:
        raise ValidationError(duration_range_message(), code="duration_range")


def day_field(label: Any, *, required: bool) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        validators=[plausible_date, _not_in_the_future],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={**DATE_ERRORS, "required": _("Enter the day.")},
    )


def time_field(label: Any, *, required: bool = False) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=required,
        input_formats=TIME_FORMATS,
        # A text input: a time input sends "" for a half-typed time, which would pass as no time.
        widget=forms.TimeInput(
            attrs={"inputmode": "decimal", "placeholder": "08:15", "maxlength": 8, "size": 5, "autocomplete": "off"},
            format="%H:%M",
        ),
        error_messages={**TIME_ERRORS, "required": _("Enter the time.")},
    )


def minutes_field(label: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=False,
        validators=[_minutes_in_range],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "maxlength": 6, "size": 4, "autocomplete": "off"}),
        error_messages=MINUTES_ERRORS,
    )


def method_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Method"),
        choices=ObservationMethod.choices,
        initial=ObservationMethod.OBSERVED,
        error_messages={"invalid_choice": _("Choose one of the methods.")},
    )


def service_field(services: list[ServiceStandard]) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Service"),
        choices=[("", _("Choose a service")), *((service.slug, service.name) for service in services)],
        error_messages={**SERVICE_ERRORS, "required": _("Choose the service.")},
    )


def at(day: datetime.date, time: datetime.time) -> datetime.datetime:
    """The moment `time` of `day`, in the site's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, time))


class _ObservationChecks(forms.Form):
    """Checks the rules of `check_row` once every field it needs is clean."""

    now: datetime.datetime
    row: ObservationRow | None = None  # once the form is valid

    def _check(self, row: ObservationRow, fields: dict[str, str] = RULE_FIELDS) -> None:
        try:
            check_row(row, self.now)
        except ValidationError as error:
            self.add_error(fields.get(error.code or ""), error)
        else:
            self.row = row

    def _one_end(self, cleaned: dict[str, Any]) -> bool:
        """Exactly one of the completion time and the duration; an error next to one otherwise."""
        if "completed_time" in self.errors or "duration_minutes" in self.errors:
            return False
        has_time = cleaned.get("completed_time") is not None
        has_minutes = cleaned.get("duration_minutes") is not None
        if has_time and has_minutes:
            self.add_error(
                "duration_minutes",
                ValidationError(_("Enter either the completion time or the duration, not both."), code="two_ends"),
            )
        elif not has_time and not has_minutes:
            self.add_error(
                "completed_time",
                ValidationError(_("Enter the completion time or the duration in minutes."), code="no_end"),
            )
        return has_time != has_minutes


# --- One observation ---------------------------------------------------------------------------


class ObservationForm(_ObservationChecks):
    """One user's time at one service: the arrival, then the completion (on the same day unless
    another is given) or the measured duration."""

    def __init__(
        self, *args: Any, services: list[ServiceStandard], now: datetime.datetime | None = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("prefix", "observation")
        kwargs.setdefault("initial", {"method": ObservationMethod.OBSERVED})
        super().__init__(*args, **kwargs)
        self.now = now or timezone.now()
        self.services = {service.slug: service for service in services}
        today = timezone.localdate(self.now).isoformat()
        self.fields["service"] = service_field(services)
        self.fields["arrived_on"] = day_field(_("Day of the visit"), required=True)
        self.fields["arrived_time"] = time_field(_("Arrived at"), required=True)
        self.fields["completed_time"] = time_field(_("Completed at"))
        self.fields["completed_on"] = day_field(_("Completed on"), required=False)
        self.fields["completed_on"].help_text = _("Only when the service was completed on a later day.")
        self.fields["duration_minutes"] = minutes_field(_("Or the duration (minutes)"))
        self.fields["method"] = method_field()
        self.fields["note"] = forms.CharField(label=_("Note"), required=False, max_length=NOTE_MAX)
        for name in ("arrived_on", "completed_on"):
            self.fields[name].widget.attrs["max"] = today
        self.fields["arrived_time"].error_messages["required"] = _("Enter the arrival time.")

    def clean_service(self) -> ServiceStandard:
        return self.services[self.cleaned_data["service"]]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not self._one_end(cleaned):
            return cleaned
        completed_on, completed_time = cleaned.get("completed_on"), cleaned.get("completed_time")
        if completed_on is not None and completed_time is None:
            self.add_error(
                "completed_on",
                ValidationError(_("Enter the completion time of this day, or leave the day empty."), code="no_time"),
            )
            return cleaned
        if self.errors:
            return cleaned
        arrived_at = at(cleaned["arrived_on"], cleaned["arrived_time"])
        completed_at = None
        if completed_time is not None:
            completed_at = at(completed_on or cleaned["arrived_on"], completed_time)
        row = ObservationRow(
            service=cleaned["service"],
            arrived_at=arrived_at,
            completed_at=completed_at,
            duration_minutes=cleaned.get("duration_minutes"),
            method=cleaned["method"],
            note=cleaned.get("note") or "",
        )
        # Completed on another day and far too late: the day is what was mistyped.
        self._check(row, {**RULE_FIELDS, "too_long": "completed_on"} if completed_on else RULE_FIELDS)
        return cleaned


# --- A batch of rows from a paper sheet --------------------------------------------------------


class BatchForm(forms.Form):
    """The service, the day and the method of every row of the batch."""

    def __init__(self, *args: Any, services: list[ServiceStandard], **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "batch")
        kwargs.setdefault("initial", {"method": ObservationMethod.OBSERVED})
        super().__init__(*args, **kwargs)
        self.services = {service.slug: service for service in services}
        self.fields["service"] = service_field(services)
        self.fields["arrived_on"] = day_field(_("Day of the visits"), required=True)
        self.fields["arrived_on"].widget.attrs["max"] = timezone.localdate().isoformat()
        self.fields["method"] = method_field()

    def clean_service(self) -> ServiceStandard:
        return self.services[self.cleaned_data["service"]]

    def shared(self) -> dict[str, Any]:
        """What the rows need: the batch's service, day and method, or nothing while one of them
        has an error (shown above the table; the rows are still checked on their own)."""
        if not self.is_valid():
            return {}
        return {name: self.cleaned_data[name] for name in ("service", "arrived_on", "method")}


class BatchRowForm(_ObservationChecks):
    """One user of the batch: the arrival time, then the completion time or the minutes."""

    def __init__(
        self,
        *args: Any,
        service: ServiceStandard | None = None,
        arrived_on: datetime.date | None = None,
        method: str = ObservationMethod.OBSERVED,
        now: datetime.datetime | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.service, self.arrived_on, self.method = service, arrived_on, method
        self.now = now or timezone.now()
        self.fields["arrived_time"] = time_field(_("Arrived at"))
        self.fields["completed_time"] = time_field(_("Completed at"))
        self.fields["duration_minutes"] = minutes_field(_("Or minutes"))
        for name, field in self.fields.items():
            field.widget.attrs.pop("placeholder", None)  # a column of examples would read as typed times
            field.widget.attrs["aria-label"] = _("%(column)s, row %(row)s") % {
                "column": field.label,
                "row": self.row_number,
            }
            field.widget.attrs["class"] = f"form-control form-control-sm {name.replace('_', '-')}-input"

    @property
    def row_number(self) -> int:
        """1 for the first row of the table (the formset's prefix ends with the row's index)."""
        try:
            return int((self.prefix or "").rsplit("-", 1)[-1]) + 1
        except ValueError:
            return 1

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("arrived_time") is None and "arrived_time" not in self.errors:
            self.add_error("arrived_time", ValidationError(_("Enter the arrival time."), code="required"))
        if not self._one_end(cleaned) or self.errors or self.service is None or self.arrived_on is None:
            return cleaned
        completed_time = cleaned.get("completed_time")
        row = ObservationRow(
            service=self.service,
            arrived_at=at(self.arrived_on, cleaned["arrived_time"]),
            completed_at=at(self.arrived_on, completed_time) if completed_time is not None else None,
            duration_minutes=cleaned.get("duration_minutes"),
            method=self.method,
        )
        self._check(row)
        return cleaned


class BaseBatchFormSet(forms.BaseFormSet):
    """The table of a batch: empty rows are left out, every filled row must be valid."""

    def filled_forms(self) -> list[BatchRowForm]:
        return [form for form in self.forms if form.has_changed()]

    def clean(self) -> None:
        super().clean()
        if not any(form.has_changed() for form in self.forms):
            raise ValidationError(_("Every row is empty: nothing to save."), code="empty")

    def rows(self) -> list[ObservationRow]:
        return [form.row for form in self.filled_forms()]


def batch_formset(rows: int = DEFAULT_ROWS) -> type[BaseBatchFormSet]:
    """A formset class with `rows` empty rows; a POST brings its own number (at most 50)."""
    return forms.formset_factory(
        BatchRowForm,
        formset=BaseBatchFormSet,
        extra=rows,
        max_num=MAX_BATCH_ROWS,
        absolute_max=MAX_BATCH_ROWS,
        validate_max=True,
    )


# --- The list's filter -------------------------------------------------------------------------


class ObservationFilterForm(DateRangeForm):
    """`?service=&from=&to=`: the observations of one service (in every version of the charter)
    and of users who arrived in a period."""

    def __init__(self, *args: Any, services: list[ServiceStandard], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"] = forms.ChoiceField(
            label=_("Service"),
            required=False,
            choices=[("", _("All services")), *((service.slug, service.name) for service in services)],
            error_messages=SERVICE_ERRORS,
        )
        self.order_fields(["service", "from", "to"])
