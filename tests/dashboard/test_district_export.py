"""The district page's rows as CSV and Excel: machine-readable columns, the page's period, filters
and order, numbers as numbers and ISO dates, empty cells for what is unknown."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dashboard.district import EXPORT_COLUMNS
from feedback.models import CaseStatus
from monitoring.models import EvaluationMethod, EvaluationRound, ServiceObservation
from tests.factories import CaseFactory, FacilityFactory, SurveyResponseFactory, make_published_charter
from tests.feedback.test_survey_manage import csv_rows, xlsx_cells

pytestmark = pytest.mark.django_db

HEADER = [
    "facility",
    "slug",
    "charter_version",
    "charter_status",
    "effective_date",
    "review_due",
    "review_overdue",
    "ikm",
    "grade",
    "respondents",
    "open_cases",
    "overdue_cases",
    "answered_within_norm_pct",
    "last_evaluation",
    "self_assessment_score",
    "promise_kept_pct",
]


def export_url(fmt: str, query: str = "") -> str:
    return reverse("manage:district_export", args=["kabupaten-tuban", fmt]) + query


@pytest.fixture
def supervisor_client(login: Callable[..., Client], supervisor: Any) -> Client:
    return login(supervisor)


@pytest.fixture
def regency(facility: Any, other_facility: Any, head: Any) -> dict[str, Any]:
    """Soko: a charter in force since 400 days (its review overdue), two answers, a case answered
    in time and one overdue, two observations of which one kept the promise, an evaluation round
    ended 30 days ago. Rengel: nothing."""
    today = timezone.localdate()
    charter = make_published_charter(facility, services=1, head=head, effective_date=today - datetime.timedelta(400))
    SurveyResponseFactory(facility=facility, scores=(4,) * 9)
    SurveyResponseFactory(facility=facility, scores=(3,) * 9)
    received = timezone.now() - datetime.timedelta(days=10)
    CaseFactory(
        facility=facility,
        received_at=received,
        due_date=today - datetime.timedelta(days=5),
        first_reply_at=received + datetime.timedelta(days=1),
        status=CaseStatus.ANSWERED,
    )
    CaseFactory(facility=facility, received_at=received, due_date=today - datetime.timedelta(days=2))
    service = charter.services.get()  # promises 15 minutes
    for minutes in (10, 30):
        ServiceObservation.objects.create(
            facility=facility, service=service, arrived_at=received, duration_minutes=minutes
        )
    evaluation = EvaluationRound.objects.create(
        facility=facility,
        charter=charter,
        started_on=today - datetime.timedelta(31),
        ended_on=today - datetime.timedelta(30),
        period_start=today - datetime.timedelta(120),
        period_end=today - datetime.timedelta(32),
        method=EvaluationMethod.FORUM,
        public_summary="Sebagian janji ditepati.",
    )
    return {"charter": charter, "evaluation": evaluation}


def self_assessment_total(client: Client, slug: str) -> int:
    return client.get(reverse("manage:self_assessment", args=[slug])).context["assessment"].total


def test_the_csv_has_the_machine_readable_columns_and_the_figures(
    supervisor_client: Client, regency: dict[str, Any]
) -> None:
    charter = regency["charter"]
    response = supervisor_client.get(export_url("csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    rows = csv_rows(response)
    assert rows[0] == HEADER == list(EXPORT_COLUMNS)
    rengel_total = self_assessment_total(supervisor_client, "pkm-rengel")
    soko_total = self_assessment_total(supervisor_client, "pkm-soko")
    assert (rengel_total, soko_total) == (0, 56)
    assert rows[1] == ["Puskesmas Rengel", "pkm-rengel", "", "", "", "", "", "", "", "0", "0", "0", "", "", "0", ""]
    assert rows[2] == [
        "Puskesmas Soko",
        "pkm-soko",
        str(charter.version),
        "published",
        charter.effective_date.isoformat(),
        charter.review_due_date.isoformat(),
        "true",
        "87.50",
        "B",
        "2",
        "1",
        "1",
        "50",
        regency["evaluation"].ended_on.isoformat(),
        str(soko_total),
        "50",
    ]


def test_the_export_has_the_pages_period_filters_and_order(supervisor_client: Client, regency: dict[str, Any]) -> None:
    assert [row[1] for row in csv_rows(supervisor_client.get(export_url("csv", "?sort=-ikm")))[1:]] == [
        "pkm-soko",
        "pkm-rengel",
    ]
    assert [row[1] for row in csv_rows(supervisor_client.get(export_url("csv", "?status=none")))[1:]] == ["pkm-rengel"]
    far = "?from=2020-01-01&to=2020-12-31"
    response = supervisor_client.get(export_url("csv", far))
    soko = csv_rows(response)[2]
    assert soko[7:10] == ["", "", "0"]  # nobody answered then
    assert 'filename="district-kabupaten-tuban-2020-01-01-2020-12-31.csv"' in response["Content-Disposition"]


def test_the_workbook_holds_numbers_as_numbers_and_dates_as_dates(
    supervisor_client: Client, regency: dict[str, Any]
) -> None:
    response = supervisor_client.get(export_url("xlsx"))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    rows, sheet = xlsx_cells(response)
    assert rows[0] == HEADER
    soko = rows[2]
    assert soko[:4] == ["Puskesmas Soko", "pkm-soko", "1", "published"]
    evaluated = regency["evaluation"].ended_on
    excel_day = str((evaluated - datetime.date(1899, 12, 30)).days)  # a date: Excel's day number
    assert soko[7:] == ["87.5", "B", "2", "1", "1", "50", excel_day, "56", "50"]
    effective = regency["charter"].effective_date
    assert soko[4] == str((effective - datetime.date(1899, 12, 30)).days)
    number_cells = re.findall(r'<c r="(H3|J3|N3|O3|P3)"([^>]*)>', sheet)
    assert len(number_cells) == 5 and all('t="s"' not in attributes for _cell, attributes in number_cells)
    assert rows[1][2:9] == [""] * 7  # Rengel: no charter, no index


def test_a_formula_in_a_name_is_written_as_text(supervisor_client: Client, supervisor: Any) -> None:
    FacilityFactory(name="=HYPERLINK(1)", slug="pkm-formula")
    rows = csv_rows(supervisor_client.get(export_url("csv")))
    assert ["'=HYPERLINK(1)", "pkm-formula"] in [row[:2] for row in rows]


def test_an_unknown_format_is_404(supervisor_client: Client, facility: Any) -> None:
    assert supervisor_client.get(export_url("pdf")).status_code == 404


def test_the_export_of_another_regency_is_404(supervisor_client: Client, facility: Any) -> None:
    FacilityFactory(regency="Kabupaten Bojonegoro")
    url = reverse("manage:district_export", args=["kabupaten-bojonegoro", "csv"])
    assert supervisor_client.get(url).status_code == 404
