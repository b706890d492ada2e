"""End to end in Chromium on a phone: a citizen reads the survey results, answers the survey from
a service on the charter by tapping the answers, and sees the results change."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import Browser, expect

from feedback.models import ResponseChannel, SurveyResponse
from tests.factories import make_published_charter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_citizen_answers_the_survey_on_a_phone_and_the_results_change(live_server: Any, browser: Browser) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    cache.clear()  # the rate limits outlive the test database
    charter = make_published_charter(services=2)
    facility = charter.facility
    service = charter.services.order_by("position").last()
    # Five earlier respondents answered 3 everywhere: an IKM of 75.00 (fewer hide the figures).
    for days in (3, 5, 7, 9, 11):
        SurveyResponse.objects.create(
            facility=facility,
            service=service,
            visited_on=timezone.localdate() - datetime.timedelta(days=days),
            **{f"u{n}": 3 for n in range(1, 10)},
        )
    base = live_server.url
    phone = browser.new_context(viewport={"width": 390, "height": 844})
    citizen = phone.new_page()

    # The results as they stand.
    citizen.goto(f"{base}/f/{facility.slug}/survey/results/")
    expect(citizen.locator("#respondents")).to_have_attribute("data-respondents", "5")
    expect(citizen.locator(".ikm-value")).to_have_attribute("data-ikm", "75.00")
    expect(citizen.locator(".element-chart svg[role=img]")).to_be_visible()
    citizen.screenshot(path=ARTIFACTS / "survey-1-results-before-phone.png", full_page=True)

    # From the service on the charter to the survey, with the service chosen.
    citizen.goto(f"{base}/f/{facility.slug}/")
    citizen.locator(f"details:has(#service-{service.slug}) > summary").click()  # one line each, opened
    citizen.locator(f"#service-{service.slug} .survey-link a").click()
    expect(citizen.locator("#id_service")).to_have_value(service.slug)
    citizen.screenshot(path=ARTIFACTS / "survey-2-form-phone.png")

    # Eight answers tapped on their labels; U9 forgotten.
    for n in range(1, 9):
        answer = citizen.locator(f"#group-u{n} label.answer").nth(3)  # the best answer
        box = answer.bounding_box()
        assert box is not None and box["height"] >= 48 and box["width"] >= 300  # a large touch target
        answer.click()
        expect(citizen.locator(f"#id_u{n}_3")).to_be_checked()
    citizen.locator("#group-age_group label.answer").nth(2).click()
    citizen.locator(".survey-submit").click()

    # Refused next to U9, with a summary linking to it; the other answers are kept.
    summary = citizen.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary.locator("a[href='#id_u9_0']")).to_have_count(1)
    expect(citizen.locator("#group-u9 .answer-error")).to_be_visible()
    for n in range(1, 9):
        expect(citizen.locator(f"#id_u{n}_3")).to_be_checked()
    expect(citizen.locator("#id_service")).to_have_value(service.slug)
    citizen.screenshot(path=ARTIFACTS / "survey-3-form-with-error-phone.png")
    summary.locator("a[href='#id_u9_0']").click()
    citizen.locator("#group-u9 label.answer").nth(3).click()
    expect(citizen.locator("#id_u9_3")).to_be_checked()
    citizen.locator(".survey-submit").click()

    # Thanks, and the way to the results.
    # (A fragment from the error summary's link may ride along through the redirect.)
    expect(citizen).to_have_url(re.compile(rf"^{re.escape(base)}/f/{facility.slug}/survey/thanks/(#.*)?$"))
    citizen.screenshot(path=ARTIFACTS / "survey-4-thanks-phone.png", full_page=True)
    saved = SurveyResponse.objects.latest("id")
    assert (saved.service, saved.channel) == (service, ResponseChannel.WEB)
    assert [score for _element, score in saved.scores()] == [4] * 9
    assert saved.device  # the browser's token, hashed
    citizen.locator(f"main a[href='/f/{facility.slug}/survey/results/']").first.click()

    # Six respondents now: every NRR is 19/6, the IKM 79.17, grade B.
    expect(citizen.locator("#respondents")).to_have_attribute("data-respondents", "6")
    expect(citizen.locator(".ikm-value")).to_have_attribute("data-ikm", "79.17")
    expect(citizen.locator(".grade-letter[data-grade]")).to_have_text("B")
    expect(citizen.locator("tr[data-element='U1'] td.nrr")).to_have_attribute("data-value", "3.17")
    citizen.screenshot(path=ARTIFACTS / "survey-5-results-after-phone.png", full_page=True)

    # The same browser answering the same service again today is thanked, not counted twice.
    citizen.goto(f"{base}/f/{facility.slug}/survey/?service={service.slug}")
    for n in range(1, 10):
        citizen.locator(f"#group-u{n} label.answer").nth(0).click()
    citizen.locator(".survey-submit").click()
    expect(citizen.locator("#survey-already")).to_be_visible()  # said plainly, nothing to correct
    expect(citizen.locator("#error-summary")).to_have_count(0)
    expect(citizen.locator("#id_u1_0")).to_be_checked()
    assert SurveyResponse.objects.count() == 6
    phone.close()
