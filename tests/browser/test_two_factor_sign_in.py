"""Two-factor sign-in on a phone (390 px wide), end to end: a head sets up the app from the QR
page (the key typed in, as without a camera), keeps the backup codes, signs out, and signs in
again with the password and then the app's code; a wrong code is refused with the reason. Every
page is checked with axe."""

from __future__ import annotations

import re
from base64 import b32decode
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django_otp.oath import totp
from playwright.sync_api import Browser, Page

from tests.factories import PASSWORD, MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def assert_accessible(axe: Axe, page: Page, what: str) -> None:
    violations = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in axe.run(page).response["violations"]]
    assert not violations, f"{what}: {violations}"


def test_a_head_sets_up_two_factor_and_signs_in_with_the_code_on_a_phone(live_server: Any, browser: Browser) -> None:
    head = MembershipFactory(head=True).user
    ARTIFACTS.mkdir(exist_ok=True)
    axe = Axe()
    context = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.locator("#id_username").fill(head.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/manage/")

    page.goto(live_server.url + "/accounts/two-factor/")
    assert page.locator("main svg.qr-code").is_visible()
    assert_accessible(axe, page, "setup page")
    page.screenshot(path=str(ARTIFACTS / "two-factor-setup-390.png"), full_page=True)
    secret = page.locator(".two-factor-secret").inner_text()
    key = b32decode(re.sub(r"\s", "", secret))
    page.locator("#id_otp_token").fill(f"{totp(key):06d}")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/two-factor/codes/")
    assert page.locator(".two-factor-codes li").count() == 10
    assert_accessible(axe, page, "backup codes")
    page.locator("header form button[type=submit]").click()  # log out

    page.goto(live_server.url + "/accounts/login/")
    page.locator("#id_username").fill(head.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/accounts/login/code/")
    assert_accessible(axe, page, "code step")
    page.locator("#id_otp_token").fill("12345x")
    page.locator("main button[type=submit]").click()
    page.locator("#id_otp_token.is-invalid").wait_for()
    assert "after 5" in page.locator("main").inner_text() or "setelah 5" in page.locator("main").inner_text()
    assert_accessible(axe, page, "code step with a wrong code")
    page.screenshot(path=str(ARTIFACTS / "two-factor-code-390.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the code step is {width} px wide on a 390 px phone"

    page.locator("#id_otp_token").fill(f"{totp(key, drift=1):06d}")  # the setup used the current one
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/manage/")
    context.close()
