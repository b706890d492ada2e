"""Fuzzing every form of the public site with Hypothesis (issue 13, "Trust").

Each example starts from the form as the page offers it, made valid where the page leaves it
empty, and replaces one to four fields with arbitrary text (control characters and NUL
included), numbers, dates, files, markup carrying `strategies.MARKER`, or leaves them out;
`runner.submit` then checks: no server error, no unescaped markup, a refused form shows back
what was typed.

About 16 examples per form keep this module near 15 s on SQLite. For a longer hunt:
`FUZZ_EXAMPLES=200 .venv/bin/python -m pytest tests/fuzz`; in CI (`CI` set) the examples are
derandomized, so the same ones run every time (see `runner.fuzz_settings`).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, strategies as st

from charters import services as charter_services
from charters.models import Charter
from feedback.models import CaseStatus, FeedbackKind
from feedback.survey.ikm import ELEMENTS
from tests.factories import CaseFactory

from .conftest import first_service
from .pages import Field
from .runner import PageForms, fuzz_settings, submit
from .strategies import changes

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation(published_charter: Charter, head: Any) -> Charter:
    draft = charter_services.start_draft(published_charter.facility, head)
    return charter_services.open_consultation(draft, head)


@pytest.fixture
def received_case(facility: Any) -> Any:
    return CaseFactory(facility=facility)


@pytest.fixture
def answered_case(facility: Any) -> Any:
    return CaseFactory(facility=facility, status=CaseStatus.ANSWERED, first_reply_at=timezone.now())


@fuzz_settings(12)
@given(data=st.data())
def test_complaint_form(public: Client, page_forms: PageForms, published_charter: Charter, data: Any) -> None:
    page = reverse("public:feedback", args=[published_charter.facility.slug])
    form = page_forms.get(public, page)
    valid = {
        "kind": FeedbackKind.COMPLAINT,
        "service": first_service(published_charter).slug,
        "description": "Antrean di loket pendaftaran tiga jam.",
        "occurred_on": timezone.localdate().isoformat(),
        "name": "Budi",
        "phone": "0812 3456 7890",
        "email": "budi@example.org",
    }
    submit(public, form, data.draw(changes(form)), base=page_forms.seed(public, form, valid))


@fuzz_settings(10)
@given(data=st.data())
def test_survey(public: Client, page_forms: PageForms, published_charter: Charter, data: Any) -> None:
    form = page_forms.get(public, reverse("public:survey", args=[published_charter.facility.slug]))
    valid = {element.field: "3" for element in ELEMENTS}
    valid.update(service=first_service(published_charter).slug, visited_on=timezone.localdate().isoformat())
    submit(public, form, data.draw(changes(form)), base=page_forms.seed(public, form, valid))


@fuzz_settings(8)
@given(data=st.data())
def test_consultation_comment(public: Client, page_forms: PageForms, consultation: Charter, data: Any) -> None:
    slug = consultation.facility.slug
    form = page_forms.get(public, reverse("public:draft", args=[slug]), reverse("public:draft_comment", args=[slug]))
    valid = page_forms.seed(public, form, {"text": "Jam buka mohon diperpanjang."})
    submit(public, form, data.draw(changes(form)), base=valid)


@fuzz_settings(8)
@given(code=st.one_of(st.text(), st.text(min_size=100), st.just("SKO-7F3K-9QH2")))
def test_tracking_lookup(public: Client, page_forms: PageForms, received_case: Any, code: str) -> None:
    form = page_forms.get(public, reverse("public:track"))
    submit(public, form, {"code": code})


@fuzz_settings(8)
@given(data=st.data())
def test_tracking_information(public: Client, page_forms: PageForms, received_case: Any, data: Any) -> None:
    case = received_case
    page = reverse("public:track_case", args=[case.code])
    form = page_forms.get(public, page, reverse("public:track_information", args=[case.code]))
    valid = page_forms.seed(public, form, {"text": "Nomor antrean saya 42."})
    submit(public, form, data.draw(changes(form)), base=valid)


@fuzz_settings(8)
@given(data=st.data())
def test_tracking_rating(public: Client, page_forms: PageForms, answered_case: Any, data: Any) -> None:
    case = answered_case
    page = reverse("public:track_case", args=[case.code])
    form = page_forms.get(public, page, reverse("public:track_rating", args=[case.code]))
    valid = page_forms.seed(public, form, {"rating": form.fields["rating"].options[-1]})
    submit(public, form, data.draw(changes(form)), base=valid)


@fuzz_settings(8)
@given(data=st.data())
def test_home_search(public: Client, page_forms: PageForms, published_charter: Charter, data: Any) -> None:
    form = page_forms.get(public, reverse("public:home"))
    form.fields["page"] = Field("page", "param")  # the pagination's, sent by its links
    submit(public, form, data.draw(changes(form)))


@fuzz_settings(8)
@given(data=st.data())
def test_survey_results_filters(public: Client, page_forms: PageForms, published_charter: Charter, data: Any) -> None:
    form = page_forms.get(public, reverse("public:survey_results", args=[published_charter.facility.slug]))
    submit(public, form, data.draw(changes(form)))
