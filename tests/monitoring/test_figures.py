"""Promise against reality: the figures of each service for a period (the staff page) and the
sentence on the public service page."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from charters import services as charter_services
from charters.models import DurationUnit, Facility, ServiceStandard
from feedback import reports
from feedback.models import FeedbackKind
from feedback.survey.results import results_for
from feedback.workdays import WorkingCalendar
from monitoring.figures import (
    default_period,
    facility_total,
    format_elapsed,
    months_before,
    recent_figures,
    service_figures,
)
from monitoring.models import ServiceObservation
from monitoring.promises import MIN_PUBLIC_OBSERVATIONS, figures_for, percentile
from tests.factories import (
    CaseFactory,
    SurveyResponseFactory,
    make_complete_draft,
    make_published_charter,
    publish_draft,
)

pytestmark = pytest.mark.django_db

DECEMBER = (datetime.date(2026, 12, 1), datetime.date(2026, 12, 31))


def at(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def observe(
    service: ServiceStandard,
    minutes: int = 10,
    *,
    arrived: datetime.datetime | None = None,
    completed: datetime.datetime | None = None,
) -> ServiceObservation:
    arrived = arrived or timezone.now() - datetime.timedelta(days=3)
    return ServiceObservation.objects.create(
        facility=service.charter.facility,
        service=service,
        arrived_at=arrived,
        completed_at=completed,
        duration_minutes=minutes,
    )


def promise(value: int | None, unit: str = DurationUnit.MINUTES) -> ServiceStandard:
    """An unsaved service promising `value` `unit`s: enough for `figures_for`."""
    return ServiceStandard(name="Poli Umum", slug="poli-umum", duration_value=value, duration_unit=unit)


def measured(minutes: int = 0, arrived: datetime.datetime | None = None, completed: datetime.datetime | None = None):
    """An unsaved observation, as `figures_for` reads it."""
    return ServiceObservation(arrived_at=arrived or at(DECEMBER[0]), completed_at=completed, duration_minutes=minutes)


def publish_with(facility: Facility, head: Any, *durations: tuple[int, str]) -> list[ServiceStandard]:
    """A charter in force whose services promise `durations`, (value, unit) each, in order."""
    draft = make_complete_draft(facility, services=len(durations))
    for service, (value, unit) in zip(draft.services.order_by("position"), durations, strict=True):
        service.duration_value, service.duration_unit = value, unit
        service.save()
    charter = publish_draft(draft, head)
    return list(charter.services.order_by("position"))


def forget_promise(service: ServiceStandard) -> None:
    """As a version published before a duration was required: frozen now, so changed in SQL."""
    with connection.cursor() as cursor:
        table = ServiceStandard._meta.db_table
        cursor.execute(f"UPDATE {table} SET duration_value = NULL WHERE id = %s", [service.pk])
    service.refresh_from_db()


def kept(service: ServiceStandard, observations: list[ServiceObservation]) -> Decimal | None:
    return figures_for(service, observations, WorkingCalendar()).promise_kept


@pytest.fixture
def charter(facility: Facility, head: Any) -> Any:
    return make_published_charter(facility, services=3, head=head)


@pytest.fixture
def services(charter: Any) -> list[ServiceStandard]:
    return list(charter.services.order_by("position"))


def figures_url(facility: Facility, **params: str) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return reverse("manage:observation_figures", args=[facility.slug]) + (f"?{query}" if query else "")


def row_for(rows: list[Any], service: ServiceStandard) -> Any:
    return next(row for row in rows if row.service.slug == service.slug)


# --- The one definition of promise kept ---------------------------------------------------------


def test_no_observation_keeps_no_promise_and_breaks_none() -> None:
    figures = figures_for(promise(15), [], WorkingCalendar())

    assert figures.count == 0
    assert figures.promise_kept is None
    assert figures.median is None and figures.p90 is None
    assert not figures.is_public


def test_all_late_is_zero_percent() -> None:
    assert kept(promise(15), [measured(16), measured(30), measured(90)]) == Decimal(0)


def test_all_on_time_is_a_hundred_percent_the_promise_itself_included() -> None:
    assert kept(promise(15), [measured(0), measured(14), measured(15)]) == Decimal(100)


@pytest.mark.parametrize(
    ("within", "count", "expected"),
    [(2, 3, 67), (1, 3, 33), (1, 8, 13), (7, 8, 88), (5, 6, 83)],
    ids=["66.7", "33.3", "12.5-half-up", "87.5-half-up", "83.3"],
)
def test_promise_kept_rounds_half_up_to_a_whole_percent(within: int, count: int, expected: int) -> None:
    observations = [measured(10)] * within + [measured(20)] * (count - within)

    assert kept(promise(15), observations) == Decimal(expected)


def test_a_service_without_a_promise_has_no_promise_kept() -> None:
    figures = figures_for(promise(None), [measured(10)] * 12, WorkingCalendar())

    assert figures.count == 12
    assert figures.promise_kept is None
    assert not figures.is_public


def test_a_promise_in_hours_compares_minutes() -> None:
    two_hours = promise(2, DurationUnit.HOURS)
    figures = figures_for(two_hours, [measured(90), measured(120), measured(121)], WorkingCalendar())

    assert (figures.limit, figures.within, figures.promise_kept) == (120, 2, Decimal(67))
    with translation.override("en"):
        assert format_elapsed(figures.median, figures.unit) == "2 hours"
        assert format_elapsed(90, figures.unit) == "1 hour 30 minutes"
        assert format_elapsed(45, figures.unit) == "45 minutes"


def test_a_promise_in_working_days_skips_cuti_bersama_christmas_and_the_weekend() -> None:
    """24 Dec 2026 is cuti bersama, 25 Dec Christmas, 26–27 Dec a weekend: from Wednesday 23 to
    Monday 28 is one working day, though five calendar days."""
    one_working_day = promise(1, DurationUnit.WORKING_DAYS)
    wednesday = measured(arrived=at(datetime.date(2026, 12, 23), 10), completed=at(datetime.date(2026, 12, 28), 9))

    figures = figures_for(one_working_day, [wednesday], WorkingCalendar())

    assert (figures.median, figures.within, figures.promise_kept) == (1, 1, Decimal(100))
    assert figures_for(promise(1, DurationUnit.DAYS), [wednesday], WorkingCalendar()).median == 5
    with translation.override("en"):
        assert format_elapsed(figures.median, figures.unit) == "1 working day"


def test_a_working_day_promise_counts_the_wednesday_before_the_holidays() -> None:
    tuesday = measured(arrived=at(datetime.date(2026, 12, 22), 10), completed=at(datetime.date(2026, 12, 28), 9))

    assert kept(promise(1, DurationUnit.WORKING_DAYS), [tuesday]) == Decimal(0)  # Wed 23 and Mon 28
    assert kept(promise(2, DurationUnit.WORKING_DAYS), [tuesday]) == Decimal(100)


def test_a_facility_day_off_does_not_count_either() -> None:
    monday = measured(arrived=at(datetime.date(2026, 3, 2)), completed=at(datetime.date(2026, 3, 4)))
    day_off = WorkingCalendar([datetime.date(2026, 3, 3)])

    assert figures_for(promise(1, DurationUnit.WORKING_DAYS), [monday], day_off).promise_kept == Decimal(100)
    assert figures_for(promise(1, DurationUnit.WORKING_DAYS), [monday], WorkingCalendar()).promise_kept == 0


@pytest.mark.parametrize(
    ("values", "median", "p90"),
    [([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 5, 9), ([4, 1, 3, 2], 2, 4), ([5, 1, 3], 3, 5), ([7], 7, 7)],
)
def test_median_and_90th_percentile_are_nearest_rank(values: list[int], median: int, p90: int) -> None:
    assert (percentile(values, 0.5), percentile(values, 0.9)) == (median, p90)
    figures = figures_for(promise(15), [measured(value) for value in values], WorkingCalendar())
    assert (figures.median, figures.p90) == (median, p90)


def test_the_facility_total_weighs_every_observation_against_its_own_promise(facility: Facility, head: Any) -> None:
    quick, slow, unpromised = publish_with(facility, head, (15, "minutes"), (1, "hours"), (15, "minutes"))
    forget_promise(unpromised)
    for minutes in (10, 20):  # 1 of 2 within 15 minutes
        observe(quick, minutes)
    for minutes in (30, 50, 59):  # 3 of 3 within an hour
        observe(slow, minutes)
    observe(unpromised, 500)

    total = facility_total(service_figures(facility, *default_period()))

    assert (total.count, total.within, total.services) == (5, 4, 2)
    assert total.promise_kept == Decimal(80)


def test_the_default_period_is_the_last_three_months_up_to_today() -> None:
    assert default_period(datetime.date(2026, 6, 15)) == (datetime.date(2026, 3, 16), datetime.date(2026, 6, 15))
    assert months_before(datetime.date(2026, 5, 31)) == datetime.date(2026, 3, 1)
    assert months_before(datetime.date(2026, 2, 10)) == datetime.date(2025, 11, 11)


# --- Grouping by service ------------------------------------------------------------------------


def test_observations_of_an_earlier_version_count_with_the_service_in_force(
    facility: Facility, head: Any, services: list[ServiceStandard]
) -> None:
    first = services[0]
    observe(first, 10)
    publish_draft(charter_services.start_draft(facility, head), head)
    current = ServiceStandard.objects.get(charter__facility=facility, charter__status="published", slug=first.slug)
    observe(current, 20)

    row = row_for(service_figures(facility, *default_period()), current)

    assert row.service.pk == current.pk
    assert (row.promise.count, row.promise.within) == (2, 1)


def test_complaints_by_kind_and_u3_u4_match_the_feedback_and_survey_reports(
    facility: Facility, services: list[ServiceStandard]
) -> None:
    service, other = services[0], services[1]
    start, end = DECEMBER
    for kind in (FeedbackKind.COMPLAINT, FeedbackKind.COMPLAINT, FeedbackKind.SUGGESTION):
        CaseFactory(facility=facility, service=service, kind=kind, received_at=at(datetime.date(2026, 12, 10)))
    CaseFactory(facility=facility, service=service, received_at=at(datetime.date(2026, 11, 30), 23, 59))  # before
    CaseFactory(facility=facility, service=service, received_at=at(datetime.date(2027, 1, 1), 0, 0))  # after
    CaseFactory(
        facility=facility,
        service=other,
        kind=FeedbackKind.QUESTION,
        received_at=at(datetime.date(2026, 12, 31), 23, 59),
    )
    CaseFactory(facility=facility, received_at=at(datetime.date(2026, 12, 10)))  # no service
    for scores in ([4, 4, 3, 4, 3, 3, 3, 3, 3], [4, 4, 2, 3, 3, 3, 3, 3, 3], [4, 4, 4, None, 3, 3, 3, 3, 3]):
        SurveyResponseFactory(facility=facility, service=service, visited_on=datetime.date(2026, 12, 5), scores=scores)
    SurveyResponseFactory(facility=facility, service=service, visited_on=datetime.date(2026, 11, 30), scores=[1] * 9)
    SurveyResponseFactory(facility=facility, service=other, visited_on=datetime.date(2026, 12, 5), scores=[1] * 9)

    rows = service_figures(facility, start, end)
    row, other_row = row_for(rows, service), row_for(rows, other)

    assert row.complaints == {"complaint": 2, "suggestion": 1}
    assert other_row.complaints == {"question": 1}
    case_figures = reports.figures(facility, start, end)
    assert {r.label: r.received for r in case_figures.by_service}[service.name] == row.complaints_total == 3
    survey = results_for(facility, start, end, service_slug=service.slug, service_name=service.name, periods=[])
    for code, score in (("U3", row.time_score), ("U4", row.fee_score)):
        assert score.nrr_rounded(2) == survey.index.score(code).nrr_rounded(2)
        assert score.answered == survey.index.score(code).answered
    assert (row.time_score.nrr_rounded(2), row.fee_score.nrr_rounded(2)) == (Decimal("3.00"), Decimal("3.50"))
    assert row_for(rows, services[2]).survey is None


# --- The staff page --------------------------------------------------------------------------


def test_figures_page_shows_each_figure_of_each_service(
    login: Any, editor: Any, facility: Facility, services: list[ServiceStandard]
) -> None:
    measured_service, unpromised, _unobserved = services
    forget_promise(unpromised)
    day = datetime.date(2026, 12, 7)
    for minutes in (8, 9, 10, 11, 12, 13, 14, 16, 20, 95):
        observe(measured_service, minutes, arrived=at(day))
    observe(unpromised, 30, arrived=at(day))
    CaseFactory(facility=facility, service=measured_service, received_at=at(day))
    SurveyResponseFactory(
        facility=facility, service=measured_service, visited_on=day, scores=[3, 3, 2, 4, 3, 3, 3, 3, 3]
    )
    client = login(editor)

    response = client.get(figures_url(facility, **{"from": "2026-12-01", "to": "2026-12-31"}))

    assert response.status_code == 200
    html = response.content.decode()
    rows = {row.service.slug: row for row in response.context["figures"].rows}
    assert list(rows) == [service.slug for service in services]
    row = rows[measured_service.slug]
    assert (row.promise.count, row.promise.within, row.promise.promise_kept) == (10, 7, Decimal(70))
    assert (row.median_display, row.p90_display) == ("12 minutes", "20 minutes")
    for text in ("15 minutes", "12 minutes", "20 minutes", "7 of 10", "70%", "Complaint: 1", "2.00", "4.00"):
        assert text in html
    assert "The charter promises no duration for this service" in html
    assert "No observation in this period." in html
    assert "1 Dec 2026" in html and "31 Dec 2026" in html


def test_figures_page_defaults_to_the_last_three_months(
    login: Any, editor: Any, facility: Facility, charter: Any
) -> None:
    response = login(editor).get(figures_url(facility))

    figures = response.context["figures"]
    assert (figures.start, figures.end) == default_period()
    assert response.context["form"]["from"].value() == figures.start


@pytest.mark.parametrize(
    "params",
    [{"from": "2026-13-45"}, {"to": "kemarin"}, {"from": "1999-12-31"}, {"from": "2026-12-31", "to": "2026-12-01"}],
    ids=["impossible-date", "not-a-date", "before-2000", "reversed"],
)
def test_a_bad_date_is_a_form_error_not_a_500(
    login: Any, editor: Any, facility: Facility, charter: Any, params: dict[str, str]
) -> None:
    response = login(editor).get(figures_url(facility, **params))

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors and set(form.errors) <= {"from", "to"}
    assert (response.context["figures"].start, response.context["figures"].end) == default_period()
    assert "The dates were not understood" in response.content.decode()


def test_figures_page_answers_post_with_405(login: Any, editor: Any, facility: Facility, charter: Any) -> None:
    assert login(editor).post(figures_url(facility)).status_code == 405


def test_figures_page_without_a_charter_in_force_says_so(login: Any, editor: Any, facility: Facility) -> None:
    response = login(editor).get(figures_url(facility))

    assert response.status_code == 200
    assert "no charter in force" in response.content.decode()


def _busy_facility(facility: Facility, head: Any, services: int, observations: int) -> None:
    listed = publish_with(
        facility, head, (2, DurationUnit.WORKING_DAYS), *[(15, DurationUnit.MINUTES)] * (services - 1)
    )
    for number in range(observations):
        service = listed[number % len(listed)]
        observe(service, number)
        CaseFactory(facility=facility, service=service)
        SurveyResponseFactory(facility=facility, service=service)


@pytest.mark.parametrize(("services", "observations"), [(1, 5), (10, 50)])
def test_figures_page_queries_do_not_grow(
    login: Any,
    editor: Any,
    head: Any,
    facility: Facility,
    django_assert_num_queries: Any,
    services: int,
    observations: int,
) -> None:
    _busy_facility(facility, head, services, observations)
    client = login(editor)

    # Session, user, facility; take_effect, services, calendar, observations, cases, responses.
    with django_assert_num_queries(9):
        response = client.get(figures_url(facility))

    assert sum(row.promise.count for row in response.context["figures"].rows) == observations


# --- The public service page ---------------------------------------------------------------------


def public_page(client: Client, service: ServiceStandard) -> str:
    client.cookies["django_language"] = "en"
    response = client.get(reverse("public:service", args=[service.charter.facility.slug, service.slug]))
    assert response.status_code == 200
    return response.content.decode()


SENTENCE = (
    "Promised: 15 minutes. Last three months: half of the users were served within 12 minutes, "
    "80% on time, 10 measurements."
)


def test_the_public_sentence_appears_at_ten_observations(client: Client, services: list[ServiceStandard]) -> None:
    service = services[0]
    for minutes in (8, 9, 10, 11, 12, 12, 13, 14, 16, 20):
        observe(service, minutes)
    observe(service, 500, arrived=timezone.now() - datetime.timedelta(days=120))  # before the three months

    assert SENTENCE in public_page(client, service)
    assert "Promised:" not in public_page(client, services[1])


def test_the_public_sentence_is_hidden_at_nine_observations(client: Client, services: list[ServiceStandard]) -> None:
    service = services[0]
    for minutes in range(MIN_PUBLIC_OBSERVATIONS - 1):
        observe(service, minutes)

    html = public_page(client, service)

    assert "Promised:" not in html
    assert "promise-summary" not in html


def test_the_public_sentence_is_hidden_without_a_promise(client: Client, services: list[ServiceStandard]) -> None:
    service = services[0]
    forget_promise(service)
    for minutes in range(20):
        observe(service, minutes)

    assert "Promised:" not in public_page(client, service)
    assert recent_figures(service) is None


def test_the_public_sentence_in_working_days(client: Client, facility: Facility, head: Any) -> None:
    [service] = publish_with(facility, head, (3, DurationUnit.WORKING_DAYS))
    monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday() + 14)
    for _ in range(12):
        observe(service, arrived=at(monday), completed=at(monday, 15))  # the same day: 0 working days

    html = public_page(client, service)

    assert "Promised: 3 working days." in html
    assert "half of the users were served within 0 working days, 100% on time, 12 measurements." in html


@pytest.mark.parametrize("observations", [10, 50])
def test_the_public_service_page_costs_one_query_more_whatever_the_observations(
    client: Client, services: list[ServiceStandard], django_assert_num_queries: Any, observations: int
) -> None:
    service = services[0]
    for number in range(observations):
        observe(service, number % 20)
    url = reverse("public:service", args=[service.charter.facility.slug, service.slug])

    with django_assert_num_queries(11):  # the service page's ten and the observations
        response = client.get(url)

    assert "promise-summary" in response.content.decode()
