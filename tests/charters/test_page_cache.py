"""The public charter pages come from the cache (charters.pagecache): once rendered, a page is
served by the middleware without a query, compressed once, the same for every visitor, and every
change a citizen should see switches the page at once.

Changes bump the facility's generation on commit; pytest-django's test transaction never commits,
so the tests that change something run its callbacks with `django_capture_on_commit_callbacks`.
"""

from __future__ import annotations

import contextlib
import datetime
import gzip
import re
from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from charters import pagecache, services
from charters.models import Facility, ParticipantGroup
from monitoring.evaluations import Person, RoundContent, record_round
from tests.factories import make_complete_draft, make_published_charter, publish_draft

pytestmark = pytest.mark.django_db

CONSULTATION_NOTICE = "A revision of this charter is open for public consultation"
EVALUATED = "Last evaluated with its users"


def english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


def charter_url(facility: Facility) -> str:
    return reverse("public:charter", args=[facility.slug])


def html_of(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


@pytest.fixture
def history(facility: Facility, head: Any) -> Facility:
    """Two published versions: 2 in force, 1 superseded."""
    make_published_charter(facility, head=head, pledge="Janji versi satu.")
    make_published_charter(facility, head=head, pledge="Janji versi dua.")
    return facility


PAGES: dict[str, Callable[[Facility], str]] = {
    "charter": charter_url,
    "printable charter": lambda f: charter_url(f) + "?print=1",
    "service": lambda f: reverse(
        "public:service", args=[f.slug, f.charters.get(version=2).services.order_by("position").first().slug]
    ),
    "versions": lambda f: reverse("public:versions", args=[f.slug]),
    "old version": lambda f: reverse("public:version", args=[f.slug, 1]),
    "version in force": lambda f: reverse("public:version", args=[f.slug, 2]),
    "diff": lambda f: reverse("public:version_diff", args=[f.slug, 1, 2]),
}


# --- Rendered once, then only the key's lookup ------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_second_request_costs_no_query(
    client: Client, history: Facility, page: str, django_assert_num_queries: Any
) -> None:
    url = PAGES[page](history)
    with CaptureQueriesContext(connection) as first:
        rendered = html_of(client, url)

    with django_assert_num_queries(0):
        served = html_of(client, url)

    assert len(first) > 2  # the facility, the charter, its services, their components…
    assert served == rendered


def test_a_facility_without_a_charter_is_cached_too(
    client: Client, facility: Facility, django_assert_num_queries: Any
) -> None:
    html_of(english(client), charter_url(facility))

    with django_assert_num_queries(0):
        assert "No published charter yet" in html_of(client, charter_url(facility))


def test_an_address_with_another_query_string_is_rendered_each_time(client: Client, history: Facility) -> None:
    url = charter_url(history) + "?utm_source=poster"
    html_of(client, url)

    with CaptureQueriesContext(connection) as second:
        html = html_of(client, url)

    assert len(second) > 2
    # The language switcher returns to the address as asked, not to another visitor's.
    assert "?next=/f/pkm-soko/%3Futm_source%3Dposter" in html


def test_the_two_languages_are_cached_apart(client: Client, history: Facility, django_assert_num_queries: Any) -> None:
    indonesian = html_of(client, charter_url(history))
    english_page = html_of(english(client), charter_url(history))

    with django_assert_num_queries(0):
        assert html_of(client, charter_url(history)) == english_page
    client.cookies["django_language"] = "id"
    with django_assert_num_queries(0):
        assert html_of(client, charter_url(history)) == indonesian
    assert '<html lang="id">' in indonesian and '<html lang="en">' in english_page


def test_the_page_is_stored_compressed_and_served_as_asked(
    client: Client, history: Facility, django_assert_num_queries: Any
) -> None:
    rendered = html_of(client, charter_url(history))

    with django_assert_num_queries(0):
        compressed = client.get(charter_url(history), headers={"accept-encoding": "gzip, br"})
        plain = client.get(charter_url(history), headers={"accept-encoding": "identity"})
        head = client.head(charter_url(history), headers={"accept-encoding": "gzip"})

    assert compressed["Content-Encoding"] == "gzip" and "accept-encoding" in compressed["Vary"].lower()
    assert gzip.decompress(compressed.content).decode() == rendered
    assert int(compressed["Content-Length"]) == len(compressed.content) < len(rendered) / 3
    assert not plain.has_header("Content-Encoding") and plain.content.decode() == rendered
    assert head.status_code == 200 and head.content == b"" and head["Content-Length"] == compressed["Content-Length"]


def test_a_stored_page_keeps_the_headers_of_the_rendered_one(client: Client, history: Facility) -> None:
    rendered = client.get(charter_url(history))
    served = client.get(charter_url(history))

    for header in ("Content-Type", "Content-Language", "Content-Security-Policy", "X-Frame-Options", "ETag"):
        assert served[header] == rendered[header], header
    assert "cookie" in served["Vary"].lower()


def test_a_page_is_served_only_while_its_generation_is_current(
    client: Client, history: Facility, django_assert_num_queries: Any
) -> None:
    html_of(client, charter_url(history))
    pagecache.bump(history.slug)

    with CaptureQueriesContext(connection) as after_bump:
        html_of(client, charter_url(history))
    with django_assert_num_queries(0):
        html_of(client, charter_url(history))

    assert len(after_bump) > 2


# --- Nothing of one visitor reaches another -----------------------------------------------------


def test_a_page_cached_for_staff_shows_a_citizen_nothing_of_theirs(
    login: Callable[..., Client], head: Any, history: Facility, django_assert_num_queries: Any
) -> None:
    head.username = "ratna.kepala.soko"
    head.save()
    staff = login(head)
    staff_page = html_of(staff, charter_url(history))
    citizen = english(Client(enforce_csrf_checks=True))  # the language `login` chose for staff

    with django_assert_num_queries(0):
        citizen_page = html_of(citizen, charter_url(history))

    assert citizen_page == staff_page and head.username not in citizen_page
    assert "csrfmiddlewaretoken" not in citizen_page and not citizen.cookies.get("csrftoken")
    # The language switcher is a link: it works for anyone, token or not.
    switched = citizen.get(reverse("set_language", args=["id"]), {"next": charter_url(history)})
    assert switched.status_code == 302 and switched["Location"] == charter_url(history)
    assert '<html lang="id">' in html_of(citizen, charter_url(history))


def test_a_response_that_sets_a_cookie_is_not_stored(
    rf: Any, history: Facility, django_assert_num_queries: Any
) -> None:
    def view(request: Any) -> HttpResponse:
        def render() -> HttpResponse:
            response = HttpResponse("mine")
            response.set_cookie("visitor", "1")
            return response

        return pagecache.serve_response(request, history, render)

    middleware = pagecache.PageCacheMiddleware(view)
    middleware(rf.get(charter_url(history)))

    assert pagecache.lookup(rf.get(charter_url(history))) is None


# --- Changes switch the page at once -----------------------------------------------------------------


def test_publishing_a_version_serves_it_at_once_and_the_home_page_follows(
    client: Client,
    history: Facility,
    head: Any,
    other_facility: Facility,
    django_capture_on_commit_callbacks: Any,
) -> None:
    html_of(client, charter_url(history))
    html_of(client, charter_url(other_facility))
    html_of(client, reverse("public:versions", args=[history.slug]))
    assert client.get(reverse("public:home")).context["page"].paginator.count == 1

    with django_capture_on_commit_callbacks(execute=True):
        make_published_charter(history, head=head, pledge="Janji versi tiga.")
        make_published_charter(other_facility, pledge="Janji Rengel.")

    assert "Janji versi tiga." in html_of(client, charter_url(history))
    assert "Janji Rengel." in html_of(client, charter_url(other_facility))
    assert reverse("public:version", args=[history.slug, 3]) in html_of(
        client, reverse("public:versions", args=[history.slug])
    )
    assert client.get(reverse("public:home")).context["page"].paginator.count == 2


def test_a_scheduled_version_is_served_on_its_day(client: Client, history: Facility, head: Any) -> None:
    day = timezone.localdate() + datetime.timedelta(days=3)
    publish_draft(make_complete_draft(history, pledge="Janji versi tiga."), head, effective_date=day)
    assert "Janji versi dua." in html_of(client, charter_url(history))  # cached, before its day

    with mock.patch("django.utils.timezone.localdate", return_value=day):
        html = html_of(client, charter_url(history))

    assert "Janji versi tiga." in html and "Janji versi dua." not in html


def test_opening_and_closing_a_consultation_shows_at_once(
    client: Client, history: Facility, editor: Any, django_capture_on_commit_callbacks: Any
) -> None:
    assert CONSULTATION_NOTICE not in html_of(english(client), charter_url(history))
    with django_capture_on_commit_callbacks(execute=True):
        draft = services.start_draft(history, editor)
        services.open_consultation(draft, editor)

    assert CONSULTATION_NOTICE in html_of(client, charter_url(history))

    with django_capture_on_commit_callbacks(execute=True):
        services.return_to_draft(draft, editor)
    assert CONSULTATION_NOTICE not in html_of(client, charter_url(history))


def test_recording_an_evaluation_round_shows_it_at_once(
    client: Client, history: Facility, head: Any, django_capture_on_commit_callbacks: Any
) -> None:
    assert EVALUATED not in html_of(english(client), charter_url(history))
    ended = timezone.localdate() - datetime.timedelta(days=2)
    content = RoundContent(
        charter=history.charters.get(version=2),
        started_on=ended,
        ended_on=ended,
        period_start=ended - datetime.timedelta(days=90),
        period_end=ended - datetime.timedelta(days=1),
        method="mixed",
        public_summary="Antrean pendaftaran masih lama.",
        facilitator="Nur Hidayah",
        organisation="IDFoS Indonesia",
    )
    with django_capture_on_commit_callbacks(execute=True):
        record_round(history, head, content, [Person("Suparmi", ParticipantGroup.USER)], [])

    html = html_of(client, charter_url(history))
    assert EVALUATED in html and "Antrean pendaftaran masih lama." in html


def test_the_facility_profile_shows_at_once(
    client: Client, history: Facility, django_capture_on_commit_callbacks: Any
) -> None:
    html_of(client, charter_url(history))
    with django_capture_on_commit_callbacks(execute=True):
        history.head_name = "dr. Ratna Sari"
        history.save()

    assert "dr. Ratna Sari" in html_of(client, charter_url(history))


def test_a_rolled_back_change_bumps_nothing(history: Facility, django_capture_on_commit_callbacks: Any) -> None:
    before = pagecache.generation(history.slug)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        history.save()
        raise RuntimeError("rolled back")

    assert callbacks == []
    assert pagecache.generation(history.slug) == before


def test_another_facility_keeps_its_pages(
    history: Facility, other_facility: Facility, django_capture_on_commit_callbacks: Any
) -> None:
    before = pagecache.generation(history.slug)
    with django_capture_on_commit_callbacks(execute=True):
        other_facility.save()

    assert pagecache.generation(history.slug) == before


# --- HTTP validators ----------------------------------------------------------------------------------


def test_validators_and_cache_control(client: Client, history: Facility) -> None:
    rendered = client.get(charter_url(history))
    served = client.get(charter_url(history))

    for response in (rendered, served):
        assert response["ETag"].startswith('W/"')
        assert response["Last-Modified"]
        assert set(re.split(r",\s*", response["Cache-Control"])) == {"public", "no-cache"}
        assert "cookie" in response["Vary"].lower()
    assert served["ETag"] == rendered["ETag"]


@pytest.mark.parametrize("stored", [True, False], ids=["stored", "evicted"])
def test_a_matching_etag_answers_304_and_another_200(
    client: Client, history: Facility, stored: bool, django_assert_max_num_queries: Any
) -> None:
    etag = client.get(charter_url(history))["ETag"]

    # Evicted: the client still has the page the cache let go; the view answers 304 unrendered.
    with (
        mock.patch.object(pagecache, "lookup", return_value=None) if not stored else contextlib.nullcontext(),
        django_assert_max_num_queries(0 if stored else 2),
    ):
        not_modified = client.get(charter_url(history), headers={"if-none-match": etag})
    other = client.get(charter_url(history), headers={"if-none-match": '"something-else"'})

    assert not_modified.status_code == 304 and not_modified.content == b""
    assert not_modified["ETag"] == etag and "no-cache" in not_modified["Cache-Control"]
    assert other.status_code == 200 and other["ETag"] == etag


def test_if_modified_since_answers_304(client: Client, history: Facility) -> None:
    last_modified = client.get(charter_url(history))["Last-Modified"]

    assert client.get(charter_url(history), headers={"if-modified-since": last_modified}).status_code == 304


def test_the_etag_changes_with_the_page(
    client: Client, history: Facility, django_capture_on_commit_callbacks: Any
) -> None:
    first = client.get(charter_url(history))["ETag"]
    english_etag = english(client).get(charter_url(history))["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        history.save()

    after = client.get(charter_url(history), headers={"if-none-match": english_etag})

    assert len({first, english_etag, after["ETag"]}) == 3
    assert after.status_code == 200


def test_an_old_version_keeps_its_status_after_a_new_one(
    client: Client, history: Facility, head: Any, django_capture_on_commit_callbacks: Any
) -> None:
    url = reverse("public:version", args=[history.slug, 2])
    assert "is the charter in force" in html_of(english(client), url)

    with django_capture_on_commit_callbacks(execute=True):
        make_published_charter(history, head=head)

    assert "is no longer in force" in html_of(client, url)


def test_a_facility_given_a_new_address_leaves_nothing_at_the_old_one(
    client: Client, history: Facility, django_capture_on_commit_callbacks: Any
) -> None:
    old = charter_url(history)
    html_of(client, old)
    with django_capture_on_commit_callbacks(execute=True):
        history.slug = "pkm-soko-baru"
        history.save()

    assert client.get(old).status_code == 404
    assert "Janji versi dua." in html_of(client, charter_url(history))


def test_each_host_has_its_own_copy(client: Client, history: Facility, django_assert_num_queries: Any) -> None:
    """A page may print its own absolute address (a QR code): one host's copy is not another's."""
    html_of(client, charter_url(history))

    with CaptureQueriesContext(connection) as other_host:
        assert client.get(charter_url(history), headers={"host": "localhost"}).status_code == 200
    with django_assert_num_queries(0):
        client.get(charter_url(history), headers={"host": "localhost"})

    assert len(other_host) > 2
