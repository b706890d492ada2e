"""Personas and shared setup for the whole suite.

Personas: `facility` with its `editor` and `head`, `other_facility` with `other_editor`,
a `supervisor` of `facility`'s regency, and a `superuser`. Charters: `draft_charter` (complete,
2 services) and `published_charter` (published by `head`), both at `facility`. Clients:
`login(user)` for any user, and the `editor_client` and `head_client` of `facility`, each its
own browser reading the site in English.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from charters.models import Supervision
from tests.factories import (
    FacilityFactory,
    MembershipFactory,
    UserFactory,
    make_complete_draft,
    make_published_charter,
)

# Playwright runs an event loop in the test thread; Django's ORM would otherwise refuse
# the synchronous queries that live-server tests make from it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path("/usr/bin/chromium")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip browser tests on machines without Chromium, unless CI insists on running them."""
    if CHROMIUM.exists() or os.environ.get("REQUIRE_BROWSER_TESTS") == "1":
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} not found (set REQUIRE_BROWSER_TESTS=1 to run anyway)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(autouse=True)
def _test_settings(settings: Any, tmp_path: Path) -> None:
    # Uploads go to a throw-away directory; a fast hasher keeps UserFactory cheap.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    # Each test starts and leaves with an empty cache: cached pages (charters.pagecache) and
    # counters of one test must not reach the next, whose rows may reuse the same ids.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def facility(db: None) -> Any:
    return FacilityFactory(name="Puskesmas Soko", slug="pkm-soko")


@pytest.fixture
def other_facility(db: None) -> Any:
    return FacilityFactory(name="Puskesmas Rengel", slug="pkm-rengel", district="Rengel")


@pytest.fixture
def editor(facility: Any) -> Any:
    return MembershipFactory(facility=facility, user__username="editor").user


@pytest.fixture
def head(facility: Any) -> Any:
    return MembershipFactory(facility=facility, head=True, user__username="head").user


@pytest.fixture
def other_editor(other_facility: Any) -> Any:
    return MembershipFactory(facility=other_facility, user__username="other_editor").user


@pytest.fixture
def supervisor(facility: Any) -> Any:
    """A supervisor of the district health office of `facility`'s regency."""
    user = UserFactory(username="supervisor")
    Supervision.objects.create(user=user, regency=facility.regency)
    return user


@pytest.fixture
def superuser(db: None) -> Any:
    return UserFactory(username="superuser", superuser=True)


@pytest.fixture
def published_charter(facility: Any, head: Any) -> Any:
    return make_published_charter(facility, services=2, head=head)


@pytest.fixture
def draft_charter(request: pytest.FixtureRequest, facility: Any, editor: Any) -> Any:
    # A facility has at most one draft, and publishing goes through a draft: when a test
    # wants both charters, publish first so the two fixtures work in either order.
    if "published_charter" in request.fixturenames:
        request.getfixturevalue("published_charter")
    return make_complete_draft(facility, services=2, created_by=editor, updated_by=editor)


@pytest.fixture
def login(db: None) -> Callable[..., Client]:
    """`login(user)` is a new client logged in as `user`; `login(user, client)` logs `user` into
    that client. Either reads the site in English (the language cookie), so that pages and
    messages compare with the source strings; the site's default is Bahasa Indonesia."""

    def log_in(user: Any, client: Client | None = None) -> Client:
        client = Client() if client is None else client
        client.force_login(user)
        client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return log_in


@pytest.fixture
def editor_client(login: Callable[..., Client], editor: Any) -> Client:
    return login(editor)


@pytest.fixture
def head_client(login: Callable[..., Client], head: Any) -> Client:
    return login(head)


@pytest.fixture
def admin_client(client: Client, superuser: Any) -> Client:
    """The `superuser` persona signed in (instead of pytest-django's own admin user)."""
    client.force_login(superuser)
    return client


def admin_url(model: type[Model], view: str, *args: Any) -> str:
    """The admin's page `view` ("changelist", "change", "add", …) of `model`."""
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)
