"""What happens in the satisfaction survey: answers from citizens, paper questionnaires entered
or imported by staff, and the follow-up of weak elements.

The forms validate every value; these functions only save, each in one transaction, so that a
batch of paper questionnaires is saved whole or not at all.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from charters.models import Facility, ServiceStandard

from ..models import PROFILE_FIELDS, FeedbackSettings, ResponseChannel, SurveyAction, SurveyResponse
from ..survey.ikm import ELEMENTS


@dataclass(frozen=True)
class Answers:
    """One questionnaire as the forms clean it: `scores` maps u1…u9 to 1–4 (None: skipped)."""

    service: ServiceStandard | None
    visited_on: datetime.date
    scores: Mapping[str, int | None]
    profile: Mapping[str, str] = field(default_factory=dict)
    comment: str = ""

    def as_response(self, facility: Facility, **extra: Any) -> SurveyResponse:
        return SurveyResponse(
            facility=facility,
            service=self.service,
            visited_on=self.visited_on,
            comment=self.comment.strip(),
            **{element.field: self.scores.get(element.field) for element in ELEMENTS},
            **{name: self.profile.get(name, "") for name, _choices in PROFILE_FIELDS},
            **extra,
        )


def device_hash(token: str, facility: Facility, day: datetime.date) -> str:
    """What is stored of the browser's random cookie: a keyed hash of it for one facility and one
    day. The rule needs no more ("this browser, here, today"): the same browser gets another hash
    at another facility or on another day, so its answers cannot be linked over time."""
    if not token:
        return ""
    message = f"{facility.pk}|{day.isoformat()}|{token}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def already_answered(facility: Facility, service: ServiceStandard | None, device: str, day: datetime.date) -> bool:
    """Whether this device answered about this service on `day`."""
    tz = timezone.get_current_timezone()
    since = datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)
    responses = SurveyResponse.objects.filter(
        facility=facility,
        device=device,
        submitted_at__gte=since,
        submitted_at__lt=since + datetime.timedelta(days=1),
    )
    if service is None:
        return responses.filter(service__isnull=True).exists()
    return responses.filter(service__slug=service.slug).exists()


def submit_response(
    facility: Facility,
    answers: Answers,
    *,
    device: str = "",
    submission_key: str = "",
    now: datetime.datetime | None = None,
) -> SurveyResponse:
    """A citizen's answers from the public survey. `device` is the hash of the browser's cookie;
    `now`, the moment they were sent (default: the current time).

    While the facility allows one answer per device and day and service, a second answer is
    refused (`ValidationError`, code "already_answered"): by the check below, or, for answers sent
    at the same moment (by several server processes), by the unique `device_answer`. Call it
    outside any transaction of your own: a refused insert ends the transaction, and the lookups
    after it need a fresh one.

    `submission_key`: the sent questionnaire's key; the same questionnaire sent again (its answer
    was lost) gets the response the first one stored, and is not refused as a second answer."""
    if submission_key:
        first = SurveyResponse.objects.filter(facility=facility, submission_key=submission_key).first()
        if first is not None:
            return first
    now = now or timezone.now()
    day = timezone.localdate(now)
    answered = ValidationError(
        _("This phone or browser already answered the survey about this service today. Thank you!"),
        code="already_answered",
    )
    once = bool(device) and FeedbackSettings.for_facility(facility).survey_once_per_device
    if once and already_answered(facility, answers.service, device, day):
        raise answered
    service_key = answers.service.slug if answers.service else ""
    response = answers.as_response(
        facility,
        channel=ResponseChannel.WEB,
        device=device,
        device_answer=f"{device}|{day}|{service_key}" if once else "",
        submission_key=submission_key,
        submitted_at=now,
    )
    try:
        with transaction.atomic():  # the response and the day's sums (SurveyDay), or neither
            response.save()
    except IntegrityError:
        if submission_key:
            first = SurveyResponse.objects.filter(facility=facility, submission_key=submission_key).first()
            if first is not None:
                return first
        raise answered from None
    return response


@transaction.atomic
def record_paper_responses(
    facility: Facility,
    questionnaires: Iterable[Answers],
    user: Any,
    *,
    channel: str = ResponseChannel.PAPER,
    now: datetime.datetime | None = None,
) -> list[SurveyResponse]:
    """Paper questionnaires typed in or imported by staff at `now` (default: the current time):
    all of them are saved, or none."""
    if channel not in (ResponseChannel.PAPER, ResponseChannel.IMPORT):
        raise ValueError(f"not a staff channel: {channel}")
    now = now or timezone.now()
    responses = [
        answers.as_response(facility, channel=channel, entered_by=user, submitted_at=now) for answers in questionnaires
    ]
    service_ids = {response.service_id for response in responses if response.service_id}
    if service_ids and ServiceStandard.objects.filter(pk__in=service_ids, charter__facility=facility).count() != len(
        service_ids
    ):
        raise ValidationError(_("This service is not one of the facility's."), code="unknown_service")
    return SurveyResponse.objects.bulk_create(responses, batch_size=500)


# --- Follow-up of weak elements ----------------------------------------------------------------


def add_action(facility: Facility, user: Any, *, now: datetime.datetime | None = None, **fields: Any) -> SurveyAction:
    """Record what will be done about an element, for the period whose evaluation found it weak,
    at `now` (default: the current time)."""
    action = SurveyAction(facility=facility, created_by=user, created_at=now or timezone.now(), **fields)
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def complete_action(action: SurveyAction, done_on: datetime.date, result: str) -> SurveyAction:
    """Mark an action done, with what was done; a done action can be corrected the same way."""
    action = SurveyAction.objects.select_for_update().get(pk=action.pk)
    action.done_on = done_on
    action.result = result.strip()
    action.save(update_fields=["done_on", "result"])
    return action


@transaction.atomic
def reopen_action(action: SurveyAction) -> SurveyAction:
    """An action marked done by mistake is open again."""
    action = SurveyAction.objects.select_for_update().get(pk=action.pk)
    action.done_on = None
    action.save(update_fields=["done_on"])
    return action
