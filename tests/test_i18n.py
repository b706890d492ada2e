"""Every page speaks Bahasa Indonesia by default: none of our English source strings shows."""

from __future__ import annotations

import gettext
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from charters.models import Charter

pytestmark = pytest.mark.django_db

CATALOG = Path(settings.BASE_DIR) / "locale" / "id" / "LC_MESSAGES" / "django.mo"


def english_sources() -> list[str]:
    """Our source strings whose Indonesian text differs, long enough to be unambiguous."""
    with CATALOG.open("rb") as handle:
        catalog: dict[Any, str] = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    sources = []
    for key, translated in catalog.items():
        source = key[0] if isinstance(key, tuple) else key
        if not source or source == translated or "%" in source or "{" in source:
            continue
        if len(source) >= 12 and " " in source:
            sources.append(source)
    return sources


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def pages(charter: Charter) -> list[str]:
    slug, version = charter.facility.slug, charter.version
    service = charter.services.first().slug
    return [
        reverse("public:home"),
        reverse("public:home") + "?q=zzzz",
        reverse("public:charter", args=[slug]),
        reverse("public:charter", args=[slug]) + "?print=1",
        reverse("public:service", args=[slug, service]),
        "/f/no-such-facility/",
        reverse("manage:dashboard"),
        reverse("manage:facility", args=[slug]),
        reverse("manage:facility_edit", args=[slug]),
        reverse("manage:charter", args=[slug, version]),
        reverse("manage:charter_edit", args=[slug, version]),
        reverse("manage:service_add", args=[slug, version]),
        reverse("manage:service_edit", args=[slug, version, service]),
        reverse("manage:service_delete", args=[slug, version, service]),
    ]


def test_catalog_is_compiled_and_complete() -> None:
    assert CATALOG.exists(), "run `make messages`: the compiled catalogue is committed"
    po = CATALOG.with_suffix(".po").read_text(encoding="utf-8")
    assert "#, fuzzy" not in po
    assert not re.search(r'^msgstr ""\n\n', po, flags=re.M), "an entry is untranslated"


def test_no_english_on_indonesian_pages(published_charter: Charter, head: Any, client: Client) -> None:
    from charters.services import start_draft

    draft = start_draft(published_charter.facility, head)
    client.force_login(head)
    sources = english_sources()
    assert len(sources) > 100
    for url in pages(published_charter)[:6] + pages(draft)[6:]:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code in (200, 404), url
        text = visible_text(response.content.decode())
        leftovers = [s for s in sources if s in text]
        assert not leftovers, f"{url} shows English: {leftovers[:5]}"
        assert '<html lang="id"' in response.content.decode()
