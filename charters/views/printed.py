"""The charter on paper, from the same record as the web page: the wall poster with its QR code,
a counter card per service with three, and the handbook for the binder at the information desk.

Served through the page cache like the charter page (`charters.pagecache`): the QR code prints the
page's own absolute address, and the cache keys on the host, so each host keeps its own copy.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .. import pagecache
from ..models import Charter, Facility
from .public import published_charter_or_none

POSTER_SIZES = ("a4", "a3")

Extra = Callable[[Facility, Charter], dict[str, Any]]


def _printed(
    request: HttpRequest, slug: str, template: str, extra: Extra, *, queries: Collection[str] = ()
) -> HttpResponse:
    """The facility's charter in force drawn with `template` (with what `extra` adds to the
    context), through the page cache; the "no charter yet" page before one is published."""
    facility = pagecache.public_facility(slug)

    def body() -> tuple[str, dict[str, Any]]:
        charter = published_charter_or_none(facility)
        if charter is None:
            return "charters/public/no_charter.html", {"facility": facility}
        charter.facility = facility
        return template, {"facility": facility, "charter": charter, **extra(facility, charter)}

    return pagecache.serve(request, facility, body, queries=queries)


def _absolute(request: HttpRequest, name: str, *args: str, query: str = "") -> str:
    return request.build_absolute_uri(reverse(name, args=args) + query)


def poster(request: HttpRequest, slug: str) -> HttpResponse:
    """One printable page (`?size=a3` for A3; A4 otherwise): name, pledge, vision and mission, the
    services' essentials, the complaint channels, how the charter was agreed, the head's signature
    line and a QR code to the charter on the web."""
    size = request.GET.get("size") if request.GET.get("size") in POSTER_SIZES else "a4"

    def extra(facility: Facility, charter: Charter) -> dict[str, Any]:
        services = list(charter.services.all())
        common_hours = charter.usual_hours()
        for service in services:
            rows = service.schedule_rows()
            service.own_hours = [] if rows == common_hours else rows
        return {
            "services": services,
            "common_hours": common_hours,
            "size": size,
            "charter_url": _absolute(request, "public:charter", facility.slug),
            "feedback_url": _absolute(request, "public:feedback", facility.slug),
            "printed_on": timezone.localdate(),
        }

    return _printed(request, slug, "charters/public/poster.html", extra, queries=["size=a3", "size=a4"])


def cards(request: HttpRequest, slug: str) -> HttpResponse:
    """A counter card (A5) per service: its essentials and three QR codes, to its page, to its
    survey and to the complaint form, each with the service chosen."""

    def extra(facility: Facility, charter: Charter) -> dict[str, Any]:
        services = list(charter.services.all())
        for service in services:
            query = f"?{urlencode({'service': service.slug})}"
            service.card_links = [
                (_absolute(request, "public:service", facility.slug, service.slug), _("Read the whole standard")),
                (_absolute(request, "public:survey", facility.slug, query=query), _("How was it? Answer the survey")),
                (_absolute(request, "public:feedback", facility.slug, query=query), _("Complain or suggest")),
            ]
        return {"services": services}

    return _printed(request, slug, "charters/public/cards.html", extra)


def handbook(request: HttpRequest, slug: str) -> HttpResponse:
    """Every service's whole standard, one per page, after a cover with the pledge and a table of
    contents: for the binder at the information desk."""

    def extra(facility: Facility, charter: Charter) -> dict[str, Any]:
        return {"charter_url": _absolute(request, "public:charter", facility.slug)}

    return _printed(request, slug, "charters/public/handbook.html", extra)
