"""The staff's editing pages on a 390 px phone (issue 12: the service editor was 482 px wide):
nothing scrolls sideways and no field is cut off at the right; each list's rows show their
fields' labels."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Browser

from charters.services import start_draft
from tests.factories import PASSWORD, MembershipFactory, make_published_charter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
# Elements (fields, labels, buttons, cells) whose right edge is past the screen's.
CUT_OFF = """() => [...document.querySelectorAll('main :is(input, select, textarea, label, button, td, th)')]
  .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > window.innerWidth + 0.5)
  .map(e => `${e.tagName}#${e.id || ''}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`)"""


def test_staff_editing_pages_fit_a_phone(live_server: Any, browser: Browser) -> None:
    facility = make_published_charter(services=2).facility
    editor = MembershipFactory(facility=facility).user
    draft = start_draft(facility, editor)
    base = f"/manage/{facility.slug}/charters/{draft.version}/"
    page = browser.new_page(viewport=PHONE)
    page.goto(live_server.url + "/accounts/login/")
    page.locator("#id_username").fill(editor.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()

    for path in (
        base + f"services/{draft.services.first().slug}/",
        base + "services/add/",
        base + "edit/",
        base + "meetings/add/",
        f"/manage/{facility.slug}/profile/",
    ):
        page.goto(live_server.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
        assert page.evaluate(CUT_OFF) == [], path

    page.goto(live_server.url + base + f"services/{draft.services.first().slug}/")
    label = page.locator("#schedule label[for$='-opens']").first
    assert label.is_visible() and label.bounding_box()["height"] > 5  # above its field, not hidden
