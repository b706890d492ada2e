"""The survey's exact daily aggregates (`SurveyDay`): the index from them equals the plain
computation over the responses, by period, month and service; every way responses are written
or deleted keeps them exact; results.json is the same as before them; the results page's queries
do not grow with the responses."""

from __future__ import annotations

import datetime
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from feedback.models import ResponseChannel, SurveyDay, SurveyResponse
from feedback.services import surveys
from feedback.survey import days, ikm
from feedback.survey.results import results_for
from tests.charters.test_concurrency import run_together
from tests.conftest import admin_url
from tests.factories import SurveyResponseFactory, make_published_charter
from tests.feedback.survey_days_data import JSON_QUERIES, Dataset, json_query, make_dataset
from tests.feedback.test_survey_import import csv_bytes, import_url, line, upload
from tests.feedback.test_survey_manage import entry_data, entry_url, paper_row

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).parent / "fixtures" / "survey_results_before.json"


def stored_days() -> set[tuple[Any, ...]]:
    """The day rows as (key, counts), ids aside."""
    return set(SurveyDay.objects.values_list(*days.KEY_FIELDS, *days.COUNTS))


def recomputed_days() -> set[tuple[Any, ...]]:
    """The day rows the responses give, computed afresh (without touching the stored ones)."""
    grouped = SurveyResponse.objects.order_by().values(*days.KEY_FIELDS).annotate(**ikm.aggregates())
    return {(*(row[name] for name in days.KEY_FIELDS), *(row[name] or 0 for name in days.COUNTS)) for row in grouped}


def assert_exact() -> None:
    assert stored_days() == recomputed_days()


@pytest.fixture
def dataset(db: None) -> Dataset:
    return make_dataset()


# --- The same figures as the responses ------------------------------------------------------------


PERIODS = [
    (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)),
    (datetime.date(2025, 1, 1), datetime.date(2026, 3, 31)),
    (datetime.date(2025, 4, 1), datetime.date(2025, 6, 30)),
    (datetime.date(2025, 2, 10), datetime.date(2025, 2, 10)),
    (datetime.date(2025, 11, 15), datetime.date(2026, 1, 14)),
    (datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)),
]


def test_the_stored_days_are_the_responses_added_up(dataset: Dataset) -> None:
    assert SurveyDay.objects.count() > 100
    assert_exact()


@pytest.mark.parametrize(("start", "end"), PERIODS)
def test_the_index_by_period_month_and_service_equals_the_one_over_the_responses(
    dataset: Dataset, start: datetime.date, end: datetime.date
) -> None:
    for facility in dataset.facilities:
        responses = SurveyResponse.objects.filter(facility=facility).visited_between(start, end)
        day_rows = SurveyDay.objects.filter(facility=facility).visited_between(start, end)

        assert ikm.index_of(day_rows) == ikm.index_of(responses)
        assert ikm.index_and_months(day_rows) == ikm.index_and_months(responses)
        # A service counts with its other charter versions (same slug); "" for no service.
        by_service = ikm.indexes_by_service(responses)
        assert ikm.indexes_by_service(day_rows) == by_service
        for slug, _name, index in by_service:
            if slug:
                assert ikm.index_of(day_rows.for_service(slug)) == index == ikm.index_of(responses.for_service(slug))


def test_the_exact_ikm_is_the_same_fraction(dataset: Dataset) -> None:
    facility = dataset.facilities[0]
    from_days = results_for(facility, *PERIODS[1]).index
    plain = ikm.index_of(SurveyResponse.objects.filter(facility=facility).visited_between(*PERIODS[1]))
    assert from_days.ikm_exact == plain.ikm_exact
    assert from_days.ikm_exact is not None and from_days.ikm_exact.denominator > 1


def _privately(figures: dict[str, Any], service: int | None) -> dict[str, Any]:
    """The recorded answer as the public sees it since issue 12: under 5 respondents, no element
    values, and a service's index neither (feedback.survey.results.FEWEST_SHOWN)."""
    if 0 < figures["respondents"] < 5:
        figures = {**figures, "elements": dict.fromkeys(figures["elements"])}
        if service is not None:
            figures.update(ikm=None, grade=None, label=None)
    return figures


def test_results_json_is_the_same_as_before_the_aggregates(client: Client, dataset: Dataset) -> None:
    recorded = json.loads(FIXTURE.read_text())
    expected = [_privately(figures, query[3]) for figures, query in zip(recorded, JSON_QUERIES, strict=True)]
    assert expected != recorded  # the day with 2 respondents
    got = []
    for facility, start, end, service in JSON_QUERIES:
        url = reverse("public:survey_results_json", args=[facility])
        response = client.get(url, json_query(dataset, facility, start, end, service))
        assert response.status_code == 200
        got.append(response.json())
    assert got == expected


def test_the_results_page_reads_the_days_in_as_many_queries_however_many_responses(
    client: Client, dataset: Dataset, django_assert_num_queries: Any, django_capture_on_commit_callbacks: Any
) -> None:
    facility = dataset.facilities[0]
    url = reverse("public:survey_results", args=[facility.slug])
    query = {"from": "2025-01-01", "to": "2026-03-31"}
    responses = SurveyResponse.objects.filter(facility=facility).visited_between(
        datetime.date(2025, 1, 1), datetime.date(2026, 3, 31)
    )
    with django_assert_num_queries(6) as captured:  # with the follow-up actions
        response = client.get(url, query)
    assert response.context["index"].respondents == responses.count() > 500
    assert not any(SurveyResponse._meta.db_table in q["sql"] for q in captured.captured_queries)
    with django_assert_num_queries(0):  # then from the page cache
        assert client.get(url, query).content == response.content
    with django_capture_on_commit_callbacks(execute=True):  # the new answers retire the cached page
        SurveyResponse.objects.bulk_create(
            SurveyResponseFactory.build(facility=facility, visited_on=datetime.date(2025, 5, day))
            for day in range(1, 29)
        )
    with django_assert_num_queries(6):
        response = client.get(url, query)
    assert response.context["index"].respondents == responses.count()
    with django_assert_num_queries(6):
        client.get(url, {**query, "service": dataset.published[facility.slug][0].slug})
    with django_assert_num_queries(5):
        client.get(reverse("public:survey_results_json", args=[facility.slug]), query)


# --- Every write keeps them exact -----------------------------------------------------------------


def test_a_citizens_answer_adds_to_its_day(facility: Any, published_charter: Any) -> None:
    service = published_charter.services.first()
    answers = surveys.Answers(service=service, visited_on=timezone.localdate(), scores={"u1": 3, "u3": 4, "u9": 1})
    surveys.submit_response(facility, answers)
    surveys.submit_response(facility, answers)
    surveys.submit_response(facility, surveys.Answers(service=None, visited_on=timezone.localdate(), scores={}))
    assert_exact()
    day = SurveyDay.objects.get(service=service)
    assert (day.respondents, day.u1_answered, day.u1_total, day.u2_answered, day.u3_total) == (2, 2, 6, 0, 8)
    assert SurveyDay.objects.get(service=None).respondents == 1


def test_a_refused_second_answer_adds_nothing(facility: Any, published_charter: Any) -> None:
    service = published_charter.services.first()
    device = surveys.device_hash("cookie", facility, timezone.localdate())
    answers = surveys.Answers(service=service, visited_on=timezone.localdate(), scores={"u1": 4})
    surveys.submit_response(facility, answers, device=device)
    with pytest.raises(ValidationError):
        surveys.submit_response(facility, answers, device=device)
    assert SurveyDay.objects.get().respondents == 1
    assert_exact()


def test_a_paper_batch_adds_to_every_day_it_touches(editor_client: Client, facility: Any, head: Any) -> None:
    charter = make_published_charter(facility, services=2, head=head)
    first, second = charter.services.order_by("position")
    earlier = timezone.localdate() - datetime.timedelta(days=3)
    rows = [
        paper_row(first),
        paper_row(first, day=earlier, scores="4.3.4.4.3"),
        paper_row(second),
        paper_row(None, day=earlier),
    ]
    response = editor_client.post(entry_url(facility, "?rows=4"), {**entry_data(*rows), "confirm_incomplete": "1"})
    assert response.status_code == 302
    assert SurveyResponse.objects.count() == 4
    assert SurveyDay.objects.count() == 4
    assert_exact()


def test_a_csv_import_adds_to_every_day_it_touches(editor_client: Client, facility: Any, head: Any) -> None:
    charter = make_published_charter(facility, services=2, head=head)
    first, second = charter.services.order_by("position")
    content = csv_bytes(
        line(first.slug),
        line(first.slug, scores="1,,2,,3,,4,,1"),
        line(second.slug, day=(timezone.localdate() - datetime.timedelta(days=40)).isoformat()),
        line(""),
    )
    response = editor_client.post(import_url(facility), {"file": upload(content)})
    assert response.status_code == 302
    assert set(SurveyResponse.objects.values_list("channel", flat=True)) == {ResponseChannel.IMPORT}
    assert_exact()
    assert SurveyDay.objects.get(service=first).respondents == 2


def test_a_batch_refused_by_the_database_leaves_the_days_as_they_were(facility: Any) -> None:
    SurveyResponseFactory(facility=facility)
    before = stored_days()
    good = surveys.Answers(service=None, visited_on=timezone.localdate(), scores={"u1": 4})
    off_the_scale = surveys.Answers(service=None, visited_on=timezone.localdate(), scores={"u1": 9})
    with pytest.raises(IntegrityError):
        surveys.record_paper_responses(facility, [good] * 600 + [off_the_scale], None)
    assert stored_days() == before
    assert_exact()


def test_deleting_responses_in_the_admin_subtracts_them(admin_client: Client, dataset: Dataset) -> None:
    facility = dataset.facilities[0]
    chosen = list(SurveyResponse.objects.filter(facility=facility).order_by("pk").values_list("pk", flat=True)[:40])
    response = admin_client.post(
        admin_url(SurveyResponse, "changelist"),
        {"action": "delete_selected", "_selected_action": chosen, "post": "yes"},
    )
    assert response.status_code == 302
    assert not SurveyResponse.objects.filter(pk__in=chosen).exists()
    assert_exact()
    one = SurveyResponse.objects.filter(facility=facility).first()
    response = admin_client.post(admin_url(SurveyResponse, "delete", one.pk), {"post": "yes"})
    assert response.status_code == 302
    assert_exact()


def test_the_last_response_of_a_day_takes_its_row_with_it(facility: Any) -> None:
    response = SurveyResponseFactory(facility=facility, visited_on=datetime.date(2025, 8, 17))
    kept = SurveyResponseFactory(facility=facility, visited_on=datetime.date(2025, 8, 18))
    response.delete()
    assert list(SurveyDay.objects.values_list("visited_on", flat=True)) == [kept.visited_on]
    SurveyResponse.objects.filter(pk=kept.pk).delete()
    assert not SurveyDay.objects.exists()


def test_a_period_deleted_by_queryset_and_responses_moved_stay_exact(dataset: Dataset) -> None:
    facility = dataset.facilities[0]
    SurveyResponse.objects.filter(facility=facility).visited_between(
        datetime.date(2025, 3, 1), datetime.date(2025, 3, 31)
    ).delete()
    assert_exact()
    moved = SurveyResponse.objects.filter(facility=facility, visited_on__month=4)
    assert moved.update(visited_on=datetime.date(2025, 5, 2), u4=None) > 0
    assert_exact()
    one = SurveyResponse.objects.filter(facility=facility, u1__isnull=False).first()
    one.u1, one.service = None, None
    one.save()
    assert_exact()
    SurveyResponse.objects.filter(facility=facility).update(comment="seen")  # no score: nothing to count
    assert_exact()


def test_a_deleted_service_keeps_the_figures_of_its_responses(dataset: Dataset) -> None:
    """Its responses lose their service; its day rows keep the old id, which no service filter
    matches and which counts with "no service": the same figures. The rebuild tidies them."""
    facility = dataset.facilities[0]
    draft_only = (
        SurveyResponse.objects.filter(facility=facility, service__isnull=False).order_by("-service_id")[0].service
    )
    draft_only.delete()
    responses = SurveyResponse.objects.filter(facility=facility)
    day_rows = SurveyDay.objects.filter(facility=facility)
    assert ikm.indexes_by_service(day_rows) == ikm.indexes_by_service(responses)
    assert ikm.index_and_months(day_rows) == ikm.index_and_months(responses)
    call_command("rebuild_survey_days", stdout=StringIO())
    assert_exact()


def test_a_deleted_facility_takes_its_days(facility: Any, other_facility: Any) -> None:
    SurveyResponseFactory.create_batch(3, facility=facility)
    SurveyResponseFactory.create_batch(2, facility=other_facility)
    gone = other_facility
    gone.delete()
    assert not SurveyDay.objects.filter(facility_id=gone.pk).exists()
    assert_exact()


def test_conflicting_bulk_inserts_are_refused(facility: Any) -> None:
    with pytest.raises(ValueError):
        SurveyResponse.objects.bulk_create([SurveyResponseFactory.build(facility=facility)], ignore_conflicts=True)


# --- The rebuild ------------------------------------------------------------------------------------


def test_the_rebuild_command_recomputes_rows_written_behind_the_orms_back(dataset: Dataset) -> None:
    facility = dataset.facilities[0]
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {SurveyResponse._meta.db_table} WHERE facility_id = %s AND visited_on < %s",
            [facility.pk, "2025-02-01"],
        )
    assert stored_days() != recomputed_days()
    out = StringIO()
    call_command("rebuild_survey_days", "--facility", facility.slug, stdout=out)
    assert "for 1 facilities" in out.getvalue()
    assert_exact()
    call_command("rebuild_survey_days", stdout=out)
    assert_exact()


def test_the_rebuild_refuses_an_unknown_facility(db: None) -> None:
    with pytest.raises(CommandError, match="no-such-place"):
        call_command("rebuild_survey_days", "--facility", "no-such-place")


# --- Simultaneous answers ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections (PostgreSQL)")
def test_ten_simultaneous_answers_about_one_day_are_all_counted() -> None:
    charter = make_published_charter()
    facility = charter.facility
    service = charter.services.first()
    answers = surveys.Answers(service=service, visited_on=timezone.localdate(), scores={"u1": 3, "u2": 4})
    nobody = surveys.Answers(service=None, visited_on=timezone.localdate(), scores={"u1": 2})

    run_together(*[lambda: surveys.submit_response(facility, answers)] * 10)
    run_together(*[lambda: surveys.submit_response(facility, nobody)] * 10)

    assert SurveyDay.objects.get(service=service).respondents == 10
    assert SurveyDay.objects.get(service=None).u1_total == 20
    assert_exact()
