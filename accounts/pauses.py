"""The head's page of sign-in pauses: which of the facility's staff typed wrong passwords or codes
lately (django-axes' attempts, by username) and whether signing in is paused for them, with a
button that lets them sign in again. The head lifts; a supervisor of the regency reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit import services as audit
from charters.access import get_facility_for_user
from charters.models import Facility, Membership, user_is_head

from .forms import LiftPauseForm


@dataclass
class StaffAttempts:
    """The recent failed sign-ins of one username (django-axes keeps a row per address and
    browser; the pause counts them all together, as this does)."""

    username: str
    name: str
    failures: int = 0
    last_attempt: datetime | None = None
    addresses: list[str] = field(default_factory=list)

    @property
    def paused_until(self) -> datetime | None:
        if self.failures < settings.AXES_FAILURE_LIMIT or self.last_attempt is None:
            return None
        return self.last_attempt + settings.AXES_COOLOFF_TIME


def staff_attempts(facility: Facility) -> list[StaffAttempts]:
    """The facility's staff with failed sign-ins within the cool-off time, most recent first: two
    queries. Older attempts no longer count towards a pause, so they are left out."""
    members = {
        m.user.get_username(): m.user
        for m in Membership.objects.filter(facility=facility).select_related("user").order_by("user__username")
    }
    attempts = AccessAttempt.objects.filter(
        username__in=list(members), attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME
    ).order_by("attempt_time")
    by_username: dict[str, StaffAttempts] = {}
    for attempt in attempts:
        user = members[attempt.username]
        row = by_username.setdefault(
            attempt.username, StaffAttempts(attempt.username, user.get_full_name() or attempt.username)
        )
        row.failures += attempt.failures_since_start
        row.last_attempt = attempt.attempt_time
        if attempt.ip_address and attempt.ip_address not in row.addresses:
            row.addresses.append(attempt.ip_address)
    return sorted(by_username.values(), key=lambda row: row.last_attempt, reverse=True)


@login_required
def sign_in_pauses(request: HttpRequest, slug: str) -> HttpResponse:
    facility = get_facility_for_user(request, slug)
    # Staff of the facility: the head only. Someone reading without working here is a supervisor
    # of the regency (the access helper refuses their changes, so they cannot lift).
    is_head = user_is_head(request.user, facility.pk)
    if facility.works_here and not is_head:
        raise PermissionDenied(_("Only the head of the facility may do this."))
    return render(
        request,
        "accounts/sign_in_pauses.html",
        {
            "facility": facility,
            "rows": staff_attempts(facility),
            "can_lift": is_head,
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        },
    )


@login_required
@require_POST
def sign_in_pause_lift(request: HttpRequest, slug: str) -> HttpResponse:
    facility = get_facility_for_user(request, slug, head=True)
    usernames = set(Membership.objects.filter(facility=facility).values_list("user__username", flat=True))
    form = LiftPauseForm(request.POST, usernames=usernames)
    if form.is_valid():
        username = form.cleaned_data["username"]
        # Every address's attempts for the username: its pause ends and its count starts again.
        axes_reset(username=username)
        audit.note(request, username)
        messages.success(request, _("%(username)s can sign in again.") % {"username": username})
    else:
        messages.error(request, " ".join(form.errors.get("username", [])))
    return redirect("manage:sign_in_pauses", facility.slug)
