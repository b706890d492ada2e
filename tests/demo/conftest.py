"""A seed takes seconds, so each class runs the command once (`demo`, class-scoped) and its tests
read what it left. Every test still runs in its own transaction, rolled back after it (the `db`
fixture, nested in the class's), so a test that runs the command again leaves the class's data
as it found it. The few tests that need another start seed their own copy.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings

from charters.models import Charter

from .seeding import FAST_HASHER, seed


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = FAST_HASHER


@pytest.fixture(scope="class")
def demo(request: pytest.FixtureRequest, django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    """One run of the command for the tests of a class (with the class's `seed_args`), rolled back
    after them; gives what the command printed."""
    args = getattr(request.cls, "seed_args", ("--password", "demo-pass-123"))
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER), transaction.atomic():
        yield seed(*args)
        transaction.set_rollback(True)


@pytest.fixture
def soko(demo: str, db: None) -> dict[int, Charter]:
    """Soko's versions after the class's seed, by number."""
    return {c.version: c for c in Charter.objects.filter(facility__slug="pkm-soko")}
