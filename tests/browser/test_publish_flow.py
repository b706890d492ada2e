"""End to end in Chromium: an editor adds a service, the head publishes, a citizen reads it."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from charters.models import Charter, CharterStatus, Facility, Membership, MembershipRole
from tests.factories import record_agreement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "a-long-test-password"


def _login(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Sandi").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Masuk").click()


def test_editor_adds_service_head_publishes_citizen_reads_it(live_server, page: Page) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    users = get_user_model().objects
    editor = users.create_user("editor", password=PASSWORD, first_name="Siti")
    head = users.create_user("head", password=PASSWORD, first_name="Budi")
    facility = Facility.objects.create(
        name="Puskesmas Uji", slug="pkm-uji", district="Soko", regency="Tuban", province="Jawa Timur"
    )
    Membership.objects.create(user=editor, facility=facility, role=MembershipRole.EDITOR)
    Membership.objects.create(user=head, facility=facility, role=MembershipRole.HEAD)
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})

    # The editor starts the first draft and adds a service with a schedule and a fee.
    _login(page, base, "editor")
    page.get_by_role("link", name="Puskesmas Uji").first.click()
    page.get_by_role("button", name="Mulai rancangan maklumat").click()
    page.get_by_role("link", name="Tambah layanan").click()
    page.locator("#id_name").fill("Surat Keterangan Sehat")
    page.locator("#id_category").select_option("administrative")
    page.locator("#id_requirements-0-text").fill("KTP atau kartu identitas")
    page.locator("#id_steps-0-text").fill("Mendaftar di loket")
    page.locator("#id_steps-1-text").fill("Pemeriksaan oleh dokter")
    page.locator("#id_duration_value").fill("30")
    page.locator("#id_fee_amount").fill("10000")
    page.get_by_label("Datang langsung").check()
    for row, day in enumerate(["0", "1", "2"]):
        page.locator(f"#id_schedule-{row}-weekday").select_option(day)
        page.locator(f"#id_schedule-{row}-opens").fill("07:30")
        page.locator(f"#id_schedule-{row}-closes").fill("14:00")
    # A closing time before the opening time is refused next to the field; nothing typed is lost.
    page.locator("#id_schedule-3-weekday").select_option("4")
    page.locator("#id_schedule-3-opens").fill("11:00")
    page.locator("#id_schedule-3-closes").fill("07:30")
    page.locator("main").get_by_role("button", name="Simpan", exact=True).click()
    expect(page.get_by_text("Jam tutup harus setelah jam buka.")).to_be_visible()
    expect(page.locator("#id_requirements-0-text")).to_have_value("KTP atau kartu identitas")
    expect(page.locator("#id_fee_amount")).to_have_value("10000")
    page.locator("#id_schedule-3-closes").fill("11:00")
    page.locator("#id_schedule-3-opens").fill("07:30")
    page.locator("main").get_by_role("button", name="Simpan", exact=True).click()
    expect(page.get_by_text("Layanan “Surat Keterangan Sehat” telah ditambahkan.")).to_be_visible()
    # Rights and obligations of both sides; the empty rows come pre-set to party and kind.
    page.get_by_role("link", name="Ubah maklumat, hak, dan kewajiban").click()
    page.locator("#id_clauses-0-text").fill("Mendapatkan pelayanan sesuai standar")
    page.locator("#id_clauses-3-text").fill("Melayani dengan ramah dan tepat waktu")
    page.locator("main").get_by_role("button", name="Simpan", exact=True).click()
    expect(page.get_by_text("Rancangan sudah lengkap.")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "publish-1-editor-draft.png", full_page=True)
    page.get_by_role("button", name="Buka konsultasi publik").click()
    expect(page.get_by_text("Versi 1 dibuka untuk konsultasi publik.")).to_be_visible()
    # The forum's pages have their own browser test (test_revision_flow); here it is recorded directly.
    record_agreement(Charter.objects.get(facility=facility, version=1))
    page.reload()
    page.get_by_role("button", name="Tandai sebagai disepakati").click()
    expect(page.get_by_role("button", name="Terbitkan versi ini")).to_have_count(0)
    page.locator("header").get_by_role("button", name="Keluar").click()

    # The head approves and publishes.
    _login(page, base, "head")
    page.get_by_role("link", name="Versi 1").click()
    page.get_by_role("button", name="Setujui").click()
    page.get_by_label("Saya telah memeriksa").check()
    page.get_by_role("button", name="Terbitkan versi ini").click()
    expect(page.get_by_text("Versi 1 telah diterbitkan")).to_be_visible()
    charter = Charter.objects.get(facility=facility, version=1)
    assert charter.status == CharterStatus.PUBLISHED
    assert charter.published_by == head

    # A citizen on a phone finds the service on the public charter.
    citizen = page.context.browser.new_page(viewport={"width": 390, "height": 844})
    citizen.goto(f"{base}/")
    citizen.get_by_label("Cari fasilitas, kecamatan, atau layanan").fill("keterangan sehat")
    citizen.get_by_role("button", name="Cari").click()
    citizen.get_by_role("link", name="Puskesmas Uji").click()
    service = citizen.locator("#service-surat-keterangan-sehat")
    expect(service).to_contain_text("Rp 10.000")
    expect(service).to_contain_text("Senin – Rabu")
    expect(service).to_contain_text("07.30–14.00")
    expect(service).to_contain_text("Jumat")
    expect(service).to_contain_text("30 menit")
    expect(service).to_contain_text("KTP atau kartu identitas")
    expect(citizen.locator("#rights")).to_contain_text("Melayani dengan ramah dan tepat waktu")
    citizen.screenshot(path=ARTIFACTS / "publish-2-public-charter-phone.png", full_page=True)
    citizen.close()
