"""Compressed public pages, nothing private compressed, and a small first visit (issue 11)."""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.test import Client

from tests.demo.seeding import FAST_HASHER, seed
from tests.factories import make_published_charter

ROOT = Path(__file__).resolve().parent.parent
GZIP = {"accept-encoding": "gzip, deflate, br"}
CSRF_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _empty_page_cache() -> None:
    """Rendered public pages are cached by facility and version; ids come back in the next test."""
    cache.clear()


@pytest.fixture
def charter(facility: Any, head: Any) -> Any:
    return make_published_charter(facility, services=3, head=head)


def test_charter_page_is_gzipped_when_the_browser_accepts_it(client: Client, charter: Any) -> None:
    response = client.get(f"/f/{charter.facility.slug}/", headers=GZIP)

    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert int(response["Content-Length"]) == len(response.content)
    assert b"</html>" in gzip.decompress(response.content)


def test_charter_page_is_plain_when_the_browser_does_not_accept_gzip(client: Client, charter: Any) -> None:
    response = client.get(f"/f/{charter.facility.slug}/")

    assert not response.has_header("Content-Encoding")
    assert "Accept-Encoding" in response["Vary"]
    assert b"</html>" in response.content


def test_results_json_is_gzipped_when_accepted(client: Client, charter: Any) -> None:
    url = f"/f/{charter.facility.slug}/survey/results.json"
    plain = client.get(url)
    zipped = client.get(url, headers=GZIP)

    assert plain.status_code == zipped.status_code == 200
    assert plain["Content-Type"].startswith("application/json")
    if len(plain.content) < 200:  # Django leaves very short answers alone
        pytest.skip("results.json is too short to compress")
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == plain.content


def test_signed_in_staff_get_plain_pages(login: Any, editor: Any, charter: Any) -> None:
    """Staff pages show complainants' details beside inputs that echo a search: never compressed."""
    client = login(editor)

    for url in ("/manage/", f"/manage/{charter.facility.slug}/", f"/manage/{charter.facility.slug}/feedback/"):
        response = client.get(url, headers=GZIP)
        assert response.status_code == 200, url
        assert not response.has_header("Content-Encoding"), url


def test_private_pages_of_a_citizen_are_not_compressed(client: Client, charter: Any) -> None:
    """A wrong tracking code answers with a `Cache-Control: no-store` page that echoes it."""
    response = client.get("/track/", {"code": "ABCD-EFGH"}, headers=GZIP)

    assert "no-store" in response["Cache-Control"]
    assert not response.has_header("Content-Encoding")


def test_the_cached_public_pages_hold_no_secret(login: Any, editor: Any, client: Client, charter: Any) -> None:
    """Stored once and compressed once for everyone: nothing of a visitor may be in them, not even
    a CSRF token. So the same bytes go to a citizen and to signed-in staff."""
    url = f"/f/{charter.facility.slug}/"
    staff = login(editor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the language `login` chose for staff
    rendered = staff.get(url, headers=GZIP)

    served = client.get(url, headers=GZIP)

    assert served["Content-Encoding"] == "gzip"
    assert gzip.decompress(served.content) == rendered.content
    assert not CSRF_INPUT.search(rendered.content) and b"csrf" not in rendered.content.lower()
    assert settings.CSRF_COOKIE_NAME not in served.cookies and settings.CSRF_COOKIE_NAME not in client.cookies


def test_csrf_token_differs_in_every_response(client: Client, charter: Any) -> None:
    """Django masks the one CSRF secret anew in each response (the BREACH mitigation this relies
    on for the public forms): no two compressed pages repeat it."""
    url = f"/f/{charter.facility.slug}/feedback/"
    first = gzip.decompress(client.get(url, headers=GZIP).content)
    second = gzip.decompress(client.get(url, headers=GZIP).content)

    tokens_first, tokens_second = CSRF_INPUT.findall(first), CSRF_INPUT.findall(second)
    assert tokens_first and tokens_second
    assert set(tokens_first).isdisjoint(tokens_second)
    assert client.cookies[settings.CSRF_COOKIE_NAME].value  # one secret behind both


def test_gzip_header_length_is_randomised(client: Client, charter: Any) -> None:
    """Django's GZipMiddleware pads the gzip header by 0-99 random bytes (Heal the BREACH), so the
    same form page does not come out the same length every time."""
    url = f"/f/{charter.facility.slug}/feedback/"
    lengths = {len(client.get(url, headers=GZIP).content) for _ in range(8)}

    assert len(lengths) > 1


def test_sokos_sixteen_service_charter_is_under_25_kb_on_the_wire(db: None, settings: Any) -> None:
    settings.PASSWORD_HASHERS = FAST_HASHER
    seed("--password", "demo-pass-123")
    client = Client()

    plain = client.get("/f/pkm-soko/")
    zipped = client.get("/f/pkm-soko/", headers=GZIP)

    assert plain.content.count(b"/services/") >= 16
    assert zipped["Content-Encoding"] == "gzip"
    assert len(zipped.content) < 25 * 1024, len(zipped.content)
    assert len(zipped.content) < len(plain.content) / 4


def test_base_template_links_the_purged_bootstrap_only() -> None:
    base = (ROOT / "templates/base.html").read_text()

    assert "{% static 'css/bootstrap.purged.min.css' %}" in base
    assert "bootstrap/css/bootstrap.min.css" not in base


def test_purged_bootstrap_is_much_smaller_than_the_full_one() -> None:
    purged = ROOT / "static/css/bootstrap.purged.min.css"
    full = Path(finders.find("bootstrap/css/bootstrap.min.css"))

    assert purged.exists()
    assert purged.stat().st_size < full.stat().st_size / 3
    assert len(gzip.compress(purged.read_bytes())) < 15 * 1024
    # Kept: the license banner, and what every page's frame needs.
    css = purged.read_text()
    assert "Licensed under MIT" in css
    for rule in (".container{", ".navbar{", ".btn{", ".alert-danger{", ".form-control{", ".is-invalid"):
        assert rule in css, rule


@pytest.mark.parametrize(
    "path",
    [
        "/f/pkm-soko/",
        "/f/pkm-soko/poster/",
        "/f/pkm-soko/poster/?size=a3",
        "/f/pkm-soko/cards/",
        "/f/pkm-soko/handbook/",
        "/f/pkm-soko/draft/",
    ],
)
def test_first_visit_to_a_charter_page_is_under_100_kb(db: None, settings: Any, path: str) -> None:
    """The page gzipped (under 25 KB for Soko's 16 services, its 16 cards of three QR codes or its
    handbook) plus every stylesheet, script and icon it links, as WhiteNoise would send them
    (gzipped at build time): what a phone on a slow connection fetches the first time."""
    settings.PASSWORD_HASHERS = FAST_HASHER
    seed("--password", "demo-pass-123")
    client = Client()
    html = client.get(path).content.decode()
    wire = len(client.get(path, headers=GZIP).content)
    assert wire < 25 * 1024, wire

    static = "/" + settings.STATIC_URL.lstrip("/")
    for url in re.findall(r'<(?:link[^>]+href|script[^>]+src)="([^"]+)"', html):
        if url.startswith(static):
            path = finders.find(url.removeprefix(static))
            assert path, url
            wire += len(gzip.compress(Path(path).read_bytes(), compresslevel=9))

    assert wire < 100 * 1024, wire
