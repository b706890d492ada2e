"""Request bodies (issue 13, charter_site/bodylimit.py): a body over MAX_REQUEST_BODY is refused
before a byte of it is read, nginx caps it at the same size, and an upload Django's multipart
parser refuses gives the form back with an error next to its file field instead of a bare 400."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import ClientHandler, RequestFactory
from django.urls import reverse
from django.utils.html import escape

from charter_site.bodylimit import FORM_TOO_LARGE, NAME_TOO_LONG
from charter_site.csvimport import MAX_IMPORT_BYTES
from charters.models import MeetingAttachment
from charters.uploads import MAX_MEETING_FILE_SIZE
from feedback.models import Case, CaseAttachment, SurveyResponse
from feedback.services import MAX_CASE_FILE_SIZE
from monitoring.models import ServiceObservation
from tests.factories import CaseFactory, StakeholderMeetingFactory
from tests.test_settings import manage

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n"
# Three bytes a letter in UTF-8 (Javanese script): the file part's headers pass the 1,024 bytes
# Django's parser reads for them, and it gives up on the whole body.
LONG_NAME = "ꦱ" * 340 + ".png"
BOUNDARY = "maklumat-test-boundary"


class UnreadableBody(io.RawIOBase):
    """A request body that fails the test if anything reads it."""

    def read(self, size: int = -1) -> bytes:
        raise AssertionError("the request body was read")

    readline = read  # type: ignore[assignment]


def multipart(fields: list[tuple[str, str]], files: list[tuple[str, str, bytes]]) -> bytes:
    """A form as a browser sends it, fields first (as our templates draw them), with file names
    as they are: the test client would cut a long one to 255 characters."""
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n' for name, value in fields
    ]
    body = "".join(parts).encode()
    for field, filename, content in files:
        head = f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
        body += (head + "Content-Type: image/png\r\n\r\n").encode() + content + b"\r\n"
    return body + f"--{BOUNDARY}--\r\n".encode()


def post_multipart(client: Client, url: str, body: bytes) -> Any:
    return client.generic("POST", url, body, content_type=f"multipart/form-data; boundary={BOUNDARY}")


def error_next_to(html: str, field_id: str) -> str:
    """The field's error block as crispy draws it (the input carries `aria-describedby`)."""
    block = re.search(rf'<div id="{re.escape(field_id)}_error" class="invalid-feedback[^"]*">(.*?)</div>', html, re.S)
    if block:
        return block.group(1)
    start = html.index(f'id="{field_id}"')
    return html[start : start + 2000]


# --- The cap -----------------------------------------------------------------------------------


def test_a_body_over_the_cap_is_refused_unread_with_a_page_saying_the_limit(published_charter: Any) -> None:
    facility = published_charter.facility
    client = Client(enforce_csrf_checks=True)  # refused before CSRF reads the form
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    form_url = reverse("public:feedback", args=[facility.slug])

    response = client.generic(
        "POST",
        form_url,
        b"",
        CONTENT_TYPE=f"multipart/form-data; boundary={BOUNDARY}",  # with no data, generic() sets none
        CONTENT_LENGTH=str(settings.MAX_REQUEST_BODY + 1),
        HTTP_REFERER=f"http://testserver{form_url}",
        **{"wsgi.input": UnreadableBody()},
    )

    assert response.status_code == 413
    html = response.content.decode()
    assert "at most 11 MB" in html
    assert "Back button: the form still holds what you typed." in html
    assert f'href="http://testserver{form_url}"' in html
    assert response["Content-Language"] == "en"
    assert "Content-Security-Policy" in response  # the site's own policy, as on every page
    assert not Case.objects.exists()


def test_the_page_links_back_only_to_this_site(published_charter: Any) -> None:
    response = Client().generic(
        "POST",
        reverse("public:feedback", args=[published_charter.facility.slug]),
        b"",
        CONTENT_TYPE=f"multipart/form-data; boundary={BOUNDARY}",
        CONTENT_LENGTH=str(settings.MAX_REQUEST_BODY + 1),
        HTTP_REFERER="https://evil.example/",
        **{"wsgi.input": UnreadableBody()},
    )
    assert response.status_code == 413
    assert "evil.example" not in response.content.decode()


def test_a_body_at_the_cap_is_read(client: Client, facility: Any) -> None:
    with pytest.raises(AssertionError, match="the request body was read"):
        client.generic(
            "POST",
            reverse("public:feedback", args=[facility.slug]),
            b"",
            CONTENT_TYPE=f"multipart/form-data; boundary={BOUNDARY}",  # with no data, generic() sets none
            CONTENT_LENGTH=str(settings.MAX_REQUEST_BODY),
            **{"wsgi.input": UnreadableBody()},
        )


def test_a_body_without_a_length_is_read_as_empty(published_charter: Any) -> None:
    """Chunked, without Content-Length: Django reads at most the declared length (none), so the
    cap holds under WSGI too (gunicorn passes such a body on without a CONTENT_LENGTH)."""
    url = reverse("public:feedback", args=[published_charter.facility.slug])
    environ = RequestFactory().generic("POST", url).environ
    environ.pop("CONTENT_LENGTH", None)
    environ.update(
        {
            "CONTENT_TYPE": f"multipart/form-data; boundary={BOUNDARY}",
            "HTTP_TRANSFER_ENCODING": "chunked",
            "wsgi.input": UnreadableBody(),
        }
    )

    response = ClientHandler(enforce_csrf_checks=False)(environ)

    assert response.status_code == 200  # the form again: "Tell us what happened"
    assert not Case.objects.exists()


def test_the_largest_legitimate_form_fits_under_the_cap(editor_client: Client, draft_charter: Any) -> None:
    """A scan of the minutes of exactly 10 MB, the largest file any form takes, is accepted."""
    meeting = StakeholderMeetingFactory(charter=draft_charter)
    scan = SimpleUploadedFile("notulen.pdf", PDF + b"\x00" * (MAX_MEETING_FILE_SIZE - len(PDF)))
    url = reverse(
        "manage:meeting_attachment_add", args=[draft_charter.facility.slug, draft_charter.version, meeting.pk]
    )

    response = editor_client.post(url, {"attachment-file": scan, "attachment-description": "hal 1"})

    assert response.status_code == 302
    assert meeting.attachments.get().size == MAX_MEETING_FILE_SIZE


def test_the_cap_leaves_room_for_every_form_and_no_more() -> None:
    largest_file = max(MAX_MEETING_FILE_SIZE, MAX_CASE_FILE_SIZE, MAX_IMPORT_BYTES)
    assert largest_file + 64 * 1024 <= settings.MAX_REQUEST_BODY <= largest_file + 2 * 1024 * 1024
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE < settings.MAX_REQUEST_BODY  # the largest form without a file


def test_the_cap_is_read_from_the_environment() -> None:
    shown = manage(
        "shell", "-c", "from django.conf import settings; print(settings.MAX_REQUEST_BODY)", MAX_REQUEST_BODY="2048"
    )
    assert shown.stdout.strip().splitlines()[-1] == "2048"  # after the shell's note on auto-imports
    assert "MAX_REQUEST_BODY must be an integer" in manage("check", MAX_REQUEST_BODY="11m").stderr


def nginx_size(value: str) -> int:
    number, unit = re.fullmatch(r"(\d+)([kKmMgG]?)", value).groups()  # type: ignore[union-attr]
    return int(number) * {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[unit.lower()]


def test_nginx_refuses_bodies_at_the_same_size() -> None:
    config = (ROOT / "deploy/nginx.conf").read_text()
    docs = (ROOT / "docs/deployment.md").read_text()
    sizes = re.findall(r"^\s*client_max_body_size\s+(\S+);", config, re.M)
    assert [nginx_size(size) for size in sizes] == [settings.MAX_REQUEST_BODY]
    assert "MAX_REQUEST_BODY" in config
    # A refused body reaches the app without its bytes and with a length the app refuses unread.
    passed_on = re.search(r"location @too_large \{[^}]*Content-Length (\d+);", config)
    assert passed_on and int(passed_on.group(1)) > settings.MAX_REQUEST_BODY
    assert f"client_max_body_size {sizes[0]}" in docs and "MAX_REQUEST_BODY" in docs


# --- A file the multipart parser refuses --------------------------------------------------------


def refused_form(response: Any, field_id: str, message: str) -> str:
    assert response.status_code == 200
    html = response.content.decode()
    assert escape(str(message)) in error_next_to(html, field_id)
    return html


def test_the_complaint_form_comes_back_with_what_was_typed(published_charter: Any) -> None:
    facility = published_charter.facility
    client = Client(enforce_csrf_checks=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("public:feedback", args=[facility.slug])
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get(url).content.decode()).group(1)  # type: ignore[union-attr]
    fields = [("csrfmiddlewaretoken", token), ("kind", "complaint"), ("description", "Antrean terlalu lama di loket.")]

    response = post_multipart(client, url, multipart(fields, [("attachment", LONG_NAME, PNG)]))

    html = refused_form(response, "id_attachment", NAME_TOO_LONG)
    assert "Antrean terlalu lama di loket." in html
    assert not Case.objects.exists()


def test_too_many_files_give_the_form_back_too(published_charter: Any, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 1
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("public:feedback", args=[published_charter.facility.slug])
    fields = [("kind", "complaint"), ("description", "Dua foto.")]

    response = post_multipart(
        client, url, multipart(fields, [("attachment", "a.png", PNG), ("attachment", "b.png", PNG)])
    )

    html = refused_form(response, "id_attachment", FORM_TOO_LARGE)
    assert "Dua foto." in html
    assert not Case.objects.exists()


def test_the_staff_attach_form_comes_back(editor_client: Client, facility: Any) -> None:
    case = CaseFactory(facility=facility)
    url = reverse("manage:case_attach", args=[facility.slug, case.code])

    response = post_multipart(
        editor_client, url, multipart([("attach-public", "on")], [("attach-file", LONG_NAME, PNG)])
    )

    refused_form(response, "id_attach-file", NAME_TOO_LONG)
    assert not CaseAttachment.objects.exists()


def test_the_minutes_attachment_form_comes_back(editor_client: Client, draft_charter: Any) -> None:
    meeting = StakeholderMeetingFactory(charter=draft_charter)
    url = reverse(
        "manage:meeting_attachment_add", args=[draft_charter.facility.slug, draft_charter.version, meeting.pk]
    )
    fields = [("attachment-description", "Daftar hadir, hal 1")]

    response = post_multipart(editor_client, url, multipart(fields, [("attachment-file", LONG_NAME, PNG)]))

    html = refused_form(response, "id_attachment-file", NAME_TOO_LONG)
    assert "Daftar hadir, hal 1" in html
    assert not MeetingAttachment.objects.exists()


@pytest.mark.parametrize(
    ("name", "model"), [("survey_import", SurveyResponse), ("observation_import", ServiceObservation)]
)
def test_the_csv_import_forms_come_back(editor_client: Client, published_charter: Any, name: str, model: Any) -> None:
    url = reverse(f"manage:{name}", args=[published_charter.facility.slug])

    response = post_multipart(editor_client, url, multipart([], [("file", "ꦱ" * 340 + ".csv", b"a,b\n")]))

    refused_form(response, "id_file", NAME_TOO_LONG)
    assert not model.objects.exists()
