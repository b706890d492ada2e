"""The home page's search: facilities by name, village, district or regency, and by the name or
description of the services of their charter in force, as people type it in Bahasa Indonesia.

Case and punctuation do not matter and neither does the order of the words: the query is cut into
words and a facility is found when every word begins a word of its own fields or of one of its
published services ("surat sehat" finds "Surat Keterangan Sehat", "vaksin" the services whose
description says vaksin or vaksinasi). Deferred services are never found nor counted.

Each facility with a published charter has one `SearchDocument`: the distinct words of all that,
written whenever the facility or one of its versions is saved (`refresh`). On PostgreSQL a
full-text index on it (migration 0011) answers a query over 20,000 facilities and 800,000
services in milliseconds (bench/search.py); SQLite, for `make run`, reads the documents.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import Count, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_delete, post_save

from .models import AgreementDecision, Charter, CharterStatus, Facility, SearchDocument, ServiceStandard

MAX_WORDS = 8
FACILITY_FIELDS = ("name", "village", "district", "regency")
SERVICE_FIELDS = ("name", "description")
# The statuses of a version whose save may change what the search finds of its facility.
PUBLIC_CHANGE = frozenset({CharterStatus.PUBLISHED, CharterStatus.SUPERSEDED})


def words(query: str) -> list[str]:
    """The query's words, lower case, without punctuation; one-letter words say nothing."""
    return [word for word in re.findall(r"\w+", query.casefold()) if len(word) > 1][:MAX_WORDS]


def document(texts: Iterable[str]) -> str:
    """The distinct words of `texts`, lower case, each after a space (" kartu sehat surat"), so
    that " vaksin" is in the text when a word begins with vaksin, on any database."""
    return "".join(f" {word}" for word in sorted({w for text in texts for w in re.findall(r"\w+", text.casefold())}))


def published_services() -> QuerySet[ServiceStandard]:
    return ServiceStandard.objects.filter(charter__status=CharterStatus.PUBLISHED).exclude(
        agreement=AgreementDecision.DEFERRED
    )


def refresh(facility_ids: Iterable[int]) -> None:
    """Rewrite the search documents of these facilities from their fields and published
    services; a facility without a published charter has none. Two queries and a write."""
    ids = set(facility_ids)
    texts: dict[int, list[str]] = defaultdict(list)
    for facility_id, *fields in (
        published_services().filter(charter__facility__in=ids).values_list("charter__facility_id", *SERVICE_FIELDS)
    ):
        texts[facility_id] += fields
    published = Facility.objects.filter(pk__in=ids, charters__status=CharterStatus.PUBLISHED)
    documents = [
        SearchDocument(
            facility=facility, text=document([*(getattr(facility, f) for f in FACILITY_FIELDS), *texts[facility.pk]])
        )
        for facility in published.only(*FACILITY_FIELDS)
    ]
    SearchDocument.objects.filter(facility__in=ids).exclude(facility__in=[d.facility_id for d in documents]).delete()
    SearchDocument.objects.bulk_create(
        documents, update_conflicts=True, unique_fields=["facility"], update_fields=["text"], batch_size=500
    )


def refresh_all(batch: int = 1000) -> None:
    """Every facility's document: after a bulk load that bypassed the models' signals."""
    ids = list(Facility.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        refresh(ids[start : start + batch])


def _facility_saved(sender: type[Facility], instance: Facility, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        refresh([instance.pk])


def _charter_changed(sender: type[Charter], instance: Charter, raw: bool = False, **kwargs: Any) -> None:
    if not raw and instance.status in PUBLIC_CHANGE:
        refresh([instance.facility_id])


def connect() -> None:
    """Keep the documents current in the same transaction as the change (called in `ready()`)."""
    post_save.connect(_facility_saved, sender=Facility, dispatch_uid="search:facility")
    post_save.connect(_charter_changed, sender=Charter, dispatch_uid="search:charter")
    post_delete.connect(_charter_changed, sender=Charter, dispatch_uid="search:charter-deleted")


def _matching(wanted: list[str]) -> QuerySet[SearchDocument] | RawSQL:
    if connection.vendor == "postgresql":
        # Every word as the beginning of a word ('vaksin:*'); the words are letters and digits only.
        query = " & ".join(f"{word}:*" for word in wanted)
        return RawSQL(
            "SELECT facility_id FROM charters_searchdocument WHERE words @@ to_tsquery('simple'::regconfig, %s)",
            [query],
        )
    found = SearchDocument.objects.all()
    for word in wanted:
        found = found.filter(text__contains=f" {word}")
    return found.values("facility_id")


def facilities(query: str) -> QuerySet[Facility]:
    """Facilities with a published charter matching every word (counting their services is left
    to `service_counts`, for one page only)."""
    wanted = words(query)
    if not wanted:
        return Facility.objects.filter(charters__status=CharterStatus.PUBLISHED).order_by("regency", "name")
    return Facility.objects.filter(pk__in=_matching(wanted)).order_by("regency", "name")


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


def _begins_a_word(word: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word)}", text) is not None


def matching_services(page: list[Facility], query: str) -> dict[int, list[ServiceStandard]]:
    """For each facility of a page of results, its services that the query names: every word
    begins a word of the service or of the facility's own fields, and at least one of the service."""
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
        in_service = [_begins_a_word(word, text) for word in wanted]
        if any(in_service) and all(
            found or _begins_a_word(word, own[facility_id]) for word, found in zip(wanted, in_service, strict=True)
        ):
            by_facility.setdefault(facility_id, []).append(service)
    return by_facility
