"""Staff pages of the stakeholder forum: its meetings, who took part and signed, scans of the
minutes, and the forum's decision on each service. Together they are the evidence a version
needs before it can be marked as agreed (see `Charter.agreement_problems`)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, prefetch_related_objects
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import services
from ..access import get_charter_for_user
from ..forms import MeetingAttachmentForm, MeetingParticipantFormSet, ServiceDecisionFormSet, StakeholderMeetingForm
from ..forms.base import model_values
from ..models import (
    FROZEN_VERSION_MESSAGE,
    Charter,
    MeetingAttachment,
    ParticipantGroup,
    StakeholderMeeting,
)
from ..uploads import serve_file

# --- Access: the charter first (404 for another facility, 403 when frozen), then its rows ------


def _get_meeting(
    request: HttpRequest, slug: str, version: int, meeting_id: int, *, write: bool = False
) -> StakeholderMeeting:
    charter = get_charter_for_user(request, slug, version, write=write)
    meeting = get_object_or_404(charter.meetings.all(), pk=meeting_id)
    meeting.charter = charter  # reuse the loaded charter and facility
    return meeting


def _get_attachment(
    request: HttpRequest, slug: str, version: int, meeting_id: int, attachment_id: int, *, write: bool = False
) -> MeetingAttachment:
    meeting = _get_meeting(request, slug, version, meeting_id, write=write)
    attachment = get_object_or_404(meeting.attachments.all(), pk=attachment_id)
    attachment.meeting = meeting
    return attachment


def _meetings_url(charter: Charter) -> str:
    return reverse("manage:meetings", args=[charter.facility.slug, charter.version])


def _meeting_url(charter: Charter, meeting: StakeholderMeeting) -> str:
    return reverse("manage:meeting_edit", args=[charter.facility.slug, charter.version, meeting.pk])


def group_counts(meeting: StakeholderMeeting) -> list[dict[str, Any]]:
    """[{label, present, signed}] per participant group, in the groups' order (prefetched rows)."""
    participants = list(meeting.participants.all())
    return [
        {
            "group": group,
            "label": group.label,
            "present": sum(1 for p in participants if p.group == group),
            "signed": sum(1 for p in participants if p.group == group and p.signed),
        }
        for group in ParticipantGroup
    ]


# --- The forum's overview --------------------------------------------------------------------


@login_required
def meetings(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    charter = get_charter_for_user(request, slug, version)
    prefetch_related_objects(
        [charter],
        Prefetch("meetings", queryset=StakeholderMeeting.objects.prefetch_related("participants", "attachments")),
        "services",
    )
    meeting_rows = []
    for meeting in charter.meetings.all():
        counts = group_counts(meeting)
        meeting_rows.append(
            {
                "meeting": meeting,
                "groups": counts,
                "unsigned_groups": [c["label"] for c in counts if not c["signed"]],
            }
        )
    return render(
        request,
        "charters/manage/meetings.html",
        {
            "facility": charter.facility,
            "charter": charter,
            "meeting_rows": meeting_rows,
            "services": charter.services.all(),
            "agreement_problems": charter.agreement_problems() if charter.is_editable else [],
            "frozen_message": FROZEN_VERSION_MESSAGE,
        },
    )


# --- One meeting and its participants ----------------------------------------------------------


def _meeting_page(
    request: HttpRequest,
    charter: Charter,
    meeting: StakeholderMeeting,
    form: StakeholderMeetingForm,
    participants: Any,
    attachment_form: MeetingAttachmentForm | None = None,
) -> HttpResponse:
    if meeting.pk and attachment_form is None:
        attachment_form = MeetingAttachmentForm(meeting=meeting, prefix="attachment")
    return render(
        request,
        "charters/manage/meeting_form.html",
        {
            "facility": charter.facility,
            "charter": charter,
            "meeting": meeting,
            "form": form,
            "participants": participants,
            "attachments": list(meeting.attachments.all()) if meeting.pk else [],
            "attachment_form": attachment_form,
        },
    )


def _meeting_forms(request: HttpRequest, charter: Charter, meeting: StakeholderMeeting) -> tuple[Any, Any]:
    data = request.POST if request.method == "POST" else None
    form = StakeholderMeetingForm(data, instance=meeting, charter=charter, prefix="meeting")
    participants = MeetingParticipantFormSet(data, instance=meeting, prefix="participants")
    if meeting.pk is None:
        # A new meeting starts with room for a small forum; saving offers more rows.
        participants.extra = 10
    return form, participants


def _edit_meeting(request: HttpRequest, charter: Charter, meeting: StakeholderMeeting) -> HttpResponse:
    form, participants = _meeting_forms(request, charter, meeting)
    if request.method == "POST":
        # Validate both, so that every error shows at once.
        participants_valid = participants.is_valid()
        if form.is_valid() and participants_valid:
            is_new = meeting.pk is None
            meeting = services.save_meeting(charter, meeting, model_values(form), participants.rows(), request.user)
            messages.success(
                request,
                (_("The meeting of %(date)s was recorded.") if is_new else _("The meeting of %(date)s was saved."))
                % {"date": date_format(meeting.date)},
            )
            if "save_continue" in request.POST:
                return redirect(_meeting_url(charter, meeting))
            return redirect(_meetings_url(charter))
        messages.error(request, _("Please correct the errors below; nothing was saved yet."))
    return _meeting_page(request, charter, meeting, form, participants)


@login_required
def meeting_add(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    charter = get_charter_for_user(request, slug, version, write=True)
    return _edit_meeting(request, charter, StakeholderMeeting(charter=charter))


@login_required
def meeting_edit(request: HttpRequest, slug: str, version: int, meeting_id: int) -> HttpResponse:
    meeting = _get_meeting(request, slug, version, meeting_id, write=True)
    return _edit_meeting(request, meeting.charter, meeting)


@login_required
def meeting_delete(request: HttpRequest, slug: str, version: int, meeting_id: int) -> HttpResponse:
    meeting = _get_meeting(request, slug, version, meeting_id, write=True)
    charter = meeting.charter
    if request.method == "POST":
        services.delete_meeting(meeting, request.user)
        messages.success(request, _("The meeting of %(date)s was deleted.") % {"date": date_format(meeting.date)})
        return redirect(_meetings_url(charter))
    return render(
        request,
        "charters/manage/meeting_delete.html",
        {
            "facility": charter.facility,
            "charter": charter,
            "meeting": meeting,
            "participant_count": meeting.participants.count(),
            "attachment_count": meeting.attachments.count(),
        },
    )


# --- Scans and photos of the minutes ----------------------------------------------------------


@login_required
@require_POST
def meeting_attachment_add(request: HttpRequest, slug: str, version: int, meeting_id: int) -> HttpResponse:
    meeting = _get_meeting(request, slug, version, meeting_id, write=True)
    charter = meeting.charter
    form = MeetingAttachmentForm(request.POST, request.FILES, meeting=meeting, prefix="attachment")
    if form.is_valid():
        attachment = services.attach_file(
            meeting,
            form.cleaned_data["file"],
            form.kind,
            form.original_name,
            form.cleaned_data["description"],
            request.user,
        )
        messages.success(request, _("“%(name)s” was attached.") % {"name": attachment.original_name})
        return redirect(_meeting_url(charter, meeting) + "#attachments")
    messages.error(request, _("The file was not attached; the reason is shown below."))
    # Only the upload was sent: the meeting's own forms show what is stored.
    meeting_form = StakeholderMeetingForm(instance=meeting, charter=charter, prefix="meeting")
    participants = MeetingParticipantFormSet(instance=meeting, prefix="participants")
    return _meeting_page(request, charter, meeting, meeting_form, participants, attachment_form=form)


@login_required
def meeting_attachment(
    request: HttpRequest, slug: str, version: int, meeting_id: int, attachment_id: int
) -> FileResponse:
    """Serve a scan to staff of the facility only: files are stored outside any public URL."""
    attachment = _get_attachment(request, slug, version, meeting_id, attachment_id)
    return serve_file(attachment.file, attachment.content_type, attachment.original_name)


@login_required
@require_POST
def meeting_attachment_delete(
    request: HttpRequest, slug: str, version: int, meeting_id: int, attachment_id: int
) -> HttpResponse:
    attachment = _get_attachment(request, slug, version, meeting_id, attachment_id, write=True)
    charter = attachment.meeting.charter
    services.remove_file(attachment, request.user)
    messages.success(request, _("“%(name)s” was removed.") % {"name": attachment.original_name})
    return redirect(_meeting_url(charter, attachment.meeting) + "#attachments")


# --- The forum's decision on each service ------------------------------------------------------


@login_required
def agreement(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    charter = get_charter_for_user(request, slug, version, write=True)
    formset = ServiceDecisionFormSet(request.POST or None, charter=charter, prefix="services")
    if request.method == "POST":
        if formset.is_valid():
            services.record_decisions(charter, formset.decisions(), request.user)
            messages.success(request, _("The forum's decisions were saved."))
            return redirect(_meetings_url(charter))
        messages.error(request, _("Please correct the errors below; nothing was saved yet."))
    return render(
        request,
        "charters/manage/agreement_form.html",
        {"facility": charter.facility, "charter": charter, "formset": formset},
    )
