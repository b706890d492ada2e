"""The audit trail: one append-only entry per staff action that changed data or read personal
data in bulk, and per sign-in, sign-out and failed sign-in.

Entries are written by `audit.middleware` (every staff action, from its URL) and `audit.signals`
(sign-in events); nothing in the application edits or deletes them. An entry keeps the person's
username and the facility's name as they were, so it still reads right after either is renamed
or deleted.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    SIGN_IN = "sign_in", _("Sign-in and account")
    CHARTER = "charter", _("Charter and services")
    FORUM = "forum", _("Forum and consultation")
    FEEDBACK = "feedback", _("Complaints and feedback")
    SURVEY = "survey", _("Satisfaction survey")
    MONITORING = "monitoring", _("Monitoring and evaluation")
    SETTINGS = "settings", _("Profile and settings")
    EXPORT = "export", _("Exports and downloads")


class ImmutableEntryError(Exception):
    """An audit entry is never changed or deleted once written."""


class EntryQuerySet(models.QuerySet["Entry"]):
    def update(self, **kwargs: Any) -> int:
        raise ImmutableEntryError("audit entries cannot be changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise ImmutableEntryError("audit entries cannot be deleted")


class Entry(models.Model):
    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    actor_name = models.CharField(_("username"), max_length=150, blank=True)
    facility = models.ForeignKey(
        "charters.Facility",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("facility"),
    )
    facility_name = models.CharField(_("facility name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # The URL name of a staff action ("manage:case_step") or a sign-in event ("sign_in_failed"):
    # `audit.actions` gives what it says in words.
    action = models.CharField(_("action"), max_length=80)
    # What the action was on, from the URL (`{"version": 3, "service_slug": "poli-umum"}`).
    target = models.JSONField(_("on what"), default=dict, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    path = models.CharField(_("page"), max_length=300, blank=True)

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["facility", "-created_at"], name="audit_facility_time"),
            models.Index(fields=["actor", "-created_at"], name="audit_actor_time"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name or '—'} {self.description}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableEntryError("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableEntryError("audit entries cannot be deleted")

    @property
    def description(self) -> str:
        from .actions import describe

        return describe(self.action)

    @property
    def target_text(self) -> str:
        from .actions import describe_target

        return describe_target(self.target)
