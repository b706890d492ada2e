"""Fixtures of the fuzz tests: the page forms read once per test, a public (anonymous) client."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from .runner import PageForms


@pytest.fixture
def page_forms() -> PageForms:
    return PageForms()


@pytest.fixture
def public(client: Client) -> Client:
    """An anonymous visitor reading the site in English (error messages are shorter to read)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def first_service(charter: Any) -> Any:
    return charter.services.order_by("position", "id").first()
