"""What can happen to a case, and who may make it happen.

Every function takes the case's row lock, checks the step against `STAFF_STEPS`, writes
the change and its timeline event in one transaction, and queues the e-mails to send once
the transaction commits (`notifications`), so a slow mail server never holds a request.

Each takes `now`, the moment the step happens (default: the current time); every timestamp and
"today" of the step come from it, so past cases can be replayed on their days (the demo).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _, ngettext

from charters.models import ComplaintNorms, Facility, ServiceStandard, user_is_head
from charters.services import complaint_norms
from charters.uploads import IMAGE_TOO_LARGE, detect_kind, image_too_large

from .. import codes, notifications
from ..models import (
    DEFAULT_CLASS_FOR_KIND,
    Case,
    CaseAttachment,
    CaseEvent,
    CaseStatus,
    Channel,
    EventKind,
    FeedbackSettings,
    Rating,
)
from ..workdays import calendar_for

MAX_CASE_FILE_SIZE = 5 * 1024 * 1024  # 5 MB, a photo or scanned letter with a case


@dataclass(frozen=True)
class Step:
    """A staff action that moves a case from one of `sources` to `target`."""

    label: str
    sources: tuple[CaseStatus, ...]
    target: CaseStatus
    head_only: bool = False


STAFF_STEPS: dict[str, Step] = {
    "start": Step("start", (CaseStatus.RECEIVED, CaseStatus.REOPENED), CaseStatus.IN_PROGRESS),
    "reply": Step(
        "reply",
        (CaseStatus.RECEIVED, CaseStatus.IN_PROGRESS, CaseStatus.ANSWERED, CaseStatus.REOPENED),
        CaseStatus.ANSWERED,
    ),
    "close": Step("close", (CaseStatus.ANSWERED, CaseStatus.REOPENED), CaseStatus.CLOSED),
    "reject": Step(
        "reject",
        (CaseStatus.RECEIVED, CaseStatus.IN_PROGRESS, CaseStatus.REOPENED),
        CaseStatus.REJECTED,
        head_only=True,
    ),
}


def step_allowed(case: Case, step: str, *, is_head: bool) -> bool:
    """Whether a staff member may take `step` now. A reopened case is the head's to review."""
    rule = STAFF_STEPS[step]
    if case.status not in rule.sources:
        return False
    if rule.head_only or case.status == CaseStatus.REOPENED:
        return is_head
    return True


def allowed_steps(case: Case, *, is_head: bool) -> list[str]:
    return [name for name in STAFF_STEPS if step_allowed(case, name, is_head=is_head)]


def _check_step(case: Case, step: str, user: Any) -> None:
    rule = STAFF_STEPS[step]
    if case.status not in rule.sources:
        raise ValidationError(
            _("A case that is %(status)s cannot be changed this way.") % {"status": case.get_status_display().lower()},
            code="wrong_status",
        )
    if not step_allowed(case, step, is_head=user_is_head(user, case.facility_id)):
        raise PermissionDenied(_("Only the head of the facility may do this for this case."))


# --- Deadlines ---------------------------------------------------------------------------------


def norms_for(case: Case) -> ComplaintNorms:
    """The time norms the charter promised when the case was received."""
    return complaint_norms(case.facility, timezone.localdate(case.received_at))


def due_date_for(facility: Facility, complaint_class: str, start: datetime.date) -> datetime.date:
    """The deadline of a case counted from `start`: the working days the charter in force that day
    promises for its class (one promise, one source)."""
    norm = complaint_norms(facility, start).working_days_for(complaint_class)
    return calendar_for(facility.pk).add_working_days(start, norm)


# --- Files -------------------------------------------------------------------------------------


def check_attachment(upload: UploadedFile) -> str:
    """The content type read from the file's first bytes; ValidationError when it is not
    a PDF, JPEG or PNG file of at most 5 MB."""
    if upload.size and upload.size > MAX_CASE_FILE_SIZE:
        raise ValidationError(_("The file is larger than 5 MB."), code="too_large")
    kind = detect_kind(upload)
    if kind is None:
        raise ValidationError(_("Only PDF, JPEG or PNG files can be attached."), code="wrong_type")
    if image_too_large(upload, kind):
        raise ValidationError(IMAGE_TOO_LARGE, code="image_too_large")
    return kind.content_type


def _store_attachment(
    case: Case,
    upload: UploadedFile,
    *,
    event: CaseEvent | None,
    public: bool,
    from_citizen: bool,
    now: datetime.datetime,
    user: Any = None,
) -> CaseAttachment:
    content_type = check_attachment(upload)
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}[content_type]
    original_name = (upload.name or f"file.{extension}")[-255:]
    attachment = CaseAttachment(
        case=case,
        event=event,
        original_name=original_name,
        content_type=content_type,
        size=upload.size or 0,
        public=public,
        from_citizen=from_citizen,
        uploaded_by=user if user is not None and user.is_authenticated else None,
        uploaded_at=now,
    )
    # A random stored name: the citizen's file name stays only as the label.
    attachment.file.save(f"{codes.generate('F')[2:]}.{extension}", upload, save=False)
    attachment.save()
    return attachment


# --- Citizens ----------------------------------------------------------------------------------


@transaction.atomic
def submit_case(
    facility: Facility,
    *,
    kind: str,
    description: str,
    service: ServiceStandard | None = None,
    occurred_on: datetime.date | None = None,
    anonymous: bool = False,
    name: str = "",
    phone: str = "",
    email: str = "",
    attachment: UploadedFile | None = None,
    channel: str = Channel.WEB,
    entered_by: Any = None,
    submission_key: str = "",
    now: datetime.datetime | None = None,
) -> Case:
    """Receive a case from a citizen (or from staff on a citizen's behalf) and give it its code.

    `submission_key`: the sent form's key; the same form sent again (its answer was lost) gets
    the case the first one stored, whichever server process stored it."""
    if submission_key:
        first = Case.objects.filter(facility=facility, submission_key=submission_key).first()
        if first is not None:
            return first
    if anonymous:
        name = phone = email = ""
    complaint_class = DEFAULT_CLASS_FOR_KIND[kind]
    now = now or timezone.now()
    prefix = FeedbackSettings.for_facility(facility).code_prefix
    for _attempt in range(5):
        code = codes.generate(prefix)
        try:
            with transaction.atomic():
                case = Case.objects.create(
                    facility=facility,
                    code=code,
                    kind=kind,
                    complaint_class=complaint_class,
                    channel=channel,
                    service=service,
                    description=description.strip(),
                    occurred_on=occurred_on,
                    anonymous=anonymous,
                    name=name.strip(),
                    phone=phone.strip(),
                    email=email.strip(),
                    language=translation.get_language() or "id",
                    received_at=now,
                    due_date=due_date_for(facility, complaint_class, timezone.localdate(now)),
                    entered_by=entered_by if entered_by is not None and entered_by.is_authenticated else None,
                    submission_key=submission_key,
                )
        except IntegrityError:
            if submission_key:  # the same form, sent twice at once, stored by the other request
                first = Case.objects.filter(facility=facility, submission_key=submission_key).first()
                if first is not None:
                    return first
            # 40 random bits make a clash all but impossible, but a new code costs nothing.
            if Case.objects.filter(code=code).exists():
                continue
            raise
        break
    else:
        raise IntegrityError("No free tracking code after 5 attempts")
    event = CaseEvent.objects.create(
        case=case,
        kind=EventKind.RECEIVED,
        public=True,
        by_citizen=case.entered_by is None,
        author=case.entered_by,
        to_status=CaseStatus.RECEIVED,
        created_at=now,
    )
    if attachment is not None:
        _store_attachment(case, attachment, event=event, public=False, from_citizen=True, now=now)
    notifications.case_received(case)
    return case


def _locked(case: Case) -> Case:
    locked = Case.objects.select_for_update().select_related("facility").get(pk=case.pk)
    return locked


def _set_status(
    case: Case,
    target: CaseStatus,
    *,
    now: datetime.datetime,
    author: Any = None,
    by_citizen: bool = False,
    text: str = "",
) -> None:
    event = CaseEvent.objects.create(
        case=case,
        kind=EventKind.STATUS,
        public=True,
        by_citizen=by_citizen,
        author=author if author is not None and author.is_authenticated else None,
        from_status=case.status,
        to_status=target,
        text=text,
        created_at=now,
    )
    case.status = target
    if target in (CaseStatus.CLOSED, CaseStatus.REJECTED):
        case.closed_at = event.created_at
    notifications.citizen_update(event)


@transaction.atomic
def add_information(
    case: Case, text: str, attachment: UploadedFile | None = None, *, now: datetime.datetime | None = None
) -> CaseEvent:
    """The citizen adds to a case that is not finished. An answered case goes back to staff,
    with a fresh deadline from today."""
    now = now or timezone.now()
    case = _locked(case)
    if not case.can_take_information:
        raise ValidationError(_("This case is finished and takes no more information."), code="finished")
    event = CaseEvent.objects.create(
        case=case, kind=EventKind.INFORMATION, public=True, by_citizen=True, text=text, created_at=now
    )
    if attachment is not None:
        _store_attachment(case, attachment, event=event, public=False, from_citizen=True, now=now)
    if case.status == CaseStatus.ANSWERED:
        _set_status(case, CaseStatus.IN_PROGRESS, by_citizen=True, now=now)
        case.due_date = due_date_for(case.facility, case.complaint_class, timezone.localdate(now))
    case.save()
    notifications.staff_update(event)
    return event


@transaction.atomic
def rate_answer(case: Case, rating: str, comment: str = "", *, now: datetime.datetime | None = None) -> Case:
    """The citizen rates the answer. Satisfied closes the case; not satisfied reopens it once
    for the head's review (a second "not satisfied" closes it with the rating on record)."""
    case = _locked(case)
    if not case.can_be_rated:
        raise ValidationError(_("This case cannot be rated now."), code="not_ratable")
    now = now or timezone.now()
    event = CaseEvent.objects.create(
        case=case, kind=EventKind.RATED, public=True, by_citizen=True, text=comment, created_at=now
    )
    event.rating = rating  # for the notification's text
    case.rating, case.rating_comment, case.rated_at = rating, comment, now
    if rating == Rating.NOT_SATISFIED and case.reopened_at is None:
        _set_status(case, CaseStatus.REOPENED, by_citizen=True, now=now)
        case.reopened_at = now
        case.rating = ""  # the next answer may be rated again; the first rating stays in the timeline
        case.due_date = due_date_for(case.facility, case.complaint_class, timezone.localdate(now))
        notifications.staff_update(event)
    elif case.status != CaseStatus.CLOSED:
        _set_status(case, CaseStatus.CLOSED, by_citizen=True, now=now)
    case.save()
    return case


# --- Staff -------------------------------------------------------------------------------------


@transaction.atomic
def start_handling(case: Case, user: Any, *, now: datetime.datetime | None = None) -> Case:
    now = now or timezone.now()
    case = _locked(case)
    _check_step(case, "start", user)
    _set_status(case, CaseStatus.IN_PROGRESS, author=user, now=now)
    if case.assignee_id is None:
        case.assignee = user
    case.save()
    return case


@transaction.atomic
def reply(
    case: Case, user: Any, text: str, attachment: UploadedFile | None = None, *, now: datetime.datetime | None = None
) -> CaseEvent:
    """A public answer: the citizen sees it on the tracking page and gets it by e-mail."""
    now = now or timezone.now()
    case = _locked(case)
    _check_step(case, "reply", user)
    event = CaseEvent.objects.create(
        case=case, kind=EventKind.REPLY, public=True, author=user, text=text.strip(), created_at=now
    )
    if attachment is not None:
        _store_attachment(case, attachment, event=event, public=True, from_citizen=False, user=user, now=now)
    if case.first_reply_at is None:
        case.first_reply_at = event.created_at
    if case.status != CaseStatus.ANSWERED:
        case.status = CaseStatus.ANSWERED  # the answer itself is the public record of the change
        event.to_status = CaseStatus.ANSWERED
        event.save(update_fields=["to_status"])
    case.save()
    notifications.citizen_update(event)
    return event


@transaction.atomic
def add_note(
    case: Case, user: Any, text: str, attachment: UploadedFile | None = None, *, now: datetime.datetime | None = None
) -> CaseEvent:
    """An internal note: never shown to the citizen. Allowed on every case, finished or not."""
    now = now or timezone.now()
    case = _locked(case)
    event = CaseEvent.objects.create(
        case=case, kind=EventKind.NOTE, public=False, author=user, text=text.strip(), created_at=now
    )
    if attachment is not None:
        _store_attachment(case, attachment, event=event, public=False, from_citizen=False, user=user, now=now)
    case.save(update_fields=["updated_at"])
    return event


def record_email_failure(case_id: int, subject: str, recipients: list[str], attempts: int, error: Exception) -> None:
    """An e-mail to the citizen was given up: an internal line on the case, in the staff's
    language, so that they reach the citizen another way (a case deleted meanwhile: nothing)."""
    with translation.override(settings.LANGUAGE_CODE):
        text = ngettext(
            "The e-mail “%(subject)s” to %(to)s could not be delivered (%(attempts)s attempt: %(error)s). "
            "Reach the citizen another way if they gave one.",
            "The e-mail “%(subject)s” to %(to)s could not be delivered (%(attempts)s attempts: %(error)s). "
            "Reach the citizen another way if they gave one.",
            attempts,
        ) % {"subject": subject, "to": ", ".join(recipients), "attempts": attempts, "error": str(error)[:300]}
    if Case.objects.filter(pk=case_id).exists():
        CaseEvent.objects.create(case_id=case_id, kind=EventKind.EMAIL_FAILED, public=False, text=text[:4000])


@transaction.atomic
def close_case(case: Case, user: Any, text: str = "", *, now: datetime.datetime | None = None) -> Case:
    now = now or timezone.now()
    case = _locked(case)
    _check_step(case, "close", user)
    _set_status(case, CaseStatus.CLOSED, author=user, text=text.strip(), now=now)
    case.save()
    return case


@transaction.atomic
def reject_case(case: Case, user: Any, reason: str, *, now: datetime.datetime | None = None) -> Case:
    """Spam or out of scope; the reason is shown to the citizen."""
    now = now or timezone.now()
    case = _locked(case)
    _check_step(case, "reject", user)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the reason for rejecting the case."), code="reason_required")
    case.rejection_reason = reason
    _set_status(case, CaseStatus.REJECTED, author=user, text=reason, now=now)
    case.save()
    return case


def _require_unfinished(case: Case) -> None:
    if case.is_finished:
        raise ValidationError(_("This case is finished and can no longer be changed."), code="finished")


@transaction.atomic
def assign(case: Case, user: Any, assignee: Any, *, now: datetime.datetime | None = None) -> Case:
    """Give the case to a staff member of the facility (None: nobody)."""
    now = now or timezone.now()
    case = _locked(case)
    _require_unfinished(case)
    if assignee is not None and not (
        assignee.is_superuser or assignee.memberships.filter(facility_id=case.facility_id).exists()
    ):
        raise ValidationError(_("Only staff of this facility can be assigned."), code="not_staff")
    if case.assignee_id == (assignee.pk if assignee else None):
        return case
    if assignee is None:
        text = _("Nobody is assigned any more.")
    else:
        text = _("Assigned to %(name)s.") % {"name": assignee.get_full_name() or assignee.get_username()}
    CaseEvent.objects.create(case=case, kind=EventKind.ASSIGNED, author=user, text=text, created_at=now)
    case.assignee = assignee
    case.save()
    return case


@transaction.atomic
def reclassify(
    case: Case,
    user: Any,
    *,
    kind: str,
    complaint_class: str,
    service: ServiceStandard | None,
    now: datetime.datetime | None = None,
) -> Case:
    """Change the kind, the class (which resets the deadline from the day it started
    counting) or the service concerned."""
    now = now or timezone.now()
    case = _locked(case)
    _require_unfinished(case)
    if service is not None and service.charter.facility_id != case.facility_id:
        raise ValidationError(_("This service is not one of the facility's."), code="unknown_service")
    changes = []
    if kind != case.kind:
        changes.append(_("kind: %(old)s → %(new)s") % {"old": case.get_kind_display(), "new": _label(kind, "kind")})
        case.kind = kind
    if complaint_class != case.complaint_class:
        old = case.get_complaint_class_display()
        case.complaint_class = complaint_class
        started = timezone.localdate(case.reopened_at or case.received_at)
        case.due_date = due_date_for(case.facility, complaint_class, started)
        changes.append(
            _("class: %(old)s → %(new)s, answer due %(date)s")
            % {"old": old, "new": case.get_complaint_class_display(), "date": case.due_date.strftime("%d-%m-%Y")}
        )
    if (service.pk if service else None) != case.service_id:
        changes.append(
            _("service: %(old)s → %(new)s")
            % {"old": case.service.name if case.service else "-", "new": service.name if service else "-"}
        )
        case.service = service
    if changes:
        CaseEvent.objects.create(
            case=case,
            kind=EventKind.RECLASSIFIED,
            author=user,
            text="; ".join(changes),
            created_at=now,
        )
        case.save()
    return case


@transaction.atomic
def attach_file(
    case: Case, user: Any, upload: UploadedFile, *, public: bool = False, now: datetime.datetime | None = None
) -> CaseAttachment:
    now = now or timezone.now()
    case = _locked(case)
    event = CaseEvent.objects.create(case=case, kind=EventKind.ATTACHMENT, author=user, public=public, created_at=now)
    attachment = _store_attachment(case, upload, event=event, public=public, from_citizen=False, user=user, now=now)
    event.text = attachment.original_name
    event.save(update_fields=["text"])
    return attachment


def _label(value: str, field: str) -> str:
    return str(dict(Case._meta.get_field(field).choices)[value])
