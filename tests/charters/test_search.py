"""The home page's search (issue 12): Indonesian as people type it (case, punctuation, word
order), in services' names and descriptions too, deferred services neither found nor counted."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from charters import search, services as charter_services
from charters.models import AgreementDecision, Facility
from tests.factories import make_complete_draft, record_agreement

pytestmark = pytest.mark.django_db


@pytest.fixture
def soko(facility: Facility, head: Any) -> Facility:
    draft = make_complete_draft(facility, services=3)
    first, second, third = draft.services.order_by("position")
    first.name, first.description = "Surat Keterangan Sehat", "Untuk melamar kerja atau sekolah."
    second.name, second.description = "Imunisasi", "Pemberian vaksin dasar lengkap bagi bayi dan balita."
    third.name = "Layanan Ditunda"
    for service in (first, second, third):
        service.save()
    charter_services.open_consultation(draft, head)
    record_agreement(draft)
    third.refresh_from_db()
    third.agreement, third.agreement_note = AgreementDecision.DEFERRED, "Belum siap."
    third.save()  # the forum deferred it
    charter_services.mark_agreed(draft, head)
    charter_services.publish_charter(charter_services.approve_charter(draft, head), head)
    return facility


def found(client: Client, query: str) -> list[str]:
    page = client.get(reverse("public:home"), {"q": query}).context["page"]
    return [facility.slug for facility in page]


@pytest.mark.parametrize("query", ["surat sehat", "Sehat, surat!", "SURAT keterangan", "sehat   surat"])
def test_words_in_any_order_case_and_punctuation_find_the_service(client: Client, soko: Facility, query: str) -> None:
    response = client.get(reverse("public:home"), {"q": query})

    assert [f.slug for f in response.context["page"]] == [soko.slug]
    assert [s.name for s in response.context["page"][0].matching_services] == ["Surat Keterangan Sehat"]


def test_a_word_in_a_services_description_finds_it(client: Client, soko: Facility) -> None:
    page = client.get(reverse("public:home"), {"q": "vaksin"}).context["page"]
    assert [s.name for s in page[0].matching_services] == ["Imunisasi"]


def test_a_facility_word_and_a_service_word_together(client: Client, soko: Facility, other_facility: Facility) -> None:
    assert found(client, "soko imunisasi") == [soko.slug]
    assert found(client, "rengel imunisasi") == []  # the other facility has no published charter


def test_deferred_services_are_neither_found_nor_counted(client: Client, soko: Facility) -> None:
    assert found(client, "ditunda") == []
    page = client.get(reverse("public:home")).context["page"]
    assert page[0].service_count == 2


def test_every_word_must_match_somewhere(client: Client, soko: Facility) -> None:
    assert found(client, "surat gigi") == []


def test_the_words_of_a_query() -> None:
    assert search.words("Surat-Keterangan, SEHAT a 2x") == ["surat", "keterangan", "sehat", "2x"]
    assert len(search.words(" ".join(["kata"] * 20))) == search.MAX_WORDS


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram indexes are PostgreSQL's")
def test_the_searched_columns_have_trigram_indexes_on_postgresql(db: None) -> None:
    """What keeps the search fast with tens of thousands of facilities (bench/search.py times it)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE '%%_upper_trgm'")
        indexes = dict(cursor.fetchall())
    for field in search.FACILITY_FIELDS:
        assert f"upper(({field})::text) gin_trgm_ops" in indexes[f"facility_{field}_upper_trgm"]
    for field in search.SERVICE_FIELDS:
        assert "gin_trgm_ops" in indexes[f"service_{field}_upper_trgm"]
