"""Who is told what about a case, by e-mail.

| what happened                                   | who is told                                        |
|-------------------------------------------------|----------------------------------------------------|
| a new case                                      | the facility's staff (not who entered it), and the |
|                                                 | citizen (receipt with the tracking code)           |
| a public answer, a change of status by staff    | the citizen                                        |
| the citizen added information                   | the assignee, or the staff when nobody is assigned |
| the citizen is not satisfied (case reopened)    | the heads, who review it (the staff if no head)    |
| an internal note, an assignment, a new category | nobody                                             |

Citizens are written to only when they gave an address (never for an anonymous case), in the
language they used (`case.language`); staff in the site's language. Staff subjects carry the
code and the facility, never the citizen's contact details.

The messages are written here, in the request, and handed to the `send_email` task once the
transaction commits: the request never waits for the mail server, a rolled-back change sends
nothing, and a queue that cannot take the task is logged without breaking the request.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import translation

from charters.models import MembershipRole

from .models import Case, CaseEvent, EventKind
from .tasks import send_email

logger = logging.getLogger(__name__)

_muted: ContextVar[bool] = ContextVar("feedback_notifications_muted", default=False)


@contextmanager
def muted() -> Iterator[None]:
    """Send nothing for what happens inside: replaying history (the demo) or importing old cases."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def render_email(template: str, context: dict[str, Any], language: str) -> tuple[str, str]:
    """(subject, body) of `feedback/email/<template>.txt` in `language`; the subject on one line."""
    with translation.override(language):
        subject = " ".join(render_to_string(f"feedback/email/{template}_subject.txt", context).split())
        body = render_to_string(f"feedback/email/{template}.txt", context)
    return subject, body


def _queue(
    template: str, context: dict[str, Any], recipients: list[str], language: str, *, case: Case | None = None
) -> None:
    """Hand the e-mail to the worker once the transaction commits; `case`: a mail to the citizen,
    whose failure the case's staff must see."""
    recipients = sorted({address for address in recipients if address})
    if not recipients:
        return
    subject, body = render_email(template, context, language)
    case_id = case.pk if case is not None else None

    def enqueue() -> None:
        send_email.enqueue(subject, body, recipients, 1, case_id)

    # robust: the case is saved whatever happens to the queue; a lost e-mail is logged, not a 500.
    transaction.on_commit(enqueue, robust=True)


def _staff(case: Case) -> Any:
    """Active users of the case's facility with an e-mail address."""
    return (
        get_user_model()
        .objects.filter(is_active=True, memberships__facility_id=case.facility_id)
        .exclude(email="")
        .distinct()
    )


def staff_addresses(case: Case, *, heads_only: bool = False, exclude: Any = None) -> list[str]:
    """Who at the facility hears about the case.

    The assignee alone once there is one (while they still work there, or are a superuser,
    and have an address); otherwise every staff member. `heads_only`: the heads, or every
    staff member when the facility has no head with an address.
    """
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    if heads_only:
        # One filter() call: the head role must be at this facility, not at another one.
        heads = users.filter(
            memberships__facility_id=case.facility_id, memberships__role=MembershipRole.HEAD
        ).distinct()
        found = list(heads.values_list("email", flat=True))
        if found:
            return found
    elif case.assignee_id:
        found = list(
            users.filter(
                Q(pk=case.assignee_id),
                Q(is_superuser=True) | Q(memberships__facility_id=case.facility_id),
            )
            .distinct()
            .values_list("email", flat=True)
        )
        if found:
            return found
    staff = _staff(case)
    if exclude is not None:
        staff = staff.exclude(pk=exclude.pk)
    return list(staff.values_list("email", flat=True))


def case_received(case: Case) -> None:
    """A new case: its staff are told (except who entered it for the citizen); the citizen
    gets the receipt with the tracking code."""
    if _muted.get():
        return
    context = {
        "case": case,
        "case_url": site_url(case.get_absolute_url()),
        "track_url": site_url(case.get_tracking_url()),
    }
    _queue("staff_new_case", context, staff_addresses(case, exclude=case.entered_by), settings.LANGUAGE_CODE)
    if case.email and not case.anonymous:
        _queue("citizen_received", context, [case.email], case.language, case=case)


def citizen_update(event: CaseEvent) -> None:
    """A public answer or a change of status made by staff: the citizen is told, when an
    address was given. What the citizen did themselves, and internal events, send nothing."""
    case = event.case
    if _muted.get() or not event.public or event.by_citizen or event.kind not in (EventKind.REPLY, EventKind.STATUS):
        return
    if not case.email or case.anonymous:
        return
    context = {"case": case, "event": event, "track_url": site_url(case.get_tracking_url())}
    _queue("citizen_update", context, [case.email], case.language, case=case)


def staff_update(event: CaseEvent) -> None:
    """The citizen added information or was not satisfied: the assignee (or the staff) is told;
    a reopened case goes to the heads, who review it."""
    case = event.case
    if _muted.get() or not event.by_citizen:
        return
    context = {"case": case, "event": event, "case_url": site_url(case.get_absolute_url())}
    heads_only = event.kind == EventKind.RATED
    _queue("staff_update", context, staff_addresses(case, heads_only=heads_only), settings.LANGUAGE_CODE)
