"""The promise-against-reality figures of a facility's services, under
/manage/<facility>/observations/figures/: a read-only, printable page for the forum of
providers, users and stakeholders.

A fixed number of queries whatever the number of services and observations (see
`monitoring.figures.service_figures`).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from charters.access import get_facility_for_user
from feedback.forms.dates import DateRangeForm

from ..figures import PeriodFigures, chosen_period, service_figures
from ..promises import MIN_PUBLIC_OBSERVATIONS


@login_required
@require_safe
def observation_figures(request: HttpRequest, slug: str) -> HttpResponse:
    facility = get_facility_for_user(request, slug)
    form = DateRangeForm(request.GET or None)
    start, end = chosen_period(form)
    if not form.is_bound:
        form = DateRangeForm(initial={"from": start, "to": end})
    figures = PeriodFigures(start=start, end=end, rows=service_figures(facility, start, end))
    return render(
        request,
        "monitoring/figures.html",
        {"facility": facility, "form": form, "figures": figures, "min_public": MIN_PUBLIC_OBSERVATIONS},
    )
