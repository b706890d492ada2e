"""Print what a first visit to the public pages moves over the wire.

    DATABASE_URL=sqlite:////tmp/gz.sqlite3 .venv/bin/python manage.py migrate -v0
    DATABASE_URL=sqlite:////tmp/gz.sqlite3 .venv/bin/python manage.py seed_demo --password demo12345
    DATABASE_URL=sqlite:////tmp/gz.sqlite3 .venv/bin/python bench/page_weight.py [slug]

Requests each page with Django's test client through the whole middleware stack, once with
`Accept-Encoding: gzip` (what a phone's browser sends) and once without, then adds the files the
page links (stylesheets, scripts, icon) as WhiteNoise serves them in production: the `.gz` that
`collectstatic` writes beside each file, compressed the same way here (gzip level 9).
"""

from __future__ import annotations

import gzip
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "charter_site.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.staticfiles import finders  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from charters.models import Facility  # noqa: E402

ASSET = re.compile(r'<(?:link[^>]+href|script[^>]+src)="([^"]+)"')


def linked_files(html: str) -> list[str]:
    """Static files the page makes the browser fetch (stylesheets, scripts, icon)."""
    static = "/" + settings.STATIC_URL.lstrip("/")
    return [url for url in ASSET.findall(html) if url.startswith(static)]


def static_path(url: str) -> Path:
    name = url.removeprefix("/" + settings.STATIC_URL.lstrip("/"))
    # A hashed name (production manifest) maps back to the source file.
    name = re.sub(r"\.[0-9a-f]{12}(\.\w+)$", r"\1", name)
    found = finders.find(name)
    if not found:
        raise SystemExit(f"static file not found: {url}")
    return Path(found)


def kb(size: int) -> str:
    return f"{size / 1024:7.1f}"


def main() -> None:
    setup_test_environment()
    slug = sys.argv[1] if len(sys.argv) > 1 else "pkm-soko"
    facility = Facility.objects.get(slug=slug)
    charter = facility.charters.filter(status="published").order_by("-version").first()
    service = charter.services.order_by("position").first() if charter else None
    pages = [
        ("home /", "/"),
        (f"charter /f/{slug}/", f"/f/{slug}/"),
        ("service page", f"/f/{slug}/services/{service.slug}/" if service else None),
        ("survey results", f"/f/{slug}/survey/results/"),
        ("results.json", f"/f/{slug}/survey/results.json"),
    ]
    client = Client()
    print(f"{'page':<26} {'HTML KB':>8} {'gzip KB':>8} {'files KB':>9} {'gzip KB':>8} {'first visit KB':>15}")
    seen_files: dict[str, tuple[int, int]] = {}
    for label, url in pages:
        if url is None:
            continue
        plain = client.get(url)
        zipped = client.get(url, headers={"accept-encoding": "gzip, deflate, br"})
        assert plain.status_code == 200, (url, plain.status_code)
        raw = len(plain.content)
        wire = len(zipped.content)
        if zipped.get("Content-Encoding") != "gzip":
            wire = raw
        files_raw = files_gz = 0
        for asset in linked_files(plain.content.decode()):
            if asset not in seen_files:
                data = static_path(asset).read_bytes()
                seen_files[asset] = (len(data), len(gzip.compress(data, compresslevel=9, mtime=0)))
            files_raw += seen_files[asset][0]
            files_gz += seen_files[asset][1]
        print(f"{label:<26} {kb(raw):>8} {kb(wire):>8} {kb(files_raw):>9} {kb(files_gz):>8} {kb(wire + files_gz):>15}")
    print()
    for asset, (raw, gz) in seen_files.items():
        print(f"  {asset:<50} {kb(raw)} KB, {kb(gz)} KB gzipped")


if __name__ == "__main__":
    main()
