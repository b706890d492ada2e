"""The facility's self-assessment against the ministry's evaluation of public service units, under
/manage/<facility>/self-assessment/: read-only and printable, computed from the data on the day
it is opened (see `monitoring.selfassessment`).

A fixed number of queries whatever the number of services, answers and cases.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from charters.access import get_facility_for_user

from ..selfassessment import MAX_SCORE, RULES, assess


@login_required
@require_safe
def self_assessment(request: HttpRequest, slug: str) -> HttpResponse:
    facility = get_facility_for_user(request, slug)
    return render(
        request,
        "monitoring/self_assessment.html",
        {"facility": facility, "assessment": assess(facility), "rules": RULES, "max_score": MAX_SCORE},
    )
