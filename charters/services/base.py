"""What every charter service shares: the facility lock, the audit event, the clock."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from ..models import EDITABLE_STATUSES, Charter, CharterEvent, Facility, ImmutableCharterError


def lock_facility(facility_id: int) -> None:
    """Serialise every write to one facility's charters.

    Two people acting on the same facility at once (two heads publishing, an editor opening a
    revision while a head publishes, an editor removing a signed participant while another marks
    the version as agreed) queue on this row lock: the second sees the first's result. Call it
    inside a transaction, before reading what the write depends on.
    """
    Facility.objects.select_for_update().only("pk").get(pk=facility_id)


@contextmanager
def editing(charter: Charter) -> Iterator[None]:
    """A transaction in which the charter, as stored now, is still open for editing.

    The race: an editor changes the content (say, removes a signed participant) while another
    marks the version as agreed. `mark_agreed` checks the content under the facility lock; taking
    the same lock here puts this write either before that check, or after the version froze,
    where it is refused (`ImmutableCharterError`, a 403 when a view lets it through).
    """
    with transaction.atomic():
        lock_facility(charter.facility_id)
        if charter.stored_status() not in {None, *EDITABLE_STATUSES}:
            raise ImmutableCharterError(charter)
        yield


def log_event(
    charter: Charter, action: str, user: Any, comment: str = "", *, now: datetime | None = None
) -> CharterEvent:
    """Append who did what to the version's history (never changed afterwards)."""
    return CharterEvent.objects.create(
        charter=charter,
        action=action,
        user=user if user is not None and user.is_authenticated else None,
        comment=comment,
        created_at=now or timezone.now(),
    )


def stamp_history(obj: Any, user: Any, now: datetime) -> Any:
    """Credit the django-simple-history record of the next save to `user` at `now`.

    The pages' history middleware credits the signed-in user already; this also covers calls
    outside a request and replays of history with an explicit `now`.
    """
    obj._history_date = now
    if user is not None and user.is_authenticated:
        obj._history_user = user
    return obj
