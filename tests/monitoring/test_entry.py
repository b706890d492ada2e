"""The staff pages that record service-time observations (`monitoring.views.entry`): the list
with its filter and the form for one observation, a sheet typed in as a batch of rows, and the
removal of an observation; each rule refused next to its field with what was typed kept."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from monitoring.forms import ObservationForm
from monitoring.models import ObservationMethod, ServiceObservation
from monitoring.services import ObservationRow, record_observations
from tests.factories import ObservationFactory, make_published_charter

pytestmark = pytest.mark.django_db


@pytest.fixture
def services(published_charter: Any) -> list[Any]:
    return list(published_charter.services.order_by("position", "id"))


def yesterday() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)


def local(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def list_url(facility: Any) -> str:
    return reverse("manage:observations", args=[facility.slug])


def batch_url(facility: Any) -> str:
    return reverse("manage:observation_batch", args=[facility.slug])


def one(service: Any, /, **fields: str) -> dict[str, str]:
    """The form for one observation: `service` yesterday from 08:15 to 08:47, observed."""
    data = {
        "service": service.slug,
        "arrived_on": yesterday().isoformat(),
        "arrived_time": "08:15",
        "completed_time": "08:47",
        "completed_on": "",
        "duration_minutes": "",
        "method": ObservationMethod.OBSERVED,
        "note": "",
        **fields,
    }
    return {f"observation-{name}": value for name, value in data.items()}


# --- The list ----------------------------------------------------------------------------------


def test_the_list_shows_the_facilitys_observations_newest_first(
    editor_client: Client, facility: Any, services: list[Any], other_facility: Any
) -> None:
    ObservationFactory(service=services[0], arrived_at=local(yesterday(), 8), duration_minutes=11)
    ObservationFactory(service=services[1], arrived_at=local(yesterday(), 10), duration_minutes=22, note="Loket 2")
    elsewhere = make_published_charter(other_facility, services=1).services.get()
    ObservationFactory(service=elsewhere, note="Rengel")

    response = editor_client.get(list_url(facility))

    assert response.status_code == 200
    rows = list(response.context["page"].object_list)
    assert [row.duration_minutes for row in rows] == [22, 11]
    content = response.content.decode()
    assert "Loket 2" in content and "Rengel" not in content
    for name in ("manage:observation_batch", "manage:observation_import", "manage:observation_figures"):
        assert reverse(name, args=[facility.slug]) in content


def test_the_list_filters_by_service_and_period(editor_client: Client, facility: Any, services: list[Any]) -> None:
    week_ago = timezone.localdate() - datetime.timedelta(days=7)
    ObservationFactory(service=services[0], arrived_at=local(yesterday(), 8), duration_minutes=1)
    ObservationFactory(service=services[1], arrived_at=local(yesterday(), 9), duration_minutes=2)
    ObservationFactory(service=services[0], arrived_at=local(week_ago, 9), duration_minutes=3)

    by_service = editor_client.get(list_url(facility), {"service": services[0].slug})
    by_period = editor_client.get(list_url(facility), {"from": yesterday().isoformat(), "to": yesterday().isoformat()})

    assert {row.duration_minutes for row in by_service.context["page"].object_list} == {1, 3}
    assert {row.duration_minutes for row in by_period.context["page"].object_list} == {1, 2}


@pytest.mark.parametrize("query", [{"from": "kemarin"}, {"from": "1999-01-01"}, {"service": "x" * 500}, {"page": "z"}])
def test_odd_filters_are_shown_as_errors_not_a_500(
    editor_client: Client, facility: Any, services: list[Any], query: dict[str, str]
) -> None:
    ObservationFactory(service=services[0])

    response = editor_client.get(list_url(facility), query)

    assert response.status_code == 200
    assert len(response.context["page"].object_list) == 1


def test_the_list_is_paginated(editor_client: Client, facility: Any, services: list[Any]) -> None:
    for minute in range(51):
        ObservationFactory(service=services[0], arrived_at=local(yesterday(), 7, minute))

    first = editor_client.get(list_url(facility), {"service": services[0].slug})
    second = editor_client.get(list_url(facility), {"service": services[0].slug, "page": "2"})

    assert len(first.context["page"].object_list) == 50
    assert f"?service={services[0].slug}&amp;page=2" in first.content.decode()
    assert [row.arrived_at for row in second.context["page"].object_list] == [local(yesterday(), 7, 0)]


@pytest.mark.parametrize("count", [1, 20])
def test_the_list_costs_the_same_queries_for_1_or_20_observations(
    editor_client: Client, editor: Any, facility: Any, services: list[Any], django_assert_num_queries: Any, count: int
) -> None:
    for minute in range(count):
        ObservationFactory(service=services[minute % 2], arrived_at=local(yesterday(), 8, minute), recorded_by=editor)

    # session, user, facility, scheduled version?, services, count, the page with services and users
    with django_assert_num_queries(7):
        response = editor_client.get(list_url(facility))

    assert response.status_code == 200


def test_without_a_charter_in_force_the_page_says_so(editor_client: Client, facility: Any) -> None:
    response = editor_client.get(list_url(facility))

    assert response.status_code == 200
    assert "no charter in force" in response.content.decode()


# --- One observation ---------------------------------------------------------------------------


def test_an_observation_with_its_completion_time_is_added(
    editor_client: Client, editor: Any, facility: Any, services: list[Any]
) -> None:
    response = editor_client.post(list_url(facility), one(services[1], note="  Antre di loket  "))

    assert response.status_code == 302
    assert response["Location"] == list_url(facility)
    observation = ServiceObservation.objects.get()
    assert (observation.facility, observation.service, observation.recorded_by) == (facility, services[1], editor)
    assert observation.arrived_at == local(yesterday(), 8, 15)
    assert observation.completed_at == local(yesterday(), 8, 47)
    assert (observation.duration_minutes, observation.arrived_on) == (32, yesterday())
    assert (observation.method, observation.note) == (ObservationMethod.OBSERVED, "Antre di loket")
    assert "1 observation was saved." in editor_client.get(response["Location"]).content.decode()


def test_an_observation_with_its_duration_is_added(head_client: Client, facility: Any, services: list[Any]) -> None:
    data = one(services[0], completed_time="", duration_minutes="25", method=ObservationMethod.EXIT_INTERVIEW)

    response = head_client.post(list_url(facility), data)

    assert response.status_code == 302
    observation = ServiceObservation.objects.get()
    assert (observation.completed_at, observation.duration_minutes) == (None, 25)
    assert observation.method == ObservationMethod.EXIT_INTERVIEW


@pytest.mark.parametrize(("typed", "expected"), [("0815", (8, 15)), ("8.15", (8, 15)), ("08:15:00", (8, 15))])
def test_times_are_typed_as_the_keyboard_allows(
    editor_client: Client, facility: Any, services: list[Any], typed: str, expected: tuple[int, int]
) -> None:
    editor_client.post(list_url(facility), one(services[0], arrived_time=typed))

    assert ServiceObservation.objects.get().arrived_at == local(yesterday(), *expected)


def test_a_service_completed_on_a_later_day(editor_client: Client, facility: Any, services: list[Any]) -> None:
    two_days_ago = timezone.localdate() - datetime.timedelta(days=2)
    data = one(
        services[0], arrived_on=two_days_ago.isoformat(), completed_on=yesterday().isoformat(), completed_time="09:00"
    )

    editor_client.post(list_url(facility), data)

    observation = ServiceObservation.objects.get()
    assert observation.completed_at == local(yesterday(), 9)
    assert observation.duration_minutes == 24 * 60 + 45


TOMORROW, YESTERDAY = "tomorrow", "yesterday"


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        ({"arrived_time": "jam 8"}, "arrived_time", "Enter a time from 00:00 to 23:59, e.g. 08:15."),
        ({"arrived_time": "25:00"}, "arrived_time", "Enter a time from 00:00 to 23:59, e.g. 08:15."),
        ({"arrived_time": ""}, "arrived_time", "Enter the arrival time."),
        ({"completed_time": "8:60"}, "completed_time", "Enter a time from 00:00 to 23:59, e.g. 08:15."),
        ({"completed_time": "08:00"}, "completed_time", "The service cannot be completed before the user arrived."),
        ({"completed_time": ""}, "completed_time", "Enter the completion time or the duration in minutes."),
        ({"duration_minutes": "30"}, "duration_minutes", "Enter either the completion time or the duration, not both."),
        (
            {"completed_time": "", "duration_minutes": "9" * 40},
            "duration_minutes",
            "Enter a whole number of minutes from 0 to 129,600.",
        ),
        (
            {"completed_time": "", "duration_minutes": "-5"},
            "duration_minutes",
            "Enter a whole number of minutes from 0 to 129,600.",
        ),
        ({"completed_time": "", "duration_minutes": "lama"}, "duration_minutes", "Enter the minutes as a whole number"),
        ({"arrived_on": TOMORROW}, "arrived_on", "The day cannot be in the future."),
        ({"arrived_on": "1999-12-31"}, "arrived_on", "Enter a date from 2000 to 2099."),
        ({"arrived_on": "2026-02-30"}, "arrived_on", "Enter a date, e.g. 2026-03-17."),
        (
            {"arrived_on": "2001-01-01", "completed_on": YESTERDAY},
            "completed_on",
            "A service cannot last more than 90 days",
        ),
        (
            {"completed_on": YESTERDAY, "completed_time": "", "duration_minutes": "30"},
            "completed_on",
            "Enter the completion time of this day",
        ),
        ({"service": "poli-gigi-lain"}, "service", "This service is not in the facility's charter"),
        ({"method": "telepati"}, "method", "Choose one of the methods."),
        ({"note": "x" * 301}, "note", "at most 300 characters"),
    ],
)
def test_a_wrong_value_is_refused_next_to_its_field_with_everything_kept(
    editor_client: Client, facility: Any, services: list[Any], typed: dict[str, str], field: str, message: str
) -> None:
    days = {TOMORROW: timezone.localdate() + datetime.timedelta(days=1), YESTERDAY: yesterday()}
    typed = {name: days[value].isoformat() if value in days else value for name, value in typed.items()}
    data = one(services[0], **{"note": "Loket depan", **typed})

    response = editor_client.post(list_url(facility), data)

    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    assert list(form.errors) == [field]
    content = response.content.decode()
    for name, value in data.items():
        if value and name not in ("observation-service", "observation-method") and len(value) < 100:
            assert f'value="{value}"' in content, name
    assert not ServiceObservation.objects.exists()


def test_a_service_of_another_facility_is_refused(
    editor_client: Client, facility: Any, services: list[Any], other_facility: Any
) -> None:
    elsewhere = make_published_charter(other_facility, services=1).services.get()

    response = editor_client.post(list_url(facility), one(elsewhere))

    assert response.status_code == 200
    assert "service" in response.context["form"].errors
    assert not ServiceObservation.objects.exists()


def test_an_arrival_later_than_now_is_refused(services: list[Any]) -> None:
    now = local(timezone.localdate(), 9)
    data = one(services[0], arrived_on=timezone.localdate().isoformat(), arrived_time="10:00", completed_time="10:30")

    form = ObservationForm(data, services=services, now=now)

    assert not form.is_valid()
    assert form.errors["arrived_time"] == ["The user cannot have arrived later than now."]


def test_a_completion_later_than_now_is_refused(services: list[Any]) -> None:
    now = local(timezone.localdate(), 9)
    data = one(services[0], arrived_on=timezone.localdate().isoformat(), arrived_time="08:30", completed_time="09:30")

    form = ObservationForm(data, services=services, now=now)

    assert not form.is_valid()
    assert form.errors["completed_time"] == ["The service cannot be completed later than now."]


def test_the_service_refuses_a_service_of_another_facility(
    facility: Any, services: list[Any], other_facility: Any, editor: Any
) -> None:
    elsewhere = make_published_charter(other_facility, services=1).services.get()
    rows = [
        ObservationRow(service=services[0], arrived_at=local(yesterday(), 8), duration_minutes=5),
        ObservationRow(service=elsewhere, arrived_at=local(yesterday(), 8), duration_minutes=5),
    ]

    with pytest.raises(Exception, match="not one of the facility's"):
        record_observations(facility, rows, editor)

    assert not ServiceObservation.objects.exists()


def test_the_service_checks_against_its_now(facility: Any, services: list[Any], editor: Any) -> None:
    then = local(yesterday(), 12)
    row = ObservationRow(service=services[0], arrived_at=local(yesterday(), 11), completed_at=local(yesterday(), 13))

    with pytest.raises(Exception, match="later than now"):
        record_observations(facility, [row], editor, now=then)
    saved = record_observations(facility, [row], editor, now=local(yesterday(), 14))

    assert saved[0].created_at == local(yesterday(), 14)
    assert ServiceObservation.objects.get().duration_minutes == 120


# --- A sheet typed in as a batch ---------------------------------------------------------------


def batch(service: Any, rows: list[tuple[str, str, str]], *, day: datetime.date | None = None, total: int = 10) -> dict:
    data = {
        "batch-service": service.slug if service else "",
        "batch-arrived_on": (day or yesterday()).isoformat(),
        "batch-method": ObservationMethod.OBSERVED,
        "rows-TOTAL_FORMS": str(total),
        "rows-INITIAL_FORMS": "0",
    }
    for index, (arrived, completed, minutes) in enumerate(rows):
        data.update(
            {
                f"rows-{index}-arrived_time": arrived,
                f"rows-{index}-completed_time": completed,
                f"rows-{index}-duration_minutes": minutes,
            }
        )
    return data


def test_the_batch_page_has_ten_rows_of_three_small_inputs(editor_client: Client, facility: Any, services: Any) -> None:
    response = editor_client.get(batch_url(facility))

    assert response.status_code == 200
    content = response.content.decode()
    management = 4  # the formset's hidden counts
    assert content.count('name="rows-') == 30 + management
    assert 'aria-label="Arrived at, row 1"' in content
    assert editor_client.get(batch_url(facility), {"rows": "30"}).content.decode().count('name="rows-') == 90 + 4


def test_a_batch_is_saved_whole_and_empty_rows_are_ignored(
    editor_client: Client, editor: Any, facility: Any, services: list[Any]
) -> None:
    data = batch(services[1], [("08:00", "08:20", ""), ("", "", ""), ("08.05", "", "45"), ("", "", "")])

    response = editor_client.post(batch_url(facility), data)

    assert response.status_code == 302
    assert f"service={services[1].slug}" in response["Location"]
    assert f"day={yesterday().isoformat()}" in response["Location"]
    saved = ServiceObservation.objects.order_by("arrived_at")
    assert [(o.arrived_at, o.duration_minutes) for o in saved] == [
        (local(yesterday(), 8, 0), 20),
        (local(yesterday(), 8, 5), 45),
    ]
    assert {(o.service, o.recorded_by, o.facility) for o in saved} == {(services[1], editor, facility)}
    again = editor_client.get(response["Location"])
    assert "2 observations were saved." in again.content.decode()
    assert again.context["batch"]["service"].value() == services[1].slug


def test_one_wrong_row_saves_nothing_and_is_shown_in_its_cell(
    editor_client: Client, facility: Any, services: list[Any]
) -> None:
    data = batch(
        services[0],
        [("08:00", "08:20", ""), ("08:10", "07:55", ""), ("jam", "", ""), ("", "", "99999999"), ("09:00", "", "")],
    )

    response = editor_client.post(batch_url(facility), data)

    assert response.status_code == 200
    assert not ServiceObservation.objects.exists()
    forms = response.context["formset"].forms
    assert forms[0].errors == {}
    assert forms[1].errors == {"completed_time": ["The service cannot be completed before the user arrived."]}
    assert forms[2].errors["arrived_time"] == ["Enter a time from 00:00 to 23:59, e.g. 08:15."]
    assert forms[3].errors == {
        "arrived_time": ["Enter the arrival time."],
        "duration_minutes": ["Enter a whole number of minutes from 0 to 129,600."],
    }
    assert forms[4].errors == {"completed_time": ["Enter the completion time or the duration in minutes."]}
    content = response.content.decode()
    for typed in ("08:20", "07:55", 'value="jam"', "99999999"):
        assert typed in content
    assert "Row 2, Completed at" in content


def test_a_batch_needs_its_service_and_day(editor_client: Client, facility: Any, services: list[Any]) -> None:
    data = batch(None, [("08:00", "08:20", "")])
    data["batch-arrived_on"] = "2100-01-01"

    response = editor_client.post(batch_url(facility), data)

    assert response.status_code == 200
    assert set(response.context["batch"].errors) == {"service", "arrived_on"}
    assert 'value="08:20"' in response.content.decode()
    assert not ServiceObservation.objects.exists()


def test_a_batch_of_empty_rows_saves_nothing(editor_client: Client, facility: Any, services: list[Any]) -> None:
    response = editor_client.post(batch_url(facility), batch(services[0], []))

    assert response.status_code == 200
    assert "Every row is empty: nothing to save." in response.content.decode()


@pytest.mark.parametrize("total", ["51", "x", ""])
def test_a_tampered_row_count_is_refused_not_a_500(
    editor_client: Client, facility: Any, services: list[Any], total: str
) -> None:
    data = batch(services[0], [("08:00", "08:20", "")])
    data["rows-TOTAL_FORMS"] = total

    response = editor_client.post(batch_url(facility), data)

    assert response.status_code == 200
    assert not ServiceObservation.objects.exists()


def test_a_batch_for_today_refuses_a_time_still_to_come(
    editor_client: Client, facility: Any, services: list[Any]
) -> None:
    data = batch(services[0], [("23:59", "", "1")], day=timezone.localdate())
    if timezone.localtime().time() >= datetime.time(23, 58):
        pytest.skip("the test needs a time still to come today")

    response = editor_client.post(batch_url(facility), data)

    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors == {
        "arrived_time": ["The user cannot have arrived later than now."]
    }


# --- Deleting, and who may ---------------------------------------------------------------------


def delete_url(observation: Any) -> str:
    return reverse("manage:observation_delete", args=[observation.facility.slug, observation.pk])


@pytest.mark.parametrize("client_fixture", ["editor_client", "head_client"])
def test_an_observation_is_deleted_by_an_editor_or_the_head(
    request: pytest.FixtureRequest, facility: Any, services: list[Any], client_fixture: str
) -> None:
    client = request.getfixturevalue(client_fixture)
    observation, kept = ObservationFactory(service=services[0]), ObservationFactory(service=services[0])

    response = client.post(delete_url(observation) + f"?service={services[0].slug}&evil=1")

    assert response.status_code == 302
    assert response["Location"] == list_url(facility) + f"?service={services[0].slug}"
    assert list(ServiceObservation.objects.all()) == [kept]


def test_get_on_delete_is_405(editor_client: Client, services: list[Any]) -> None:
    observation = ObservationFactory(service=services[0])

    assert editor_client.get(delete_url(observation)).status_code == 405
    assert ServiceObservation.objects.filter(pk=observation.pk).exists()


def test_an_observation_of_another_facility_cannot_be_deleted(
    editor_client: Client, facility: Any, other_facility: Any
) -> None:
    elsewhere = ObservationFactory(service=make_published_charter(other_facility, services=1).services.get())
    path = reverse("manage:observation_delete", args=[facility.slug, elsewhere.pk])

    assert editor_client.post(path).status_code == 404
    assert editor_client.post(delete_url(elsewhere)).status_code == 404
    assert ServiceObservation.objects.filter(pk=elsewhere.pk).exists()


@pytest.mark.parametrize(
    "name", ["observations", "observation_batch", "observation_import", "observation_import_template"]
)
def test_the_editor_of_another_facility_gets_404(
    login: Any, other_editor: Any, facility: Any, services: list[Any], name: str
) -> None:
    client = login(other_editor)
    path = reverse(f"manage:{name}", args=[facility.slug])

    assert client.get(path).status_code == 404
    assert client.post(path, one(services[0])).status_code in (404, 405)
    assert not ServiceObservation.objects.exists()


def test_the_template_download_is_read_only(editor_client: Client, facility: Any, services: list[Any]) -> None:
    path = reverse("manage:observation_import_template", args=[facility.slug])

    assert editor_client.post(path).status_code == 405


# --- Links and the admin -----------------------------------------------------------------------


def test_the_facility_page_links_the_observations(editor_client: Client, facility: Any) -> None:
    content = editor_client.get(reverse("manage:facility", args=[facility.slug])).content.decode()

    assert list_url(facility) in content


def test_the_admin_lists_and_searches_observations(admin_client: Client, services: list[Any]) -> None:
    ObservationFactory(service=services[0], note="Loket belakang")
    path = reverse("admin:monitoring_serviceobservation_changelist")

    found = admin_client.get(path, {"q": "belakang"})
    missed = admin_client.get(path, {"q": "depan"})

    assert (found.status_code, found.context["cl"].result_count) == (200, 1)
    assert missed.context["cl"].result_count == 0
