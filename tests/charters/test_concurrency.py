"""Races that only a real database with row locks can decide (PostgreSQL; skipped on SQLite)."""

from __future__ import annotations

import threading
import time
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from charters import services
from charters.models import Charter, CharterStatus
from tests.factories import MembershipFactory, make_approved_charter, make_published_charter

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
]


def run_together(*calls: Any) -> list[Any]:
    """Run each call in its own thread and connection, released at the same moment."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def worker(index: int, call: Any) -> None:
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # the outcome is what the test inspects
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_heads_publishing_at_once_publish_exactly_one_version() -> None:
    current = make_published_charter()
    facility = current.facility
    first_head = facility.memberships.get(role="head").user
    second_head = MembershipFactory(facility=facility, head=True).user
    approved = make_approved_charter(facility, head=first_head)

    load = services.publishable_charter

    def slow_load(pk: int) -> Charter:
        # Widen the window between reading the status and writing the new one, where an
        # unlocked check would let both requests through.
        charter = load(pk)
        time.sleep(0.3)
        return charter

    with mock.patch.object(services, "publishable_charter", slow_load):
        results = run_together(
            lambda: services.publish_charter(Charter.objects.get(pk=approved.pk), first_head),
            lambda: services.publish_charter(Charter.objects.get(pk=approved.pk), second_head),
        )

    assert sum(isinstance(r, Charter) for r in results) == 1
    assert sum(isinstance(r, ValidationError) for r in results) == 1
    assert facility.charters.filter(status=CharterStatus.PUBLISHED).count() == 1
    assert facility.charters.get(status=CharterStatus.PUBLISHED).pk == approved.pk
    current.refresh_from_db()
    assert current.status == CharterStatus.SUPERSEDED
    assert approved.events.filter(action="published").count() == 1


def test_two_editors_starting_a_revision_at_once_share_one_draft() -> None:
    current = make_published_charter()
    editors = [MembershipFactory(facility=current.facility).user for _ in range(2)]

    results = run_together(*(lambda e=e: services.start_draft(current.facility, e) for e in editors))

    assert all(isinstance(r, Charter) for r in results), results
    assert results[0].pk == results[1].pk
    assert current.facility.charters.filter(status=CharterStatus.DRAFT).count() == 1
