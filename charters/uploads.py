"""What an uploaded file really is, read from its first bytes rather than from its name.

A file's name and the type the browser declares are whatever the sender chose: a program
renamed `scan.pdf` still starts with the bytes of a program. Scans and photos of the forum's
minutes are accepted only when their content opens as a PDF, JPEG or PNG file.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

from django.core.files.storage import Storage
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy
from PIL import Image

MAX_MEETING_FILE_SIZE = 10 * 1024 * 1024  # 10 MB, a scan of a forum's minutes or attendance list


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extension: str
    signature: bytes


ACCEPTED_KINDS: tuple[FileKind, ...] = (
    FileKind("application/pdf", "pdf", b"%PDF-"),
    FileKind("image/jpeg", "jpg", b"\xff\xd8\xff"),
    FileKind("image/png", "png", b"\x89PNG\r\n\x1a\n"),
)

# Programs, named only to explain a refusal: ELF (Linux), MZ (Windows), Mach-O (macOS), scripts.
PROGRAM_SIGNATURES: tuple[bytes, ...] = (
    b"\x7fELF",
    b"MZ",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"#!",
)

SERVABLE_TYPES = frozenset(kind.content_type for kind in ACCEPTED_KINDS)
EXTENSIONS = {kind.content_type: kind.extension for kind in ACCEPTED_KINDS}

# A photo of a form or a scan is a few thousand pixels a side: an image announcing more (a
# "decompression bomb" of a few kilobytes) would take the server's memory to open.
MAX_IMAGE_SIDE = 12_000
MAX_IMAGE_PIXELS = 50_000_000
IMAGE_TOO_LARGE = gettext_lazy(
    "This image is far too large (more than 12,000 pixels a side or 50 million pixels). Send a photo as the "
    "phone took it."
)

_HEADER_SIZE = 16


def read_header(file: IO[bytes]) -> bytes:
    """The file's first bytes; the file is left where it was, so it can still be stored."""
    position = file.tell()
    try:
        file.seek(0)
        return file.read(_HEADER_SIZE)
    finally:
        file.seek(position)


def detect_kind(file: IO[bytes]) -> FileKind | None:
    """The accepted kind the file's content matches, or None."""
    header = read_header(file)
    return next((kind for kind in ACCEPTED_KINDS if header.startswith(kind.signature)), None)


def image_too_large(file: IO[bytes], kind: FileKind) -> bool:
    """Whether an image announces absurd dimensions (read from its header, not decoded). One
    whose header cannot be read is left to the signature check: it is served sandboxed anyway."""
    if not kind.content_type.startswith("image/"):
        return False
    position = file.tell()
    try:
        file.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            width, height = Image.open(file).size
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        return True
    except (OSError, SyntaxError, ValueError):
        return False
    finally:
        file.seek(position)
    return max(width, height) > MAX_IMAGE_SIDE or width * height > MAX_IMAGE_PIXELS


def looks_like_program(file: IO[bytes]) -> bool:
    header = read_header(file)
    return any(header.startswith(signature) for signature in PROGRAM_SIGNATURES)


def delete_files_on_commit(storage: Storage, names: list[str]) -> None:
    """Remove stored files once the rows that pointed at them are gone for good."""

    def delete() -> None:
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete)


def verified_type(handle: IO[bytes], content_type: str) -> str | None:
    """`content_type` when the stored bytes still start as that type, else None.

    The type was read from the content at upload; it is read again here because the row and the
    file are only as trustworthy as whatever last wrote them (an admin, a restored backup, a
    file replaced on the shared volume), and a browser shows inline what it is told is an image.
    """
    if content_type not in SERVABLE_TYPES:
        return None
    kind = detect_kind(handle)
    return content_type if kind is not None and kind.content_type == content_type else None


def serve_file(file: FieldFile, content_type: str, filename: str) -> FileResponse:
    """A stored upload as a private response, shown in the browser only when it is a verified
    PDF, JPEG or PNG (the stored type, read from the content at upload, matching the stored
    bytes); anything else is only downloaded, as `application/octet-stream`."""
    try:
        handle = file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is missing from storage") from exc
    verified = verified_type(handle, content_type)
    # The extension of what the file is, never the sender's `.html` or `.svg`: a downloaded file
    # opened from the disk is opened by its extension.
    extension = EXTENSIONS[verified] if verified else "bin"
    response = FileResponse(
        handle,
        content_type=verified or "application/octet-stream",
        as_attachment=verified is None,
        filename=f"{PurePath(filename).stem or 'file'}.{extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Whatever a browser made of the file, it could run nothing in our origin.
    response["Content-Security-Policy"] = "sandbox"
    patch_cache_control(response, private=True, no_store=True)  # a citizen's or a meeting's file
    return response
