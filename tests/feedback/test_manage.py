"""The staff's pages: the inbox, a case and each thing staff do with it, cases entered for a
citizen, the settings, the figures, the exports and the dashboard's counts.

Personas: `editor` and `head` of Puskesmas Soko, `other_editor` of Puskesmas Rengel, `superuser`.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from charters.models import ComplaintClass
from feedback import reports, services
from feedback.models import (
    Case,
    CaseStatus,
    Channel,
    EventKind,
    FacilityHoliday,
    FeedbackKind,
    FeedbackSettings,
    Rating,
)
from tests.factories import CaseFactory, make_published_charter

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4 surat jawaban"


@pytest.fixture(autouse=True)
def english(settings: Any) -> Any:
    # Pages are compared in the source language; the site's default is Bahasa Indonesia.
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def case(facility: Any) -> Case:
    return CaseFactory(facility=facility, description="Antrean di loket pendaftaran terlalu lama.")


def url(name: str, case: Case, *more: Any) -> str:
    return reverse(f"manage:{name}", args=[case.facility.slug, case.code, *more])


def inbox(facility: Any, query: str = "") -> str:
    return reverse("manage:cases", args=[facility.slug]) + query


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def png(name: str = "foto.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG, content_type="image/png")


# --- The inbox ---------------------------------------------------------------------------------


def test_inbox_lists_the_facilitys_cases_only(
    editor_client: Client, facility: Any, other_facility: Any, case: Case
) -> None:
    theirs = CaseFactory(facility=other_facility)
    html = editor_client.get(inbox(facility)).content.decode()
    assert case.code in html
    assert theirs.code not in html


def test_inbox_shows_no_contact_details(editor_client: Client, facility: Any, case: Case) -> None:
    html = editor_client.get(inbox(facility)).content.decode()
    assert "Budi Santoso" not in html and "budi@example.org" not in html


def test_inbox_counts_cases_per_status_as_quick_filters(editor_client: Client, facility: Any) -> None:
    CaseFactory(facility=facility)
    CaseFactory(facility=facility, status=CaseStatus.REOPENED)
    CaseFactory(facility=facility, status=CaseStatus.CLOSED)
    response = editor_client.get(inbox(facility))
    counts = response.context["counts"]
    assert (counts["all"], counts["open"], counts["reopened"], counts["closed"]) == (3, 2, 1, 1)
    html = response.content.decode()
    assert 'href="?status=open"' in html and 'href="?status=closed"' in html


def test_inbox_filters_by_status_kind_and_search(editor_client: Client, facility: Any) -> None:
    wanted = CaseFactory(facility=facility, kind=FeedbackKind.SUGGESTION, description="Tambah kursi di ruang tunggu")
    CaseFactory(
        facility=facility, kind=FeedbackKind.SUGGESTION, status=CaseStatus.CLOSED, description="Tambah kursi lagi"
    )
    CaseFactory(facility=facility, description="Tambah kursi, kata pengadu")
    response = editor_client.get(inbox(facility, "?status=open&kind=suggestion&q=kursi"))
    assert [c.code for c in response.context["page"]] == [wanted.code]


def test_inbox_marks_overdue_and_due_soon_in_words(editor_client: Client, facility: Any) -> None:
    deadlines = reports.deadlines_for(facility)
    late = CaseFactory(facility=facility, due_date=deadlines.today - datetime.timedelta(days=1))
    soon = CaseFactory(facility=facility, due_date=deadlines.soon_until)
    response = editor_client.get(inbox(facility))
    states = {c.code: c.deadline_state for c in response.context["page"]}
    assert states == {late.code: "overdue", soon.code: "due_soon"}
    html = response.content.decode()
    assert "Overdue</span>" in html and "Due soon</span>" in html


def test_inbox_filters_by_deadline_and_assignee(editor_client: Client, facility: Any, editor: Any) -> None:
    today = timezone.localdate()
    late_mine = CaseFactory(facility=facility, due_date=today - datetime.timedelta(days=1), assignee=editor)
    CaseFactory(facility=facility, due_date=today - datetime.timedelta(days=1))
    CaseFactory(facility=facility, due_date=today + datetime.timedelta(days=30), assignee=editor)
    response = editor_client.get(inbox(facility, "?deadline=overdue&assignee=me"))
    assert [c.code for c in response.context["page"]] == [late_mine.code]


def test_inbox_ignores_values_it_does_not_know_and_says_so(editor_client: Client, facility: Any, case: Case) -> None:
    response = editor_client.get(inbox(facility, "?status=lost&kind=rant&assignee=9999&sort=random&service=Nope"))
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"status", "kind", "assignee", "sort", "service"}
    assert [c.code for c in response.context["page"]] == [case.code]
    assert "Some filters were not understood" in response.content.decode()


def test_inbox_sorts_by_due_date(editor_client: Client, facility: Any) -> None:
    today = timezone.localdate()
    later = CaseFactory(facility=facility, due_date=today + datetime.timedelta(days=9))
    sooner = CaseFactory(facility=facility, due_date=today + datetime.timedelta(days=2))
    response = editor_client.get(inbox(facility, "?sort=due"))
    assert [c.code for c in response.context["page"]] == [sooner.code, later.code]


def test_inbox_pages_by_25_and_keeps_the_filters_in_the_page_links(editor_client: Client, facility: Any) -> None:
    for _ in range(27):
        CaseFactory(facility=facility, kind=FeedbackKind.QUESTION)
    CaseFactory(facility=facility)
    first = editor_client.get(inbox(facility, "?kind=question"))
    assert len(first.context["page"]) == 25
    assert "?kind=question&amp;page=2" in first.content.decode()
    second = editor_client.get(inbox(facility, "?kind=question&page=2"))
    assert len(second.context["page"]) == 2
    assert editor_client.get(inbox(facility, "?page=99")).context["page"].number == 2


def test_inbox_export_links_carry_the_filters(editor_client: Client, facility: Any, case: Case) -> None:
    html = editor_client.get(inbox(facility, "?kind=complaint&page=1")).content.decode()
    assert reverse("manage:cases_export", args=[facility.slug, "csv"]) + "?kind=complaint" in html


@pytest.mark.parametrize("rows", [1, 10])
def test_inbox_queries_do_not_grow_with_rows(
    editor_client: Client, facility: Any, editor: Any, head: Any, django_assert_num_queries: Any, rows: int
) -> None:
    published = make_published_charter(facility, services=1, head=head)
    service = published.services.get()
    for number in range(rows):
        CaseFactory(facility=facility, service=service, assignee=editor if number % 2 else head)
    # session, user, facility, holidays, service names, staff, counts (the paginator's too), the page
    with django_assert_num_queries(8):
        response = editor_client.get(inbox(facility, "?sort=due"))
    assert len(response.context["page"]) == rows


# --- One case ----------------------------------------------------------------------------------


def test_case_page_shows_everything_to_staff(facility: Any, head: Any, editor_client: Client) -> None:
    case = CaseFactory(facility=facility, channel=Channel.PHONE, entered_by=head)
    services.add_note(case, head, "Sudah ditelepon balik.")
    html = editor_client.get(url("case", case)).content.decode()
    for text in ("Budi Santoso", "081234567890", "budi@example.org", "Phone", "Antrean di loket", "entered by"):
        assert text in html
    assert "Sudah ditelepon balik." in html
    assert "internal — not shown to the citizen" in html
    assert "shown to the citizen" in html


@pytest.mark.parametrize(
    ("phone", "tel", "whatsapp"),
    [
        ("0812-3456-7890", "tel:081234567890", "https://wa.me/6281234567890"),
        ("+62 812 3456 7890", "tel:+6281234567890", "https://wa.me/6281234567890"),
        ("(0356) 321456", "tel:0356321456", ""),  # a landline has no WhatsApp
    ],
)
def test_staff_reach_a_citizen_who_left_a_phone_by_call_and_whatsapp(
    editor_client: Client, facility: Any, phone: str, tel: str, whatsapp: str
) -> None:
    case = CaseFactory(facility=facility, name="", email="", phone=phone)
    html = editor_client.get(url("case", case)).content.decode()
    assert f'href="{tel}"' in html
    if whatsapp:
        assert f'href="{whatsapp}"' in html
    else:
        assert "wa.me" not in html


def test_case_page_offers_only_the_steps_the_user_may_take(
    editor_client: Client, head_client: Client, case: Case
) -> None:
    editor_page = editor_client.get(url("case", case))
    assert set(editor_page.context["step_forms"]) == {"start", "reply"}
    assert url("case_step", case, "reject") not in editor_page.content.decode()
    head_page = head_client.get(url("case", case))
    assert set(head_page.context["step_forms"]) == {"start", "reply", "reject"}


def test_case_page_says_how_many_working_days_are_left(editor_client: Client, facility: Any) -> None:
    deadlines = reports.deadlines_for(facility)
    due = deadlines.calendar.add_working_days(deadlines.today, 3)
    case = CaseFactory(facility=facility, due_date=due)
    assert "in 3 working days" in editor_client.get(url("case", case)).content.decode()
    Case.objects.filter(pk=case.pk).update(due_date=deadlines.today - datetime.timedelta(days=10))
    html = editor_client.get(url("case", case)).content.decode()
    assert "working days overdue" in html and "Overdue</span>" in html


def test_case_of_another_facility_is_404(
    facility: Any, other_editor: Any, case: Case, login: Callable[..., Client]
) -> None:
    assert login(other_editor).get(url("case", case)).status_code == 404


def test_unknown_code_is_404(editor_client: Client, facility: Any) -> None:
    assert editor_client.get(reverse("manage:case", args=[facility.slug, "SKO-XXXX-XXXX"])).status_code == 404


def test_anonymous_visitor_is_sent_to_log_in(client: Client, case: Case) -> None:
    response = client.get(url("case", case))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("events", [1, 10])
def test_case_page_queries_do_not_grow_with_the_timeline(
    editor_client: Client, facility: Any, editor: Any, django_assert_num_queries: Any, events: int
) -> None:
    case = CaseFactory(facility=facility, assignee=editor)
    for number in range(events):
        services.add_note(case, editor, f"Catatan {number}")
        services.attach_file(case, editor, png(f"foto-{number}.png"))
    path = url("case", case)
    # session, user, facility, case, head?, norms, holidays, events, their files, all files, staff, services
    with django_assert_num_queries(12):
        response = editor_client.get(path)
    assert response.status_code == 200


# --- Steps ----------------------------------------------------------------------------------


def test_editor_starts_handling_and_is_assigned(editor_client: Client, editor: Any, case: Case) -> None:
    response = editor_client.post(url("case_step", case, "start"))
    assert response.status_code == 302 and response["Location"] == url("case", case) + "#start"
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS
    assert case.assignee == editor


def test_editor_replies_publicly_with_a_file(editor_client: Client, editor: Any, case: Case) -> None:
    response = editor_client.post(
        url("case_step", case, "reply"),
        {"reply-text": "Loket kedua kini dibuka pukul 07.00.", "reply-attachment": png("jadwal.png")},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.ANSWERED
    assert case.first_reply_at is not None
    event = case.events.get(kind=EventKind.REPLY)
    assert event.public and event.author == editor and event.text == "Loket kedua kini dibuka pukul 07.00."
    attachment = event.attachments.get()
    assert attachment.public and attachment.original_name == "jadwal.png"


def test_an_empty_reply_comes_back_with_its_error(editor_client: Client, case: Case) -> None:
    response = editor_client.post(url("case_step", case, "reply"), {"reply-text": "  "})
    assert response.status_code == 200
    assert "Write the answer." in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED


def test_a_reply_with_a_wrong_file_keeps_the_text(editor_client: Client, case: Case) -> None:
    response = editor_client.post(
        url("case_step", case, "reply"),
        {"reply-text": "Jawaban kami", "reply-attachment": SimpleUploadedFile("x.png", b"MZ program")},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Only PDF, JPEG or PNG files can be attached." in html
    assert "Jawaban kami</textarea>" in html
    assert not case.events.filter(kind=EventKind.REPLY).exists()


def test_a_step_the_status_does_not_allow_is_refused_with_a_message(editor_client: Client, case: Case) -> None:
    response = editor_client.post(url("case_step", case, "close"), {"close-text": "Selesai"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "A case that is received cannot be changed this way." in html
    assert "Selesai</textarea>" in html  # what was typed is kept
    assert "Nothing was saved" in " ".join(messages_of(response))
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED


def test_editor_may_not_reject(editor_client: Client, case: Case) -> None:
    response = editor_client.post(url("case_step", case, "reject"), {"reject-reason": "Spam"})
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED


def test_head_rejects_with_a_reason(head_client: Client, case: Case) -> None:
    response = head_client.post(url("case_step", case, "reject"), {"reject-reason": "Iklan, bukan pengaduan."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.REJECTED
    assert case.rejection_reason == "Iklan, bukan pengaduan."
    assert case.closed_at is not None


def test_rejecting_without_a_reason_is_refused(head_client: Client, case: Case) -> None:
    response = head_client.post(url("case_step", case, "reject"), {"reject-reason": ""})
    assert response.status_code == 200
    assert "Give the reason for rejecting the case." in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED


def test_superuser_may_reject(superuser: Any, case: Case, login: Callable[..., Client]) -> None:
    assert login(superuser).post(url("case_step", case, "reject"), {"reject-reason": "Spam"}).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.REJECTED


def test_editor_closes_an_answered_case(editor_client: Client, editor: Any, case: Case) -> None:
    services.reply(case, editor, "Sudah kami tangani.")
    response = editor_client.post(url("case_step", case, "close"), {"close-text": ""})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED


@pytest.fixture
def reopened(case: Case, editor: Any) -> Case:
    services.reply(case, editor, "Sudah kami tangani.")
    services.rate_answer(case, Rating.NOT_SATISFIED, "Masih sama saja.")
    case.refresh_from_db()
    assert case.status == CaseStatus.REOPENED
    return case


@pytest.mark.parametrize(
    ("step", "data"),
    [
        ("start", {}),
        ("reply", {"reply-text": "Jawaban kedua"}),
        ("close", {"close-text": ""}),
        ("reject", {"reject-reason": "Tidak relevan"}),
    ],
)
def test_a_reopened_case_is_the_heads(
    editor_client: Client, head_client: Client, reopened: Case, step: str, data: dict[str, str]
) -> None:
    assert editor_client.post(url("case_step", reopened, step), data).status_code == 403
    reopened.refresh_from_db()
    assert reopened.status == CaseStatus.REOPENED
    assert head_client.post(url("case_step", reopened, step), data).status_code == 302
    reopened.refresh_from_db()
    assert reopened.status == services.STAFF_STEPS[step].target


def test_editor_sees_that_a_reopened_case_waits_for_the_head(editor_client: Client, reopened: Case) -> None:
    response = editor_client.get(url("case", reopened))
    assert response.context["step_forms"] == {}
    assert "the head of the facility reviews the case" in response.content.decode()


def test_unknown_step_is_404(editor_client: Client, case: Case) -> None:
    assert editor_client.post(url("case_step", case, "delete")).status_code == 404


@pytest.mark.parametrize(
    ("name", "more"),
    [
        ("case_step", ["start"]),
        ("case_note", []),
        ("case_assign", []),
        ("case_reclassify", []),
        ("case_attach", []),
    ],
)
def test_actions_answer_get_with_405(editor_client: Client, case: Case, name: str, more: list[str]) -> None:
    assert editor_client.get(url(name, case, *more)).status_code == 405


def test_other_facility_cannot_act_on_a_case(other_editor: Any, case: Case, login: Callable[..., Client]) -> None:
    assert login(other_editor).post(url("case_step", case, "start")).status_code == 404
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED


# --- Notes, assignment, category, files --------------------------------------------------------


def test_a_note_is_internal_with_its_file(editor_client: Client, editor: Any, case: Case) -> None:
    response = editor_client.post(
        url("case_note", case), {"note-text": "Petugas loket sudah ditegur.", "note-attachment": png()}
    )
    assert response.status_code == 302
    note = case.events.get(kind=EventKind.NOTE)
    assert not note.public and note.author == editor
    assert not note.attachments.get().public
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED  # a note changes nothing else


def test_a_note_never_reaches_the_tracking_page(editor_client: Client, client: Client, case: Case) -> None:
    editor_client.post(url("case_note", case), {"note-text": "Rahasia internal: petugas sudah ditegur."})
    editor_client.post(url("case_step", case, "reply"), {"reply-text": "Terima kasih, sudah kami perbaiki."})
    public = client.get(case.get_tracking_url()).content.decode()
    assert "Terima kasih, sudah kami perbaiki." in public
    assert "Rahasia internal" not in public


def test_an_empty_note_comes_back_with_its_error(editor_client: Client, case: Case) -> None:
    response = editor_client.post(url("case_note", case), {"note-text": ""})
    assert response.status_code == 200
    assert "Write the note." in response.content.decode()
    assert not case.events.filter(kind=EventKind.NOTE).exists()


def test_assign_to_a_colleague_and_to_nobody(editor_client: Client, head: Any, case: Case) -> None:
    assert editor_client.post(url("case_assign", case), {"assign-assignee": head.pk}).status_code == 302
    case.refresh_from_db()
    assert case.assignee == head
    assert case.events.filter(kind=EventKind.ASSIGNED, public=False).exists()
    editor_client.post(url("case_assign", case), {"assign-assignee": ""})
    case.refresh_from_db()
    assert case.assignee is None


def test_staff_of_another_facility_cannot_be_assigned(editor_client: Client, other_editor: Any, case: Case) -> None:
    response = editor_client.post(url("case_assign", case), {"assign-assignee": other_editor.pk})
    assert response.status_code == 200
    assert response.context["assign_form"].errors["assignee"]
    case.refresh_from_db()
    assert case.assignee is None


def test_a_finished_case_is_no_longer_assigned(editor_client: Client, head: Any, facility: Any) -> None:
    case = CaseFactory(facility=facility, status=CaseStatus.CLOSED)
    response = editor_client.post(url("case_assign", case), {"assign-assignee": head.pk})
    assert response.status_code == 200
    assert "This case is finished and can no longer be changed." in response.content.decode()
    case.refresh_from_db()
    assert case.assignee is None


def test_reclassifying_recomputes_the_deadline(editor_client: Client, facility: Any, published_charter: Any) -> None:
    # Received on Friday 14 August 2026: investigative (60 working days) vs light (2: Wed 19).
    received = datetime.datetime(2026, 8, 14, 9, tzinfo=timezone.get_current_timezone())
    case = CaseFactory(facility=facility, received_at=received)
    service = published_charter.services.first()
    response = editor_client.post(
        url("case_reclassify", case),
        {"reclassify-kind": "question", "reclassify-complaint_class": "light", "reclassify-service": service.pk},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.kind, case.complaint_class, case.service) == ("question", "light", service)
    assert case.due_date == datetime.date(2026, 8, 19)
    assert "Answer due 19 August 2026" in " ".join(messages_of(response))
    event = case.events.get(kind=EventKind.RECLASSIFIED)
    assert not event.public


def test_reclassify_labels_each_class_with_the_charters_norm(editor_client: Client, facility: Any, case: Case) -> None:
    make_published_charter(facility, investigative_days=45, effective_date=timezone.localdate(case.received_at))
    form = editor_client.get(url("case", case)).context["reclassify_form"]
    labels = dict(form.fields["complaint_class"].choices)
    assert labels[ComplaintClass.INVESTIGATIVE] == "Needs investigation: 45 working days"
    assert labels[ComplaintClass.LIGHT] == "Light: 2 working days"


def test_reclassify_offers_the_published_services_and_the_cases_own(
    editor_client: Client, facility: Any, other_facility: Any, head: Any
) -> None:
    old = make_published_charter(facility, services=1, head=head)
    old_service = old.services.get()
    current = make_published_charter(facility, services=2, head=head)
    case = CaseFactory(facility=facility, service=old_service)
    theirs = make_published_charter(other_facility, services=1).services.get()
    form = editor_client.get(url("case", case)).context["reclassify_form"]
    offered = set(form.fields["service"].queryset)
    assert offered == {*current.services.all(), old_service}
    response = editor_client.post(
        url("case_reclassify", case),
        {"reclassify-kind": "complaint", "reclassify-complaint_class": "normative", "reclassify-service": theirs.pk},
    )
    assert response.status_code == 200
    assert response.context["reclassify_form"].errors["service"]
    case.refresh_from_db()
    assert case.service == old_service


def test_attach_a_public_file_and_an_internal_one(editor_client: Client, case: Case) -> None:
    editor_client.post(url("case_attach", case), {"attach-file": png("surat.png"), "attach-public": "on"})
    editor_client.post(
        url("case_attach", case), {"attach-file": SimpleUploadedFile("memo.pdf", PDF, content_type="application/pdf")}
    )
    files = {a.original_name: a.public for a in case.attachments.all()}
    assert files == {"surat.png": True, "memo.pdf": False}


def test_attach_refuses_what_is_not_a_pdf_jpeg_or_png(editor_client: Client, case: Case) -> None:
    response = editor_client.post(url("case_attach", case), {"attach-file": SimpleUploadedFile("a.pdf", b"#!/bin/sh")})
    assert response.status_code == 200
    assert "Only PDF, JPEG or PNG files can be attached." in response.content.decode()
    assert not case.attachments.exists()


def test_attach_without_a_file_says_so(editor_client: Client, case: Case) -> None:
    response = editor_client.post(url("case_attach", case), {})
    assert "Choose a file to attach." in response.content.decode()


def test_staff_download_a_citizens_file(
    editor_client: Client, facility: Any, other_editor: Any, login: Callable[..., Client]
) -> None:
    case = services.submit_case(facility, kind="complaint", description="Lihat foto", attachment=png("bukti.png"))
    attachment = case.attachments.get()
    response = editor_client.get(url("case_file", case, attachment.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert login(other_editor).get(url("case_file", case, attachment.pk)).status_code == 404


def test_a_file_of_another_case_is_404(editor_client: Client, facility: Any, case: Case) -> None:
    other = services.submit_case(facility, kind="complaint", description="Foto", attachment=png())
    assert editor_client.get(url("case_file", case, other.attachments.get().pk)).status_code == 404


# --- A case entered for a citizen ----------------------------------------------------------------


def intake_data(**changes: Any) -> dict[str, Any]:
    return {
        "channel": Channel.PHONE,
        "kind": FeedbackKind.COMPLAINT,
        "service": "",
        "description": "Penelepon mengeluhkan obat yang sering kosong.",
        "occurred_on": "",
        "name": "Ibu Sumiati",
        "phone": "0812 3456 7890",
        "email": "",
        **changes,
    }


def test_staff_enter_a_case_for_a_citizen(editor_client: Client, editor: Any, facility: Any) -> None:
    response = editor_client.post(reverse("manage:case_add", args=[facility.slug]), intake_data())
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == url("case", case)
    assert case.channel == Channel.PHONE
    assert case.entered_by == editor
    assert (case.name, case.phone) == ("Ibu Sumiati", "0812 3456 7890")
    assert case.code in " ".join(messages_of(response))
    assert not case.events.get(kind=EventKind.RECEIVED).by_citizen


def test_intake_with_a_published_service_and_a_file(
    editor_client: Client, facility: Any, published_charter: Any
) -> None:
    service = published_charter.services.first()
    data = intake_data(channel=Channel.BOX, service=service.slug, attachment=png("surat.png"))
    editor_client.post(reverse("manage:case_add", args=[facility.slug]), data)
    case = Case.objects.get()
    assert case.service == service and case.channel == Channel.BOX
    assert case.attachments.get().from_citizen


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"channel": ""}, "channel"),
        ({"channel": Channel.WEB}, "channel"),
        ({"description": ""}, "description"),
        ({"description": "x" * 4001}, "description"),
        ({"phone": "telepon saya"}, "phone"),
        ({"email": "bukan-email"}, "email"),
        ({"anonymous": "on"}, "anonymous"),
        ({"occurred_on": "2999-01-01"}, "occurred_on"),
        ({"service": "tidak-ada"}, "service"),
        ({"kind": "rant"}, "kind"),
    ],
)
def test_intake_errors_keep_what_was_typed(
    editor_client: Client, facility: Any, changes: dict[str, str], field: str
) -> None:
    data = intake_data(**changes)
    response = editor_client.post(reverse("manage:case_add", args=[facility.slug]), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    html = response.content.decode()
    assert "Ibu Sumiati" in html
    assert not Case.objects.exists()


def test_intake_has_no_honeypot_and_no_web_channel(editor_client: Client, facility: Any) -> None:
    form = editor_client.get(reverse("manage:case_add", args=[facility.slug])).context["form"]
    assert "website" not in form.fields
    assert Channel.WEB not in dict(form.fields["channel"].choices)


# --- Settings ----------------------------------------------------------------------------------


def settings_url(facility: Any) -> str:
    return reverse("manage:feedback_settings", args=[facility.slug])


def settings_data(**changes: Any) -> dict[str, Any]:
    return {
        "action": "settings",
        "settings-code_prefix": "pks",
        "settings-survey_once_per_device": "on",
        **changes,
    }


def test_head_changes_the_prefix(head_client: Client, facility: Any, case: Case) -> None:
    response = head_client.post(settings_url(facility), settings_data())
    assert response.status_code == 302
    settings = FeedbackSettings.for_facility(facility)
    assert settings.code_prefix == "PKS"
    assert settings.survey_once_per_device is True  # the whole form was sent: the survey rule kept
    assert services.submit_case(facility, kind="complaint", description="Baru").code.startswith("PKS-")


def test_the_settings_show_the_norms_of_the_charter_in_force(editor_client: Client, facility: Any) -> None:
    make_published_charter(facility, investigative_days=14)

    page = editor_client.get(settings_url(facility))

    rows = [(str(label), days) for _value, label, days in page.context["norms"].rows()]
    assert rows == [
        ("Light", 2),
        ("Normative", 5),
        ("Needs no investigation", 14),
        ("Needs investigation", 14),
    ]
    html = page.content.decode()
    assert "<dt>Needs investigation</dt><dd>14 working days</dd>" in html
    assert 'name="settings-light_days"' not in html  # changed only through a charter revision


def test_norms_sent_to_the_settings_change_nothing(head_client: Client, facility: Any, case: Case) -> None:
    due_before = case.due_date
    response = head_client.post(settings_url(facility), settings_data(**{"settings-investigative_days": "1"}))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.due_date == due_before
    assert services.norms_for(case).investigative_days == 60


def test_editor_reads_the_settings_but_may_not_change_them(editor_client: Client, facility: Any) -> None:
    page = editor_client.get(settings_url(facility))
    assert page.status_code == 200
    assert page.context["can_change"] is False
    assert 'name="settings-code_prefix"' not in page.content.decode()
    assert editor_client.post(settings_url(facility), settings_data()).status_code == 403
    assert FeedbackSettings.for_facility(facility).code_prefix == "SKO"


def test_an_invalid_prefix_keeps_what_was_typed(head_client: Client, facility: Any) -> None:
    response = head_client.post(
        settings_url(facility),
        settings_data(**{"settings-code_prefix": "S1", "settings-saturday_is_working_day": "on"}),
    )
    assert response.status_code == 200
    assert "code_prefix" in response.context["settings_form"].errors
    assert 'value="S1"' in response.content.decode()
    settings = FeedbackSettings.for_facility(facility)
    assert (settings.code_prefix, settings.saturday_is_working_day) == ("SKO", False)


def test_head_adds_and_removes_a_day_off(head_client: Client, facility: Any) -> None:
    data = {"action": "add_holiday", "holiday-date": "2026-08-18", "holiday-name": "Cuti bersama"}
    assert head_client.post(settings_url(facility), data).status_code == 302
    holiday = FacilityHoliday.objects.get(facility=facility)
    assert (holiday.date, holiday.name) == (datetime.date(2026, 8, 18), "Cuti bersama")
    again = head_client.post(settings_url(facility), data)
    assert again.status_code == 200
    assert "already one of the facility" in again.content.decode()
    response = head_client.post(settings_url(facility), {"action": "delete_holiday", "holiday": holiday.pk})
    assert response.status_code == 302
    assert not FacilityHoliday.objects.exists()


def test_a_day_off_needs_a_date_and_a_name(head_client: Client, facility: Any) -> None:
    response = head_client.post(
        settings_url(facility), {"action": "add_holiday", "holiday-date": "kemarin", "holiday-name": "Libur desa"}
    )
    assert response.status_code == 200
    assert "date" in response.context["holiday_form"].errors
    assert 'value="Libur desa"' in response.content.decode()


def test_a_day_off_of_another_facility_cannot_be_removed(
    head_client: Client, facility: Any, other_facility: Any
) -> None:
    theirs = FacilityHoliday.objects.create(facility=other_facility, date=datetime.date(2026, 8, 18), name="Libur")
    response = head_client.post(settings_url(facility), {"action": "delete_holiday", "holiday": theirs.pk})
    assert response.status_code == 302
    assert FacilityHoliday.objects.filter(pk=theirs.pk).exists()


def test_settings_list_the_national_holidays(editor_client: Client, facility: Any) -> None:
    year = timezone.localdate().year
    html = editor_client.get(settings_url(facility)).content.decode()
    assert f"17 Aug {year}" in html and f"17 Aug {year + 1}" in html
    assert "Independence Day" in html


def test_head_makes_saturday_a_working_day_and_back(head_client: Client, facility: Any) -> None:
    response = head_client.post(settings_url(facility), settings_data(**{"settings-saturday_is_working_day": "on"}))
    assert response.status_code == 302
    assert FeedbackSettings.for_facility(facility).saturday_is_working_day is True
    page = head_client.get(settings_url(facility)).content.decode()
    assert "Saturdays count at this facility" in page
    # An unticked box is not sent at all: Saturday is a day off again.
    assert head_client.post(settings_url(facility), settings_data()).status_code == 302
    assert FeedbackSettings.for_facility(facility).saturday_is_working_day is False


def test_editor_may_not_make_saturday_a_working_day(editor_client: Client, facility: Any) -> None:
    response = editor_client.post(settings_url(facility), settings_data(**{"settings-saturday_is_working_day": "on"}))
    assert response.status_code == 403
    assert FeedbackSettings.for_facility(facility).saturday_is_working_day is False
    page = editor_client.get(settings_url(facility)).content.decode()
    assert 'name="settings-saturday_is_working_day"' not in page
    assert "Saturday is a working day" in page  # read, not changed


@pytest.mark.parametrize(
    ("sent", "saved"),
    [("true", True), ("false", False), ("ya", True), ("", False), ("x" * 5000, True)],
)
def test_odd_saturday_values_save_a_yes_or_no(head_client: Client, facility: Any, sent: str, saved: bool) -> None:
    response = head_client.post(settings_url(facility), settings_data(**{"settings-saturday_is_working_day": sent}))
    assert response.status_code == 302
    assert FeedbackSettings.for_facility(facility).saturday_is_working_day is saved


def test_settings_list_the_cuti_bersama_with_their_names(
    editor_client: Client, facility: Any, monkeypatch: Any
) -> None:
    real_localdate = timezone.localdate
    monkeypatch.setattr(
        timezone,
        "localdate",
        lambda value=None, tz=None: real_localdate(value, tz) if value else datetime.date(2026, 6, 1),
    )
    html = editor_client.get(settings_url(facility)).content.decode()
    assert "National holidays and cuti bersama 2026–2027" in html
    assert "Thu 24 Dec 2026</span> Christmas Joint Holiday" in html
    assert "Fri 25 Dec 2026</span> Christmas Day" in html


def test_the_inbox_says_whether_saturday_counts(editor_client: Client, facility: Any) -> None:
    html = editor_client.get(inbox(facility)).content.decode()
    assert "no weekends, national holidays, cuti bersama or the facility's own days off" in html
    FeedbackSettings.for_facility(facility)
    FeedbackSettings.objects.filter(facility=facility).update(saturday_is_working_day=True)
    html = editor_client.get(inbox(facility)).content.decode()
    assert "Monday to Saturday: no Sundays, national holidays, cuti bersama" in html


def test_an_unknown_settings_action_changes_nothing(head_client: Client, facility: Any) -> None:
    response = head_client.post(settings_url(facility), {"action": "drop_all", **settings_data(action="x")})
    assert response.status_code == 302
    assert FeedbackSettings.for_facility(facility).code_prefix == "SKO"


# --- Figures ----------------------------------------------------------------------------------


def figures_url(facility: Any, query: str = "") -> str:
    return reverse("manage:case_figures", args=[facility.slug]) + query


def test_figures_default_to_the_last_90_days(editor_client: Client, facility: Any) -> None:
    today = timezone.localdate()
    CaseFactory(facility=facility, received_at=timezone.now() - datetime.timedelta(days=10))
    CaseFactory(facility=facility, received_at=timezone.now() - datetime.timedelta(days=120))
    response = editor_client.get(figures_url(facility))
    figures = response.context["figures"]
    assert (figures.start, figures.end) == (today - datetime.timedelta(days=89), today)
    assert figures.total.received == 1
    assert figures.total.open_now == 2


def test_figures_for_a_chosen_period(editor_client: Client, facility: Any) -> None:
    CaseFactory(facility=facility, received_at=datetime.datetime(2026, 3, 2, 9, tzinfo=timezone.get_current_timezone()))
    response = editor_client.get(figures_url(facility, "?from=2026-03-01&to=2026-03-31"))
    assert response.context["figures"].total.received == 1
    assert "Cases received from 1 Mar 2026 to 31 Mar 2026" in response.content.decode()


@pytest.mark.parametrize("query", ["?from=kemarin&to=2026-03-31", "?from=2026-03-31&to=2026-03-01"])
def test_bad_dates_show_an_error_and_the_default_period(editor_client: Client, facility: Any, query: str) -> None:
    response = editor_client.get(figures_url(facility, query))
    assert response.status_code == 200
    assert response.context["form"].errors
    assert response.context["figures"].end == timezone.localdate()
    assert "The dates were not understood" in response.content.decode()


@pytest.mark.parametrize("rows", [1, 10])
def test_figures_queries_do_not_grow_with_cases(
    editor_client: Client, editor: Any, facility: Any, django_assert_num_queries: Any, rows: int
) -> None:
    for _ in range(rows):
        case = CaseFactory(facility=facility)
        services.reply(case, editor, "Dijawab")
    with django_assert_num_queries(6):  # session, user, facility, the counts, the reply times, the holidays
        response = editor_client.get(figures_url(facility))
    assert response.context["figures"].total.received == rows


# --- Exports -----------------------------------------------------------------------------------


def export_url(facility: Any, fmt: str, query: str = "") -> str:
    return reverse("manage:cases_export", args=[facility.slug, fmt]) + query


def test_csv_export_of_the_filtered_list(editor_client: Client, facility: Any) -> None:
    wanted = CaseFactory(facility=facility, kind=FeedbackKind.SUGGESTION)
    CaseFactory(facility=facility, kind=FeedbackKind.COMPLAINT)
    response = editor_client.get(export_url(facility, "csv", "?kind=suggestion&page=3"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    today = timezone.localdate()
    assert response["Content-Disposition"] == f'attachment; filename="feedback-pkm-soko-{today:%Y-%m-%d}.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == [wanted.code]
    assert rows[1][2] == "Suggestion"
    assert "budi@example.org" not in response.content.decode()


def test_csv_export_is_not_paginated(editor_client: Client, facility: Any) -> None:
    for _ in range(27):
        CaseFactory(facility=facility)
    rows = list(csv.reader(io.StringIO(editor_client.get(export_url(facility, "csv")).content.decode("utf-8-sig"))))
    assert len(rows) == 28


def test_csv_export_guards_against_formulas(editor_client: Client, facility: Any, editor: Any) -> None:
    editor.first_name, editor.last_name = "=HYPERLINK(1)", ""
    editor.save()
    CaseFactory(facility=facility, assignee=editor)
    rows = list(csv.reader(io.StringIO(editor_client.get(export_url(facility, "csv")).content.decode("utf-8-sig"))))
    assert rows[1][11] == "'=HYPERLINK(1)"


def test_xlsx_export_holds_the_filtered_codes(editor_client: Client, facility: Any) -> None:
    wanted = CaseFactory(facility=facility, status=CaseStatus.CLOSED)
    left_out = CaseFactory(facility=facility)
    response = editor_client.get(export_url(facility, "xlsx", "?status=closed"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"].endswith(f'-{timezone.localdate():%Y-%m-%d}.xlsx"')
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        strings = archive.read("xl/sharedStrings.xml").decode()
    assert wanted.code in strings
    assert left_out.code not in strings


def test_an_unknown_export_format_is_404(editor_client: Client, facility: Any) -> None:
    assert editor_client.get(export_url(facility, "pdf")).status_code == 404


def test_export_of_another_facility_is_404(other_editor: Any, facility: Any, login: Callable[..., Client]) -> None:
    assert login(other_editor).get(export_url(facility, "csv")).status_code == 404


# --- The dashboard and the links to the feedback pages -------------------------------------------


def test_dashboard_counts_open_overdue_and_due_soon_cases(editor_client: Client, facility: Any) -> None:
    today = timezone.localdate()
    CaseFactory(facility=facility, due_date=today - datetime.timedelta(days=2))
    CaseFactory(facility=facility, due_date=reports.national_soon_until(today))
    CaseFactory(facility=facility, due_date=today + datetime.timedelta(days=20))
    CaseFactory(facility=facility, status=CaseStatus.ANSWERED, due_date=today - datetime.timedelta(days=2))
    response = editor_client.get(reverse("manage:dashboard"))
    soko = next(f for f in response.context["facilities"] if f.pk == facility.pk)
    assert (soko.open_cases, soko.overdue_cases, soko.due_soon_cases) == (3, 1, 1)
    html = response.content.decode()
    assert inbox(facility, "?status=open") in html
    assert inbox(facility, "?deadline=overdue") in html
    assert inbox(facility, "?deadline=due_soon") in html
    assert reverse("manage:case_figures", args=[facility.slug]) in html


@pytest.mark.parametrize("facilities", [1, 5])
def test_dashboard_counts_add_no_query_per_facility(
    superuser: Any, django_assert_num_queries: Any, facilities: int, login: Callable[..., Client]
) -> None:
    for _ in range(facilities):
        facility = make_published_charter().facility
        CaseFactory(facility=facility, due_date=timezone.localdate() - datetime.timedelta(days=1))
    client = login(superuser)
    with django_assert_num_queries(5):  # as without cases: session, user, facilities, charters, memberships
        response = client.get(reverse("manage:dashboard"))
    assert [f.overdue_cases for f in response.context["facilities"]] == [1] * facilities


def test_facility_page_and_navigation_link_to_the_inbox(editor_client: Client, facility: Any) -> None:
    html = editor_client.get(reverse("manage:facility", args=[facility.slug])).content.decode()
    assert html.count(f'href="{inbox(facility)}"') == 2  # the navigation bar and the section
    assert reverse("manage:case_figures", args=[facility.slug]) in html


def test_every_case_page_keeps_its_facility_in_the_navigation(editor_client: Client, case: Case) -> None:
    assert f'href="{inbox(case.facility)}"' in editor_client.get(url("case", case)).content.decode()
