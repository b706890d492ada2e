"""`generate_load_data`: facilities, published charters, survey answers and cases in bulk, varied,
consistent with what the pages expect, and the survey's daily sums exact (issue 11)."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count
from django.test import Client
from django.urls import reverse

from charters.models import Charter, CharterStatus, Facility, ServiceStandard
from feedback import codes
from feedback.models import Case, CaseStatus, SurveyDay, SurveyResponse
from feedback.survey import ikm

pytestmark = pytest.mark.django_db

SMALL = ["--facilities", "4", "--services", "30", "--responses", "900", "--busiest-responses", "400"]
SMALL += ["--cases", "120"]


def generate(*arguments: str) -> str:
    out = StringIO()
    call_command("generate_load_data", *arguments, stdout=out)
    return out.getvalue()


@pytest.fixture
def loaded() -> str:
    return generate(*SMALL)


def test_it_fills_every_table_as_asked_and_says_how_far_it_got(loaded: str) -> None:
    facilities = Facility.objects.filter(slug__startswith="load-")
    assert facilities.count() == 4 and len(set(facilities.values_list("name", "regency"))) == 4
    for facility in facilities:
        charter = facility.charters.get()
        assert charter.status == CharterStatus.PUBLISHED and charter.effective_date and charter.published_at
        slugs = list(charter.services.values_list("slug", flat=True))
        assert len(slugs) == len(set(slugs)) == 30  # the demo's standards, then the villages' Pustu
    services = ServiceStandard.objects.filter(charter__facility__in=facilities)
    assert not services.annotate(n=Count("requirements")).filter(n=0).exists()
    assert not services.annotate(n=Count("steps")).filter(n=0).exists()
    assert SurveyResponse.objects.count() == 900
    assert SurveyResponse.objects.filter(facility__slug="load-0001").count() == 400
    assert Case.objects.count() == 120 and Case.objects.filter(facility__slug="load-0001").count() == 90
    assert "survey answers: 900 of 900" in loaded and "cases with their events: 120 of 120" in loaded
    assert loaded.strip().endswith("done")


def test_the_survey_sums_are_those_of_the_answers(loaded: str) -> None:
    facility = Facility.objects.get(slug="load-0001")
    from_days = ikm.index_of(SurveyDay.objects.filter(facility=facility))
    from_rows = ikm.index_of(SurveyResponse.objects.filter(facility=facility))
    assert from_days.respondents == from_rows.respondents == 400
    assert from_days.ikm == from_rows.ikm
    assert SurveyResponse.objects.values("u1").distinct().count() > 1  # varied scores


def test_the_cases_are_consistent_with_their_status(loaded: str) -> None:
    cases = list(Case.objects.prefetch_related("events"))
    assert all(codes.CODE_RE.match(case.code) for case in cases)
    assert len({case.code for case in cases}) == len(cases)
    for case in cases:
        closed = case.status in (CaseStatus.CLOSED, CaseStatus.REJECTED)
        assert (case.closed_at is not None) == closed, case
        assert case.events.all()[0].kind == "received"
        if case.first_reply_at:
            assert any(event.kind == "reply" for event in case.events.all())
    assert len({case.status for case in cases}) >= 3 and len({case.kind for case in cases}) >= 3


def test_the_pages_work_on_it(loaded: str, login: Any) -> None:
    charter = Charter.objects.get(facility__slug="load-0001")
    page = Client().get(reverse("public:charter", args=["load-0001"]))
    assert page.status_code == 200 and charter.services.first().name in page.content.decode()
    assert Client().get(reverse("public:survey_results_json", args=["load-0001"])).status_code == 200
    head = get_user_model().objects.get(username="load-0001-head")
    assert charter.published_by == head and not head.has_usable_password()
    inbox = login(head).get(reverse("manage:cases", args=["load-0001"]))
    assert inbox.status_code == 200 and "90" in inbox.content.decode()
    facility = charter.facility  # found by the home page's search, by its name and a service's
    service = charter.services.first().name
    found = Client().get(reverse("public:home"), {"q": f"{facility.name} {service}"}).context["page"]
    assert facility in list(found)


def test_a_second_run_changes_nothing(loaded: str) -> None:
    again = generate(*SMALL)
    assert "there already" in again and Facility.objects.filter(slug__startswith="load-").count() == 4


@pytest.mark.parametrize("arguments", [["--facilities", "0"], ["--services", "0"]])
def test_impossible_numbers_are_refused(db: None, arguments: list[str]) -> None:
    with pytest.raises(CommandError):
        generate(*arguments)
