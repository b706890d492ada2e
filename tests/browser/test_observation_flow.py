"""End to end in Chromium on a phone: staff type in a sheet of service times from the keyboard
alone, correct the row the page refuses, find the observations in the list and delete one."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, expect

from monitoring.models import ServiceObservation
from tests.factories import PASSWORD, MembershipFactory, make_published_charter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_staff_type_a_sheet_of_service_times_with_the_keyboard(live_server: Any, browser: Browser) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    charter = make_published_charter(services=2)
    facility = charter.facility
    service = charter.services.order_by("position").last()
    editor = MembershipFactory(facility=facility).user
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    base = live_server.url

    phone = browser.new_context(viewport={"width": 390, "height": 844})
    page = phone.new_page()
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_username").fill(editor.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.goto(f"{base}/manage/{facility.slug}/")
    page.locator(f"main a[href='/manage/{facility.slug}/observations/batch/']").click()

    # The sheet's service and day, then three users, one row each, Tab from cell to cell.
    page.locator("#id_batch-service").select_option(service.slug)
    page.locator("#id_batch-arrived_on").fill(yesterday.isoformat())
    page.locator("#id_rows-0-arrived_time").focus()
    for keys in ("0800", "Tab", "0820", "Tab", "Tab", "08.05", "Tab", "Tab", "45", "Tab", "0810", "Tab", "0755"):
        page.keyboard.press(keys) if keys == "Tab" else page.keyboard.type(keys)
    page.keyboard.press("Enter")

    # The third row ends before it starts: nothing is saved, the row says why, the rest is kept.
    expect(page.locator("#batch-errors")).to_be_visible()
    expect(page.locator("#id_rows-2-completed_time")).to_have_value("0755")
    expect(page.locator("#id_rows-1-duration_minutes")).to_have_value("45")
    page.screenshot(path=ARTIFACTS / "observations-1-sheet-with-error-phone.png", full_page=True)
    assert not ServiceObservation.objects.exists()

    page.locator("#id_rows-2-completed_time").fill("0830")
    page.locator("#id_rows-2-completed_time").press("Enter")
    expect(page.locator(".alert-success")).to_be_visible()
    assert sorted(ServiceObservation.objects.values_list("duration_minutes", flat=True)) == [20, 20, 45]

    # The list, readable on the phone without scrolling the page sideways; one row deleted.
    page.goto(f"{base}/manage/{facility.slug}/observations/")
    expect(page.locator(".observation-list tbody tr")).to_have_count(3)
    page.screenshot(path=ARTIFACTS / "observations-2-list-phone.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator(".observation-list tbody tr").first.locator("button[type=submit]").click()
    expect(page.locator(".observation-list tbody tr")).to_have_count(2)
    assert ServiceObservation.objects.count() == 2
