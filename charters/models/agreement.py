"""How a charter version is agreed: the public consultation and the stakeholder forum."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .base import ParticipantGroup
from .charter import Charter, CharterData
from .service import ServiceStandard


class StakeholderMeeting(CharterData):
    """A forum meeting (Forum Konsultasi Publik / musyawarah) on one charter version."""

    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("charter"))
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    agenda = models.TextField(_("agenda"), max_length=2000, blank=True)
    minutes = models.TextField(_("minutes (berita acara)"), max_length=20000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("stakeholder meeting")
        verbose_name_plural = _("stakeholder meetings")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.place}"

    def get_charter(self) -> Charter:
        return self.charter


class MeetingParticipant(CharterData):
    status_lookup = "meeting__charter__status"

    meeting = models.ForeignKey(
        StakeholderMeeting, on_delete=models.CASCADE, related_name="participants", verbose_name=_("meeting")
    )
    name = models.CharField(_("name"), max_length=150)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    group = models.CharField(_("group"), max_length=20, choices=ParticipantGroup.choices)
    position = models.CharField(_("job or role"), max_length=150, blank=True)
    signed = models.BooleanField(_("signed the minutes"), default=False)

    class Meta:
        ordering = ["group", "name", "id"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return self.name

    def get_charter(self) -> Charter:
        return self.meeting.charter


def attachment_path(instance: Any, filename: str) -> str:
    # Outside any public URL: only the staff view serves these files.
    return f"private/meetings/{instance.meeting.charter.facility_id}/{instance.meeting_id}/{filename}"


class MeetingAttachment(CharterData):
    """A scan or photo of the minutes or the attendance list (PDF, JPEG or PNG, at most 10 MB)."""

    status_lookup = "meeting__charter__status"

    meeting = models.ForeignKey(
        StakeholderMeeting, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("meeting")
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    description = models.CharField(_("description"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("meeting attachment")
        verbose_name_plural = _("meeting attachments")

    def __str__(self) -> str:
        return self.original_name

    def get_charter(self) -> Charter:
        return self.meeting.charter


class ConsultationComment(models.Model):
    """A public comment on a version in consultation, on one service or on the whole charter.

    Comments are the public's, not the charter's content: they stay when the version freezes,
    and staff may still reply to them.
    """

    charter = models.ForeignKey(
        Charter, on_delete=models.CASCADE, related_name="consultation_comments", verbose_name=_("charter")
    )
    service = models.ForeignKey(
        ServiceStandard,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultation_comments",
        verbose_name=_("service"),
    )
    author_name = models.CharField(_("name"), max_length=100, blank=True)
    text = models.TextField(_("comment"), max_length=3000)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now, editable=False)
    addressed = models.BooleanField(_("addressed"), default=False)
    reply = models.TextField(_("reply"), max_length=3000, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("consultation comment")
        verbose_name_plural = _("consultation comments")

    def __str__(self) -> str:
        return self.text[:80]
