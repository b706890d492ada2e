"""Every page speaks Bahasa Indonesia by default: none of our English source strings shows."""

from __future__ import annotations

import gettext
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from charters.models import Charter
from feedback.models import Case

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


def feedback_pages(case: Case) -> list[str]:
    """The citizen's pages (form, receipt, tracking) and the staff's (inbox, case, intake, figures, settings)."""
    slug, code = case.facility.slug, case.code
    return [
        reverse("public:feedback", args=[slug]),
        reverse("public:track_receipt", args=[code]),
        reverse("public:track"),
        reverse("public:track") + "?code=ZZZ-2222-3333",  # the answer to a wrong code (404)
        reverse("public:track_case", args=[code]),
        reverse("manage:cases", args=[slug]),
        reverse("manage:case", args=[slug, code]),
        reverse("manage:case_add", args=[slug]),
        reverse("manage:case_figures", args=[slug]),
        reverse("manage:feedback_settings", args=[slug]),
    ]


def answered_case(charter: Charter, head: Any) -> Case:
    """A complaint about a service, with contact details and a public answer: the timeline shows."""
    from feedback.services import reply, submit_case

    case = submit_case(
        charter.facility,
        kind="complaint",
        description="Antrean di loket pendaftaran lama sekali.",
        service=charter.services.first(),
        name="Siti Aminah",
        email="siti@example.com",
    )
    reply(case, head, "Mohon maaf, loket kedua kini dibuka setiap pagi.")
    return case


def test_catalog_is_compiled_and_complete() -> None:
    assert CATALOG.exists(), "run `make messages`: the compiled catalogue is committed"
    po = CATALOG.with_suffix(".po").read_text(encoding="utf-8")
    assert "#, fuzzy" not in po
    assert not re.search(r'^msgstr ""\n\n', po, flags=re.M), "an entry is untranslated"


def test_no_english_on_indonesian_pages(published_charter: Charter, head: Any, client: Client) -> None:
    from charters.services import start_draft

    cache.clear()  # the tracking pages' limit on wrong codes lives in the cache
    case = answered_case(published_charter, head)
    draft = start_draft(published_charter.facility, head)
    client.force_login(head)
    sources = english_sources()
    assert len(sources) > 100
    for url in pages(published_charter)[:6] + pages(draft)[6:] + feedback_pages(case):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code in (200, 404), url
        text = visible_text(response.content.decode())
        leftovers = [s for s in sources if s in text]
        assert not leftovers, f"{url} shows English: {leftovers[:5]}"
        assert '<html lang="id"' in response.content.decode()
