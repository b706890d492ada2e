"""Numbers of a thousand and more are grouped as the language writes them: 6.400 in Bahasa
Indonesia, 6,400 in English (issue 12: "6400" lacked a thousands separator); dates have no stray
period ("3 Des. 2026")."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from feedback import reports
from feedback.models import SurveyPeriod
from tests.factories import SurveyResponseFactory
from tests.test_i18n import visible_text

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("language", "grouped"), [("id", "6.400"), ("en", "6,400")])
def test_the_population_of_a_survey_period_is_grouped(
    client: Client, published_charter: Any, language: str, grouped: str
) -> None:
    facility = published_charter.facility
    today = timezone.localdate()
    SurveyPeriod.objects.create(
        facility=facility, name="Semester II", start=today - datetime.timedelta(days=30), end=today, population=6400
    )
    SurveyResponseFactory(facility=facility, scores=[3] * 9)
    client.cookies["django_language"] = language

    text = visible_text(client.get(reverse("public:survey_results", args=[facility.slug])).content.decode())

    assert grouped in text and "6400" not in text


def test_the_inbox_counts_are_grouped(editor_client: Client, facility: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    counts = {"all": 150_000, reports.OPEN: 3_512, **dict.fromkeys(reports.CaseStatus, 0)}
    counts["closed"] = 146_488
    monkeypatch.setattr(reports, "status_counts", lambda facility: counts)

    text = visible_text(editor_client.get(reverse("manage:cases", args=[facility.slug])).content.decode())

    assert "150,000" in text and "3,512" in text and "146,488" in text  # staff clients read English


@pytest.mark.parametrize(("language", "written"), [("id", "3 Des 2026"), ("en", "3 Dec 2026")])
def test_dates_have_no_stray_period(language: str, written: str) -> None:
    with translation.override(language):
        rendered = Template("{{ day }}|{{ day|date }}").render(Context({"day": datetime.date(2026, 12, 3)}))

    assert rendered == f"{written}|{written}"
