"""Version history: every public version of a charter, each old one readable, and what changed.

The public pages are served from the cache (`charters.pagecache`), as the charter page is.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .. import pagecache, services
from ..access import get_charter_for_user
from ..diff import charters_for_diff, diff_charters
from ..models import PUBLIC_STATUSES, AgreementDecision, CharterStatus
from .public import charter_with_content

PUBLIC = Q(status__in=PUBLIC_STATUSES)


def versions(request: HttpRequest, slug: str) -> HttpResponse:
    facility = pagecache.public_facility(slug)

    def body() -> tuple[str, dict[str, Any]]:
        charters = list(
            facility.charters.filter(PUBLIC)
            .annotate(service_count=Count("services", filter=~Q(services__agreement=AgreementDecision.DEFERRED)))
            .order_by("-version")
        )
        # Newest first: each version was in force until the next one took effect.
        for index, charter in enumerate(charters):
            newer = charters[index - 1] if index else None
            older = charters[index + 1] if index + 1 < len(charters) else None
            charter.in_force_until = newer.effective_date if newer else None
            charter.previous_version = older.version if older else None
        return "charters/public/versions.html", {"facility": facility, "charters": charters}

    return pagecache.serve(request, facility, body)


def version_detail(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    facility = pagecache.public_facility(slug)
    expand = request.GET.get("print") == "1"

    def body() -> tuple[str, dict[str, Any]]:
        charter = charter_with_content(public=True).filter(PUBLIC, facility=facility, version=version).first()
        if charter is None:
            raise Http404("No such public version")
        charter.facility = facility
        successor = (
            facility.charters.filter(PUBLIC, version__gt=charter.version)
            .order_by("version")
            .only("effective_date")
            .first()
        )
        return "charters/public/version.html", {
            "facility": facility,
            "charter": charter,
            "archived": charter.is_superseded,
            "in_force_until": successor.effective_date if successor else None,
            "expand": expand,
        }

    return pagecache.serve(request, facility, body, queries=["print=1"])


def version_diff(request: HttpRequest, slug: str, version: int, other: int) -> HttpResponse:
    if version > other:
        # One address per pair of versions, the older first: "from version 1 to version 2".
        return redirect("public:version_diff", slug, other, version)
    facility = pagecache.public_facility(slug)

    def body() -> tuple[str, dict[str, Any]]:
        found = {
            c.version: c.pk for c in facility.charters.filter(PUBLIC, version__in=[version, other]).only("version")
        }
        if version not in found or other not in found:
            raise Http404("No such public version")
        loaded = charters_for_diff(found[version], found[other])
        old, new = loaded[found[version]], loaded[found[other]]
        return "charters/public/diff.html", {
            "facility": facility,
            "old": old,
            "new": new,
            "diff": diff_charters(old, new),
        }

    return pagecache.serve(request, facility, body)


@login_required
def charter_diff(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    """This version against the published one: what citizens would see change."""
    charter = get_charter_for_user(request, slug, version)
    facility = charter.facility
    if services.take_effect(facility):
        charter.refresh_from_db()
    published = facility.charters.filter(status=CharterStatus.PUBLISHED).only("pk", "version").first()
    context: dict[str, object] = {"facility": facility, "charter": charter, "published": published, "diff": None}
    if published is not None and published.pk != charter.pk:
        older, newer = sorted([charter, published], key=lambda c: c.version)
        loaded = charters_for_diff(older.pk, newer.pk)
        context["diff"] = diff_charters(loaded[older.pk], loaded[newer.pk])
    return render(request, "charters/manage/diff.html", context)
