"""The read-only public pages read from the replica; writes, staff pages, and the pages a citizen
opens right after writing read the primary."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import resolve

from charter_site.replica import REPLICA, ReplicaMiddleware, ReplicaRouter
from charters.models import Facility

router = ReplicaRouter()


def routed_reads(path: str, method: str = "get") -> list[str | None]:
    """Where a read goes while the middleware handles a request for `path`."""
    seen: list[str | None] = []
    request = getattr(RequestFactory(), method)(path)
    request.resolver_match = resolve(path)

    def view(req: Any) -> HttpResponse:
        middleware.process_view(req, None, (), {})
        seen.append(router.db_for_read(Facility))
        return HttpResponse()

    middleware = ReplicaMiddleware(view)
    middleware(request)
    seen.append(router.db_for_read(Facility))  # after the request: the primary again
    return seen


@pytest.mark.parametrize(
    "path",
    ["/", "/f/pkm-soko/", "/f/pkm-soko/services/pendaftaran/", "/f/pkm-soko/versions/1/diff/2/",
     "/f/pkm-soko/survey/results.json"],
)  # fmt: skip
def test_public_read_only_pages_read_the_replica(path: str) -> None:
    assert routed_reads(path) == [REPLICA, None]


@pytest.mark.parametrize("path", ["/f/pkm-soko/feedback/", "/track/", "/manage/", "/f/pkm-soko/survey/"])
def test_forms_tracking_and_staff_pages_read_the_primary(path: str) -> None:
    assert routed_reads(path) == [None, None]


def test_a_post_reads_the_primary() -> None:
    assert routed_reads("/f/pkm-soko/", method="post") == [None, None]


@pytest.mark.django_db(transaction=True)
def test_writes_and_reads_inside_a_transaction_go_to_the_primary() -> None:
    assert router.db_for_write(Facility) == "default"
    assert router.allow_migrate("default", "charters") and not router.allow_migrate(REPLICA, "charters")
    from charter_site import replica

    token = replica._reading_public_page.set(True)
    try:
        assert router.db_for_read(Facility) == REPLICA
        with transaction.atomic():
            assert router.db_for_read(Facility) is None
    finally:
        replica._reading_public_page.reset(token)
