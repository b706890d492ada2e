"""The staff dashboard: each of the user's facilities with its charter versions and its cases."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from charters.models import OPEN_CHARTER_STATUSES, Charter, CharterStatus, Facility, Membership
from feedback.reports import with_case_counts


@login_required
def staff(request: HttpRequest) -> HttpResponse:
    facilities = (
        Facility.objects.for_user(request.user)
        .prefetch_related(
            Prefetch(
                "charters",
                queryset=Charter.objects.filter(status__in=[*OPEN_CHARTER_STATUSES, CharterStatus.PUBLISHED])
                .annotate(service_count=Count("services"))
                .order_by("-version"),
                to_attr="open_charters",
            ),
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(user=request.user),
                to_attr="my_memberships",
            ),
        )
        .order_by("name")
    )
    today = timezone.localdate()
    facilities = with_case_counts(facilities, today)  # counted in the same query
    return render(request, "dashboard/staff.html", {"facilities": facilities})
