"""Every page speaks Bahasa Indonesia by default: none of our English source strings shows."""

from __future__ import annotations

import datetime
import gettext
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from charters.models import Charter
from feedback.models import Case, SurveyPeriod
from feedback.survey.ikm import FIELDS

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
    """The page's text, without scripts and styles, and without what is marked as English on
    purpose (`lang="en"`, e.g. the import page's table of English and Indonesian labels)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"<(?!html\b|body\b)(\w+)\b[^>]*\blang=\"en\"[^>]*>.*?</\1>", " ", html, flags=re.S)
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


def survey_pages(charter: Charter) -> list[str]:
    """The citizen's survey pages (questionnaire, thanks, results) and the staff's (report, paper
    entry, import, periods)."""
    slug, service = charter.facility.slug, charter.services.first().slug
    results = reverse("public:survey_results", args=[slug])
    return [
        reverse("public:survey", args=[slug]),
        reverse("public:survey", args=[slug]) + f"?service={service}",
        reverse("public:survey_thanks", args=[slug]),
        results,
        results + f"?service={service}",  # one service: no sample, a link back to all services
        results + "?from=2020-01-01&to=2020-01-31",  # no answers on these dates
        results + "?from=nonsense",  # a choice that cannot be used
        reverse("manage:survey_report", args=[slug]),
        reverse("manage:survey_entry", args=[slug]),
        reverse("manage:survey_import", args=[slug]),
        reverse("manage:survey_periods", args=[slug]),
    ]


def answered_survey(charter: Charter, head: Any) -> None:
    """Answers in two survey periods (the current one with a population, so the sample shows, and
    the previous one to compare with), with comments, and follow-up actions open, overdue and done."""
    from feedback.services import surveys

    facility, service = charter.facility, charter.services.first()
    today = timezone.localdate()
    current = SurveyPeriod.objects.create(
        facility=facility,
        name="Semester ini",
        start=today - datetime.timedelta(days=40),
        end=today + datetime.timedelta(days=140),
        population=500,
    )
    previous = SurveyPeriod.objects.create(
        facility=facility,
        name="Semester lalu",
        start=today - datetime.timedelta(days=220),
        end=today - datetime.timedelta(days=41),
        population=400,
    )
    visits = [(today, 3), (today - datetime.timedelta(days=35), 4), (today - datetime.timedelta(days=100), 2)]
    for visited_on, score in visits:
        surveys.submit_response(
            facility,
            surveys.Answers(
                service=service,
                visited_on=visited_on,
                scores=dict.fromkeys(FIELDS, score) | {"u3": 2},  # U3 the weakest: a priority
                profile={"age_group": "30_39", "sex": "female", "education": "senior", "occupation": "farmer"},
                comment="Antrean pendaftaran terlalu lama.",
            ),
        )
    common = {"element": "U3", "responsible": "Kepala Tata Usaha", "finding_nrr": Decimal("2.00")}
    surveys.add_action(
        facility,
        head,
        finding_start=current.start,
        finding_end=current.end,
        action="Membuka loket pendaftaran kedua.",
        due_date=today + datetime.timedelta(days=30),
        **common,
    )
    earlier = {"finding_start": previous.start, "finding_end": previous.end, **common}
    surveys.add_action(
        facility, head, action="Menambah kursi ruang tunggu.", due_date=today - datetime.timedelta(days=5), **earlier
    )
    done = surveys.add_action(
        facility, head, action="Memasang papan antrean.", due_date=today - datetime.timedelta(days=10), **earlier
    )
    surveys.complete_action(done, today - datetime.timedelta(days=12), "Papan antrean dipasang di loket.")


def assert_indonesian(response: Any, url: str, sources: list[str], status: tuple[int, ...] = (200, 404)) -> None:
    assert response.status_code in status, url
    html = response.content.decode()
    text = visible_text(html)
    leftovers = [s for s in sources if s in text]
    assert not leftovers, f"{url} shows English: {leftovers[:5]}"
    assert '<html lang="id"' in html


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
        assert_indonesian(client.get(url, HTTP_ACCEPT_LANGUAGE="en"), url, sources)


def test_no_english_on_survey_pages(published_charter: Charter, head: Any, client: Client) -> None:
    cache.clear()  # the survey's rate limit and the cached results live in the cache
    answered_survey(published_charter, head)
    slug, service = published_charter.facility.slug, published_charter.services.first().slug
    sources = english_sources()
    client.force_login(head)

    def check(response: Any, what: str) -> None:
        assert_indonesian(response, what, sources, status=(200,))

    for url in survey_pages(published_charter):
        check(client.get(url, HTTP_ACCEPT_LANGUAGE="en"), url)

    # The questionnaire sent back: empty, then a second answer from the same browser today.
    survey = reverse("public:survey", args=[slug])
    check(client.post(survey, {}, HTTP_ACCEPT_LANGUAGE="en"), f"POST {survey} (empty)")
    answers = {"service": service, "visited_on": timezone.localdate().isoformat(), **dict.fromkeys(FIELDS, "3")}
    assert client.post(survey, answers).status_code == 302
    check(client.post(survey, answers, HTTP_ACCEPT_LANGUAGE="en"), f"POST {survey} (answered already)")

    # The staff's forms sent back with errors.
    entry = reverse("manage:survey_entry", args=[slug])
    rows = {"rows-TOTAL_FORMS": "2", "rows-INITIAL_FORMS": "0", "rows-0-u1": "7", "rows-1-comment": "Ramah."}
    check(client.post(entry, rows, HTTP_ACCEPT_LANGUAGE="en"), f"POST {entry}")
    empty = {"rows-TOTAL_FORMS": "1", "rows-INITIAL_FORMS": "0"}
    check(client.post(entry, empty, HTTP_ACCEPT_LANGUAGE="en"), f"POST {entry} (no row)")
    upload = reverse("manage:survey_import", args=[slug])
    header = "service,visited_on,u1,u2,u3,u4,u5,u6,u7,u8,u9,education\n"
    bad = SimpleUploadedFile("skm.csv", (header + "zzz,2099-01-01,7,,,,,,,,,kuliah\n").encode())
    check(client.post(upload, {"file": bad}, HTTP_ACCEPT_LANGUAGE="en"), f"POST {upload}")
    blank = SimpleUploadedFile("skm.csv", b"\n\n")
    check(client.post(upload, {"file": blank}, HTTP_ACCEPT_LANGUAGE="en"), f"POST {upload} (blank file)")
    periods = reverse("manage:survey_periods", args=[slug])
    check(client.post(periods, {}, HTTP_ACCEPT_LANGUAGE="en"), f"POST {periods}")
