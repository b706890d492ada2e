"""Writing the audit trail. `record` is the one place an entry is made; views may say more about
what they did with `note` (the middleware adds it to the entry it writes for the request)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest

from charter_site.ratelimit import client_ip
from charters.models import Facility

from .actions import ALL
from .models import Entry

DETAIL_LENGTH = Entry._meta.get_field("detail").max_length
NAME_LENGTH = Entry._meta.get_field("actor_name").max_length


def note(request: HttpRequest, detail: str) -> None:
    """What the view did, in a few words (the period deleted, the fields changed), for the
    entry the middleware writes if the request succeeds."""
    request.audit_detail = detail  # type: ignore[attr-defined]


def record(
    request: HttpRequest | None,
    action: str,
    *,
    actor: Any = None,
    actor_name: str = "",
    facility: Facility | None = None,
    target: Mapping[str, Any] | None = None,
    detail: str = "",
) -> Entry:
    """One entry: `actor` (default: the request's user) did `action` (a key of `actions.ALL`) at
    `facility` on `target`, from the request's address."""
    kind = ALL[action][0]
    if actor is None and request is not None and getattr(request, "user", None) and request.user.is_authenticated:
        actor = request.user
    return Entry.objects.create(
        actor=actor,
        actor_name=(actor_name or (actor.get_username() if actor else ""))[:NAME_LENGTH],
        facility=facility,
        facility_name=facility.name if facility else "",
        kind=kind,
        action=action,
        target=dict(target or {}),
        detail=detail[:DETAIL_LENGTH],
        address=(client_ip(request) or None) if request is not None else None,
        path=request.path[:300] if request is not None else "",
    )
