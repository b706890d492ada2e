"""Who is told what about a case, by e-mail.

The messages are written here, in the request (in the recipient's language), and handed to
the `send_email` task once the transaction commits: the request never waits for the mail
server, and a rolled-back change sends nothing.
"""

from __future__ import annotations

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


def site_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _queue(template: str, context: dict[str, Any], recipients: list[str], language: str) -> None:
    recipients = sorted({address for address in recipients if address})
    if not recipients:
        return
    with translation.override(language):
        subject = " ".join(render_to_string(f"feedback/email/{template}_subject.txt", context).split())
        body = render_to_string(f"feedback/email/{template}.txt", context)
    transaction.on_commit(lambda: send_email.enqueue(subject, body, recipients))


def staff_addresses(case: Case, *, heads_only: bool = False) -> list[str]:
    """The facility's staff with an e-mail address; the assignee alone once there is one."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    if case.assignee_id and not heads_only:
        users = users.filter(pk=case.assignee_id)
    else:
        members = Q(memberships__facility_id=case.facility_id)
        if heads_only:
            members &= Q(memberships__role=MembershipRole.HEAD)
        users = users.filter(members)
    return list(users.values_list("email", flat=True).distinct())


def case_received(case: Case) -> None:
    """A new case: its staff are told; the citizen gets the receipt with the tracking code."""
    context = {
        "case": case,
        "case_url": site_url(case.get_absolute_url()),
        "track_url": site_url(case.get_tracking_url()),
    }
    _queue("staff_new_case", context, staff_addresses(case), settings.LANGUAGE_CODE)
    _queue("citizen_received", context, [case.email], case.language)


def citizen_update(event: CaseEvent) -> None:
    """A public answer or a change of status: the citizen is told, when an address was given."""
    case = event.case
    if not event.public or not case.email or event.by_citizen:
        return
    context = {"case": case, "event": event, "track_url": site_url(case.get_tracking_url())}
    _queue("citizen_update", context, [case.email], case.language)


def staff_update(event: CaseEvent) -> None:
    """The citizen added information or was not satisfied: the assignee (or the staff) is told;
    a reopened case goes to the heads, who review it."""
    case = event.case
    context = {"case": case, "event": event, "case_url": site_url(case.get_absolute_url())}
    heads_only = event.kind == EventKind.RATED
    _queue("staff_update", context, staff_addresses(case, heads_only=heads_only), settings.LANGUAGE_CODE)
