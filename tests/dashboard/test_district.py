"""The district dashboard of a regency's supervisors: who may open it, that each figure is the one
the facility's own pages show for the same period, sorting and filters, the period, the chart and
the number of queries."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from charters.models import CharterStatus, DurationUnit, Facility, ServiceStandard, Supervision
from charters.models.facility import RESERVED_FACILITY_SLUGS
from dashboard import district
from dashboard.forms import COLUMNS
from feedback.models import CaseStatus, SurveyAction, SurveyPeriod
from feedback.survey.results import twelve_months_before
from monitoring.figures import PeriodFigures, service_figures
from monitoring.models import EvaluationMethod, EvaluationRound, ServiceObservation
from tests.factories import (
    CaseFactory,
    FacilityFactory,
    MembershipFactory,
    SurveyResponseFactory,
    UserFactory,
    make_complete_draft,
    make_published_charter,
    publish_draft,
)

pytestmark = pytest.mark.django_db

TUBAN = "kabupaten-tuban"


def page_url(regency: str = TUBAN, query: str = "") -> str:
    return reverse("manage:district", args=[regency]) + query


def period(start: datetime.date, end: datetime.date) -> str:
    return f"?from={start.isoformat()}&to={end.isoformat()}"


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def moment(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def rows_by_slug(response: Any) -> dict[str, district.FacilityRow]:
    return {row.facility.slug: row for row in response.context["board"].rows}


def publish_with(facility: Facility, head: Any, *durations: tuple[int | None, str]) -> list[ServiceStandard]:
    """A charter in force whose services promise `durations`, (value, unit) each, in order."""
    draft = make_complete_draft(facility, services=len(durations))
    for service, (value, unit) in zip(draft.services.order_by("position"), durations, strict=True):
        service.duration_value, service.duration_unit = value, unit
        service.save()
    return list(publish_draft(draft, head).services.order_by("position"))


def forget_promise(service: ServiceStandard) -> None:
    """As a version published before a duration was required: frozen now, so changed in SQL."""
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {ServiceStandard._meta.db_table} SET duration_value = NULL WHERE id = %s", [service.pk])
    service.refresh_from_db()


def observe(
    service: ServiceStandard, minutes: int, day: datetime.date, completed_on: datetime.date | None = None
) -> None:
    ServiceObservation.objects.create(
        facility=service.charter.facility,
        service=service,
        arrived_at=moment(day, 8),
        completed_at=moment(completed_on, 10) if completed_on else None,
        duration_minutes=minutes,
    )


def evaluate(facility: Facility, ended_on: datetime.date) -> EvaluationRound:
    """An evaluation round of the facility's charter in force that ended on `ended_on`."""
    return EvaluationRound.objects.create(
        facility=facility,
        charter=facility.charters.get(status=CharterStatus.PUBLISHED),
        started_on=ended_on,
        ended_on=ended_on,
        period_start=ended_on - datetime.timedelta(days=90),
        period_end=ended_on,
        method=EvaluationMethod.FORUM,
        public_summary="Janji sebagian besar ditepati.",
    )


@pytest.fixture
def supervisor_client(login: Callable[..., Client], supervisor: Any) -> Client:
    return login(supervisor)


@pytest.fixture
def elsewhere(db: None) -> Facility:
    """A facility of another regency."""
    return FacilityFactory(name="Puskesmas Kota", slug="pkm-kota", regency="Kabupaten Bojonegoro")


# --- Who may open it ---------------------------------------------------------------------------


def test_supervisor_sees_every_facility_of_the_regency_and_no_other(
    supervisor_client: Client, facility: Facility, other_facility: Facility, elsewhere: Facility
) -> None:
    response = supervisor_client.get(page_url())
    assert response.status_code == 200
    assert [row.facility for row in response.context["board"].rows] == [other_facility, facility]  # by name
    html = response.content.decode()
    assert "Puskesmas Soko" in html and "Puskesmas Rengel" in html
    assert "Puskesmas Kota" not in html


def test_supervisor_of_another_regency_gets_404(
    login: Callable[..., Client], supervisor: Any, facility: Facility, elsewhere: Facility
) -> None:
    assert login(supervisor).get(page_url("kabupaten-bojonegoro")).status_code == 404
    bojonegoro = UserFactory()
    Supervision.objects.create(user=bojonegoro, regency=elsewhere.regency)
    assert login(bojonegoro).get(page_url()).status_code == 404
    assert login(bojonegoro).get(page_url("kabupaten-bojonegoro")).status_code == 200


@pytest.mark.parametrize("persona", ["editor", "head", "other_editor"])
def test_a_facilitys_own_staff_cannot_see_the_district_page(
    login: Callable[..., Client], request: pytest.FixtureRequest, persona: str
) -> None:
    client = login(request.getfixturevalue(persona))
    assert client.get(page_url()).status_code == 404
    assert client.get(reverse("manage:district_export", args=[TUBAN, "csv"])).status_code == 404


def test_superuser_opens_any_regency_but_not_one_without_facilities(
    login: Callable[..., Client], superuser: Any, facility: Facility, elsewhere: Facility
) -> None:
    client = login(superuser)
    assert client.get(page_url()).status_code == 200
    assert client.get(page_url("kabupaten-bojonegoro")).status_code == 200
    assert client.get(page_url("kabupaten-lamongan")).status_code == 404


def test_anonymous_is_sent_to_the_login(client: Client, facility: Facility) -> None:
    response = client.get(page_url())
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_a_supervisor_changes_nothing_post_is_403(supervisor_client: Client, facility: Facility) -> None:
    before = list(Facility.objects.values())
    assert supervisor_client.post(page_url(), {"name": "x"}).status_code == 403
    assert supervisor_client.post(reverse("manage:district_export", args=[TUBAN, "csv"])).status_code == 403
    assert list(Facility.objects.values()) == before


def test_a_facility_cannot_take_the_address_of_the_district_pages(db: None) -> None:
    assert "district" in RESERVED_FACILITY_SLUGS
    facility = FacilityFactory.build(name="District", slug="district")
    with pytest.raises(ValidationError) as error:
        facility.full_clean()
    assert "slug" in error.value.message_dict


def test_the_staff_dashboard_links_a_supervisor_to_each_regency_supervised(
    supervisor_client: Client, login: Callable[..., Client], editor: Any, facility: Facility, elsewhere: Facility
) -> None:
    html = supervisor_client.get(reverse("manage:dashboard")).content.decode()
    assert f'href="{page_url()}"' in html
    assert page_url("kabupaten-bojonegoro") not in html
    assert "/manage/district/" not in login(editor).get(reverse("manage:dashboard")).content.decode()


# --- Each figure is the facility's own ---------------------------------------------------------


def test_ikm_grade_and_respondents_equal_the_public_results_of_the_same_period(
    supervisor_client: Client, client: Client, facility: Facility, other_facility: Facility
) -> None:
    start, end = days_ago(60), days_ago(1)
    SurveyResponseFactory(facility=facility, visited_on=days_ago(5), scores=(4,) * 9)
    SurveyResponseFactory(facility=facility, visited_on=days_ago(10), scores=(3, 2, 3, 4, 3, 2, 3, 3, None))
    SurveyResponseFactory(facility=facility, visited_on=days_ago(90))  # before the period
    SurveyResponseFactory(facility=other_facility, visited_on=days_ago(3), scores=(2,) * 9)
    rows = rows_by_slug(supervisor_client.get(page_url(query=period(start, end))))

    for facility_row in rows.values():
        slug = facility_row.facility.slug
        public = client.get(reverse("public:survey_results_json", args=[slug]) + period(start, end)).json()
        assert facility_row.respondents == public["respondents"]
        assert facility_row.ikm == Decimal(str(public["ikm"]))
        assert facility_row.grade.letter == public["grade"]
    assert rows["pkm-soko"].respondents == 2
    assert rows["pkm-rengel"].grade.letter == "D"


def test_a_facility_without_answers_has_no_index(supervisor_client: Client, facility: Facility) -> None:
    row = rows_by_slug(supervisor_client.get(page_url()))["pkm-soko"]
    assert (row.ikm, row.grade, row.respondents) == (None, None, 0)


def test_case_figures_equal_the_facilitys_figures_page(
    supervisor_client: Client, facility: Facility, other_facility: Facility
) -> None:
    start, end = days_ago(40), timezone.localdate()
    received = moment(days_ago(20))
    # Answered in time, answered late, waiting past its due date, waiting and not yet due.
    CaseFactory(
        facility=facility, received_at=received, due_date=days_ago(15), first_reply_at=moment(days_ago(16)),
        status=CaseStatus.ANSWERED,
    )  # fmt: skip
    CaseFactory(
        facility=facility, received_at=received, due_date=days_ago(15), first_reply_at=moment(days_ago(12)),
        status=CaseStatus.ANSWERED,
    )  # fmt: skip
    CaseFactory(facility=facility, received_at=received, due_date=days_ago(2))
    CaseFactory(facility=facility, received_at=moment(days_ago(1)), due_date=days_ago(-5))
    CaseFactory(facility=facility, received_at=moment(days_ago(100)), due_date=days_ago(90))  # before, overdue now
    CaseFactory(
        facility=other_facility, received_at=received, due_date=days_ago(10), first_reply_at=moment(days_ago(11))
    )
    rows = rows_by_slug(supervisor_client.get(page_url(query=period(start, end))))

    for slug, row in rows.items():
        own = supervisor_client.get(reverse("manage:case_figures", args=[slug]) + period(start, end))
        total = own.context["figures"].total
        assert (row.open_cases, row.overdue_cases, row.answered_within_norm) == (
            total.open_now,
            total.overdue_now,
            total.percent_in_time,
        )
    assert (rows["pkm-soko"].open_cases, rows["pkm-soko"].overdue_cases) == (3, 2)
    assert rows["pkm-soko"].answered_within_norm == 33  # 1 in time of 3 judged
    assert rows["pkm-rengel"].answered_within_norm == 100


def test_promise_kept_sums_every_observation_of_the_services_that_promise_a_duration(
    supervisor_client: Client, facility: Facility, head: Any, other_facility: Facility
) -> None:
    quick, slow, unmeasured = publish_with(
        facility, head, (15, DurationUnit.MINUTES), (2, DurationUnit.WORKING_DAYS), (60, DurationUnit.MINUTES)
    )
    forget_promise(unmeasured)
    for minutes in (10, 12, 20):  # two of three within 15 minutes
        observe(quick, minutes, days_ago(5))
    monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday() + 14)
    observe(slow, 0, monday, completed_on=monday + datetime.timedelta(days=1))  # within two working days
    observe(slow, 0, monday, completed_on=monday + datetime.timedelta(days=14))  # two weeks later: broken
    observe(unmeasured, 500, days_ago(5))  # no promise: left out
    observe(quick, 5, days_ago(200))  # before the period
    start, end = days_ago(30), timezone.localdate()

    rows = rows_by_slug(supervisor_client.get(page_url(query=period(start, end))))

    own = PeriodFigures(start=start, end=end, rows=service_figures(facility, start, end)).total
    page = supervisor_client.get(reverse("manage:observation_figures", args=[facility.slug]) + period(start, end))
    assert rows["pkm-soko"].promise_kept == own.promise_kept == page.context["figures"].total.promise_kept
    assert (rows["pkm-soko"].promise.within, rows["pkm-soko"].promise.count) == (3, 5)
    assert rows["pkm-soko"].promise_kept == Decimal(60)
    assert rows["pkm-rengel"].promise_kept is None  # no charter, nothing observed


def test_last_evaluation_and_self_assessment_equal_the_facilitys_own_pages(
    supervisor_client: Client, facility: Facility, head: Any, other_facility: Facility
) -> None:
    make_published_charter(facility, head=head, effective_date=days_ago(500))
    evaluate(facility, days_ago(400))
    latest = evaluate(facility, days_ago(40))
    SurveyResponseFactory(facility=facility, scores=(4,) * 9)
    response = supervisor_client.get(page_url())
    rows = rows_by_slug(response)

    for slug, row in rows.items():
        own = supervisor_client.get(reverse("manage:self_assessment", args=[slug])).context["assessment"]
        assert row.self_assessment_score == own.total
        assert row.last_evaluation == (own.last_evaluation.ended_on if own.last_evaluation else None)
    soko = rows["pkm-soko"]
    assert soko.last_evaluation == days_ago(40)
    assert soko.self_assessment_score > rows["pkm-rengel"].self_assessment_score == 0
    assert rows["pkm-rengel"].last_evaluation is None
    html = response.content.decode()
    assert f'href="{reverse("manage:evaluation", args=[facility.slug, latest.pk])}"' in html
    assert (
        f'href="{reverse("manage:self_assessment", args=[facility.slug])}" data-score="{soko.self_assessment_score}"'
        in html
    )


def test_charter_columns(supervisor_client: Client, facility: Facility, head: Any, other_facility: Facility) -> None:
    published = make_published_charter(facility, head=head, effective_date=days_ago(400))
    draft = make_complete_draft(facility)
    make_complete_draft(other_facility)
    FacilityFactory(name="Puskesmas Zebra", slug="pkm-zebra")

    rows = rows_by_slug(supervisor_client.get(page_url()))

    soko = rows["pkm-soko"]
    assert (soko.charter, soko.in_progress, soko.status) == (published, draft, CharterStatus.PUBLISHED)
    assert soko.effective_date == days_ago(400)
    assert soko.review_due == published.review_due_date and soko.review_overdue
    assert soko.review_overdue == published.is_review_overdue
    assert (rows["pkm-rengel"].status, rows["pkm-rengel"].in_progress, rows["pkm-rengel"].review_overdue) == (
        CharterStatus.DRAFT,
        None,
        False,
    )
    assert (rows["pkm-zebra"].charter, rows["pkm-zebra"].status) == (None, "none")


def test_a_scheduled_version_counts_from_its_effective_date(facility: Facility, head: Any) -> None:
    tomorrow = days_ago(-1)
    first = make_published_charter(facility, head=head)
    scheduled = publish_draft(make_complete_draft(facility), head, tomorrow)
    today_row, tomorrow_row = (
        district.facility_rows([facility], tomorrow, tomorrow, today=day)[0] for day in (timezone.localdate(), tomorrow)
    )
    assert (today_row.charter, today_row.in_progress) == (first, scheduled)
    assert (tomorrow_row.charter, tomorrow_row.in_progress, tomorrow_row.status) == (scheduled, None, "published")
    scheduled.refresh_from_db()
    assert scheduled.status == CharterStatus.APPROVED  # nothing saved


# --- Sorting and filters -----------------------------------------------------------------------


@pytest.fixture
def three_facilities(facility: Facility, other_facility: Facility, head: Any) -> list[Facility]:
    """Soko (IKM 100, published), Rengel (IKM 50, a draft), Zebra (no answers, no charter)."""
    make_published_charter(facility, head=head)
    make_complete_draft(other_facility)
    zebra = FacilityFactory(name="Puskesmas Zebra", slug="pkm-zebra")
    SurveyResponseFactory(facility=facility, scores=(4,) * 9)
    SurveyResponseFactory(facility=other_facility, scores=(2,) * 9)
    CaseFactory(facility=other_facility)
    return [facility, other_facility, zebra]


def slugs(response: Any) -> list[str]:
    return [row.facility.slug for row in response.context["board"].rows]


def test_the_table_is_sorted_by_name_by_default(supervisor_client: Client, three_facilities: Any) -> None:
    assert slugs(supervisor_client.get(page_url())) == ["pkm-rengel", "pkm-soko", "pkm-zebra"]


def test_sorting_by_ikm_puts_a_facility_without_one_last_either_way(
    supervisor_client: Client, three_facilities: Any
) -> None:
    assert slugs(supervisor_client.get(page_url(query="?sort=ikm"))) == ["pkm-rengel", "pkm-soko", "pkm-zebra"]
    response = supervisor_client.get(page_url(query="?sort=-ikm"))
    assert slugs(response) == ["pkm-soko", "pkm-rengel", "pkm-zebra"]
    html = response.content.decode()
    assert 'aria-sort="descending"' in html
    assert 'href="?sort=ikm"' in html  # the sorted column's link turns the order around


@pytest.mark.parametrize("column", [column.name for column in COLUMNS])
@pytest.mark.parametrize("direction", ["", "-"])
def test_every_column_sorts(supervisor_client: Client, three_facilities: Any, column: str, direction: str) -> None:
    response = supervisor_client.get(page_url(query=f"?sort={direction}{column}"))
    assert response.status_code == 200
    assert response.context["board"].sort == f"{direction}{column}"
    assert sorted(slugs(response)) == ["pkm-rengel", "pkm-soko", "pkm-zebra"]
    key = district.SORT_KEYS[column]
    values = [key(row) for row in response.context["board"].rows if key(row) is not None]
    assert values == sorted(values, reverse=direction == "-")


def test_sorting_by_last_evaluation_and_self_assessment(
    supervisor_client: Client, three_facilities: list[Facility]
) -> None:
    soko, _rengel, _zebra = three_facilities
    evaluate(soko, days_ago(5))
    assert slugs(supervisor_client.get(page_url(query="?sort=-evaluation"))) == ["pkm-soko", "pkm-rengel", "pkm-zebra"]
    by_score = supervisor_client.get(page_url(query="?sort=-assessment"))
    assert slugs(by_score)[0] == "pkm-soko"  # a charter in force, answers
    scores = [row.self_assessment_score for row in by_score.context["board"].rows]
    assert scores == sorted(scores, reverse=True)


def test_filter_by_evaluation_and_self_assessment_band(
    supervisor_client: Client, three_facilities: list[Facility]
) -> None:
    soko, _rengel, _zebra = three_facilities
    evaluate(soko, days_ago(400))  # more than a year ago
    assert slugs(supervisor_client.get(page_url(query="?evaluation=stale"))) == ["pkm-rengel", "pkm-soko", "pkm-zebra"]
    evaluate(soko, days_ago(20))
    assert slugs(supervisor_client.get(page_url(query="?evaluation=stale"))) == ["pkm-rengel", "pkm-zebra"]
    rows = rows_by_slug(supervisor_client.get(page_url()))
    assert rows["pkm-soko"].self_assessment_score >= 50 > rows["pkm-rengel"].self_assessment_score
    assert slugs(supervisor_client.get(page_url(query="?score=low"))) == ["pkm-rengel", "pkm-zebra"]
    middle_or_high = slugs(supervisor_client.get(page_url(query="?score=middle"))) + slugs(
        supervisor_client.get(page_url(query="?score=high"))
    )
    assert middle_or_high == ["pkm-soko"]


def test_sorting_by_open_cases_descending(supervisor_client: Client, three_facilities: Any) -> None:
    assert slugs(supervisor_client.get(page_url(query="?sort=-open")))[0] == "pkm-rengel"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?status=published", ["pkm-soko"]),
        ("?status=draft", ["pkm-rengel"]),
        ("?status=none", ["pkm-zebra"]),
        ("?status=consultation", []),
        ("?review=overdue", []),
    ],
)
def test_filter_by_charter_status_and_overdue_review(
    supervisor_client: Client, three_facilities: Any, query: str, expected: list[str]
) -> None:
    response = supervisor_client.get(page_url(query=query))
    assert slugs(response) == expected
    assert response.context["board"].facility_count == 3


def test_filter_by_overdue_review(supervisor_client: Client, facility: Facility, other_facility: Facility) -> None:
    make_published_charter(facility, effective_date=days_ago(400))
    make_published_charter(other_facility)
    response = supervisor_client.get(page_url(query="?review=overdue"))
    assert slugs(response) == ["pkm-soko"]
    assert "1 of 2 facilities shown." in response.content.decode()


@pytest.mark.parametrize(
    "query", ["?sort=budget", "?status=lost", "?review=soon", "?sort=-", "?evaluation=never", "?score=top"]
)
def test_a_wrong_choice_is_an_error_next_to_its_field_and_the_default_applies(
    supervisor_client: Client, three_facilities: Any, query: str
) -> None:
    response = supervisor_client.get(page_url(query=query))
    assert response.status_code == 200
    field = query[1:].split("=")[0]
    assert field in response.context["form"].errors
    assert len(slugs(response)) == 3
    if field == "sort":
        assert response.context["board"].sort == "facility"


# --- The period --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["?from=2026-13-45", "?to=tomorrow", "?from=1999-01-01", "?from=2100-01-01", "?from=2026-06-30&to=2026-01-01"],
)
def test_a_wrong_date_is_an_error_next_to_its_field_never_a_500(
    supervisor_client: Client, facility: Facility, query: str
) -> None:
    response = supervisor_client.get(page_url(query=query))
    assert response.status_code == 200
    form = response.context["form"]
    assert "from" in form.errors or "to" in form.errors
    board = response.context["board"]
    assert (board.start, board.end) == (twelve_months_before(timezone.localdate()), timezone.localdate())
    assert 'class="invalid-feedback"' in response.content.decode()


def test_the_default_period_is_the_latest_survey_period_begun_in_the_regency(
    supervisor_client: Client, facility: Facility, other_facility: Facility, elsewhere: Facility
) -> None:
    today = timezone.localdate()
    SurveyPeriod.objects.create(facility=facility, name="Lama", start=days_ago(400), end=days_ago(200), population=50)
    SurveyPeriod.objects.create(
        facility=other_facility, name="Kini", start=days_ago(100), end=days_ago(-80), population=50
    )
    SurveyPeriod.objects.create(
        facility=other_facility, name="Nanti", start=days_ago(-10), end=days_ago(-90), population=5
    )
    SurveyPeriod.objects.create(facility=elsewhere, name="Lain", start=days_ago(20), end=today, population=50)
    board = supervisor_client.get(page_url()).context["board"]
    assert (board.start, board.end) == (days_ago(100), days_ago(-80))


def test_without_survey_periods_the_default_is_the_last_twelve_months(
    supervisor_client: Client, facility: Facility
) -> None:
    response = supervisor_client.get(page_url())
    board = response.context["board"]
    assert (board.start, board.end) == (twelve_months_before(timezone.localdate()), timezone.localdate())
    assert response.context["form"]["from"].value() == board.start  # shown in the date fields


def test_a_start_alone_runs_to_today(supervisor_client: Client, facility: Facility) -> None:
    board = supervisor_client.get(page_url(query=f"?from={days_ago(10).isoformat()}")).context["board"]
    assert (board.start, board.end) == (days_ago(10), timezone.localdate())


def test_the_facilitys_links_carry_the_period(supervisor_client: Client, facility: Facility) -> None:
    SurveyResponseFactory(facility=facility)
    start, end = days_ago(30), days_ago(1)
    html = supervisor_client.get(page_url(query=period(start, end))).content.decode()
    query = f"?from={start.isoformat()}&amp;to={end.isoformat()}"
    assert reverse("public:survey_results", args=[facility.slug]) + query in html


# --- The chart ---------------------------------------------------------------------------------


def test_the_chart_draws_a_bar_for_each_known_figure_and_lists_the_figures(
    supervisor_client: Client, facility: Facility, head: Any, other_facility: Facility
) -> None:
    (service,) = publish_with(facility, head, (15, DurationUnit.MINUTES))
    observe(service, 10, days_ago(3))
    SurveyResponseFactory(facility=facility, scores=(4,) * 9)
    response = supervisor_client.get(page_url())
    html = response.content.decode()
    assert html.count('data-figure="ikm"') == 1
    assert html.count('data-figure="promise"') == 1
    assert 'class="bar grade-a"' in html
    chart = response.context["chart"]
    soko = next(group for group in chart.groups if group.facility == facility)
    assert soko.ikm.width == soko.promise.width == chart.right - chart.left  # 100 and 100%
    assert "<summary>The figures of this chart</summary>" in html


# --- Queries -----------------------------------------------------------------------------------


def _regency_of(count: int) -> None:
    """`count` facilities of Tuban, each with a charter in force (a promise in minutes and one in
    working days, both observed), a survey response, a case, a survey period, a follow-up action
    and an evaluation round."""
    for number in range(count):
        facility = FacilityFactory(name=f"Puskesmas {number:02d}", slug=f"pkm-{number:02d}")
        head = MembershipFactory(facility=facility, head=True).user
        quick, slow = publish_with(facility, head, (15, DurationUnit.MINUTES), (2, DurationUnit.WORKING_DAYS))
        observe(quick, 10, days_ago(3))
        observe(slow, 0, days_ago(3), completed_on=days_ago(2))
        SurveyResponseFactory(facility=facility)
        CaseFactory(facility=facility, due_date=days_ago(1))
        period = SurveyPeriod.objects.create(
            facility=facility, name="Tahun", start=days_ago(300), end=days_ago(-60), population=9
        )
        SurveyAction.objects.create(
            facility=facility, element="U1", finding_start=period.start, finding_end=period.end,
            action="Papan informasi", responsible="TU", due_date=days_ago(5), done_on=days_ago(6),
        )  # fmt: skip
        evaluate(facility, days_ago(10))


@pytest.fixture
def tuban_client(login: Callable[..., Client]) -> Client:
    """A supervisor of Tuban, without the `facility` fixture."""
    user = UserFactory()
    Supervision.objects.create(user=user, regency="Kabupaten Tuban")
    return login(user)


@pytest.mark.parametrize("count", [3, 30])
def test_the_number_of_queries_does_not_grow_with_the_facilities(
    tuban_client: Client, django_assert_num_queries: Any, count: int
) -> None:
    _regency_of(count)
    # Session, user, the supervisions, the facilities, their charters, survey periods, survey
    # sums, case counts, services in force, observations and calendars; then the self-assessment's
    # nine (see `monitoring.selfassessment`).
    with django_assert_num_queries(20):
        response = tuban_client.get(page_url())
    rows = response.context["board"].rows
    assert len(rows) == count
    assert all(row.promise_kept == 100 and row.respondents == 1 and row.overdue_cases == 1 for row in rows)
    assert all(row.last_evaluation == days_ago(10) for row in rows)
    assert len({row.self_assessment_score for row in rows}) == 1 and rows[0].self_assessment_score > 0


@pytest.mark.parametrize("count", [3, 30])
def test_the_export_queries_do_not_grow_with_the_facilities(
    tuban_client: Client, django_assert_num_queries: Any, count: int
) -> None:
    _regency_of(count)
    with django_assert_num_queries(21):  # the page's 20 and the audit entry of the export
        response = tuban_client.get(reverse("manage:district_export", args=[TUBAN, "csv"]))
    assert response.content.decode("utf-8-sig").count("\n") == count + 1
