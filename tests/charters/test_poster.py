"""The wall poster (issue 12): one printable page from the same record as the charter page, with a
QR code to the charter, the complaint channels, how it was agreed and the head's signature line."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
import segno
from django.test import Client
from django.urls import reverse
from django.utils import translation

from charters.forms import FacilityForm
from charters.models import Facility, ScheduleSlot
from charters.templatetags.posters import qr
from tests.factories import make_complete_draft, make_published_charter, publish_draft

pytestmark = pytest.mark.django_db


def poster_url(facility: Facility, query: str = "") -> str:
    return reverse("public:poster", args=[facility.slug]) + query


@pytest.fixture
def charter(facility: Facility, head: Any) -> Any:
    facility.whatsapp = "6281234567890"
    facility.head_name = "dr. Ratna Sari"
    facility.head_title = "Kepala UPTD Puskesmas Soko"
    facility.save()
    charter = make_published_charter(facility, services=3, head=head)
    return charter


def english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


def test_the_poster_holds_the_charter_on_one_sheet(client: Client, charter: Any) -> None:
    facility = charter.facility
    html = english(client).get(poster_url(facility)).content.decode()

    assert facility.name in html and charter.pledge.splitlines()[0] in html
    for service in charter.services.all():
        assert service.name in html
        assert service.requirements.first().text in html
    assert "Phone: 0356 123456" in html and "WhatsApp: +6281234567890" in html
    assert f"http://testserver{reverse('public:feedback', args=[facility.slug])}" in html
    assert "SP4N-LAPOR!: www.lapor.go.id" in html
    assert "Kepala UPTD Puskesmas Soko" in html and "dr. Ratna Sari" in html
    assert f"Version {charter.version}, in force since" in html
    assert '<link rel="stylesheet" href="/static/css/poster.css">' in html and "poster-a3.css" not in html


def test_the_qr_code_encodes_the_charters_own_address(client: Client, charter: Any) -> None:
    url = f"http://testserver{reverse('public:charter', args=[charter.facility.slug])}"
    html = client.get(poster_url(charter.facility)).content.decode()

    code = segno.make(url, error="m", micro=False)
    drawn = code.svg_inline(scale=1, border=4, omitsize=True, svgclass="qr-code", lineclass=None)
    assert str(qr(url)) == drawn and drawn in html
    assert code.version <= 4  # few modules: scans from across a waiting room
    assert f'aria-label="QR code of {url}"' in english(client).get(poster_url(charter.facility)).content.decode()


def test_opening_hours_most_services_share_are_said_once(client: Client, facility: Facility, head: Any) -> None:
    draft = make_complete_draft(facility, services=3)
    first, _second, third = draft.services.order_by("position")
    ScheduleSlot.objects.filter(service=third).update(opens=datetime.time(16), closes=datetime.time(20))
    publish_draft(draft, head)
    html = english(client).get(poster_url(facility)).content.decode()

    common = first.schedule_rows()[0]
    assert html.count(f"{common[0]} {common[1]}") == 1  # in the heading, not in every row
    assert "16.00–20.00" in html


def test_a3_is_asked_for_with_its_stylesheet_and_the_poster_is_cached(
    client: Client, charter: Any, django_assert_num_queries: Any
) -> None:
    first = client.get(poster_url(charter.facility, "?size=a3"))
    with django_assert_num_queries(0):
        again = client.get(poster_url(charter.facility, "?size=a3"))

    assert "poster-a3.css" in first.content.decode() and again.content == first.content


def test_a_facility_without_a_published_charter_has_no_poster(client: Client, facility: Facility) -> None:
    response = english(client).get(poster_url(facility))

    assert response.status_code == 200 and "No published charter yet" in response.content.decode()


def test_the_charter_page_links_its_poster(client: Client, charter: Any) -> None:
    assert (
        poster_url(charter.facility)
        in client.get(reverse("public:charter", args=[charter.facility.slug])).content.decode()
    )


def test_the_charter_page_links_whatsapp_and_the_phone(client: Client, charter: Any) -> None:
    html = client.get(reverse("public:charter", args=[charter.facility.slug])).content.decode()

    assert 'href="https://wa.me/6281234567890"' in html and 'href="tel:0356123456"' in html


@pytest.mark.parametrize("number", ["081234567890", "62 812", "+1 555 0100", "62abc"])
def test_a_whatsapp_number_without_the_country_code_is_refused_with_a_clear_error(
    facility: Facility, number: str
) -> None:
    data = {field: getattr(facility, field) for field in FacilityForm.Meta.fields}
    form = FacilityForm({**data, "whatsapp": number}, instance=facility)

    with translation.override("id"):  # Bahasa Indonesia, the site's language
        assert not form.is_valid() and "kode negara 62" in str(form.errors["whatsapp"])


def test_a_counter_card_per_service_with_its_three_codes(
    client: Client, charter: Any, django_assert_num_queries: Any
) -> None:
    facility = charter.facility
    url = reverse("public:cards", args=[facility.slug])
    html = english(client).get(url).content.decode()

    services = list(charter.services.all())
    assert html.count('class="counter-card"') == len(services) == 3
    for service in services:
        for address in (
            reverse("public:service", args=[facility.slug, service.slug]),
            reverse("public:survey", args=[facility.slug]) + f"?service={service.slug}",
            reverse("public:feedback", args=[facility.slug]) + f"?service={service.slug}",
        ):
            assert str(qr(f"http://testserver{address}")) in html, address
    assert "How was it? Answer the survey" in html and "Complain or suggest" in html
    with django_assert_num_queries(0):
        client.get(url)


def test_the_charter_says_the_opening_hours_and_links_a_map(client: Client, charter: Any) -> None:
    html = english(client).get(reverse("public:charter", args=[charter.facility.slug])).content.decode()

    days, hours = charter.usual_hours()[0]
    assert re.search(rf"Opening hours:</strong> {re.escape(days)} {re.escape(hours)}", html)
    assert 'href="https://www.google.com/maps/search/?api=1&amp;query=Puskesmas+Soko' in html


def test_the_handbook_holds_every_standard_after_its_contents(
    client: Client, charter: Any, django_assert_num_queries: Any
) -> None:
    url = reverse("public:handbook", args=[charter.facility.slug])
    html = english(client).get(url).content.decode()

    services = list(charter.services.all())
    assert html.count('class="handbook-service"') == len(services) + 2  # and rights, complaints
    for service in services:
        assert f'<li><a href="#service-{service.slug}">{service.name}</a></li>' in html
        assert f'id="service-{service.slug}"' in html and service.steps.first().text in html
    assert html.count('<details class="management" open>') == len(services)  # components 7-14 shown
    assert "qr-code" in html
    assert url in english(client).get(reverse("public:charter", args=[charter.facility.slug])).content.decode()
    with django_assert_num_queries(0):
        client.get(url)
