"""The public pages: what any citizen sees without logging in, and only what is published.

The public site speaks Bahasa Indonesia by default; expected phrases are translated with the
same catalogue (`in_indonesian`), so the tests hold whether or not it is compiled.
"""

from __future__ import annotations

import re
from datetime import date, time
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext

from charters import services as charter_services
from charters.models import (
    Charter,
    ClauseKind,
    ClauseParty,
    Facility,
    ServiceStandard,
    Weekday,
)
from tests.factories import (
    CharterFactory,
    ClauseFactory,
    FacilityFactory,
    MembershipFactory,
    ProcedureStepFactory,
    RequirementFactory,
    ScheduleSlotFactory,
    ServiceStandardFactory,
    make_complete_draft,
    make_complete_service,
    make_published_charter,
    publish_draft,
)

pytestmark = pytest.mark.django_db


def in_indonesian(text: str) -> str:
    with translation.override("id"):
        return gettext(text)


def page(client: Client, url: str, **extra: Any) -> str:
    response = client.get(url, **extra)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def charter_url(facility: Facility) -> str:
    return reverse("public:charter", args=[facility.slug])


def service_url(facility: Facility, service_slug: str) -> str:
    return reverse("public:service", args=[facility.slug, service_slug])


HOME = reverse("public:home")
NOT_FOUND = (
    "We could not find this page. The address may be mistyped, or the service may have been renamed "
    "or removed in a newer version of the charter."
)


# --- Home and search ---------------------------------------------------------------------


def test_home_lists_only_facilities_with_a_published_charter(client: Client) -> None:
    published = make_published_charter(FacilityFactory(name="Puskesmas Terbit"), services=3).facility
    make_complete_draft(FacilityFactory(name="Puskesmas Draf"))
    FacilityFactory(name="Puskesmas Kosong")

    response = client.get(HOME)

    assert [f.pk for f in response.context["page"]] == [published.pk]
    html = response.content.decode()
    assert "Puskesmas Terbit" in html
    assert "Puskesmas Draf" not in html
    assert "Puskesmas Kosong" not in html
    assert response.context["page"][0].service_count == 3


def test_home_lists_a_revised_facility_once_and_counts_only_its_published_services(client: Client) -> None:
    facility = FacilityFactory(name="Puskesmas Revisi")
    make_published_charter(facility, services=2)
    make_published_charter(facility, services=3)  # version 1 is now superseded
    make_complete_draft(facility, services=4)

    response = client.get(HOME)

    assert [(f.pk, f.service_count) for f in response.context["page"]] == [(facility.pk, 3)]


@pytest.fixture
def searchable() -> dict[str, Facility]:
    """Three published facilities that differ in name, district and services."""
    soko = FacilityFactory(name="Puskesmas Soko", slug="pkm-soko", village="Soko", district="Soko")
    rengel = FacilityFactory(name="Puskesmas Rengel", slug="pkm-rengel", village="Rengel", district="Rengel")
    montong = FacilityFactory(name="Puskesmas Montong", slug="pkm-montong", village="Montongsekar", district="Kerek")
    for facility in (soko, rengel, montong):
        make_published_charter(facility, services=1)
    # Rengel's second version adds immunisation.
    draft = charter_services.start_draft(rengel, None)
    make_complete_service(draft, name="Imunisasi Dasar Lengkap", slug="imunisasi")
    publish_draft(draft, rengel.memberships.get().user)
    return {"soko": soko, "rengel": rengel, "montong": montong}


def found(client: Client, query: str) -> list[str]:
    response = client.get(HOME, {"q": query})
    assert response.status_code == 200
    return [f.name for f in response.context["page"]]


def test_search_by_facility_name_ignores_case(client: Client, searchable: dict[str, Facility]) -> None:
    assert found(client, "puskesmas MONTONG") == ["Puskesmas Montong"]


def test_search_by_district_ignores_case(client: Client, searchable: dict[str, Facility]) -> None:
    assert found(client, "kEREK") == ["Puskesmas Montong"]


def test_search_by_service_name_finds_the_facility_and_links_the_service(
    client: Client, searchable: dict[str, Facility]
) -> None:
    response = client.get(HOME, {"q": "IMUNISASI"})

    assert [f.name for f in response.context["page"]] == ["Puskesmas Rengel"]
    assert [s.name for s in response.context["page"][0].matching_services] == ["Imunisasi Dasar Lengkap"]
    assert f'href="{service_url(searchable["rengel"], "imunisasi")}"' in response.content.decode()


def test_search_without_match_says_so(client: Client, searchable: dict[str, Facility]) -> None:
    response = client.get(HOME, {"q": "xyzzy"})

    assert list(response.context["page"]) == []
    html = response.content.decode()
    no_match = (
        "No facility or service matches your search. Try the name of the district (kecamatan) "
        "or of a service, such as “imunisasi”."
    )
    assert escape(in_indonesian(no_match)) in html
    assert "xyzzy" in html  # the search box keeps the query


def test_search_does_not_find_services_of_a_draft(client: Client, searchable: dict[str, Facility]) -> None:
    draft = charter_services.start_draft(searchable["soko"], None)
    make_complete_service(draft, name="Layanan Rahasia Draf", slug="rahasia")

    assert found(client, "rahasia") == []


# --- A charter and its services ------------------------------------------------------------


@pytest.fixture
def full_charter() -> Charter:
    """A published charter with every component of every service filled in."""
    facility = FacilityFactory(
        name="Puskesmas Montong",
        slug="pkm-montong",
        email="pkm.montong@example.org",
        vision="Masyarakat Montong sehat dan mandiri",
        mission="- Pelayanan bermutu dan merata\n- Memberdayakan masyarakat desa",
        head_name="dr. Budi Santoso",
        head_title="Kepala Puskesmas Montong",
    )
    charter = CharterFactory(
        facility=facility,
        pledge="Kami sanggup melayani sesuai standar pelayanan Puskesmas Montong.",
        complaint_info="Kotak pengaduan di ruang tunggu dan WhatsApp 0812 3456 7890.",
        review_due_date=date(2026, 1, 15),
    )
    paid = ServiceStandardFactory(
        charter=charter,
        name="Surat Keterangan Sehat",
        slug="surat-sehat",
        description="Surat keterangan sehat untuk melamar kerja.",
        paid=True,
        fee_amount=15000,
        fee_note="Dibayar di kasir.",
        fee_legal_basis="Perda Kabupaten Tuban No. 7/2021",
        duration_value=2,
        duration_unit="hours",
        duration_note="Termasuk pemeriksaan laboratorium.",
        schedule_note="Tutup pada hari libur nasional.",
        methods=["walk_in", "appointment"],
        product="Surat keterangan sehat bertanda tangan dokter.",
        complaint_handling="Pengaduan ditanggapi dalam tiga hari kerja.",
        legal_basis="Permenkes Nomor 43 Tahun 2019.",
        facilities="Ruang periksa dan laboratorium sederhana.",
        staff_competence="Dokter umum bersertifikat.",
        internal_supervision="Diawasi kepala puskesmas.",
        staff_count="Dua dokter dan satu analis.",
        service_guarantee="Surat selesai pada hari yang sama.",
        safety_guarantee="Alat periksa dikalibrasi setiap tahun.",
        performance_evaluation="Survei kepuasan setiap semester.",
    )
    RequirementFactory(service=paid, position=1, text="Kartu tanda penduduk asli")
    RequirementFactory(service=paid, position=2, text="Pas foto berwarna 3x4")
    ProcedureStepFactory(service=paid, position=1, text="Mendaftar di loket pendaftaran")
    ProcedureStepFactory(service=paid, position=2, text="Pemeriksaan fisik oleh dokter")
    for day in (Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY):
        ScheduleSlotFactory(service=paid, weekday=day, opens=time(7, 30), closes=time(14))
    ScheduleSlotFactory(service=paid, weekday=Weekday.FRIDAY, opens=time(7, 30), closes=time(11))
    ScheduleSlotFactory(service=paid, weekday=Weekday.FRIDAY, opens=time(13), closes=time(15))
    make_complete_service(charter, name="Pelayanan Kesehatan Gigi", slug="gigi")
    for party in ClauseParty:
        for kind in ClauseKind:
            ClauseFactory(charter=charter, party=party, kind=kind, text=f"Pasal {party.value} {kind.value} Montong")
    head = MembershipFactory(facility=facility, head=True).user
    return publish_draft(charter, head, effective_date=date(2025, 1, 15))


def service_texts(service: ServiceStandard) -> list[str]:
    """What the page must show of a service, as it is displayed in Indonesian."""
    with translation.override("id"):
        shown = [
            service.name,
            service.fee_display,
            service.duration_display,
            *service.method_labels,
            *(f"{days}</span> {hours}" for days, hours in service.schedule_rows()),
        ]
    shown += [r.text for r in service.requirements.all()] + [s.text for s in service.steps.all()]
    filled = [
        "description",
        "duration_note",
        "fee_note",
        "fee_legal_basis",
        "schedule_note",
        "product",
        "complaint_handling",
        "legal_basis",
        "facilities",
        "staff_competence",
        "internal_supervision",
        "staff_count",
        "service_guarantee",
        "safety_guarantee",
        "performance_evaluation",
    ]
    return shown + [getattr(service, name) for name in filled if getattr(service, name)]


def test_charter_page_shows_the_whole_charter(client: Client, full_charter: Charter) -> None:
    facility = full_charter.facility

    html = page(client, charter_url(facility))

    expected = [
        facility.name,
        "pkm.montong@example.org",
        full_charter.pledge,
        "dr. Budi Santoso",
        "Kepala Puskesmas Montong",
        "Masyarakat Montong sehat dan mandiri",
        "<li>Pelayanan bermutu dan merata</li>",
        "<li>Memberdayakan masyarakat desa</li>",
        full_charter.complaint_info,
        *(clause.text for clause in full_charter.clauses.all()),
    ]
    for service in full_charter.services.all():
        expected += service_texts(service)
        expected.append(f'href="{service_url(facility, service.slug)}"')
    with translation.override("id"):
        expected += [date_format(date(2025, 1, 15), "j F Y"), date_format(date(2026, 1, 15), "j F Y")]
    missing = [text for text in expected if escape(text) not in html and text not in html]
    assert not missing


def test_charter_page_shows_the_fee_and_hours_as_citizens_read_them(client: Client, full_charter: Charter) -> None:
    html = page(client, charter_url(full_charter.facility))

    assert "Rp 15.000" in html
    with translation.override("id"):
        monday, wednesday, friday = (str(Weekday(d).label) for d in (0, 2, 4))
    assert f"{monday} – {wednesday}</span> 07.30–14.00" in html
    assert f"{friday}</span> 07.30–11.00, 13.00–15.00" in html


def test_service_page_shows_one_service_with_every_component(client: Client, full_charter: Charter) -> None:
    facility = full_charter.facility
    service = full_charter.services.get(slug="surat-sehat")

    html = page(client, service_url(facility, service.slug))

    missing = [text for text in service_texts(service) if escape(text) not in html and text not in html]
    assert not missing
    assert "Pelayanan Kesehatan Gigi" not in html
    assert f'href="{charter_url(facility)}"' in html
    with translation.override("id"):
        assert date_format(date(2026, 1, 15), "j F Y") in html


def test_draft_content_never_appears_publicly(
    client: Client, published_charter: Charter, draft_charter: Charter
) -> None:
    facility = published_charter.facility
    Charter.objects.filter(pk=draft_charter.pk).update(pledge="Janji rancangan yang belum disetujui.")
    make_complete_service(draft_charter, name="Layanan Khusus Rancangan", slug="khusus-rancangan")
    draft_requirement = draft_charter.services.first().requirements.first()
    draft_requirement.text = "Syarat baru dalam rancangan"
    draft_requirement.save()

    html = page(client, charter_url(facility))

    assert "Janji rancangan yang belum disetujui." not in html
    assert "Layanan Khusus Rancangan" not in html
    assert "Syarat baru dalam rancangan" not in html
    for service in draft_charter.services.all():
        assert f">{service.name}</a>" not in html
    for service in published_charter.services.all():
        assert f">{service.name}</a>" in html
    assert published_charter.pledge.split(",")[0] in html
    response = client.get(service_url(facility, "khusus-rancangan"))
    assert response.status_code == 404


def test_superseded_content_is_no_longer_public(client: Client, facility: Facility) -> None:
    old = make_published_charter(facility, services=1)
    old_slug = old.services.get().slug
    make_published_charter(facility, services=1)

    assert client.get(service_url(facility, old_slug)).status_code == 404


def test_unknown_facility_is_a_friendly_404(client: Client, db: None) -> None:
    response = client.get(charter_url(Facility(slug="tidak-ada")))

    assert response.status_code == 404
    html = response.content.decode()
    assert escape(in_indonesian("Page not found")) in html
    assert escape(in_indonesian(NOT_FOUND)) in html
    assert f'href="{HOME}"' in html


def test_unknown_service_is_a_friendly_404(client: Client, published_charter: Charter) -> None:
    response = client.get(service_url(published_charter.facility, "tidak-ada"))

    assert response.status_code == 404
    assert escape(in_indonesian(NOT_FOUND)) in response.content.decode()


def test_facility_without_a_published_charter_says_so(client: Client, draft_charter: Charter) -> None:
    facility = draft_charter.facility

    response = client.get(charter_url(facility))

    assert response.status_code == 200
    assert response.templates[0].name == "charters/public/no_charter.html"
    html = response.content.decode()
    assert escape(in_indonesian("No published charter yet")) in html
    assert facility.name in html
    assert draft_charter.services.first().name not in html


# --- Query counts do not grow with the charter -----------------------------------------------


@pytest.mark.parametrize("services", [5, 50])
def test_charter_page_queries_do_not_grow_with_services(
    client: Client, facility: Facility, django_assert_num_queries: Any, services: int
) -> None:
    make_published_charter(facility, services=services)

    # The twelfth is the facility's evaluation rounds (the date of the last one, their summaries).
    with django_assert_num_queries(12):
        html = page(client, charter_url(facility))

    assert html.count('class="service"') == services


@pytest.mark.parametrize("services", [5, 50])
def test_service_page_queries_do_not_grow_with_services(
    client: Client, facility: Facility, django_assert_num_queries: Any, services: int
) -> None:
    charter = make_published_charter(facility, services=services)
    service = charter.services.last()

    # The eleventh is the service's observations of the last three months (the promise against reality).
    with django_assert_num_queries(11):
        page(client, service_url(facility, service.slug))


@pytest.mark.parametrize("facilities", [5, 50])
@pytest.mark.parametrize("query", ["", "poli"], ids=["all", "search"])
def test_home_queries_do_not_grow_with_facilities(
    client: Client, django_assert_num_queries: Any, facilities: int, query: str
) -> None:
    for _ in range(facilities):
        make_published_charter(services=2)

    # The count, the page, its facilities' service counts (and with a query their matching services).
    with django_assert_num_queries(3 if not query else 4):
        response = client.get(HOME, {"q": query} if query else {})

    assert len(response.context["page"]) == min(facilities, 20)


# --- Language ------------------------------------------------------------------------------


def test_site_speaks_indonesian_even_to_an_english_browser(client: Client, db: None) -> None:
    response = client.get(HOME, HTTP_ACCEPT_LANGUAGE="en")

    assert '<html lang="id"' in response.content.decode()
    assert response["Content-Language"] == "id"


def test_visitor_may_switch_to_english_and_back(client: Client, db: None) -> None:
    switcher = page(client, HOME)
    english = reverse("set_language", args=["en"]) + "?next=/"
    assert f'href="{english}"' in switcher

    response = client.get(english)

    assert response.status_code == 302 and response["Location"] == HOME
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "no-store" in response["Cache-Control"]
    assert '<html lang="en"' in page(client, HOME)

    client.get(reverse("set_language", args=["id"]), {"next": HOME})
    assert '<html lang="id"' in page(client, HOME)


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)", ""])
def test_the_language_switch_returns_to_this_site_only(client: Client, db: None, target: str) -> None:
    response = client.get(reverse("set_language", args=["en"]), {"next": target})

    assert response.status_code == 302 and response["Location"] == "/"


def test_the_language_switch_refuses_an_unknown_language_and_a_post(client: Client, db: None) -> None:
    assert client.get(reverse("set_language", args=["fr"]), {"next": HOME}).status_code == 404
    assert client.post(reverse("set_language", args=["en"]), {"next": HOME}).status_code == 405
    assert settings.LANGUAGE_COOKIE_NAME not in client.cookies


def test_unknown_language_in_the_cookie_falls_back_to_indonesian(client: Client, db: None) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    assert '<html lang="id"' in page(client, HOME)


def test_a_services_components_are_numbered_1_to_14_in_order(client: Client, db: None) -> None:
    """Issue 12: duration and fee were unnumbered, between the title and components 1 and 2."""
    charter = make_published_charter(services=1)
    service = charter.services.get()
    html = client.get(reverse("public:service", args=[charter.facility.slug, service.slug])).content.decode()

    numbers = [int(n) for n in re.findall(r'<(?:dt|h\d class="component-title")>(\d+)\. ', html)]
    assert numbers == list(range(1, 15))


def test_the_charter_lists_its_services_one_line_each_with_the_standard_behind(client: Client, db: None) -> None:
    """Issue 12: on a phone the charter was 40 screens, component 6 repeated under every service."""
    charter = make_published_charter(services=3)
    client.cookies["django_language"] = "en"
    url = reverse("public:charter", args=[charter.facility.slug])
    html = client.get(url).content.decode()

    assert html.count('<details class="service-entry">') == 3  # closed: one line each
    for service in charter.services.all():
        assert re.search(rf'<summary><span class="service-entry-name">{re.escape(service.name)}</span>', html)
    shared = charter.services.first().complaint_handling
    assert html.count(shared) == 1 and "The same for every service: see How to complain." in html
    printable = client.get(url + "?print=1").content.decode()
    assert printable.count('<details class="service-entry" open>') == 3  # ?print=1 opens every part
