"""The home page's search (issue 12): Indonesian as people type it (case, punctuation, word
order), in services' names and descriptions too, deferred services neither found nor counted."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from charters import search, services as charter_services
from charters.models import AgreementDecision, Facility, SearchDocument
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


def test_a_word_finds_the_words_it_begins_not_the_middle_of_one(client: Client, soko: Facility) -> None:
    assert found(client, "vaks") == [soko.slug]  # vaksin
    assert found(client, "SEHA") == [soko.slug]  # Sehat
    assert found(client, "aksin") == []


def test_the_document_follows_the_facility_and_its_versions(client: Client, soko: Facility, head: Any) -> None:
    soko.name = "Puskesmas Bangilan"
    soko.save()
    assert found(client, "bangilan imunisasi") == [soko.slug]

    draft = charter_services.start_draft(soko, head)
    imunisasi = draft.services.get(name="Imunisasi")
    imunisasi.name = "Imunisasi Kejar"
    imunisasi.save()
    assert found(client, "kejar") == []  # a draft is not searched
    charter_services.open_consultation(draft, head)
    record_agreement(draft)
    charter_services.mark_agreed(draft, head)
    charter_services.publish_charter(charter_services.approve_charter(draft, head), head)
    assert found(client, "kejar imunisasi") == [soko.slug]


def test_a_facility_without_a_published_charter_has_no_document(soko: Facility, other_facility: Facility) -> None:
    assert list(SearchDocument.objects.values_list("facility__slug", flat=True)) == [soko.slug]
    text = SearchDocument.objects.get(facility=soko).text
    assert " surat" in text and " vaksin" in text and "ditunda" not in text  # deferred: left out


def test_refresh_all_writes_what_the_signals_would(soko: Facility) -> None:
    before = SearchDocument.objects.get(facility=soko).text
    SearchDocument.objects.all().delete()
    search.refresh_all()
    assert SearchDocument.objects.get(facility=soko).text == before


def test_a_search_page_takes_a_fixed_number_of_queries(
    client: Client, soko: Facility, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(4):
        assert client.get(reverse("public:home"), {"q": "surat sehat soko"}).status_code == 200


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the full-text index is PostgreSQL's")
def test_the_documents_have_a_full_text_index_on_postgresql(db: None) -> None:
    """What keeps the search fast with 20,000 facilities (bench/search.py times it)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'charters_searchdocument'")
        definitions = " ".join(row[0] for row in cursor.fetchall())
        cursor.execute(
            "SELECT count(*) FROM pg_indexes WHERE tablename IN ('charters_facility', 'charters_servicestandard') "
            "AND indexname LIKE '%%_upper_trgm'"
        )
        trigram = cursor.fetchone()[0]
    assert "USING gin (words)" in definitions
    assert trigram == 0  # 0010's indexes, no longer read, are gone


def test_a_refused_search_keeps_what_was_typed_in_the_box(client: Client, db: None) -> None:
    # Found by tests/fuzz: over 100 characters the form refuses the query, and the box came back
    # empty (it showed the valid query only), losing what was typed with the error above it.
    typed = "puskesmas <soko> " * 7
    response = client.get(reverse("public:home"), {"q": typed})
    assert response.context["form"].errors
    assert f'value="{escape(typed)}"' in response.content.decode()
