"""A complaint or a survey answer sent twice with the same form (the answer to the first was lost,
or "Send again" on the 503 page) is stored once, and the second sending lands where the first did."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from feedback.models import Case, SurveyResponse
from feedback.services import cases as case_services, surveys
from tests.charters.test_concurrency import run_together
from tests.factories import make_published_charter

KEY = "k3y-0f-th1s-f0rm-AAAAAAAAAAAA"


def form_key(client: Client, url: str) -> str:
    page = client.get(url).content.decode()
    return re.search(r'name="submission" value="([^"]+)"', page).group(1)


@pytest.mark.django_db
def test_the_complaint_form_sent_twice_stores_one_case(client: Client, published_charter: Any) -> None:
    url = reverse("public:feedback", args=[published_charter.facility.slug])
    key = form_key(client, url)
    assert len(key) >= 16 and key != form_key(client, url)  # a new key each time the form is shown
    data = {"kind": "complaint", "description": "Antrean loket lebih dari satu jam.", "submission": key}
    first = client.post(url, data)
    again = client.post(url, data)
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]  # the same receipt
    assert Case.objects.count() == 1
    client.post(url, {**data, "submission": form_key(client, url)})  # a new form: a new case
    assert Case.objects.count() == 2


@pytest.mark.django_db
def test_a_malformed_key_is_no_key(client: Client, published_charter: Any) -> None:
    url = reverse("public:feedback", args=[published_charter.facility.slug])
    data = {"kind": "complaint", "description": "Antrean loket lebih dari satu jam.", "submission": "<script>"}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert list(Case.objects.values_list("submission_key", flat=True)) == ["", ""]


@pytest.mark.django_db
def test_the_survey_sent_twice_stores_one_answer_and_says_thanks_again(client: Client, published_charter: Any) -> None:
    facility = published_charter.facility
    url = reverse("public:survey", args=[facility.slug])
    key = form_key(client, url)
    data = {
        "service": published_charter.services.first().slug,
        "visited_on": timezone.localdate().isoformat(),
        **{f"u{n}": "3" for n in range(1, 10)},
        "submission": key,
    }
    first = client.post(url, data)
    again = client.post(url, data)  # same browser, same form: thanks, not "already answered"
    assert first.status_code == again.status_code == 302
    assert again["Location"] == reverse("public:survey_thanks", args=[facility.slug])
    assert SurveyResponse.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections (PostgreSQL)")
def test_the_same_form_sent_at_the_same_moment_is_stored_once() -> None:
    charter = make_published_charter()
    facility = charter.facility
    answers = surveys.Answers(service=charter.services.first(), visited_on=timezone.localdate(), scores={"u1": 4})

    cases = run_together(
        *[lambda: case_services.submit_case(facility, kind="complaint", description="Sama.", submission_key=KEY)] * 4
    )
    responses = run_together(*[lambda: surveys.submit_response(facility, answers, submission_key=KEY)] * 4)

    assert Case.objects.count() == 1 and {case.pk for case in cases} == {Case.objects.get().pk}
    assert SurveyResponse.objects.count() == 1
    assert {response.pk for response in responses} == {SurveyResponse.objects.get().pk}
