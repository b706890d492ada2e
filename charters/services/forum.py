"""The stakeholder forum's records: meetings with their participants, scans of the minutes, and
the forum's decision on each service. Together they are the evidence a version needs before it
can be marked as agreed (see `Charter.agreement_problems`).

Each function takes the facility lock (`editing`), so that a record changes either before
`mark_agreed` checks the evidence or not at all; writes; and appends a `CharterEvent`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone

from ..models import (
    Charter,
    CharterEvent,
    MeetingAttachment,
    MeetingParticipant,
    ServiceStandard,
    StakeholderMeeting,
)
from ..uploads import FileKind, delete_files_on_commit
from .base import editing, log_event, stamp_history
from .content import Row, sync_rows


@dataclass(frozen=True)
class Decision:
    """The forum's decision on one service: agreed, agreed with changes (and which), deferred, or
    not decided yet ("")."""

    service_id: int
    agreement: str
    note: str = ""


def save_meeting(
    charter: Charter,
    meeting: StakeholderMeeting | None,
    fields: dict[str, Any],
    participants: list[Row],
    user: Any,
    *,
    now: datetime | None = None,
) -> StakeholderMeeting:
    """Record a meeting (`meeting` None) or save it, with its participants as listed."""
    now = now or timezone.now()
    with editing(charter):
        is_new = meeting is None or meeting.pk is None
        if is_new:
            meeting = StakeholderMeeting(charter=charter, created_by=user, created_at=now)
        else:
            meeting = StakeholderMeeting.objects.get(pk=meeting.pk, charter=charter)
        for name, value in fields.items():
            setattr(meeting, name, value)
        meeting.save()
        sync_rows(
            MeetingParticipant,
            meeting.participants.all(),
            {"meeting": meeting},
            participants,
            ordered=False,
            user=user,
            now=now,
        )
        action = CharterEvent.Action.MEETING_RECORDED if is_new else CharterEvent.Action.MEETING_CHANGED
        log_event(charter, action, user, _meeting_label(meeting), now=now)
    return meeting


def delete_meeting(meeting: StakeholderMeeting, user: Any, *, now: datetime | None = None) -> None:
    """Delete a meeting with its participants and scans (the files go once the deletion commits)."""
    charter = meeting.charter
    with editing(charter):
        files = [a.file.name for a in meeting.attachments.all()]
        meeting.delete()
        delete_files_on_commit(MeetingAttachment._meta.get_field("file").storage, files)
        log_event(charter, CharterEvent.Action.MEETING_DELETED, user, _meeting_label(meeting), now=now)


def attach_file(
    meeting: StakeholderMeeting,
    upload: UploadedFile,
    kind: FileKind,
    original_name: str,
    description: str,
    user: Any,
    *,
    now: datetime | None = None,
) -> MeetingAttachment:
    """Keep a checked scan or photo of the minutes (`kind` read from its content by the form)."""
    now = now or timezone.now()
    charter = meeting.charter
    with editing(charter):
        attachment = MeetingAttachment.objects.create(
            meeting=meeting,
            file=upload,
            description=description,
            original_name=original_name,
            content_type=kind.content_type,
            size=upload.size or 0,
            uploaded_by=user if user is not None and user.is_authenticated else None,
            uploaded_at=now,
        )
        log_event(charter, CharterEvent.Action.FILE_ATTACHED, user, original_name, now=now)
    return attachment


def remove_file(attachment: MeetingAttachment, user: Any, *, now: datetime | None = None) -> None:
    charter = attachment.meeting.charter
    with editing(charter):
        name = attachment.file.name
        attachment.delete()
        delete_files_on_commit(attachment.file.storage, [name])
        log_event(charter, CharterEvent.Action.FILE_REMOVED, user, attachment.original_name, now=now)


def record_decisions(
    charter: Charter, decisions: list[Decision], user: Any, *, now: datetime | None = None
) -> list[ServiceStandard]:
    """Write the forum's decisions that differ from what is stored; returns the services changed.

    Only the decision is written: the service's content, and the revision that guards it against
    two editors' saves, stay as they are.
    """
    now = now or timezone.now()
    with editing(charter):
        services = {s.pk: s for s in charter.services.select_for_update()}
        changed = []
        for decision in decisions:
            service = services.get(decision.service_id)
            if service is None:
                continue
            if (service.agreement, service.agreement_note) == (decision.agreement, decision.note):
                continue
            service.agreement, service.agreement_note = decision.agreement, decision.note
            stamp_history(service, user, now).save(update_fields=["agreement", "agreement_note", "updated_at"])
            changed.append(service)
        if changed:
            log_event(
                charter,
                CharterEvent.Action.DECISIONS_RECORDED,
                user,
                ", ".join(service.name for service in changed),
                now=now,
            )
    return changed


def _meeting_label(meeting: StakeholderMeeting) -> str:
    # Stored once for readers of either language: the ISO date, not a translated one.
    return str(meeting)
