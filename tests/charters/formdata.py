"""Build the POST data a browser would send back from an unchanged staff form.

Tests start from what the page shows (every field's current value, formset management forms
included) and change only what the scenario types, as a user would.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any

from django import forms
from django.forms.formsets import BaseFormSet

from charters.forms import (
    CharterForm,
    ClauseFormSet,
    FacilityForm,
    MeetingParticipantFormSet,
    ProcedureStepFormSet,
    RequirementFormSet,
    ScheduleSlotFormSet,
    ServiceDecisionFormSet,
    ServiceStandardForm,
    StakeholderMeetingForm,
)
from charters.models import Charter, Facility, ServiceStandard, StakeholderMeeting


def _encode(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def post_data(*parts: forms.BaseForm | BaseFormSet) -> dict[str, Any]:
    """The values of unbound forms and formsets, keyed by their HTML names."""
    data: dict[str, Any] = {}
    for part in parts:
        if isinstance(part, BaseFormSet):
            data.update(post_data(part.management_form, *part.forms))
            continue
        for field in part:
            value = field.value()
            if isinstance(field.field, forms.BooleanField):
                if value:
                    data[field.html_name] = "on"
                continue
            data[field.html_name] = _encode(value)
    return data


def service_post_data(charter: Charter, service: ServiceStandard | None = None) -> dict[str, Any]:
    """The service form as the add page (no service) or the edit page shows it."""
    service = service or ServiceStandard(charter=charter)
    schedule = ScheduleSlotFormSet(instance=service, prefix="schedule")
    if service.pk is None:
        schedule.extra = 6  # as the add page offers a week of rows
    return post_data(
        ServiceStandardForm(instance=service, charter=charter),
        RequirementFormSet(instance=service, prefix="requirements"),
        ProcedureStepFormSet(instance=service, prefix="steps"),
        schedule,
    )


def charter_post_data(charter: Charter) -> dict[str, Any]:
    return post_data(CharterForm(instance=charter, prefix="charter"), ClauseFormSet(instance=charter, prefix="clauses"))


def facility_post_data(facility: Facility) -> dict[str, Any]:
    return post_data(FacilityForm(instance=facility))


def fill_rows(data: dict[str, Any], prefix: str, rows: list[dict[str, Any]], start: int = 0) -> None:
    """Type `rows` into the formset rows from `start` on, adding rows when the page has too few."""
    for offset, row in enumerate(rows):
        for name, value in row.items():
            data[f"{prefix}-{start + offset}-{name}"] = value
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(max(total, start + len(rows)))


def meeting_post_data(charter: Charter, meeting: StakeholderMeeting | None = None) -> dict[str, Any]:
    """The meeting form and its participants as the add page (no meeting) or the edit page shows them."""
    meeting = meeting or StakeholderMeeting(charter=charter)
    participants = MeetingParticipantFormSet(instance=meeting, prefix="participants")
    if meeting.pk is None:
        participants.extra = 10  # as the add page offers
    return post_data(StakeholderMeetingForm(instance=meeting, charter=charter, prefix="meeting"), participants)


def agreement_post_data(charter: Charter) -> dict[str, Any]:
    """The forum's decisions on every service, as the decisions page shows them."""
    return post_data(ServiceDecisionFormSet(charter=charter, prefix="services"))
