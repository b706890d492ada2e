"""Starting a revision for a reason: a finding (of an evaluation round, say) that the charter in
force does not keep a promise, answered by a change in the next version."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import ChangeReason, Charter, CharterEvent, Facility
from .base import log_event
from .lifecycle import start_draft


@dataclass(frozen=True)
class Reason:
    """Why the revision changes a service (its slug) or the whole charter (no slug)."""

    source: str
    text: str
    service_slug: str = ""


@transaction.atomic
def start_revision(facility: Facility, user: Any, reasons: Iterable[Reason], *, now: datetime | None = None) -> Charter:
    """The draft that answers `reasons`: the version already being drafted or in consultation,
    or a new draft copied from the version in force. Refused while a version is agreed or
    approved (its content is settled; the next revision starts after it is published)."""
    now = now or timezone.now()
    draft = start_draft(facility, user, now=now)  # takes the facility lock
    if not draft.is_editable:
        raise ValidationError(
            _(
                "Version %(version)s is already “%(status)s”: its content can no longer change. "
                "Start the revision once it is published."
            )
            % {"version": draft.version, "status": draft.get_status_display()},
            code="settled",
        )
    reasons = list(reasons)
    for reason in reasons:
        ChangeReason.objects.create(
            charter=draft,
            service_slug=reason.service_slug,
            source=reason.source[:200],
            text=reason.text,
            created_at=now,
        )
        log_event(draft, CharterEvent.Action.REASON_ADDED, user, f"{reason.source}: {reason.text}", now=now)
    return draft
