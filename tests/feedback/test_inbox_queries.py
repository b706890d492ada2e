"""The inbox at scale: its number of queries does not grow with the cases on any filter, order or
page, and its shortcuts (counts read from the status counts, a page fetched by its ids, service
names asked of the services) list exactly what the plain queries list.

Personas: `editor` and `head` of Puskesmas Soko. See docs/performance.md for the timings.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from feedback import reports
from feedback.models import Case, CaseStatus, FeedbackKind
from tests.factories import CaseFactory, make_published_charter

pytestmark = pytest.mark.django_db

# session, user, facility, holidays, service names, staff, status counts, the page
BASE_QUERIES = 8


def inbox(facility: Any, query: str = "") -> str:
    return reverse("manage:cases", args=[facility.slug]) + query


def fill(facility: Any, head: Any, editor: Any, rows: int) -> list[Any]:
    """`rows` cases over several days, kinds, statuses, the charter's two services and assignees."""
    services = list(make_published_charter(facility, services=2, head=head).services.order_by("position"))
    now = timezone.now()
    statuses = [CaseStatus.RECEIVED, CaseStatus.CLOSED, CaseStatus.IN_PROGRESS, CaseStatus.REOPENED]
    for number in range(rows):
        CaseFactory(
            facility=facility,
            kind=FeedbackKind.QUESTION if number % 3 else FeedbackKind.COMPLAINT,
            status=statuses[number % len(statuses)],
            service=services[number % 2],
            assignee=editor if number % 2 else head,
            received_at=now - datetime.timedelta(hours=number % 7),  # ties on the time: the id decides
            due_date=timezone.localdate() + datetime.timedelta(days=number % 5 - 2),
            description=f"Antrean di loket nomor {number}",
        )
    return services


# The status counts answer the paginator's count when nothing else narrows the list.
QUERIES = [
    ("", 0),
    ("?status=open", 0),
    ("?status=closed&sort=oldest", 0),
    ("?sort=due&page=2", 0),
    ("?sort=status&page=2", 0),
    ("?kind=question", 1),
    ("?deadline=overdue", 1),
    ("?deadline=due_soon", 1),
    ("?service={service}", 1),
    ("?assignee=me&page=2", 1),
    ("?q=loket", 1),
    ("?status=open&q=antrean", 1),
]


@pytest.mark.parametrize(("query", "extra"), QUERIES)
@pytest.mark.parametrize("rows", [3, 60])
def test_inbox_queries_do_not_grow_with_the_cases(
    editor_client: Client,
    facility: Any,
    editor: Any,
    head: Any,
    django_assert_num_queries: Any,
    query: str,
    extra: int,
    rows: int,
) -> None:
    services = fill(facility, head, editor, rows)
    path = inbox(facility, query.format(service=services[0].name.replace(" ", "+")))
    with django_assert_num_queries(BASE_QUERIES + extra):
        response = editor_client.get(path)
    assert not response.context["form"].errors
    assert response.status_code == 200


@pytest.mark.parametrize("query", ["", "?sort=oldest", "?sort=due", "?sort=status", "?status=open", "?kind=question"])
def test_every_page_lists_what_slicing_the_plain_list_lists(
    editor_client: Client, facility: Any, editor: Any, head: Any, query: str
) -> None:
    fill(facility, head, editor, 60)
    response = editor_client.get(inbox(facility, query))
    filters = response.context["form"].filters()
    plain = reports.filter_cases(
        reports.facility_cases(facility), filters, user=editor, deadlines=reports.deadlines_for(facility)
    )
    expected = [case.code for case in plain]
    listed: list[str] = []
    for number in range(1, response.context["page"].paginator.num_pages + 1):
        page = editor_client.get(inbox(facility, f"{query}{'&' if query else '?'}page={number}")).context["page"]
        listed += [case.code for case in page]
    assert listed == expected
    assert response.context["page"].paginator.count == len(expected)


def test_the_count_comes_from_the_status_counts_only_when_they_know_it(facility: Any) -> None:
    counts = {"all": 10, reports.OPEN: 4, CaseStatus.CLOSED: 6}
    assert reports.known_count({}, counts) == 10
    assert reports.known_count({"sort": "due"}, counts) == 10
    assert reports.known_count({"status": reports.OPEN}, counts) == 4
    assert reports.known_count({"status": CaseStatus.CLOSED, "sort": "oldest"}, counts) == 6
    assert reports.known_count({"status": CaseStatus.CLOSED, "kind": "question"}, counts) is None
    assert reports.known_count({"q": "loket"}, counts) is None


def test_status_counts_are_the_plain_counts(facility: Any, editor: Any, head: Any, other_facility: Any) -> None:
    fill(facility, head, editor, 13)
    CaseFactory(facility=other_facility)
    counts = reports.status_counts(facility)
    mine = Case.objects.filter(facility=facility)
    assert counts["all"] == mine.count() == 13
    assert counts[reports.OPEN] == mine.open().count()
    for status in CaseStatus:
        assert counts[status] == mine.filter(status=status).count()


def test_service_names_are_those_of_the_facilitys_cases(facility: Any, editor: Any, head: Any) -> None:
    services = fill(facility, head, editor, 3)
    make_published_charter(facility, services=3, head=head)  # a new version: services without a case
    plain = sorted(
        set(Case.objects.filter(facility=facility, service__isnull=False).values_list("service__name", flat=True))
    )
    assert reports.service_names(facility) == plain == sorted(service.name for service in services)


def test_the_status_counts_are_kept_until_a_case_of_the_facility_is_written(
    editor_client: Client,
    facility: Any,
    other_facility: Any,
    django_assert_num_queries: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    CaseFactory.create_batch(3, facility=facility)
    first = editor_client.get(inbox(facility))
    assert first.context["counts"]["all"] == 3

    with django_assert_num_queries(BASE_QUERIES - 1):  # the counts come from the cache
        editor_client.get(inbox(facility))
    with django_capture_on_commit_callbacks(execute=True):
        CaseFactory(facility=other_facility)  # another facility's case changes nothing here
    with django_assert_num_queries(BASE_QUERIES - 1):
        editor_client.get(inbox(facility))

    with django_capture_on_commit_callbacks(execute=True):
        case = CaseFactory(facility=facility)
    counts = editor_client.get(inbox(facility)).context["counts"]
    assert counts["all"] == 4 and counts[CaseStatus.RECEIVED] == 4
    with django_capture_on_commit_callbacks(execute=True):
        case.status = CaseStatus.CLOSED
        case.save()
    counts = editor_client.get(inbox(facility)).context["counts"]
    assert counts[CaseStatus.CLOSED] == 1 and counts[reports.OPEN] == 3
    with django_capture_on_commit_callbacks(execute=True):
        case.delete()
    assert editor_client.get(inbox(facility)).context["counts"]["all"] == 3
