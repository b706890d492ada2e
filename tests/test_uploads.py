"""Uploaded files (issue 13): served with the extension of what they are, sandboxed, and an
image announcing absurd dimensions is refused next to its field with what was typed kept."""

from __future__ import annotations

import io
import zlib
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from feedback import services

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
