"""The citizen's side: the feedback form, the receipt, the tracking pages and what they never show.

The public site speaks Bahasa Indonesia by default and its translations are added later, so
these tests check data, error codes and markup rather than English sentences.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext, ngettext

from charters import services as charter_services
from charters.models import AgreementDecision, Charter, Facility
from feedback import services
from feedback.forms.public import one_year_before
from feedback.models import (
    Case,
    CaseAttachment,
    CaseEvent,
    CaseStatus,
    Channel,
    EventKind,
    FeedbackKind,
    Rating,
)
from tests.factories import CaseFactory, FacilityFactory, make_complete_draft, record_agreement

from .conftest import big_pdf_upload, pdf_upload, png_upload, program_upload, text_upload

pytestmark = pytest.mark.django_db

CSRF_RE = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


def feedback_url(facility: Facility) -> str:
    return reverse("public:feedback", args=[facility.slug])


def track_url(code: str) -> str:
    return reverse("public:track_case", args=[code])


def form_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "kind": FeedbackKind.COMPLAINT,
        "service": "",
        "description": "Saya menunggu tiga jam di loket pendaftaran.",
        "occurred_on": "",
        "name": "Budi Santoso",
        "phone": "0812 3456 7890",
        "email": "budi@example.org",
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def post_feedback(client: Client, facility: Facility, **overrides: Any) -> Any:
    return client.post(feedback_url(facility), form_data(**overrides))


def a_reply(case: Case, user: Any, text: str = "Kami sudah menambah petugas loket.") -> CaseEvent:
    return services.reply(case, user, text)


# --- The form ----------------------------------------------------------------------------------


def test_the_form_offers_the_published_charter_s_services(
    client: Client, facility: Facility, published_charter: Charter
) -> None:
    response = client.get(feedback_url(facility))
    assert response.status_code == 200
    choices = [value for value, _label in response.context["form"].fields["service"].choices]
    assert choices == ["", *[service.slug for service in published_charter.services.all()]]


def test_a_deferred_service_is_not_offered(client: Client, facility: Facility, head: Any) -> None:
    draft = make_complete_draft(facility, services=2)
    deferred, kept = draft.services.all()
    charter_services.open_consultation(draft, head)
    record_agreement(draft)
    deferred.agreement = AgreementDecision.DEFERRED
    deferred.save()
    charter_services.mark_agreed(draft, head)
    charter_services.publish_charter(charter_services.approve_charter(draft, head), head)
    choices = [value for value, _label in client.get(feedback_url(facility)).context["form"].fields["service"].choices]
    assert choices == ["", kept.slug]


def test_the_services_of_a_draft_are_not_offered(client: Client, facility: Facility, draft_charter: Charter) -> None:
    choices = client.get(feedback_url(facility)).context["form"].fields["service"].choices
    assert [value for value, _label in choices] == [""]


def test_service_in_the_query_is_preselected(client: Client, facility: Facility, published_charter: Charter) -> None:
    service = published_charter.services.all()[1]
    response = client.get(feedback_url(facility), {"service": service.slug})
    assert response.context["form"]["service"].value() == service.slug
    assert f'<option value="{service.slug}" selected>' in response.content.decode()


def test_an_unknown_service_in_the_query_preselects_nothing(
    client: Client, facility: Facility, published_charter: Charter
) -> None:
    response = client.get(feedback_url(facility), {"service": "no-such-service"})
    assert response.status_code == 200
    assert not response.context["form"]["service"].value()


def test_an_unknown_facility_is_404(client: Client, db: None) -> None:
    assert client.get(reverse("public:feedback", args=["no-such-facility"])).status_code == 404


def test_every_field_has_a_maxlength(client: Client, facility: Facility) -> None:
    html = client.get(feedback_url(facility)).content.decode()
    for name, limit in (("description", 4000), ("name", 100), ("phone", 30), ("email", 254), ("website", 200)):
        assert re.search(rf'name="{name}"[^>]*maxlength="{limit}"|maxlength="{limit}"[^>]*name="{name}"', html), name
    assert 'type="date"' in html and 'accept=".pdf,.jpg' in html
    assert 'enctype="multipart/form-data"' in html


def test_a_complaint_is_received_with_everything_given(
    client: Client, facility: Facility, published_charter: Charter
) -> None:
    service = published_charter.services.all()[0]
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    data = form_data(service=service.slug, occurred_on=yesterday.isoformat(), kind=FeedbackKind.SUGGESTION)
    response = client.post(feedback_url(facility), {**data, "attachment": png_upload("antrean.png")})
    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("public:track_receipt", args=[case.code])
    assert (case.facility, case.service, case.kind, case.channel) == (
        facility,
        service,
        FeedbackKind.SUGGESTION,
        Channel.WEB,
    )
    assert case.description == data["description"]
    assert (case.name, case.phone, case.email, case.occurred_on) == (
        "Budi Santoso",
        "0812 3456 7890",
        "budi@example.org",
        yesterday,
    )
    attachment = case.attachments.get()
    assert (attachment.original_name, attachment.content_type) == ("antrean.png", "image/png")
    assert attachment.from_citizen and not attachment.public
    assert case.events.get().kind == EventKind.RECEIVED


def test_a_case_can_be_sent_without_a_published_charter(client: Client, db: None) -> None:
    facility = FacilityFactory(name="Puskesmas Plumpang", slug="pkm-plumpang")
    response = post_feedback(client, facility, name="", phone="", email="", anonymous="on")
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.facility == facility and case.service is None and case.anonymous
    assert (case.name, case.phone, case.email) == ("", "", "")


def test_windows_line_breaks_count_once_against_the_limit(client: Client, facility: Facility) -> None:
    # 2000 lines of one letter: 3999 characters as typed, 5998 as the browser sends them.
    text = "\r\n".join(["a"] * 2000)
    assert post_feedback(client, facility, description=text).status_code == 302
    assert Case.objects.get().description == "\n".join(["a"] * 2000)


ERROR_CASES = [
    ("description", {"description": ""}, "required"),
    ("description", {"description": "   "}, "required"),
    ("description", {"description": "x" * 4001}, "max_length"),
    ("name", {"name": "n" * 101}, "max_length"),
    ("phone", {"phone": "0" * 31}, "max_length"),
    ("phone", {"phone": "0812-ABC-789"}, "invalid_phone"),
    ("phone", {"phone": "12-345"}, "invalid_phone"),
    ("email", {"email": "budi-at-example.org"}, "invalid"),
    ("email", {"email": "b" * 250 + "@example.org"}, "max_length"),
    ("occurred_on", {"occurred_on": "kemarin"}, "invalid"),
    ("occurred_on", {"occurred_on": "2026-02-30"}, "invalid"),
    ("service", {"service": "no-such-service"}, "invalid_choice"),
    ("anonymous", {"anonymous": "on"}, "anonymous_with_contact"),
    ("kind", {"kind": None}, "required"),
    ("kind", {"kind": "threat"}, "invalid_choice"),
]


@pytest.mark.parametrize(("field", "overrides", "code"), ERROR_CASES)
def test_bad_input_is_refused_next_to_its_field(
    client: Client, facility: Facility, field: str, overrides: dict[str, Any], code: str
) -> None:
    response = post_feedback(client, facility, **overrides)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.has_error(field, code), form.errors.as_data()
    assert list(form.errors) == [field]
    assert not Case.objects.exists()
    assert "is-invalid" in response.content.decode()


def test_a_date_in_the_future_is_refused(client: Client, facility: Facility) -> None:
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    form = post_feedback(client, facility, occurred_on=tomorrow.isoformat()).context["form"]
    assert form.has_error("occurred_on", "future")


def test_a_date_more_than_a_year_ago_is_refused(client: Client, facility: Facility) -> None:
    limit = one_year_before(timezone.localdate())
    too_old = post_feedback(client, facility, occurred_on=(limit - datetime.timedelta(days=1)).isoformat())
    assert too_old.context["form"].has_error("occurred_on", "too_old")
    assert post_feedback(client, facility, occurred_on=limit.isoformat()).status_code == 302


def test_one_year_before_29_february_is_28_february() -> None:
    assert one_year_before(datetime.date(2028, 2, 29)) == datetime.date(2027, 2, 28)


def test_anonymous_without_contact_is_accepted(client: Client, facility: Facility) -> None:
    response = post_feedback(client, facility, anonymous="on", name="", phone="", email="")
    assert response.status_code == 302
    assert Case.objects.get().anonymous


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (text_upload, "wrong_type"),
        (program_upload, "wrong_type"),
        (big_pdf_upload, "too_large"),
    ],
    ids=["text-file", "renamed-program", "over-5-MB"],
)
def test_a_bad_file_is_refused(
    client: Client, facility: Facility, upload: Callable[[], SimpleUploadedFile], code: str
) -> None:
    response = client.post(feedback_url(facility), {**form_data(), "attachment": upload()})
    assert response.status_code == 200
    assert response.context["form"].has_error("attachment", code)
    assert not Case.objects.exists() and not CaseAttachment.objects.exists()


def test_a_pdf_is_accepted(client: Client, facility: Facility) -> None:
    response = client.post(feedback_url(facility), {**form_data(), "attachment": pdf_upload("surat.pdf")})
    assert response.status_code == 302
    assert Case.objects.get().attachments.get().content_type == "application/pdf"


def test_nothing_typed_is_lost_on_an_error(client: Client, facility: Facility, published_charter: Charter) -> None:
    service = published_charter.services.all()[1]
    day = timezone.localdate() - datetime.timedelta(days=3)
    data = form_data(
        kind=FeedbackKind.COMPLIMENT,
        service=service.slug,
        description='Perawat <b>ramah</b> & "sabar".\nTerima kasih.',
        occurred_on=day.isoformat(),
        phone="0812 abc",  # the one error
    )
    response = client.post(feedback_url(facility), {**data, "attachment": pdf_upload()})
    html = response.content.decode()
    assert response.status_code == 200 and not Case.objects.exists()
    assert escape(data["description"]) in html
    for value in ("Budi Santoso", "0812 abc", "budi@example.org", day.isoformat()):
        assert f'value="{value}"' in html
    assert f'<option value="{service.slug}" selected>' in html
    assert re.search(r'value="compliment"[^>]*checked', html)
    # The file cannot be shown again: the citizen is told to choose it again.
    assert "lost-file" in html


def test_no_lost_file_note_without_a_file(client: Client, facility: Facility) -> None:
    html = post_feedback(client, facility, phone="abc").content.decode()
    assert "lost-file" not in html


@pytest.mark.parametrize("bait", ["http://spam.example", "w" * 5000])
def test_honeypot_saves_nothing_and_gives_no_code(client: Client, facility: Facility, bait: str) -> None:
    response = post_feedback(client, facility, website=bait)
    assert response.status_code == 200
    assert not Case.objects.exists()
    assert b"SKO-" not in response.content
    assert "feedback/public/thanks.html" in [t.name for t in response.templates]


def test_sending_too_often_gives_a_429_with_the_text_shown_back(
    client: Client, facility: Facility, settings: Any
) -> None:
    settings.FEEDBACK_SUBMIT_RATE = (2, 600)
    for _ in range(2):
        assert post_feedback(client, facility).status_code == 302
    text = "Ketiga kalinya: <toilet> rusak & kotor."
    response = post_feedback(client, facility, description=text)
    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    assert escape(text) in response.content.decode()
    assert Case.objects.count() == 2


def test_invalid_posts_do_not_use_up_the_limit(client: Client, facility: Facility, settings: Any) -> None:
    settings.FEEDBACK_SUBMIT_RATE = (1, 600)
    for _ in range(3):
        assert post_feedback(client, facility, description="").status_code == 200
    assert post_feedback(client, facility).status_code == 302


def test_the_limit_is_per_address(client: Client, facility: Facility, settings: Any) -> None:
    settings.FEEDBACK_SUBMIT_RATE = (1, 600)
    assert post_feedback(client, facility).status_code == 302
    assert post_feedback(client, facility).status_code == 429
    other = Client(REMOTE_ADDR="10.0.0.2")
    assert post_feedback(other, facility).status_code == 302


# --- The receipt -------------------------------------------------------------------------------


def test_the_receipt_shows_the_code_the_deadline_and_what_was_received(
    client: Client, facility: Facility, published_charter: Charter
) -> None:
    service = published_charter.services.all()[0]
    client.post(
        feedback_url(facility),
        {**form_data(service=service.slug, email=""), "attachment": pdf_upload("kuitansi.pdf")},
    )
    case = Case.objects.get()
    response = client.get(reverse("public:track_receipt", args=[case.code]))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<p class="tracking-code mb-2">{case.code}</p>' in html
    assert escape(case.description) in html and escape(service.name) in html and "kuitansi.pdf" in html
    with translation.override("id"):
        assert date_format(case.due_date, "l, j F Y") in html
        assert date_format(timezone.localtime(case.received_at), "j F Y, H:i") in html
    assert track_url(case.code) in html and reverse("public:track") in html
    for private in ("Budi Santoso", "0812 3456 7890", reverse("public:track_file", args=[case.code, 1])):
        assert private not in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_the_receipt_states_the_norm_in_working_days(client: Client, facility: Facility) -> None:
    case = CaseFactory(facility=facility, kind=FeedbackKind.QUESTION)  # light: 2 working days
    response = client.get(reverse("public:track_receipt", args=[case.code]))
    assert response.context["norm_days"] == 2
    assert in_indonesian_plural(
        "%(days)s working day; public holidays and collective leave days (cuti bersama) do not count.", 2
    ) in (response.content.decode())


def in_indonesian(text: str) -> str:
    with translation.override("id"):
        return gettext(text)


def in_indonesian_plural(singular: str, count: int) -> str:
    plural = singular.replace("day;", "days;")
    with translation.override("id"):
        return ngettext(singular, plural, count) % {"days": count}


def test_the_receipt_says_whether_e_mails_will_come(client: Client, facility: Facility) -> None:
    emails = in_indonesian(
        "We also send an e-mail to the address you gave when the facility answers or the status changes."
    )
    anonymous = in_indonesian("You sent it anonymously: you get no e-mails, so check the tracking page for the answer.")
    with_email = CaseFactory(facility=facility, email="budi@example.org")
    without = CaseFactory(facility=facility, anonymous=True)
    first = client.get(reverse("public:track_receipt", args=[with_email.code])).content.decode()
    second = client.get(reverse("public:track_receipt", args=[without.code])).content.decode()
    assert "budi@example.org" not in first
    assert emails in first and anonymous not in first
    assert anonymous in second and emails not in second


def test_a_receipt_with_a_lower_case_code_redirects(client: Client, facility: Facility) -> None:
    case = CaseFactory(facility=facility)
    response = client.get(reverse("public:track_receipt", args=[case.code.lower()]))
    assert response.status_code == 302
    assert response["Location"] == reverse("public:track_receipt", args=[case.code])


# --- Typing a code -----------------------------------------------------------------------------


def test_the_track_form_opens_the_case_from_a_sloppy_code(client: Client, facility: Facility) -> None:
    case = CaseFactory(facility=facility)
    sloppy = " " + case.code.lower().replace("-", " ") + " "
    response = client.get(reverse("public:track"), {"code": sloppy})
    assert response.status_code == 302
    assert response["Location"] == track_url(case.code)


def test_the_track_form_shows_an_empty_form(client: Client, db: None) -> None:
    response = client.get(reverse("public:track"))
    assert response.status_code == 200
    assert 'name="code"' in response.content.decode()


def test_an_empty_code_is_a_field_error_and_no_guess(client: Client, db: None, settings: Any) -> None:
    settings.TRACKING_GUESS_RATE = (1, 600)
    for _ in range(3):
        response = client.get(reverse("public:track"), {"code": "  "})
        assert response.status_code == 200
        assert response.context["form"].has_error("code", "required")


def _without_csrf(content: bytes) -> bytes:
    return CSRF_RE.sub(b"", content)


TYPED_RE = re.compile(rb'(name="code"[^>]*?) value="[^"]*"')


def _without_typed(content: bytes) -> bytes:
    return TYPED_RE.sub(rb"\1", _without_csrf(content))


def test_malformed_and_unknown_codes_get_the_same_answer_with_what_was_typed_kept(
    client: Client, facility: Facility
) -> None:
    CaseFactory(facility=facility)
    answers = [
        client.get(reverse("public:track"), {"code": "not a code"}),
        client.get(reverse("public:track"), {"code": "SKO-2345-6789"}),
        client.get(track_url("not-a-code")),
        client.get(track_url("SKO-2345-6789")),
        client.get(reverse("public:track_receipt", args=["SKO-2345-6789"])),
    ]
    assert {answer.status_code for answer in answers} == {404}
    # In the box to correct, nowhere else; otherwise every wrong code gets the very same page.
    assert b'value="not a code"' in answers[0].content and answers[0].content.count(b"not a code") == 1
    assert b'value="SKO-2345-6789"' in answers[1].content
    first = _without_typed(answers[0].content)
    for answer in answers[1:]:
        assert _without_typed(answer.content) == first
    assert {answer["Cache-Control"] for answer in answers} == {"private, no-store"}


@pytest.mark.parametrize("typed", ["SK0-{}", "sk0 {}", "SKO-{}"])
def test_look_alike_characters_find_the_case(client: Client, facility: Facility, typed: str) -> None:
    case = CaseFactory(facility=facility, code="SKO-7F3L-9QH2")
    for symbols in ("7F3L-9QH2", "7F31-9QH2", "7f3i 9qh2"):
        response = client.get(reverse("public:track"), {"code": typed.format(symbols)})
        assert response.status_code == 302, (typed, symbols)
        assert response["Location"] == track_url(case.code)


def test_the_help_on_a_wrong_code_is_true_of_the_codes(client: Client, facility: Facility) -> None:
    """Codes do contain O and I (in the prefix, SKO): the help no longer says they never do."""
    client.cookies["django_language"] = "en"
    page = client.get(reverse("public:track"), {"code": "XXX-2345-6789"}).content.decode()
    assert "never contain" not in page and "0 as O, 1 as I or L" in page


def test_wrong_codes_are_rate_limited_even_for_a_right_code(client: Client, facility: Facility, settings: Any) -> None:
    settings.TRACKING_GUESS_RATE = (3, 600)
    case = CaseFactory(facility=facility)
    assert client.get(track_url(case.code)).status_code == 200  # a right code is no guess
    for guess in ("SKO-2345-6789", "nonsense", "SKO-2345-678A"):
        assert client.get(reverse("public:track"), {"code": guess}).status_code == 404
    for url in (track_url(case.code), f"{reverse('public:track')}?code={case.code}"):
        response = client.get(url)
        assert response.status_code == 429
        assert response["Retry-After"] == "600"
        assert escape(case.description).encode() not in response.content
    # Another address is not affected.
    assert Client(REMOTE_ADDR="10.0.0.9").get(track_url(case.code)).status_code == 200


def test_posts_with_a_wrong_code_count_as_guesses(client: Client, db: None, settings: Any) -> None:
    settings.TRACKING_GUESS_RATE = (2, 600)
    assert client.post(reverse("public:track_information", args=["SKO-2345-6789"]), {"text": "x"}).status_code == 404
    assert client.post(reverse("public:track_rating", args=["SKO-2345-6789"]), {"rating": "x"}).status_code == 404
    assert client.get(track_url("SKO-2345-6789")).status_code == 429


def test_the_citizen_still_reaches_the_receipt_after_mistyping_codes(
    client: Client, facility: Facility, settings: Any
) -> None:
    settings.TRACKING_GUESS_RATE = (2, 600)
    for guess in ("SKO-2345-6789", "SKO-2345-678A"):
        client.get(track_url(guess))
    response = post_feedback(client, facility)
    case = Case.objects.get()
    assert client.get(response["Location"]).status_code == 200
    assert client.get(track_url(case.code)).status_code == 200
    # The limit still holds for any other code, and for the same code from another browser.
    assert client.get(track_url("SKO-2345-6789")).status_code == 429
    assert Client().get(track_url(case.code)).status_code == 429


def test_a_non_canonical_code_redirects_to_the_canonical_address(client: Client, facility: Facility) -> None:
    case = CaseFactory(facility=facility)
    response = client.get(track_url(case.code.lower().replace("-", "")))
    assert response.status_code == 302 and response["Location"] == track_url(case.code)


# --- The tracking page -------------------------------------------------------------------------


@pytest.fixture
def busy_case(facility: Facility, editor: Any) -> Case:
    """A case with contact data, the citizen's file, an assignee, internal notes and files, and
    a public answer with a public file."""
    editor.first_name, editor.last_name = "Rina", "Petugasnama"
    editor.save()
    case = services.submit_case(
        facility,
        kind=FeedbackKind.COMPLAINT,
        description="Antrean di loket lama sekali.",
        name="Budi Rahasia",
        phone="0812 9999 0000",
        email="budi.rahasia@example.org",
        attachment=png_upload("ktp.png"),
    )
    services.start_handling(case, editor)
    services.add_note(case, editor, "CATATAN-INTERNAL: pasien ini sering komplain", pdf_upload("internal.pdf"))
    services.attach_file(case, editor, pdf_upload("berkas-staf.pdf"), public=False)
    services.reply(case, editor, "Jawaban publik: loket ditambah.", pdf_upload("jadwal-baru.pdf"))
    case.refresh_from_db()
    return case


def test_the_tracking_page_shows_the_case_and_its_public_answer(client: Client, busy_case: Case) -> None:
    response = client.get(track_url(busy_case.code))
    html = response.content.decode()
    assert response.status_code == 200
    assert busy_case.code in html and escape(busy_case.description) in html
    assert "Jawaban publik: loket ditambah." in html
    assert escape(busy_case.facility.name) in html
    public_file = busy_case.attachments.get(original_name="jadwal-baru.pdf")
    assert reverse("public:track_file", args=[busy_case.code, public_file.pk]) in html
    assert "ktp.png" in html  # the citizen's file: its name only
    assert response.context["case"].status == CaseStatus.ANSWERED


def test_the_tracking_page_leaks_nothing_private(client: Client, busy_case: Case, editor: Any) -> None:
    html = client.get(track_url(busy_case.code)).content.decode()
    for private in (
        "Budi Rahasia",
        "0812 9999 0000",
        "budi.rahasia@example.org",
        "CATATAN-INTERNAL",
        "internal.pdf",
        "berkas-staf.pdf",
        "Rina",
        "Petugasnama",
        editor.username,
        editor.email,
    ):
        assert private not in html, private
    citizen_file = busy_case.attachments.get(original_name="ktp.png")
    assert reverse("public:track_file", args=[busy_case.code, citizen_file.pk]) not in html
    assert busy_case.get_absolute_url() not in html  # nor a way into the staff's case page


def test_the_tracking_page_headers_keep_it_private(client: Client, facility: Facility) -> None:
    case = CaseFactory(facility=facility)
    response = client.get(track_url(case.code))
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Cache-Control"] == "private, no-store"
    # Not `no-referrer`: browsers would then post the page's forms with `Origin: null`,
    # which Django's CSRF check refuses.
    assert response["Referrer-Policy"] == "same-origin"
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


def test_an_overdue_case_says_so(client: Client, facility: Facility) -> None:
    case = CaseFactory(facility=facility, due_date=timezone.localdate() - datetime.timedelta(days=1))
    assert client.get(track_url(case.code)).context["overdue"] is True
    fresh = CaseFactory(facility=facility)
    assert client.get(track_url(fresh.code)).context["overdue"] is False


def test_a_rejected_case_shows_the_reason(client: Client, head: Any, facility: Facility) -> None:
    case = CaseFactory(facility=facility)
    services.reject_case(case, head, "Di luar wewenang puskesmas: hubungi Dinas Kesehatan.")
    html = client.get(track_url(case.code)).content.decode()
    assert "Di luar wewenang puskesmas: hubungi Dinas Kesehatan." in html
    assert 'name="text"' not in html  # a finished case takes no more information


@pytest.mark.parametrize("extra_events", [1, 10])
def test_the_tracking_page_queries_do_not_grow_with_the_timeline(
    client: Client, facility: Facility, django_assert_num_queries: Any, extra_events: int
) -> None:
    case = CaseFactory(facility=facility)
    for number in range(extra_events):
        event = CaseEvent.objects.create(case=case, kind=EventKind.INFORMATION, public=True, by_citizen=True, text="x")
        CaseAttachment.objects.create(
            case=case,
            event=event,
            file=f"private/x{number}.pdf",
            original_name=f"x{number}.pdf",
            content_type="application/pdf",
            size=1,
            from_citizen=True,
        )
    with django_assert_num_queries(3):  # the case, its public events, their files
        response = client.get(track_url(case.code))
    assert len(response.context["events"]) == extra_events + 1


# --- Adding information ------------------------------------------------------------------------


def test_information_is_added_and_an_answered_case_goes_back_to_staff(
    client: Client, editor: Any, facility: Facility
) -> None:
    case = CaseFactory(facility=facility)
    a_reply(case, editor)
    url = reverse("public:track_information", args=[case.code])
    response = client.post(url, {"text": "Nomor antrean saya 57.", "attachment": pdf_upload("bukti.pdf")})
    assert response.status_code == 302 and response["Location"] == track_url(case.code)
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS
    event = case.events.get(kind=EventKind.INFORMATION)
    assert event.public and event.by_citizen and event.text == "Nomor antrean saya 57."
    assert event.attachments.get().original_name == "bukti.pdf"
    followed = client.get(response["Location"])
    assert [m.level_tag for m in followed.context["messages"]] == ["success"]
    assert "Nomor antrean saya 57." in followed.content.decode()


@pytest.mark.parametrize(
    ("data", "field", "code"),
    [
        ({"text": ""}, "text", "required"),
        ({"text": "y" * 4001}, "text", "max_length"),
        ({"text": "ok", "attachment": program_upload}, "attachment", "wrong_type"),
        ({"text": "ok", "attachment": big_pdf_upload}, "attachment", "too_large"),
    ],
    ids=["empty", "too-long", "renamed-program", "over-5-MB"],
)
def test_bad_information_is_refused_on_the_tracking_page(
    client: Client, facility: Facility, data: dict[str, Any], field: str, code: str
) -> None:
    case = CaseFactory(facility=facility)
    posted = {key: value() if callable(value) else value for key, value in data.items()}
    response = client.post(reverse("public:track_information", args=[case.code]), posted)
    assert response.status_code == 200
    assert response.context["info_form"].has_error(field, code)
    assert not case.events.filter(kind=EventKind.INFORMATION).exists()
    if posted["text"]:
        assert posted["text"] in response.content.decode()


def test_information_on_a_finished_case_is_refused_with_a_message(
    client: Client, editor: Any, facility: Facility
) -> None:
    case = CaseFactory(facility=facility)
    a_reply(case, editor)
    services.close_case(case, editor)
    assert 'name="text"' not in client.get(track_url(case.code)).content.decode()
    response = client.post(reverse("public:track_information", args=[case.code]), {"text": "Masih ada masalah."})
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert "Masih ada masalah." in response.content.decode()
    assert not case.events.filter(kind=EventKind.INFORMATION).exists()


def test_adding_information_too_often_gives_a_429_with_the_text(
    client: Client, facility: Facility, settings: Any
) -> None:
    settings.FEEDBACK_SUBMIT_RATE = (1, 600)
    case = CaseFactory(facility=facility)
    url = reverse("public:track_information", args=[case.code])
    assert client.post(url, {"text": "pertama"}).status_code == 302
    response = client.post(url, {"text": "kedua & <penting>"})
    assert response.status_code == 429 and response["Retry-After"] == "600"
    assert escape("kedua & <penting>") in response.content.decode()
    assert case.events.filter(kind=EventKind.INFORMATION).count() == 1


# --- Rating the answer -------------------------------------------------------------------------


def test_the_rating_form_appears_only_once_answered(client: Client, editor: Any, facility: Facility) -> None:
    case = CaseFactory(facility=facility)
    rating_action = reverse("public:track_rating", args=[case.code])
    assert rating_action not in client.get(track_url(case.code)).content.decode()
    a_reply(case, editor)
    assert rating_action in client.get(track_url(case.code)).content.decode()


def test_satisfied_closes_the_case(client: Client, editor: Any, facility: Facility) -> None:
    case = CaseFactory(facility=facility)
    a_reply(case, editor)
    response = client.post(reverse("public:track_rating", args=[case.code]), {"rating": Rating.SATISFIED})
    assert response.status_code == 302 and response["Location"] == track_url(case.code)
    case.refresh_from_db()
    assert (case.status, case.rating) == (CaseStatus.CLOSED, Rating.SATISFIED)
    html = client.get(track_url(case.code)).content.decode()
    assert reverse("public:track_rating", args=[case.code]) not in html


def test_not_satisfied_reopens_once_then_closes(client: Client, editor: Any, head: Any, facility: Facility) -> None:
    case = CaseFactory(facility=facility)
    a_reply(case, editor)
    url = reverse("public:track_rating", args=[case.code])
    client.post(url, {"rating": Rating.NOT_SATISFIED, "comment": "Antrean masih lama."})
    case.refresh_from_db()
    assert case.status == CaseStatus.REOPENED and case.reopened_at is not None
    page = client.get(track_url(case.code))
    assert "Antrean masih lama." in page.content.decode()
    rated = [e for e in page.context["events"] if e.kind == EventKind.RATED]
    assert str(Rating.NOT_SATISFIED.label) in rated[0].title
    a_reply(case, head, "Kepala puskesmas: petugas baru mulai Senin.")
    client.post(url, {"rating": Rating.NOT_SATISFIED, "comment": "Tetap tidak puas."})
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.rating == Rating.NOT_SATISFIED
    assert case.events.filter(kind=EventKind.RATED).count() == 2


def test_a_rating_needs_a_choice(client: Client, editor: Any, facility: Facility) -> None:
    case = CaseFactory(facility=facility)
    a_reply(case, editor)
    response = client.post(
        reverse("public:track_rating", args=[case.code]), {"comment": "Komentar tanpa pilihan " + "k" * 10}
    )
    assert response.status_code == 200
    assert response.context["rating_form"].has_error("rating", "required")
    assert "Komentar tanpa pilihan" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.ANSWERED


def test_a_case_not_yet_answered_cannot_be_rated(client: Client, facility: Facility) -> None:
    case = CaseFactory(facility=facility)
    response = client.post(reverse("public:track_rating", args=[case.code]), {"rating": Rating.SATISFIED})
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED and not case.rating


@pytest.mark.parametrize("name", ["track_information", "track_rating"])
def test_changes_are_post_only(client: Client, facility: Facility, name: str) -> None:
    case = CaseFactory(facility=facility)
    assert client.get(reverse(f"public:{name}", args=[case.code])).status_code == 405


def test_reading_pages_refuse_post(client: Client, facility: Facility) -> None:
    case = CaseFactory(facility=facility)
    assert client.post(track_url(case.code)).status_code == 405
    assert client.post(reverse("public:track")).status_code == 405


# --- Files -------------------------------------------------------------------------------------


def test_a_public_answer_file_is_served(client: Client, busy_case: Case) -> None:
    attachment = busy_case.attachments.get(original_name="jadwal-baru.pdf")
    response = client.get(reverse("public:track_file", args=[busy_case.code, attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("name", ["ktp.png", "internal.pdf", "berkas-staf.pdf"])
def test_private_files_are_not_served(client: Client, busy_case: Case, name: str) -> None:
    attachment = busy_case.attachments.get(original_name=name)
    assert client.get(reverse("public:track_file", args=[busy_case.code, attachment.pk])).status_code == 404


def test_a_file_of_another_case_is_not_served_under_this_code(
    client: Client, busy_case: Case, facility: Facility
) -> None:
    other = CaseFactory(facility=facility)
    attachment = busy_case.attachments.get(original_name="jadwal-baru.pdf")
    assert client.get(reverse("public:track_file", args=[other.code, attachment.pk])).status_code == 404


# --- Links from the charter --------------------------------------------------------------------


def test_every_service_of_the_public_charter_links_to_the_form(
    client: Client, facility: Facility, published_charter: Charter
) -> None:
    html = client.get(reverse("public:charter", args=[facility.slug])).content.decode()
    services_ = list(published_charter.services.all())
    assert services_
    for service in services_:
        assert f'href="{feedback_url(facility)}?service={service.slug}"' in html
    assert f'href="{feedback_url(facility)}"' in html
    assert f'href="{reverse("public:track")}"' in html


def test_the_service_page_links_to_the_form(client: Client, facility: Facility, published_charter: Charter) -> None:
    service = published_charter.services.all()[0]
    html = client.get(reverse("public:service", args=[facility.slug, service.slug])).content.decode()
    assert f'href="{feedback_url(facility)}?service={service.slug}"' in html


def test_a_facility_without_charter_still_links_to_the_form(client: Client, facility: Facility) -> None:
    html = client.get(reverse("public:charter", args=[facility.slug])).content.decode()
    assert f'href="{feedback_url(facility)}"' in html


def test_every_page_links_to_the_tracking_form_in_the_footer(client: Client, db: None) -> None:
    html = client.get(reverse("public:home")).content.decode()
    footer = html[html.index("<footer") :]
    assert f'href="{reverse("public:track")}"' in footer
