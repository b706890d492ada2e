"""End to end in Chromium: a revision is consulted on, agreed in the forum, approved, and
published for tomorrow; citizens see the new version the day after."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from charters.models import Charter, CharterStatus, ConsultationComment
from tests.factories import PASSWORD, MembershipFactory, make_published_charter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _staff_page(browser: Browser, base: str, username: str) -> Page:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{base}/accounts/login/")
    page.locator(".lang-switch a[lang=en]").click()  # staff here work in English
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    return page


def test_revision_consultation_forum_approval_and_scheduled_publication(live_server, browser: Browser) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    current = make_published_charter(services=2)
    facility = current.facility
    editor = MembershipFactory(facility=facility).user
    head = facility.memberships.get(role="head").user
    service = current.services.first()
    base = live_server.url
    version_url = f"{base}/manage/{facility.slug}/charters/2/"

    # The editor starts a revision and changes a fee.
    page = _staff_page(browser, base, editor.username)
    page.goto(f"{base}/manage/{facility.slug}/")
    page.get_by_role("button", name="Start a revision").click()
    expect(page).to_have_url(version_url)
    page.goto(f"{version_url}services/{service.slug}/")
    page.locator("#id_fee_is_free").uncheck()
    page.locator("#id_fee_amount").fill("15000")
    page.locator("main").get_by_role("button", name="Save", exact=True).click()
    page.get_by_role("button", name="Open public consultation").click()
    expect(page.get_by_text("Version 2 is open for public consultation.")).to_be_visible()

    # A citizen reads the draft on a phone and comments on the service.
    citizen = browser.new_page(viewport={"width": 390, "height": 844})
    citizen.goto(f"{base}/f/{facility.slug}/draft/")
    citizen.locator(f"#comments-{service.slug} summary").click()  # "Write a comment" unfolds the form
    form = citizen.locator(f"#comments-{service.slug} form.comment-form")
    form.first.locator("textarea").fill("Biaya baru terlalu mahal bagi warga lanjut usia.")
    form.first.get_by_role("button").click()
    citizen.screenshot(path=ARTIFACTS / "revision-1-citizen-comment.png", full_page=True)
    assert ConsultationComment.objects.filter(service__slug=service.slug, charter__version=2).exists()

    # The forum meets: providers, users and stakeholders sign; every service is agreed.
    page.goto(f"{version_url}meetings/add/")
    page.locator("#id_meeting-date").fill(timezone.localdate().isoformat())
    page.locator("#id_meeting-place").fill("Aula Kecamatan Soko")
    for row, (name, group) in enumerate(
        [("dr. Ahmad", "provider"), ("Ibu Sri", "user"), ("Kepala Desa Soko", "stakeholder")]
    ):
        page.locator(f"#id_participants-{row}-name").fill(name)
        page.locator(f"#id_participants-{row}-group").select_option(group)
        page.locator(f"#id_participants-{row}-signed").check()
    page.locator("main").get_by_role("button", name="Save", exact=True).click()
    page.goto(f"{version_url}agreement/")
    for index in range(2):
        page.locator(f'input[name="services-{index}-agreement"][value="agreed"]').check()
    page.locator("main").get_by_role("button", name="Save", exact=True).click()
    page.goto(version_url)
    page.get_by_role("button", name="Mark as agreed").click()
    expect(page.get_by_text("is recorded as agreed")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "revision-2-agreed.png", full_page=True)

    # The head approves and publishes it from tomorrow.
    head_page = _staff_page(browser, base, head.username)
    head_page.goto(version_url)
    head_page.get_by_role("button", name="Approve").click()
    tomorrow = timezone.localdate() + timedelta(days=1)
    head_page.locator("#id_effective_date").fill(tomorrow.isoformat())
    head_page.locator("#id_confirm").check()
    head_page.get_by_role("button", name="Publish this version").click()
    expect(head_page.get_by_text("Publication is scheduled")).to_be_visible()
    head_page.screenshot(path=ARTIFACTS / "revision-3-scheduled.png", full_page=True)

    # Today citizens still read version 1; tomorrow version 2, without anyone acting.
    citizen.goto(f"{base}/f/{facility.slug}/")
    expect(citizen.locator(f"#service-{service.slug}")).not_to_contain_text("Rp 15.000")
    with mock.patch("django.utils.timezone.localdate", return_value=tomorrow):
        citizen.goto(f"{base}/f/{facility.slug}/")
        expect(citizen.locator(f"#service-{service.slug}")).to_contain_text("Rp 15.000")
        citizen.screenshot(path=ARTIFACTS / "revision-4-public-next-day.png", full_page=True)
        citizen.goto(f"{base}/f/{facility.slug}/versions/1/diff/2/")
        expect(citizen.locator("main")).to_contain_text("Rp 15.000")
        citizen.screenshot(path=ARTIFACTS / "revision-5-diff.png", full_page=True)
    statuses = dict(Charter.objects.filter(facility=facility).values_list("version", "status"))
    assert statuses == {1: CharterStatus.SUPERSEDED, 2: CharterStatus.PUBLISHED}
