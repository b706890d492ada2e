"""axe-core finds no accessibility violation on the public pages, at phone width."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser

from charters.services import open_consultation, start_draft
from tests.factories import make_published_charter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_public_pages_have_no_axe_violations(live_server: Any, browser: Browser) -> None:
    first = make_published_charter(services=3)
    facility = first.facility
    head = facility.memberships.get(role="head").user
    charter = make_published_charter(facility, services=3, head=head)
    open_consultation(start_draft(facility, head), head)
    slug = facility.slug
    service = charter.services.first().slug
    # Our CSP forbids injected scripts; only this checking context may bypass it.
    context = browser.new_context(viewport={"width": 390, "height": 844}, bypass_csp=True)
    page = context.new_page()
    axe = Axe()
    for path in (
        "/",
        "/?q=tidak-ada",
        f"/f/{slug}/",
        f"/f/{slug}/?print=1",
        f"/f/{slug}/services/{service}/",
        "/f/tidak-ada/",
        "/accounts/login/",
        f"/f/{slug}/versions/",
        f"/f/{slug}/versions/1/",
        f"/f/{slug}/versions/1/diff/2/",
        f"/f/{slug}/draft/",
    ):
        page.goto(live_server.url + path)
        results = axe.run(page)
        violations = [(v["id"], v["help"], len(v["nodes"])) for v in results.response["violations"]]
        assert not violations, f"{path}: {violations}"
    context.close()


def test_staff_pages_have_no_axe_violations(live_server: Any, browser: Browser) -> None:
    from charters.services import start_draft
    from tests.factories import PASSWORD, MembershipFactory

    charter = make_published_charter(services=2)
    facility = charter.facility
    editor = MembershipFactory(facility=facility).user
    draft = start_draft(facility, editor)
    service = draft.services.first().slug
    base = f"/manage/{facility.slug}/charters/{draft.version}/"
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.locator("#id_username").fill(editor.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    axe = Axe()
    for path in (
        "/manage/",
        f"/manage/{facility.slug}/",
        f"/manage/{facility.slug}/profile/",
        base,
        base + "edit/",
        base + "services/add/",
        base + f"services/{service}/",
        base + f"services/{service}/delete/",
    ):
        page.goto(live_server.url + path)
        results = axe.run(page)
        violations = [
            (v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in results.response["violations"]
        ]
        assert not violations, f"{path}: {violations}"
    # A form sent back with errors is checked too.
    page.goto(live_server.url + base + "services/add/")
    page.locator("#id_duration_value").fill("0")
    page.locator("main button[type=submit]").first.click()
    violations = [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in axe.run(page).response["violations"]]
    assert not violations, f"service form with errors: {violations}"
    context.close()
