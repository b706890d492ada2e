"""Public pages: what every citizen can read without logging in.

The charter and service pages are served from the cache (`charters.pagecache`): each view looks up
the key's facility, and gives `pagecache.serve` a function that loads and names what to render.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .. import pagecache, search
from ..forms import SearchForm
from ..models import AgreementDecision, Charter, CharterStatus, Facility, ServiceStandard, StakeholderMeeting

PUBLISHED = Q(status=CharterStatus.PUBLISHED)


def charter_with_content(*, public: bool = False, **service_filter: str) -> QuerySet[Charter]:
    """Charters with everything the charter page shows, loaded in a fixed number of queries.

    `public`: leave out services the stakeholder forum deferred; they are not part of the agreement.
    """
    services = ServiceStandard.objects.filter(**service_filter).prefetch_related(
        "requirements", "steps", "schedule_slots"
    )
    if public:
        services = services.exclude(agreement=AgreementDecision.DEFERRED)
    return Charter.objects.select_related("facility", "published_by", "approved_by").prefetch_related(
        Prefetch("services", queryset=services),
        "clauses",
        Prefetch("meetings", queryset=StakeholderMeeting.objects.prefetch_related("participants")),
    )


def published_charter_or_none(facility: Facility) -> Charter | None:
    return charter_with_content(public=True).filter(PUBLISHED, facility=facility).first()


def home(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    page = Paginator(search.facilities(query), 20).get_page(request.GET.get("page"))
    found = search.matching_services(list(page), query)
    counts = search.service_counts(list(page))
    for facility in page:
        facility.matching_services = found.get(facility.pk, [])
        facility.service_count = counts.get(facility.pk, 0)
    return render(request, "charters/public/home.html", {"form": form, "query": query, "page": page})


def charter_detail(request: HttpRequest, slug: str) -> HttpResponse:
    facility = pagecache.public_facility(slug)
    # ?print=1 opens every collapsed part, so that the browser prints the whole charter.
    expand = request.GET.get("print") == "1"

    def body() -> tuple[str, dict[str, Any]]:
        charter = published_charter_or_none(facility)
        if charter is None:
            return "charters/public/no_charter.html", {"facility": facility}
        charter.facility = facility
        return "charters/public/charter.html", {"facility": facility, "charter": charter, "expand": expand}

    return pagecache.serve(request, facility, body, queries=["print=1"])


def service_detail(request: HttpRequest, slug: str, service_slug: str) -> HttpResponse:
    facility = pagecache.public_facility(slug)

    def body() -> tuple[str, dict[str, Any]]:
        charter = charter_with_content(public=True, slug=service_slug).filter(PUBLISHED, facility=facility).first()
        if charter is None:
            return "charters/public/no_charter.html", {"facility": facility}
        service = next(iter(charter.services.all()), None)
        if service is None:
            raise Http404("No such service")
        return "charters/public/service.html", {"facility": facility, "charter": charter, "service": service}

    return pagecache.serve(request, facility, body)
