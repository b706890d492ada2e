"""Soko's charter on a 390 px phone (issue 12: it was 40 screens): the services one line each,
their standards behind a tap, component 6 said once."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser

from tests.demo.seeding import FAST_HASHER, seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_sokos_charter_fits_a_phone_in_a_few_screens(live_server: Any, browser: Browser, settings: Any) -> None:
    settings.PASSWORD_HASHERS = FAST_HASHER
    seed("--password", "demo-pass-123", "--without-activity")
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{live_server.url}/f/pkm-soko/")

    screens = page.evaluate("document.documentElement.scrollHeight") / PHONE["height"]
    entries = page.locator(".service-entry > summary")

    assert screens < 12, screens
    assert entries.count() == 16
    assert not page.locator("#service-poli-umum").is_visible()
    entries.nth(1).click()
    assert page.locator("#service-poli-umum").is_visible()  # a tap opens the whole standard
