"""The stakeholder forum's staff pages: meetings and participants, scans of the minutes, the
forum's decision on each service, and the agreement they make possible.

Staff clients read the site in English (the language cookie), so that messages can be
compared with the source strings.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import escape

from charters import services as charter_services
from charters.models import (
    AgreementDecision,
    Charter,
    CharterStatus,
    MeetingAttachment,
    MeetingParticipant,
    ParticipantGroup,
    StakeholderMeeting,
)
from charters.uploads import MAX_MEETING_FILE_SIZE, detect_kind, looks_like_program
from tests.charters.formdata import agreement_post_data, fill_rows, meeting_post_data
from tests.factories import (
    MeetingParticipantFactory,
    StakeholderMeetingFactory,
    make_complete_draft,
    make_published_charter,
    record_agreement,
)
from tests.test_i18n import english_sources, visible_text
from tests.test_permissions import snapshot

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64 + b"\xff\xd9"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


@pytest.fixture
def consultation(draft_charter: Charter, editor: Any) -> Charter:
    return charter_services.open_consultation(draft_charter, editor)


@pytest.fixture
def meeting(draft_charter: Charter) -> StakeholderMeeting:
    meeting = StakeholderMeetingFactory(charter=draft_charter, place="Aula Puskesmas Soko")
    MeetingParticipantFactory(meeting=meeting, name="Pak Darto", group=ParticipantGroup.USER)
    MeetingParticipantFactory(meeting=meeting, name="dr. Rina", group=ParticipantGroup.PROVIDER)
    return meeting


def url(charter: Charter, name: str, *extra: Any) -> str:
    return reverse(f"manage:{name}", args=[charter.facility.slug, charter.version, *extra])


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def error_next_to(html: str, field_id: str) -> str:
    """The markup of a field's errors: crispy's error block, or the rest of its formset cell."""
    block = re.search(rf'<div id="{re.escape(field_id)}_error" class="invalid-feedback[^"]*">(.*?)</div>', html, re.S)
    if block:
        return block.group(1)
    start = html.index(f'id="{field_id}"')
    end = html.find("</td>", start)
    return html[start : end if end != -1 else start + 2000]


def assert_error_next_to(response: Any, field_id: str, message: str) -> None:
    html = response.content.decode()
    assert escape(message) in error_next_to(html, field_id), f"{message!r} is not shown next to {field_id}"


def assert_typed_values_kept(response: Any, *snippets: str) -> None:
    html = response.content.decode()
    for snippet in snippets:
        assert escape(snippet) in html, f"the page forgot what was typed: {snippet!r}"


def new_meeting_data(charter: Charter, rows: list[dict[str, Any]] | None = None, **fields: Any) -> dict[str, Any]:
    """The add page as typed: a meeting yesterday with one signed participant of each group."""
    data = meeting_post_data(charter)
    data.update(
        {
            "meeting-date": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "meeting-place": "Balai Desa Soko",
            "meeting-agenda": "Pembahasan rancangan maklumat pelayanan",
            "meeting-minutes": "Forum menyepakati rancangan dengan satu perubahan.",
        }
    )
    data.update({f"meeting-{name}": value for name, value in fields.items()})
    if rows is None:
        rows = [
            {"name": "dr. Siti Aminah", "organisation": "Puskesmas Soko", "group": "provider", "signed": "on"},
            {"name": "Ibu Sulastri", "organisation": "", "group": "user", "position": "Kader", "signed": "on"},
            {"name": "Bapak Karno", "organisation": "Desa Soko", "group": "stakeholder", "signed": "on"},
        ]
    fill_rows(data, "participants", rows)
    return data


def upload(name: str, content: bytes, content_type: str = "application/pdf") -> dict[str, Any]:
    return {"attachment-file": SimpleUploadedFile(name, content, content_type=content_type)}


def stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def attach(meeting: StakeholderMeeting, name: str = "berita-acara.pdf", content: bytes = PDF) -> MeetingAttachment:
    return MeetingAttachment.objects.create(
        meeting=meeting,
        file=SimpleUploadedFile("scan.pdf", content),
        original_name=name,
        content_type="application/pdf",
        size=len(content),
    )


# --- Recording a meeting and its participants -------------------------------------------------


def test_recording_a_meeting_stores_it_with_its_participants(
    editor_client: Client, editor: Any, draft_charter: Charter
) -> None:
    response = editor_client.post(url(draft_charter, "meeting_add"), new_meeting_data(draft_charter))

    assert response.status_code == 302
    assert response["Location"] == url(draft_charter, "meetings")
    meeting = draft_charter.meetings.get()
    assert (meeting.place, meeting.agenda, meeting.created_by) == (
        "Balai Desa Soko",
        "Pembahasan rancangan maklumat pelayanan",
        editor,
    )
    assert meeting.date == timezone.localdate() - timedelta(days=1)
    assert list(meeting.participants.values_list("name", "organisation", "group", "position", "signed")) == [
        ("dr. Siti Aminah", "Puskesmas Soko", "provider", "", True),
        ("Bapak Karno", "Desa Soko", "stakeholder", "", True),
        ("Ibu Sulastri", "", "user", "Kader", True),
    ]
    with translation.override("en"):
        assert messages_of(response) == [f"The meeting of {date_format(meeting.date)} was recorded."]


def test_empty_participant_rows_are_ignored(editor_client: Client, draft_charter: Charter) -> None:
    data = new_meeting_data(draft_charter, rows=[{"name": "Ibu Sulastri", "group": "user"}])

    editor_client.post(url(draft_charter, "meeting_add"), data)

    meeting = draft_charter.meetings.get()
    assert list(meeting.participants.values_list("name", "signed")) == [("Ibu Sulastri", False)]


def test_meeting_page_shows_participants_by_group_then_name(editor_client: Client, meeting: StakeholderMeeting) -> None:
    MeetingParticipantFactory(meeting=meeting, name="Bu Yanti", group=ParticipantGroup.USER)
    MeetingParticipantFactory(meeting=meeting, name="Ahmad", group=ParticipantGroup.USER)

    response = editor_client.get(url(meeting.charter, "meeting_edit", meeting.pk))

    names = [form.instance.name for form in response.context["participants"].initial_forms]
    assert names == ["dr. Rina", "Ahmad", "Bu Yanti", "Pak Darto"]


def test_editing_a_meeting_changes_adds_and_deletes_participants(
    editor_client: Client, meeting: StakeholderMeeting
) -> None:
    charter = meeting.charter
    data = meeting_post_data(charter, meeting)
    forms_by_name = {data[f"participants-{i}-name"]: i for i in range(2)}
    rina, darto = forms_by_name["dr. Rina"], forms_by_name["Pak Darto"]
    data[f"participants-{rina}-signed"] = "on"
    data[f"participants-{rina}-position"] = "Kepala Puskesmas"
    data[f"participants-{darto}-DELETE"] = "on"
    data["meeting-place"] = "Balai Desa Soko"
    fill_rows(data, "participants", [{"name": "Bapak Karno", "group": "stakeholder", "signed": "on"}], start=2)

    response = editor_client.post(url(charter, "meeting_edit", meeting.pk), data)

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.place == "Balai Desa Soko"
    assert list(meeting.participants.values_list("name", "position", "signed")) == [
        ("dr. Rina", "Kepala Puskesmas", True),
        ("Bapak Karno", "", True),
    ]


def test_save_and_add_more_returns_to_the_meeting_with_empty_rows(
    editor_client: Client, draft_charter: Charter
) -> None:
    data = {**new_meeting_data(draft_charter), "save_continue": "1"}

    response = editor_client.post(url(draft_charter, "meeting_add"), data, follow=True)

    meeting = draft_charter.meetings.get()
    assert response.redirect_chain[-1][0] == url(draft_charter, "meeting_edit", meeting.pk)
    participants = response.context["participants"]
    assert (len(participants.initial_forms), len(participants.extra_forms)) == (3, 5)


def test_add_page_offers_ten_empty_participant_rows_and_no_upload_yet(
    editor_client: Client, draft_charter: Charter
) -> None:
    response = editor_client.get(url(draft_charter, "meeting_add"))

    assert len(response.context["participants"].forms) == 10
    assert response.context["attachment_form"] is None
    assert 'enctype="multipart/form-data"' not in response.content.decode()


# --- Errors keep what was typed ----------------------------------------------------------------


def test_meeting_without_a_date_is_refused_and_the_typing_kept(editor_client: Client, draft_charter: Charter) -> None:
    data = new_meeting_data(draft_charter, date="")

    response = editor_client.post(url(draft_charter, "meeting_add"), data)

    assert response.status_code == 200
    assert_error_next_to(response, "id_meeting-date", "This field is required.")
    assert_typed_values_kept(response, "Balai Desa Soko", "Forum menyepakati rancangan", "Ibu Sulastri", "Kader")
    assert "Please correct the errors below; nothing was saved yet." in messages_of(response)
    assert not StakeholderMeeting.objects.exists()
    assert not MeetingParticipant.objects.exists()


def test_meeting_in_the_future_is_refused(editor_client: Client, draft_charter: Charter) -> None:
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()

    response = editor_client.post(url(draft_charter, "meeting_add"), new_meeting_data(draft_charter, date=tomorrow))

    assert_error_next_to(
        response,
        "id_meeting-date",
        "The meeting date cannot be in the future: record a meeting once it has taken place.",
    )
    assert not StakeholderMeeting.objects.exists()


def test_participant_row_without_a_name_is_refused_and_the_typing_kept(
    editor_client: Client, draft_charter: Charter
) -> None:
    rows = [
        {"name": "dr. Siti Aminah", "group": "provider", "signed": "on"},
        {"name": "", "organisation": "LSM Suara Warga", "position": "Ketua", "group": "stakeholder"},
    ]

    response = editor_client.post(url(draft_charter, "meeting_add"), new_meeting_data(draft_charter, rows=rows))

    assert response.status_code == 200
    assert_error_next_to(response, "id_participants-1-name", "This field is required.")
    assert_typed_values_kept(response, "dr. Siti Aminah", "LSM Suara Warga", "Ketua", "Balai Desa Soko")
    html = response.content.decode()
    assert re.search(r'<option value="stakeholder" selected>', html)
    assert not StakeholderMeeting.objects.exists()


def test_participant_of_an_unknown_group_is_refused(editor_client: Client, meeting: StakeholderMeeting) -> None:
    charter = meeting.charter
    data = meeting_post_data(charter, meeting)
    data["meeting-place"] = "Balai Desa Soko"
    fill_rows(data, "participants", [{"name": "Pak Camat", "group": "mayor", "signed": "on"}], start=2)

    response = editor_client.post(url(charter, "meeting_edit", meeting.pk), data)

    assert response.status_code == 200
    assert_error_next_to(
        response, "id_participants-2-group", "Select a valid choice. mayor is not one of the available choices."
    )
    assert_typed_values_kept(response, "Pak Camat", "Balai Desa Soko")
    meeting.refresh_from_db()
    assert meeting.place == "Aula Puskesmas Soko"
    assert meeting.participants.count() == 2


def test_every_error_of_a_meeting_shows_at_once(editor_client: Client, draft_charter: Charter) -> None:
    rows = [{"name": "", "organisation": "Desa Soko", "group": "stakeholder"}]

    response = editor_client.post(
        url(draft_charter, "meeting_add"), new_meeting_data(draft_charter, rows=rows, date="", place="")
    )

    for field_id in ("id_meeting-date", "id_meeting-place", "id_participants-0-name"):
        assert_error_next_to(response, field_id, "This field is required.")


# --- Deleting a meeting -------------------------------------------------------------------------


def test_delete_page_asks_before_deleting(editor_client: Client, meeting: StakeholderMeeting) -> None:
    response = editor_client.get(url(meeting.charter, "meeting_delete", meeting.pk))

    assert response.status_code == 200
    assert "Its 2 participants will be removed with it." in response.content.decode()
    assert StakeholderMeeting.objects.filter(pk=meeting.pk).exists()


def test_deleting_a_meeting_removes_its_participants_and_scans(
    editor_client: Client, meeting: StakeholderMeeting, django_capture_on_commit_callbacks: Any
) -> None:
    attach(meeting)
    assert len(stored_files()) == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(url(meeting.charter, "meeting_delete", meeting.pk))

    assert response["Location"] == url(meeting.charter, "meetings")
    assert not StakeholderMeeting.objects.exists()
    assert not MeetingParticipant.objects.exists()
    assert not MeetingAttachment.objects.exists()
    assert stored_files() == []


def test_meeting_of_another_version_is_not_found_under_this_one(
    editor_client: Client, published_charter: Charter, draft_charter: Charter
) -> None:
    old_meeting = published_charter.meetings.get()

    for name in ("meeting_edit", "meeting_delete"):
        assert editor_client.get(url(draft_charter, name, old_meeting.pk)).status_code == 404


def test_meeting_of_another_facility_is_not_found(
    editor_client: Client, draft_charter: Charter, other_facility: Any
) -> None:
    foreign = StakeholderMeetingFactory(charter=make_complete_draft(other_facility))

    assert editor_client.get(url(draft_charter, "meeting_edit", foreign.pk)).status_code == 404


# --- Scans and photos ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("berita-acara.pdf", PDF, "application/pdf"),
        ("daftar hadir.jpg", JPEG, "image/jpeg"),
        ("foto-forum.png", PNG, "image/png"),
    ],
)
def test_pdf_jpeg_and_png_are_attached(
    editor_client: Client, editor: Any, meeting: StakeholderMeeting, name: str, content: bytes, content_type: str
) -> None:
    charter = meeting.charter

    response = editor_client.post(
        url(charter, "meeting_attachment_add", meeting.pk), {**upload(name, content), "attachment-description": "hal 1"}
    )

    assert response["Location"] == url(charter, "meeting_edit", meeting.pk) + "#attachments"
    attachment = meeting.attachments.get()
    assert (attachment.original_name, attachment.content_type, attachment.size) == (name, content_type, len(content))
    assert (attachment.uploaded_by, attachment.description) == (editor, "hal 1")
    stored = Path(attachment.file.path)
    assert stored.read_bytes() == content
    assert stored.parent == Path(settings.MEDIA_ROOT) / "private" / "meetings" / str(charter.facility_id) / str(
        meeting.pk
    )
    assert stored.name != name  # stored under a name of ours
    assert messages_of(response) == [f"“{name}” was attached."]


def test_type_is_read_from_the_content_not_from_the_name(editor_client: Client, meeting: StakeholderMeeting) -> None:
    editor_client.post(url(meeting.charter, "meeting_attachment_add", meeting.pk), upload("scan.pdf", PNG))

    attachment = meeting.attachments.get()
    assert attachment.content_type == "image/png"
    assert attachment.file.name.endswith(".png")


@pytest.mark.parametrize("program", [ELF, EXE], ids=["elf", "windows-exe"])
def test_renamed_program_is_refused(editor_client: Client, meeting: StakeholderMeeting, program: bytes) -> None:
    response = editor_client.post(
        url(meeting.charter, "meeting_attachment_add", meeting.pk), upload("scan.pdf", program, "application/pdf")
    )

    assert response.status_code == 200
    assert_error_next_to(
        response, "id_attachment-file", "“scan.pdf” is a program, not a scan or a photo: it cannot be attached."
    )
    assert "The file was not attached; the reason is shown below." in messages_of(response)
    assert not MeetingAttachment.objects.exists()
    assert stored_files() == []


def test_other_content_under_an_image_name_is_refused(editor_client: Client, meeting: StakeholderMeeting) -> None:
    response = editor_client.post(
        url(meeting.charter, "meeting_attachment_add", meeting.pk),
        {**upload("notulen.jpg", b"<html><script>alert(1)</script>", "image/jpeg"), "attachment-description": "hal 2"},
    )

    assert_error_next_to(
        response,
        "id_attachment-file",
        "“notulen.jpg” is not a PDF, JPEG or PNG file, whatever its name says. "
        "Attach a scan or photo in one of these formats.",
    )
    assert_typed_values_kept(response, "hal 2")
    assert not MeetingAttachment.objects.exists()


def test_file_over_10_mb_is_refused(editor_client: Client, meeting: StakeholderMeeting) -> None:
    too_big = PDF + b"\x00" * (MAX_MEETING_FILE_SIZE + 1 - len(PDF))

    response = editor_client.post(
        url(meeting.charter, "meeting_attachment_add", meeting.pk), upload("scan-besar.pdf", too_big)
    )

    assert response.status_code == 200
    assert_error_next_to(
        response,
        "id_attachment-file",
        "This file is larger than 10 MB. Scan at a lower resolution, or in several files.",
    )
    assert not MeetingAttachment.objects.exists()
    assert stored_files() == []


def test_file_of_exactly_10_mb_is_accepted(editor_client: Client, meeting: StakeholderMeeting) -> None:
    largest = PDF + b"\x00" * (MAX_MEETING_FILE_SIZE - len(PDF))

    editor_client.post(url(meeting.charter, "meeting_attachment_add", meeting.pk), upload("scan.pdf", largest))

    assert meeting.attachments.get().size == MAX_MEETING_FILE_SIZE


def test_empty_file_is_refused(editor_client: Client, meeting: StakeholderMeeting) -> None:
    response = editor_client.post(url(meeting.charter, "meeting_attachment_add", meeting.pk), upload("scan.pdf", b""))

    assert_error_next_to(response, "id_attachment-file", "The submitted file is empty.")
    assert not MeetingAttachment.objects.exists()


def test_upload_needs_post(editor_client: Client, meeting: StakeholderMeeting) -> None:
    assert editor_client.get(url(meeting.charter, "meeting_attachment_add", meeting.pk)).status_code == 405


def test_meeting_page_lists_scans_and_offers_the_upload_form(
    editor_client: Client, meeting: StakeholderMeeting
) -> None:
    attachment = attach(meeting, name="daftar-hadir.pdf")

    html = editor_client.get(url(meeting.charter, "meeting_edit", meeting.pk)).content.decode()

    assert 'enctype="multipart/form-data"' in html
    assert url(meeting.charter, "meeting_attachment_add", meeting.pk) in html
    assert url(meeting.charter, "meeting_attachment", meeting.pk, attachment.pk) in html
    assert "daftar-hadir.pdf" in html


@pytest.mark.parametrize(("content", "content_type"), [(PDF, "application/pdf"), (PNG, "image/png")])
def test_scan_is_served_to_staff_inline_with_its_type_and_nosniff(
    editor_client: Client, meeting: StakeholderMeeting, content: bytes, content_type: str
) -> None:
    editor_client.post(
        url(meeting.charter, "meeting_attachment_add", meeting.pk), upload("Berita Acara.pdf", content, "text/html")
    )
    attachment = meeting.attachments.get()

    response = editor_client.get(url(meeting.charter, "meeting_attachment", meeting.pk, attachment.pk))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == content_type
    extension = "png" if content_type == "image/png" else "pdf"  # what it is, not what it was called
    assert response["Content-Disposition"] == f'inline; filename="Berita Acara.{extension}"'
    assert response["X-Content-Type-Options"] == "nosniff" and response["Content-Security-Policy"] == "sandbox"
    assert "private" in response["Cache-Control"]


def test_scan_is_not_served_to_anonymous_visitors(client: Client, meeting: StakeholderMeeting) -> None:
    attachment = attach(meeting)
    path = url(meeting.charter, "meeting_attachment", meeting.pk, attachment.pk)

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('login')}?next=")


def test_scan_is_not_found_for_staff_of_another_facility(
    login: Callable[..., Client], other_editor: Any, meeting: StakeholderMeeting
) -> None:
    attachment = attach(meeting)

    response = login(other_editor).get(url(meeting.charter, "meeting_attachment", meeting.pk, attachment.pk))

    assert response.status_code == 404


def test_scan_is_not_found_under_another_meeting(editor_client: Client, meeting: StakeholderMeeting) -> None:
    attachment = attach(meeting)
    other_meeting = StakeholderMeetingFactory(charter=meeting.charter)

    response = editor_client.get(url(meeting.charter, "meeting_attachment", other_meeting.pk, attachment.pk))

    assert response.status_code == 404


def test_stored_files_have_no_public_address(
    client: Client, login: Callable[..., Client], editor: Any, meeting: StakeholderMeeting
) -> None:
    attachment = attach(meeting)
    public_path = "/" + settings.MEDIA_URL.strip("/") + "/" + attachment.file.name

    with pytest.raises(Resolver404):
        resolve(public_path)
    assert client.get(public_path).status_code == 404
    assert login(editor).get(public_path).status_code == 404


def test_scan_missing_from_storage_is_a_404(editor_client: Client, meeting: StakeholderMeeting) -> None:
    attachment = attach(meeting)
    Path(attachment.file.path).unlink()

    response = editor_client.get(url(meeting.charter, "meeting_attachment", meeting.pk, attachment.pk))

    assert response.status_code == 404


def test_a_stored_type_we_do_not_serve_is_only_downloaded(editor_client: Client, meeting: StakeholderMeeting) -> None:
    attachment = attach(meeting)
    MeetingAttachment.objects.filter(pk=attachment.pk).update(content_type="text/html")

    response = editor_client.get(url(meeting.charter, "meeting_attachment", meeting.pk, attachment.pk))

    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")


def test_removing_a_scan_deletes_the_row_and_the_file(
    editor_client: Client, meeting: StakeholderMeeting, django_capture_on_commit_callbacks: Any
) -> None:
    attachment = attach(meeting, name="daftar-hadir.pdf")
    kept = attach(meeting, name="foto.pdf")

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(url(meeting.charter, "meeting_attachment_delete", meeting.pk, attachment.pk))

    assert response["Location"] == url(meeting.charter, "meeting_edit", meeting.pk) + "#attachments"
    assert list(meeting.attachments.all()) == [kept]
    assert stored_files() == [Path(kept.file.path)]
    assert messages_of(response) == ["“daftar-hadir.pdf” was removed."]


def test_removing_a_scan_needs_post(editor_client: Client, meeting: StakeholderMeeting) -> None:
    attachment = attach(meeting)

    response = editor_client.get(url(meeting.charter, "meeting_attachment_delete", meeting.pk, attachment.pk))

    assert response.status_code == 405
    assert MeetingAttachment.objects.filter(pk=attachment.pk).exists()


@pytest.mark.parametrize(
    ("content", "kind"),
    [(PDF, "application/pdf"), (JPEG, "image/jpeg"), (PNG, "image/png"), (ELF, None), (b"%PD", None), (b"", None)],
)
def test_detect_kind_reads_the_first_bytes_and_rewinds(content: bytes, kind: str | None) -> None:
    file = SimpleUploadedFile("x", content)
    file.seek(2 if content else 0)

    detected = detect_kind(file)

    assert (detected.content_type if detected else None) == kind
    assert file.tell() == (2 if content else 0)


def test_programs_are_recognised() -> None:
    assert looks_like_program(SimpleUploadedFile("x", ELF))
    assert looks_like_program(SimpleUploadedFile("x", EXE))
    assert not looks_like_program(SimpleUploadedFile("x", PDF))


# --- The forum's decision on each service ---------------------------------------------------------


def test_decisions_page_lists_every_service_with_its_choices(editor_client: Client, draft_charter: Charter) -> None:
    response = editor_client.get(url(draft_charter, "agreement"))

    html = response.content.decode()
    for service in draft_charter.services.all():
        assert escape(service.name) in html
    for label in ("Agreed as drafted", "Agreed with changes", "Deferred", "Not decided yet"):
        assert html.count(label) >= draft_charter.services.count()
    assert 'type="radio"' in html


def test_agreed_with_changes_needs_to_say_what_changed(editor_client: Client, draft_charter: Charter) -> None:
    data = agreement_post_data(draft_charter)
    data.update(
        {"services-0-agreement": "changed", "services-0-agreement_note": "  ", "services-1-agreement": "agreed"}
    )

    response = editor_client.post(url(draft_charter, "agreement"), data)

    assert response.status_code == 200
    assert_error_next_to(response, "id_services-0-agreement_note", "Say what the forum changed in this service.")
    assert re.search(r'value="changed"[^>]*checked|checked[^>]*value="changed"', response.content.decode())
    assert list(draft_charter.services.values_list("agreement", flat=True)) == ["", ""]


def test_decisions_are_saved_and_leave_the_service_content_alone(editor_client: Client, draft_charter: Charter) -> None:
    first, second = draft_charter.services.all()
    revisions = (first.revision, second.revision)
    data = agreement_post_data(draft_charter)
    data.update(
        {
            "services-0-agreement": "changed",
            "services-0-agreement_note": "Biaya diturunkan menjadi Rp 5.000.",
            "services-1-agreement": "deferred",
        }
    )

    response = editor_client.post(url(draft_charter, "agreement"), data)

    assert response["Location"] == url(draft_charter, "meetings")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.agreement, first.agreement_note) == ("changed", "Biaya diturunkan menjadi Rp 5.000.")
    assert second.agreement == "deferred"
    assert (first.revision, second.revision) == revisions
    assert messages_of(response) == ["The forum's decisions were saved."]


def test_marking_every_service_clears_the_services_from_the_problems(
    editor_client: Client, consultation: Charter
) -> None:
    names = list(consultation.services.values_list("name", flat=True))
    assert all(any(name in problem for problem in consultation.agreement_problems()) for name in names)
    data = agreement_post_data(consultation)
    data.update({"services-0-agreement": "agreed", "services-1-agreement": "agreed"})

    editor_client.post(url(consultation, "agreement"), data)

    problems = Charter.objects.get(pk=consultation.pk).agreement_problems()
    assert problems == ["No stakeholder meeting is recorded yet."]


def test_decision_on_a_service_of_another_charter_is_refused(
    editor_client: Client, draft_charter: Charter, other_facility: Any
) -> None:
    foreign = make_complete_draft(other_facility).services.first()
    data = agreement_post_data(draft_charter)
    data.update({"services-0-id": str(foreign.pk), "services-0-agreement": "deferred"})

    response = editor_client.post(url(draft_charter, "agreement"), data)

    assert response.status_code == 200
    assert (
        "The list of services changed while you were editing. Reload the page and record the decisions again."
        in response.content.decode()
    )
    foreign.refresh_from_db()
    assert foreign.agreement == ""
    assert not draft_charter.services.exclude(agreement="").exists()


def test_extra_decision_rows_create_no_service(editor_client: Client, draft_charter: Charter) -> None:
    data = agreement_post_data(draft_charter)
    data.update({"services-TOTAL_FORMS": "3", "services-2-agreement": "agreed", "services-2-agreement_note": "baru"})

    editor_client.post(url(draft_charter, "agreement"), data)

    assert draft_charter.services.count() == 2


# --- A version that can no longer change ------------------------------------------------------------


def _agreed_charter(facility: Any, head: Any) -> Charter:
    draft = make_complete_draft(facility, services=2)
    charter_services.open_consultation(draft, head)
    meeting = record_agreement(draft)
    attach(meeting)
    return charter_services.mark_agreed(draft, head)


WRITE_URLS = [
    ("meeting_add", "get", False),
    ("meeting_add", "post", False),
    ("meeting_edit", "get", False),
    ("meeting_edit", "post", False),
    ("meeting_delete", "get", False),
    ("meeting_delete", "post", False),
    ("meeting_attachment_add", "post", False),
    ("meeting_attachment_delete", "post", True),
    ("agreement", "get", False),
    ("agreement", "post", False),
]


@pytest.mark.parametrize("status", ["agreed", "published"])
@pytest.mark.parametrize(("name", "method", "needs_attachment"), WRITE_URLS)
def test_frozen_version_refuses_every_forum_write(
    client: Client,
    login: Callable[..., Client],
    facility: Any,
    head: Any,
    status: str,
    name: str,
    method: str,
    needs_attachment: bool,
) -> None:
    charter = _agreed_charter(facility, head)
    if status == "published":
        charter_services.approve_charter(charter, head)
        charter = charter_services.publish_charter(charter, head)
    meeting = charter.meetings.get()
    args: list[Any] = [] if name in ("meeting_add", "agreement") else [meeting.pk]
    if needs_attachment:
        args.append(meeting.attachments.get().pk)
    data: dict[str, Any] = {}
    if name in ("meeting_add", "meeting_edit"):
        data = new_meeting_data(charter, place="Balai Desa")
    elif name == "meeting_attachment_add":
        data = upload("scan.pdf", PDF)
    elif name == "agreement":
        data = {**agreement_post_data(charter), "services-0-agreement": "deferred"}
    before, files = snapshot(), stored_files()
    login(head, client)

    response = (
        client.post(url(charter, name, *args), data) if method == "post" else client.get(url(charter, name, *args))
    )

    assert response.status_code == 403
    assert snapshot() == before
    assert stored_files() == files


def test_frozen_version_still_shows_its_forum_records(head_client: Client, facility: Any, head: Any) -> None:
    charter = make_published_charter(facility, head=head)
    meeting = charter.meetings.get()

    html = head_client.get(url(charter, "meetings")).content.decode()

    assert "This charter version can no longer be changed. Start a new revision to change the charter." in html
    assert meeting.place in html
    assert url(charter, "meeting_add") not in html
    assert url(charter, "meeting_edit", meeting.pk) not in html
    assert url(charter, "agreement") not in html


def test_write_is_refused_when_the_version_froze_after_the_page_checked_it(
    editor_client: Client, facility: Any, head: Any
) -> None:
    """The last check runs under the facility lock that `mark_agreed` holds too."""
    charter = _agreed_charter(facility, head)
    stale = Charter.objects.select_related("facility").get(pk=charter.pk)
    stale.status = CharterStatus.CONSULTATION  # as read just before someone marked it agreed
    meeting = charter.meetings.get()
    data = {**meeting_post_data(stale, meeting), "meeting-place": "Balai Desa"}
    before = snapshot()

    with mock.patch("charters.views.forum.get_charter_for_user", return_value=stale):
        response = editor_client.post(url(charter, "meeting_edit", meeting.pk), data)

    assert response.status_code == 403
    assert snapshot() == before


# --- The overview and the version page -----------------------------------------------------------


def test_overview_shows_each_meeting_with_signatures_per_group(
    editor_client: Client, meeting: StakeholderMeeting
) -> None:
    MeetingParticipantFactory(meeting=meeting, group=ParticipantGroup.USER, signed=False)
    attach(meeting, name="daftar-hadir.pdf")

    response = editor_client.get(url(meeting.charter, "meetings"))

    row = response.context["meeting_rows"][0]
    assert [(g["group"], g["present"], g["signed"]) for g in row["groups"]] == [
        (ParticipantGroup.PROVIDER, 1, 1),
        (ParticipantGroup.USER, 2, 1),
        (ParticipantGroup.STAKEHOLDER, 0, 0),
    ]
    html = response.content.decode()
    assert "No signature yet from: Other stakeholder" in html
    assert "daftar-hadir.pdf" in html
    assert "No meeting yet has signatures of at least one service provider" in html


def test_charter_page_links_the_forum_and_lists_what_it_lacks(editor_client: Client, consultation: Charter) -> None:
    html = editor_client.get(url(consultation, "charter")).content.decode()

    assert url(consultation, "meetings") in html
    assert url(consultation, "agreement") in html
    section = html[html.index('id="lifecycle-title"') :]
    section = section[: section.index("</section>")]
    assert "No stakeholder meeting is recorded yet." in section  # why "Mark as agreed" is not yet possible


@pytest.mark.parametrize("meetings", [1, 6])
def test_overview_queries_do_not_grow_with_meetings(
    editor_client: Client, draft_charter: Charter, django_assert_num_queries: Any, meetings: int
) -> None:
    for _ in range(meetings):
        meeting = record_agreement(draft_charter)
        attach(meeting)

    with django_assert_num_queries(7):
        response = editor_client.get(url(draft_charter, "meetings"))

    assert len(response.context["meeting_rows"]) == meetings


@pytest.mark.parametrize("participants", [1, 12])
def test_meeting_page_queries_do_not_grow_with_participants(
    editor_client: Client, meeting: StakeholderMeeting, django_assert_num_queries: Any, participants: int
) -> None:
    MeetingParticipantFactory.create_batch(participants, meeting=meeting)
    attach(meeting)
    attach(meeting)

    with django_assert_num_queries(6):
        response = editor_client.get(url(meeting.charter, "meeting_edit", meeting.pk))

    assert response.status_code == 200


def test_decisions_page_queries_are_fixed(
    editor_client: Client, draft_charter: Charter, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(4):
        response = editor_client.get(url(draft_charter, "agreement"))

    assert response.status_code == 200


def test_forum_pages_speak_indonesian(client: Client, editor: Any, meeting: StakeholderMeeting) -> None:
    charter = meeting.charter
    attach(meeting)
    client.force_login(editor)
    sources = english_sources()
    pages = [
        url(charter, "meetings"),
        url(charter, "meeting_add"),
        url(charter, "meeting_edit", meeting.pk),
        url(charter, "meeting_delete", meeting.pk),
        url(charter, "agreement"),
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        text = visible_text(response.content.decode())
        leftovers = [s for s in sources if s in text]
        assert not leftovers, f"{path} shows English: {leftovers[:5]}"


# --- The whole agreement through the pages -----------------------------------------------------------


def test_version_is_agreed_after_the_forum_is_recorded_through_these_pages(
    editor_client: Client, editor: Any, draft_charter: Charter
) -> None:
    charter = draft_charter
    editor_client.post(url(charter, "charter_consultation"))
    refused = editor_client.post(url(charter, "charter_agree"))
    assert "No stakeholder meeting is recorded yet." in messages_of(refused)

    # A first meeting without a stakeholder's signature is not enough.
    rows = [
        {"name": "dr. Siti Aminah", "group": "provider", "signed": "on"},
        {"name": "Ibu Sulastri", "group": "user", "signed": "on"},
        {"name": "Bapak Karno", "group": "stakeholder"},
    ]
    editor_client.post(url(charter, "meeting_add"), new_meeting_data(charter, rows=rows))
    meeting = charter.meetings.get()
    editor_client.post(url(charter, "meeting_attachment_add", meeting.pk), upload("daftar-hadir.pdf", PDF))
    data = agreement_post_data(charter)
    data.update(
        {
            "services-0-agreement": "agreed",
            "services-1-agreement": "changed",
            "services-1-agreement_note": "Jam layanan diperpanjang sampai 14.00.",
        }
    )
    editor_client.post(url(charter, "agreement"), data)
    refused = editor_client.post(url(charter, "charter_agree"))
    assert any("No meeting yet has signatures" in m for m in messages_of(refused))
    charter.refresh_from_db()
    assert charter.status == CharterStatus.CONSULTATION

    # Bapak Karno did sign: the record is corrected on the meeting's page.
    data = meeting_post_data(charter, meeting)
    karno = next(i for i in range(3) if data[f"participants-{i}-name"] == "Bapak Karno")
    data[f"participants-{karno}-signed"] = "on"
    editor_client.post(url(charter, "meeting_edit", meeting.pk), data)
    response = editor_client.post(url(charter, "charter_agree"), {"comment": "Forum 12 Mei"})

    charter.refresh_from_db()
    assert charter.status == CharterStatus.AGREED
    assert f"Version {charter.version} is recorded as agreed with the stakeholders." in messages_of(response)
    assert set(charter.services.values_list("agreement", flat=True)) == {
        AgreementDecision.AGREED,
        AgreementDecision.AGREED_WITH_CHANGES,
    }
    # The evidence stays with the agreed version, readable and unchangeable.
    attachment = meeting.attachments.get()
    assert editor_client.get(url(charter, "meeting_attachment", meeting.pk, attachment.pk)).status_code == 200
    assert editor_client.get(url(charter, "meeting_edit", meeting.pk)).status_code == 403
