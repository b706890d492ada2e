"""The home page's search: facilities by name, village, district or regency, and by the name or
description of the services of their charter in force, as people type it in Bahasa Indonesia.

Case and punctuation do not matter and neither does the order of the words: the query is cut into
words and a facility is found when every word is in its own fields or in one of its published
services ("surat sehat" finds "Surat Keterangan Sehat", "vaksin" the services whose description
says vaksin). Deferred services are never found nor counted. On PostgreSQL, trigram indexes on the
same expressions (migration 0010) keep this fast with tens of thousands of facilities; SQLite
reads the rows.
"""

from __future__ import annotations

import re

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from .models import AgreementDecision, CharterStatus, Facility, ServiceStandard

MAX_WORDS = 8
FACILITY_FIELDS = ("name", "village", "district", "regency")
SERVICE_FIELDS = ("name", "description")


def words(query: str) -> list[str]:
    """The query's words, lower case, without punctuation; one-letter words say nothing."""
    return [word for word in re.findall(r"\w+", query.casefold()) if len(word) > 1][:MAX_WORDS]


def _any_field(fields: tuple[str, ...], word: str, prefix: str = "") -> Q:
    query = Q()
    for field in fields:
        query |= Q(**{f"{prefix}{field}__icontains": word})
    return query


def published_services() -> QuerySet[ServiceStandard]:
    return ServiceStandard.objects.filter(charter__status=CharterStatus.PUBLISHED).exclude(
        agreement=AgreementDecision.DEFERRED
    )


def facilities(query: str) -> QuerySet[Facility]:
    """Facilities with a published charter matching every word (counting their services is left
    to `service_counts`, for one page only: a count over every match is what made it slow)."""
    found = Facility.objects.filter(charters__status=CharterStatus.PUBLISHED).order_by("regency", "name")
    for word in words(query):
        in_a_service = (
            published_services().filter(charter__facility=OuterRef("pk")).filter(_any_field(SERVICE_FIELDS, word))
        )
        found = found.filter(_any_field(FACILITY_FIELDS, word) | Q(Exists(in_a_service)))
    return found


def service_counts(page: list[Facility]) -> dict[int, int]:
    """The number of published services (deferred ones left out) of each facility of a page."""
    rows = (
        published_services()
        .filter(charter__facility__in=[facility.pk for facility in page])
        .order_by()
        .values_list("charter__facility_id")
        .annotate(number=Count("pk"))
    )
    return dict(rows)


def matching_services(page: list[Facility], query: str) -> dict[int, list[ServiceStandard]]:
    """For each facility of a page of results, its services that the query names: every word is
    in the service or in the facility's own fields, and at least one is in the service."""
    wanted = words(query)
    if not wanted:
        return {}
    by_facility: dict[int, list[ServiceStandard]] = {}
    services = published_services().filter(charter__facility__in=[facility.pk for facility in page])
    services = services.select_related("charter").only("name", "slug", "description", "charter__facility_id")
    own = {facility.pk: " ".join(getattr(facility, f) for f in FACILITY_FIELDS).casefold() for facility in page}
    for service in services.order_by("position", "id"):
        facility_id = service.charter.facility_id
        text = f"{service.name} {service.description}".casefold()
        if all(word in text or word in own[facility_id] for word in wanted) and any(w in text for w in wanted):
            by_facility.setdefault(facility_id, []).append(service)
    return by_facility
