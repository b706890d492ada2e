"""Uploaded files (issue 13): served with the extension of what they are, sandboxed, and an
image announcing absurd dimensions is refused next to its field with what was typed kept."""

from __future__ import annotations

import io
import zlib
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from charters.services import forum
from charters.uploads import detect_kind
from feedback import services
from tests.factories import StakeholderMeetingFactory, make_complete_draft

pytestmark = pytest.mark.django_db


def png_of(width: int, height: int) -> bytes:
    """A real PNG; a huge one is written by hand (one empty compressed row repeated) so that the
    test does not need the memory the image announces."""
    if width * height <= 4_000_000:
        buffer = io.BytesIO()
        Image.new("L", (width, height)).save(buffer, "PNG")
        return buffer.getvalue()

    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")

    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 0, 0, 0, 0])
    pixels = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def test_a_file_is_served_with_the_extension_of_what_it_is_and_sandboxed(editor_client: Client, facility: Any) -> None:
    photo = SimpleUploadedFile("bukti.html", png_of(40, 30), content_type="text/html")
    case = services.submit_case(facility, kind="complaint", description="Lihat foto", attachment=photo)
    attachment = case.attachments.get()

    response = editor_client.get(reverse("manage:case_file", args=[facility.slug, case.code, attachment.pk]))

    assert response["Content-Type"] == "image/png"
    assert 'filename="bukti.png"' in response["Content-Disposition"]
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_photo_of_absurd_dimensions_is_refused_next_to_its_field(client: Client, published_charter: Any) -> None:
    facility = published_charter.facility
    bomb = SimpleUploadedFile("foto.png", png_of(60_000, 60_000), content_type="image/png")
    data = {"kind": "complaint", "description": "Antrean terlalu lama di loket.", "attachment": bomb}

    response = client.post(reverse("public:feedback", args=[facility.slug]), data)

    assert response.status_code == 200
    form = response.context["form"]
    assert "attachment" in form.errors and "12.000" in str(form.errors["attachment"])
    assert "Antrean terlalu lama di loket." in response.content.decode()  # kept
    assert not facility.cases.exists()


def test_an_ordinary_photo_is_accepted() -> None:
    photo = SimpleUploadedFile("foto.png", png_of(3000, 4000), content_type="image/png")
    services.check_attachment(photo)  # no error


# --- Shown in the browser only when verified ----------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def case_file(case: Any, attachment: Any, public: bool) -> str:
    if public:  # the tracking page's link, open to anyone with the code
        return reverse("public:track_file", args=[case.code, attachment.pk])
    return reverse("manage:case_file", args=[case.facility.slug, case.code, attachment.pk])


def stored_file(where: str, facility: Any, editor: Any, name: str, content: bytes) -> tuple[str, Any]:
    """(the URL serving it, the attachment) of a checked upload kept by each of the three ways."""
    upload = SimpleUploadedFile(name, content)
    if where == "meeting":
        meeting = StakeholderMeetingFactory(charter=make_complete_draft(facility, created_by=editor))
        kind = detect_kind(upload)
        assert kind is not None
        attachment = forum.attach_file(meeting, upload, kind, name, "", editor)
        charter = meeting.charter
        args = [facility.slug, charter.version, meeting.pk, attachment.pk]
        return reverse("manage:meeting_attachment", args=args), attachment
    case = services.submit_case(facility, kind="complaint", description="Lihat berkas")
    public = where == "tracking page"
    attachment = services.attach_file(case, editor, upload, public=public)
    return case_file(case, attachment, public), attachment


WHERE = ["case (staff)", "tracking page", "meeting"]


@pytest.mark.parametrize("where", WHERE)
@pytest.mark.parametrize(
    ("name", "content", "content_type", "shown_as"),
    [
        ("foto.svg", png_of(40, 30), "image/png", "foto.png"),
        ("surat.html", PDF, "application/pdf", "surat.pdf"),
    ],
    ids=["png", "pdf"],
)
def test_a_verified_image_or_pdf_is_shown_in_the_browser(
    editor_client: Client,
    facility: Any,
    editor: Any,
    where: str,
    name: str,
    content: bytes,
    content_type: str,
    shown_as: str,
) -> None:
    url, _attachment = stored_file(where, facility, editor, name, content)

    response = editor_client.get(url)

    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'inline; filename="{shown_as}"'
    assert response["Content-Security-Policy"] == "sandbox"
    assert b"".join(response.streaming_content) == content


@pytest.mark.parametrize("where", WHERE)
def test_a_stored_file_that_is_no_longer_what_its_row_says_is_only_downloaded(
    editor_client: Client, facility: Any, editor: Any, where: str
) -> None:
    """The row says PNG, but the bytes on the volume were replaced (a restored backup, a hand on
    the shared volume): the browser is not told to show them."""
    url, attachment = stored_file(where, facility, editor, "foto.png", png_of(40, 30))
    Path(attachment.file.path).write_bytes(b"<html><script>alert(document.cookie)</script></html>")

    response = editor_client.get(url)

    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="foto.bin"'
    assert response["Content-Security-Policy"] == "sandbox"


def test_a_row_of_a_type_we_do_not_show_is_only_downloaded(editor_client: Client, facility: Any, editor: Any) -> None:
    url, attachment = stored_file("case (staff)", facility, editor, "foto.png", png_of(40, 30))
    type(attachment).objects.filter(pk=attachment.pk).update(content_type="image/svg+xml", original_name="logo.svg")

    response = editor_client.get(url)

    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="logo.bin"'
