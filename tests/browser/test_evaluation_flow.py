"""End to end in Chromium: the team records an evaluation round with its facilitator, a finding
that was not kept starts a charter revision, and the district health office's page shows the
facility's new evaluation date."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from playwright.sync_api import Browser, Page, expect

from charters.models import Supervision
from monitoring.models import EvaluationRound, FindingResult
from tests.factories import PASSWORD, MembershipFactory, UserFactory, make_published_charter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main button[type=submit]").click()


def test_a_round_is_recorded_a_finding_starts_a_revision_and_the_district_sees_it(
    live_server: Any, browser: Browser
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    charter = make_published_charter(services=2)
    facility = charter.facility
    first, second = charter.services.order_by("position")
    editor = MembershipFactory(facility=facility).user
    supervisor = UserFactory(username="dinkes")
    Supervision.objects.create(user=supervisor, regency=facility.regency)
    ended = timezone.localdate() - datetime.timedelta(days=1)
    started = ended - datetime.timedelta(days=2)
    base = live_server.url

    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, base, editor.username)
    page.goto(f"{base}{reverse('manage:evaluations', args=[facility.slug])}")
    page.locator("main a[href$='/evaluations/new/']").first.click()

    page.locator("#id_round-started_on").fill(started.isoformat())
    page.locator("#id_round-ended_on").fill(ended.isoformat())
    page.locator("#id_round-facilitator").fill("Nur Hidayah")
    page.locator("#id_round-organisation").fill("IDFoS Indonesia")
    page.locator("#id_round-method").select_option("mixed")
    for row, (name, group) in enumerate([("Siti", "provider"), ("Suparmi", "user"), ("H. Mashuri", "stakeholder")]):
        page.locator(f"#id_participants-{row}-name").fill(name)
        page.locator(f"#id_participants-{row}-group").select_option(group)
    page.locator(f"input[name='finding-{first.slug}-result'][value='{FindingResult.NOT_KEPT}']").check()
    page.locator(f"#id_finding-{first.slug}-notes").fill("Antrean pada jam sibuk lebih dari satu jam.")
    page.locator(f"input[name='finding-{second.slug}-result'][value='{FindingResult.KEPT}']").check()
    page.locator("#id_round-public_summary").fill("Pendaftaran belum tepat waktu; layanan lain sesuai janji.")
    page.locator("form.evaluation-form .form-actions button[type=submit]").click()

    # The report: the finding, and the button that starts the revision.
    expect(page.locator(".alert-success")).to_be_visible()
    evaluation = EvaluationRound.objects.get()
    assert evaluation.findings.count() == 2 and evaluation.participants.count() == 3
    page.screenshot(path=ARTIFACTS / "evaluation-1-report.png", full_page=True)
    page.locator(
        f"form[action$='/findings/{evaluation.findings.get(result=FindingResult.NOT_KEPT).pk}/revise/'] button"
    ).click()
    expect(page.locator(".alert-success")).to_be_visible()
    finding = evaluation.findings.get(result=FindingResult.NOT_KEPT)
    assert finding.revision is not None and finding.revision.is_draft
    assert page.url.endswith(reverse("manage:charter", args=[facility.slug, finding.revision.version]))

    # The revision's comparison with the version in force names the finding.
    page.goto(f"{base}{reverse('manage:charter_diff', args=[facility.slug, finding.revision.version])}")
    expect(page.locator(".diff-reasons").first).to_contain_text("Antrean pada jam sibuk")

    # The district health office sees the new evaluation date.
    district = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    sign_in(district, base, supervisor.username)
    district.goto(f"{base}{reverse('manage:district', args=[slugify(facility.regency)])}")
    row = district.locator(f"[data-facility='{facility.slug}']").first
    expect(row.locator(f"[data-evaluation='{ended.isoformat()}']")).to_be_visible()
    district.screenshot(path=ARTIFACTS / "evaluation-2-district.png", full_page=True)
