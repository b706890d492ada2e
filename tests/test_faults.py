"""The database goes away: pages answer a bilingual 503 with Retry-After instead of a 500, a
posted complaint comes back with what was typed and a button that sends it again, /healthz tells
the load balancer, and everything works again once the database is back."""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from django.core.cache import cache
from django.core.cache.backends.base import CacheKeyWarning
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from charter_site import lastcopy
from charter_site.faults import database_unreachable
from charters import pagecache
from feedback.models import Case

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_down() -> Iterator[None]:
    with mock.patch.object(connection, "ensure_connection", side_effect=OperationalError("connection refused")):
        yield


@pytest.fixture
def browser_client() -> Client:
    """A client that gets the error page as a browser would, instead of the exception."""
    return Client(raise_request_exception=False, enforce_csrf_checks=True)


def test_healthz_reports_database_and_cache(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_says_which_part_is_down(client: Client, database_down: None) -> None:
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["database"] == "unreachable"
    assert response["Retry-After"] == "30"


def test_healthz_with_the_cache_down(client: Client) -> None:
    with mock.patch("charter_site.faults.cache.set", side_effect=ConnectionError("redis down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["cache"] == "unreachable"


def test_a_page_answers_a_bilingual_503_while_the_database_is_away(
    browser_client: Client, published_charter: Any, database_down: None
) -> None:
    response = browser_client.get(reverse("public:feedback", args=[published_charter.facility.slug]))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    html = response.content.decode()
    assert "Layanan sedang terganggu" in html and "Service temporarily unavailable" in html
    assert "typed-back" not in html  # nothing was posted


def test_a_complaint_posted_then_comes_back_and_can_be_sent_again(
    browser_client: Client, published_charter: Any
) -> None:
    url = reverse("public:feedback", args=[published_charter.facility.slug])
    browser_client.get(url)  # the form, and its CSRF cookie
    token = browser_client.cookies["csrftoken"].value
    data = {
        "csrfmiddlewaretoken": token,
        "kind": "complaint",
        "service": "",
        "description": "Antrean di loket pendaftaran lebih dari satu jam.\nMohon petugas ditambah.",
        "occurred_on": "",
        "name": "Sri",
        "phone": "0812 3456 7890",
        "email": "",
        "website": "",
    }
    with mock.patch.object(connection, "ensure_connection", side_effect=OperationalError("connection refused")):
        refused = browser_client.post(url, data)
    assert refused.status_code == 503
    html = refused.content.decode()
    assert "Antrean di loket pendaftaran lebih dari satu jam.<br>Mohon petugas ditambah." in html
    assert f'name="csrfmiddlewaretoken" value="{token}"' in html
    assert f'action="{url}"' in html
    assert not Case.objects.exists()

    # The database is back: the same fields, sent again from that page, are stored.
    sent_again = browser_client.post(url, data)
    assert sent_again.status_code == 302
    assert Case.objects.get().description == data["description"]


def test_other_errors_are_still_500() -> None:
    assert not database_unreachable(ValueError("bug"))
    assert database_unreachable(OperationalError("down"))
    try:
        try:
            raise OperationalError("server closed the connection")
        except OperationalError as cause:
            raise RuntimeError("while rendering") from cause
    except RuntimeError as error:
        assert database_unreachable(error)


def test_a_charter_read_recently_stays_readable_while_the_database_is_away(
    browser_client: Client, published_charter: Any
) -> None:
    slug = published_charter.facility.slug
    url = reverse("public:charter", args=[slug])
    first = browser_client.get(url)  # rendered, cached, remembered as the last copy
    assert first.status_code == 200
    with mock.patch.object(connection, "ensure_connection", side_effect=OperationalError("connection refused")):
        served = browser_client.get(url)  # the page cache needs no database
        pagecache.bump(published_charter.facility.slug)  # a change just before the outage: not current
        during = browser_client.get(url)
        other = browser_client.get(reverse("public:versions", args=[slug]))
    assert served.status_code == 200 and served.content == first.content
    assert during.status_code == 200 and during["X-Served-From"] == "last-copy"
    assert during.content == first.content
    assert other.status_code == 503  # never read before the outage: no copy to serve


def test_the_last_copy_of_an_address_with_a_long_query_has_a_short_cache_key(rf: Any) -> None:
    """The query string is the visitor's to choose: the key stays short and portable (memcached
    refuses keys over 250 characters, and Django warns of them)."""
    request = rf.get("/f/pkm-soko/", {"q": "x" * 2000})
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)
        lastcopy.remember(request, "page-key")
        assert cache.get(lastcopy._pointer(request)) == "page-key"
    assert len(lastcopy._pointer(request)) < 100
