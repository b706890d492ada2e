"""The charter on paper, from the same record as the web page: the wall poster with its QR code,
a counter card per service with three, and the handbook for the binder at the information desk.

Served through the page cache like the charter page (`charters.pagecache`): the QR code prints the
page's own absolute address, and the cache keys on the host, so each host keeps its own copy.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .. import pagecache
from .public import published_charter_or_none

POSTER_SIZES = ("a4", "a3")


def poster(request: HttpRequest, slug: str) -> HttpResponse:
    """One printable page (`?size=a3` for A3; A4 otherwise): name, pledge, vision and mission, the
    services' essentials, the complaint channels, how the charter was agreed, the head's signature
    line and a QR code to the charter on the web."""
    facility = pagecache.public_facility(slug)
    size = request.GET.get("size") if request.GET.get("size") in POSTER_SIZES else "a4"

    def body() -> tuple[str, dict[str, Any]]:
        charter = published_charter_or_none(facility)
        if charter is None:
            return "charters/public/no_charter.html", {"facility": facility}
        charter.facility = facility
        services = list(charter.services.all())
        common_hours = charter.usual_hours()
        for service in services:
            rows = service.schedule_rows()
            service.own_hours = [] if rows == common_hours else rows
        return "charters/public/poster.html", {
            "facility": facility,
            "charter": charter,
            "services": services,
            "common_hours": common_hours,
            "size": size,
            "charter_url": request.build_absolute_uri(reverse("public:charter", args=[facility.slug])),
            "feedback_url": request.build_absolute_uri(reverse("public:feedback", args=[facility.slug])),
            "printed_on": timezone.localdate(),
        }

    return pagecache.serve(request, facility, body, queries=["size=a3", "size=a4"])


def cards(request: HttpRequest, slug: str) -> HttpResponse:
    """A counter card (A5) per service: its essentials and three QR codes, to its page, to its
    survey and to the complaint form, each with the service chosen."""
    facility = pagecache.public_facility(slug)

    def body() -> tuple[str, dict[str, Any]]:
        charter = published_charter_or_none(facility)
        if charter is None:
            return "charters/public/no_charter.html", {"facility": facility}
        charter.facility = facility
        services = list(charter.services.all())
        for service in services:
            query = f"?{urlencode({'service': service.slug})}"
            service.card_links = [
                (
                    request.build_absolute_uri(reverse("public:service", args=[facility.slug, service.slug])),
                    _("Read the whole standard"),
                ),
                (
                    request.build_absolute_uri(reverse("public:survey", args=[facility.slug]) + query),
                    _("How was it? Answer the survey"),
                ),
                (
                    request.build_absolute_uri(reverse("public:feedback", args=[facility.slug]) + query),
                    _("Complain or suggest"),
                ),
            ]
        return "charters/public/cards.html", {"facility": facility, "charter": charter, "services": services}

    return pagecache.serve(request, facility, body)


def handbook(request: HttpRequest, slug: str) -> HttpResponse:
    """Every service's whole standard, one per page, after a cover with the pledge and a table of
    contents: for the binder at the information desk."""
    facility = pagecache.public_facility(slug)

    def body() -> tuple[str, dict[str, Any]]:
        charter = published_charter_or_none(facility)
        if charter is None:
            return "charters/public/no_charter.html", {"facility": facility}
        charter.facility = facility
        return "charters/public/handbook.html", {
            "facility": facility,
            "charter": charter,
            "charter_url": request.build_absolute_uri(reverse("public:charter", args=[facility.slug])),
        }

    return pagecache.serve(request, facility, body)
