"""End to end in Chromium: a citizen complains from a service's page on a phone, staff answer,
the citizen finds the answer by its code and rates it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import Browser, expect

from feedback.models import Case, CaseStatus, EventKind, Rating
from tests.factories import PASSWORD, MembershipFactory, make_published_charter
from tests.feedback.conftest import run_worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CODE = re.compile(r"^[A-Z]{3}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$")


def test_citizen_complains_staff_answer_citizen_reads_it_by_code_and_rates_it(
    live_server: Any, browser: Browser
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    cache.clear()  # the rate limits outlive the test database
    charter = make_published_charter(services=2)
    facility = charter.facility
    service = charter.services.order_by("position").last()
    editor = MembershipFactory(facility=facility, user__first_name="Siti", user__email="siti@example.org").user
    base = live_server.url

    # A citizen on a phone reads a service and complains about it from there.
    phone = browser.new_context(viewport={"width": 390, "height": 844})
    citizen = phone.new_page()
    citizen.goto(f"{base}/f/{facility.slug}/services/{service.slug}/")
    citizen.locator(".feedback-link a").click()
    expect(citizen.locator("#id_service")).to_have_value(service.slug)
    expect(citizen.get_by_label("Pengaduan")).to_be_checked()
    citizen.locator("#id_description").fill("Saya menunggu tiga jam di loket.\nPetugas tidak ada di tempat.")
    citizen.locator("#id_name").fill("Bu Sri")
    citizen.locator("#id_phone").fill("nomor saya")
    citizen.locator(".feedback-form button[type=submit]").click()
    # A bad phone number is refused next to its field; nothing typed is lost.
    expect(citizen.locator("#id_phone").locator("xpath=..")).to_contain_text("paling sedikit 6 angka")
    expect(citizen.locator("#id_description")).to_have_value(
        "Saya menunggu tiga jam di loket.\nPetugas tidak ada di tempat."
    )
    expect(citizen.locator("#id_name")).to_have_value("Bu Sri")
    expect(citizen.locator("#id_service")).to_have_value(service.slug)
    citizen.locator("#id_phone").fill("0812 3456 7890")
    citizen.locator("#id_email").fill("sri@example.net")
    citizen.locator(".feedback-form button[type=submit]").click()

    # The receipt: the code, the deadline, what was received.
    code = citizen.locator(".tracking-code").inner_text().strip()
    assert CODE.match(code), code
    case = Case.objects.get(code=code)
    assert (case.facility, case.service, case.name, case.email) == (facility, service, "Bu Sri", "sri@example.net")
    expect(citizen.locator(".due-date")).not_to_be_empty()
    expect(citizen.locator("main")).to_contain_text(service.name)
    expect(citizen.locator("main")).not_to_contain_text("0812 3456 7890")
    citizen.screenshot(path=ARTIFACTS / "complaint-1-receipt-phone.png", full_page=True)

    # Staff see it in the inbox, take it and answer it publicly.
    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    staff = desk.new_page()
    staff.goto(f"{base}/accounts/login/")
    staff.locator("#id_username").fill(editor.username)
    staff.locator("#id_password").fill(PASSWORD)
    staff.locator("main button[type=submit]").click()
    staff.locator(".dashboard-feedback a").first.click()
    staff.get_by_role("link", name=code).click()
    expect(staff.locator("main")).to_contain_text("Bu Sri")
    staff.locator("#start button[type=submit]").click()
    expect(staff.locator(".alert-success")).to_be_visible()
    staff.locator("#id_note-text").fill("Petugas loket sedang cuti; cek jadwal pengganti.")
    staff.locator("#note button[type=submit]").click()
    staff.locator("#id_reply-text").fill("Mohon maaf. Mulai Senin loket dibuka dengan dua petugas.")
    staff.locator("#reply button[type=submit]").click()
    expect(staff.locator(".alert-success")).to_be_visible()
    staff.screenshot(path=ARTIFACTS / "complaint-2-staff-case.png", full_page=True)
    case.refresh_from_db()
    assert case.status == CaseStatus.ANSWERED and case.assignee == editor and case.first_reply_at is not None

    # The worker tells the citizen's address that there is an answer (its text stays on the site).
    run_worker()
    answers = [m for m in mail.outbox if m.to == ["sri@example.net"] and "menjawab laporan Anda" in m.body]
    assert len(answers) == 1 and code in answers[0].body and "dua petugas" not in answers[0].body

    # The citizen types the code as people do (small letters, no dashes) and reads the answer.
    citizen.goto(f"{base}/track/")
    citizen.locator("#id_code").fill(code.replace("-", "").lower())
    citizen.locator("main form button[type=submit]").click()
    expect(citizen).to_have_url(f"{base}/track/{code}/")
    page = citizen.locator("main")
    expect(page).to_contain_text("Mulai Senin loket dibuka dengan dua petugas.")
    expect(page).not_to_contain_text("Petugas loket sedang cuti")  # the internal note
    expect(page).not_to_contain_text("Bu Sri")
    expect(page).not_to_contain_text("sri@example.net")
    citizen.get_by_label("Puas", exact=True).check()
    citizen.locator("#id_comment").fill("Terima kasih.")
    citizen.locator("#rating button[type=submit]").click()
    expect(citizen.locator(".case-status")).to_contain_text("Selesai")
    citizen.screenshot(path=ARTIFACTS / "complaint-3-tracking-rated-phone.png", full_page=True)

    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.rating == Rating.SATISFIED
    assert list(case.events.values_list("kind", flat=True)) == [
        EventKind.RECEIVED,
        EventKind.STATUS,
        EventKind.NOTE,
        EventKind.REPLY,
        EventKind.RATED,
        EventKind.STATUS,
    ]
    phone.close()
    desk.close()
