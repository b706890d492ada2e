"""The wall poster printed to PDF by Chromium (issue 12): Soko's charter of 16 services fits one
sheet of A4 and one of A3, at the paper size the stylesheet asks for."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import Browser, Locator

from tests.demo.seeding import FAST_HASHER, seed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# Points (1/72 inch) of the sheets, portrait.
SHEETS = {"a4": (595, 842), "a3": (842, 1191)}


def pages_of(pdf: bytes) -> list[tuple[float, float]]:
    """The width and height of each page of a PDF as Chromium writes it."""
    pages = re.findall(rb"/Type\s*/Page\b(?!s).*?/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf, flags=re.S)
    if not pages:  # MediaBox before Type
        pages = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\][^>]*?/Type\s*/Page\b(?!s)", pdf, flags=re.S)
    return [(float(width), float(height)) for width, height in pages]


@pytest.mark.parametrize("size", SHEETS)
def test_sokos_poster_prints_on_one_sheet(live_server: Any, browser: Browser, settings: Any, size: str) -> None:
    settings.PASSWORD_HASHERS = FAST_HASHER
    seed("--password", "demo-pass-123", "--without-activity")
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page()
    page.goto(f"{live_server.url}/f/pkm-soko/poster/?size={size}")
    assert page.locator(".poster-services tbody tr").count() == 16
    assert page.locator(".poster-qr svg.qr-code").count() == 1

    page.emulate_media(media="print")
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    (ARTIFACTS / f"poster-{size}.pdf").write_bytes(pdf)

    sheets = pages_of(pdf)
    assert len(sheets) == 1, sheets
    width, height = sheets[0]
    assert abs(width - SHEETS[size][0]) < 2 and abs(height - SHEETS[size][1]) < 2
    assert page.locator(".site-header").is_hidden()  # the site's frame is not printed


def test_the_counter_cards_print_one_a5_sheet_per_service(live_server: Any, browser: Browser, settings: Any) -> None:
    settings.PASSWORD_HASHERS = FAST_HASHER
    seed("--password", "demo-pass-123", "--without-activity")
    page = browser.new_page()
    page.goto(f"{live_server.url}/f/pkm-soko/cards/")
    page.emulate_media(media="print")

    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    (ARTIFACTS / "cards.pdf").write_bytes(pdf)

    sheets = pages_of(pdf)
    assert len(sheets) == 16
    assert all(abs(width - 420) < 2 and abs(height - 595) < 2 for width, height in sheets)


def test_the_handbook_prints_a_page_per_service_after_its_cover(
    live_server: Any, browser: Browser, settings: Any
) -> None:
    settings.PASSWORD_HASHERS = FAST_HASHER
    seed("--password", "demo-pass-123", "--without-activity")
    page = browser.new_page()
    page.goto(f"{live_server.url}/f/pkm-soko/handbook/")
    page.emulate_media(media="print")

    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    (ARTIFACTS / "handbook.pdf").write_bytes(pdf)

    sheets = pages_of(pdf)
    assert len(sheets) >= 1 + 16 + 2  # the cover, each service, rights and complaints
    assert all(abs(width - SHEETS["a4"][0]) < 2 for width, _height in sheets)


def decoded(element: Locator) -> list[str]:
    """What a phone's camera reads from the QR codes of an element as Chromium prints it: a
    screenshot at twice the resolution, decoded by zxing-cpp."""
    image = Image.open(io.BytesIO(element.screenshot(scale="device")))
    return sorted(code.text for code in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode))


def test_the_qr_codes_decode_to_the_right_addresses(live_server: Any, browser: Browser, settings: Any) -> None:
    """The poster's code opens the charter; each card's three codes open the service's page, its
    survey and the complaint form with the service chosen."""
    from charters.models import Charter, CharterStatus

    settings.PASSWORD_HASHERS = FAST_HASHER
    seed("--password", "demo-pass-123", "--without-activity")
    base = f"{live_server.url}/f/pkm-soko/"
    context = browser.new_context(device_scale_factor=2)
    page = context.new_page()
    page.emulate_media(media="print")

    page.goto(base + "poster/")
    assert decoded(page.locator(".poster-qr")) == [base]

    charter = Charter.objects.get(facility__slug="pkm-soko", status=CharterStatus.PUBLISHED)
    services = list(charter.services.values_list("slug", flat=True))
    page.goto(base + "cards/")
    cards = page.locator(".counter-card")
    assert cards.count() == len(services) == 16
    for index in (0, 7, 15):  # the first, one in the middle and the last
        slug = cards.nth(index).locator(".card-title").get_attribute("id").removeprefix("card-")
        assert slug in services
        assert decoded(cards.nth(index).locator(".card-codes")) == sorted(
            [f"{base}services/{slug}/", f"{base}survey/?service={slug}", f"{base}feedback/?service={slug}"]
        )
    context.close()
