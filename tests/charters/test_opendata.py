"""Open data (issue 12): each published charter as JSON, the national catalogue as JSON pages and
CSV, valid against docs/charter.schema.json, open to any site, cached."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from django.test import Client
from django.urls import reverse

from charters import opendata
from charters.models import Facility
from charters.views import opendata as views
from tests.factories import make_complete_draft, make_published_charter, publish_draft

pytestmark = pytest.mark.django_db

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "docs/charter.schema.json").read_text())
CHECKER = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())


def charter_json(client: Client, facility: Facility) -> Any:
    return client.get(reverse("public:charter_json", args=[facility.slug]))


@pytest.fixture
def charter(facility: Facility, head: Any) -> Any:
    return make_published_charter(facility, services=2, head=head)


def test_a_charter_is_valid_against_the_schema_with_numbers_and_units(client: Client, charter: Any) -> None:
    response = charter_json(client, charter.facility)

    data = response.json()
    CHECKER.validate(data)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert data["facility"]["slug"] == charter.facility.slug and data["version"] == charter.version
    service = charter.services.order_by("position").first()
    first = data["services"][0]
    assert first["name"] == service.name and first["requirements"] == [r.text for r in service.requirements.all()]
    assert first["duration"] == {"value": service.duration_value, "unit": service.duration_unit, "note": ""}
    assert isinstance(first["fee"]["free"], bool)
    assert first["opening_hours"][0]["weekday"] == service.schedule_slots.first().weekday + 1
    assert set(data["agreement"]["participants_by_group"]) == {"provider", "user", "stakeholder"}


def test_a_charter_is_cached_and_follows_a_publication(
    client: Client, charter: Any, head: Any, django_assert_num_queries: Any, django_capture_on_commit_callbacks: Any
) -> None:
    charter_json(client, charter.facility)
    with django_assert_num_queries(0):
        charter_json(client, charter.facility)
    with django_capture_on_commit_callbacks(execute=True):
        make_published_charter(charter.facility, head=head)
    assert charter_json(client, charter.facility).json()["version"] == charter.version + 1


def test_a_facility_without_a_published_charter_answers_404(client: Client, facility: Facility) -> None:
    response = charter_json(client, facility)
    assert response.status_code == 404 and response["Access-Control-Allow-Origin"] == "*"


def test_the_catalogue_pages_every_published_charter(
    client: Client, monkeypatch: pytest.MonkeyPatch, head: Any
) -> None:
    monkeypatch.setattr(views, "CATALOGUE_PAGE", 2)
    for _ in range(3):
        make_published_charter(services=1)
    url = reverse("public:open_charters_json")

    first = client.get(url).json()
    second = client.get(first["next"]).json()

    assert (first["count"], first["pages"], len(first["charters"]), len(second["charters"])) == (3, 2, 2, 1)
    assert second["next"] is None and second["previous"].endswith("?page=1")
    for record in first["charters"] + second["charters"]:
        CHECKER.validate(record)
    assert client.get(url, {"page": "9"}).status_code == 404
    response = client.get(url)
    assert response["Access-Control-Allow-Origin"] == "*" and "max-age=600" in response["Cache-Control"]


def test_the_csv_has_a_row_per_service_with_numbers_and_guarded_text(
    client: Client, facility: Facility, head: Any
) -> None:
    draft = make_complete_draft(facility, services=2)
    service = draft.services.order_by("position").first()
    service.product = '=HYPERLINK("http://x")'  # as an editor may type it
    service.save()
    charter = publish_draft(draft, head)

    response = client.get(reverse("public:open_charters_csv"))
    body = b"".join(response.streaming_content).decode()

    assert body.startswith("\ufeff") and response["Access-Control-Allow-Origin"] == "*"
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert len(rows) == charter.services.count() and list(rows[0]) == list(opendata.CSV_HEADER)
    assert rows[0]["service_name"] == service.name and rows[0]["duration_value"] == str(service.duration_value)
    assert rows[0]["product"].startswith("'=")  # never a formula in a spreadsheet
    assert '"' + service.name + '"' in body  # text quoted


def test_the_charter_page_links_its_open_data(client: Client, charter: Any) -> None:
    html = client.get(reverse("public:charter", args=[charter.facility.slug])).content.decode()
    assert reverse("public:charter_json", args=[charter.facility.slug]) in html


def test_the_home_page_links_the_catalogue(client: Client, charter: Any) -> None:
    html = client.get(reverse("public:home")).content.decode()
    assert reverse("public:open_charters_json") in html and reverse("public:open_charters_csv") in html
