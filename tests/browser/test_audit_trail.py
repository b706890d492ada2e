"""The audit trail as a head reads it on a phone (issue 13): an editor's wrong password, sign-in
and deleted survey period show up, named; the filter narrows the list; the page passes axe and
fits 390 px."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page

from feedback.models import SurveyPeriod
from tests.factories import PASSWORD, FacilityFactory, MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 390, "height": 844}


def sign_in(page: Page, base: str, username: str, password: str) -> None:
    page.goto(base + "/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("main button[type=submit]").click()


def test_a_head_reads_who_did_what_on_a_phone(live_server: Any, browser: Browser) -> None:
    facility = FacilityFactory()
    editor = MembershipFactory(facility=facility, user__first_name="Sri", user__last_name="Wahyuni").user
    head = MembershipFactory(facility=facility, head=True).user
    period = SurveyPeriod.objects.create(
        facility=facility,
        name="Semester I",
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 6, 30),
        population=100,
    )
    base = live_server.url
    staff = browser.new_page(viewport=PHONE)
    sign_in(staff, base, editor.username, "bukan-ini")
    sign_in(staff, base, editor.username, PASSWORD)
    staff.goto(f"{base}/manage/{facility.slug}/survey/periods/")
    staff.on("dialog", lambda dialog: dialog.accept())
    staff.locator(f"form[action$='/periods/{period.pk}/delete/'] button").click()
    staff.wait_for_load_state()

    page = browser.new_page(viewport=PHONE)
    sign_in(page, base, head.username, PASSWORD)
    page.goto(f"{base}/manage/{facility.slug}/")
    page.get_by_role("link", name="Jejak audit").click()

    rows = page.locator("table.audit-table tbody tr")
    text = page.locator("table.audit-table").inner_text()
    assert "Menghapus periode survei" in text and "Semester I" in text and "Sri Wahyuni" in text
    assert "Gagal masuk" in text and "Masuk" in text
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    violations = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in Axe().run(page).response["violations"]]
    assert not violations
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "audit-trail-390.png"), full_page=True)

    every = rows.count()
    page.locator("summary").click()
    page.locator("#id_kind").select_option("survey")
    page.get_by_role("button", name="Tampilkan").click()
    assert rows.count() == 1 < every
    assert "Semester I" in rows.first.inner_text()
