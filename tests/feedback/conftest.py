"""Fixtures for the feedback tests: uploads of each kind, and the task worker.

The rate limits live in Django's cache, which outlives a test's database transaction: it is
emptied before every feedback test.
"""

from __future__ import annotations

from unittest import mock

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from feedback import services

PDF_BYTES = b"%PDF-1.4\n% a tiny test document\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
PROGRAM_BYTES = b"\x7fELF\x02\x01\x01" + b"\x00" * 32


@pytest.fixture(autouse=True)
def _empty_rate_limits() -> None:
    cache.clear()


def pdf_upload(name: str = "surat.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def png_upload(name: str = "foto.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


def program_upload(name: str = "scan.pdf") -> SimpleUploadedFile:
    """A program renamed to look like a PDF, declared as one by the browser."""
    return SimpleUploadedFile(name, PROGRAM_BYTES, content_type="application/pdf")


def text_upload(name: str = "notes.txt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"just some text", content_type="text/plain")


def big_pdf_upload(name: str = "besar.pdf") -> SimpleUploadedFile:
    """A real PDF header, one byte over 5 MB."""
    size = services.MAX_CASE_FILE_SIZE + 1
    return SimpleUploadedFile(name, PDF_BYTES + b"0" * (size - len(PDF_BYTES)), content_type="application/pdf")


def run_worker() -> None:
    """Send what is queued, as `manage.py db_worker --batch` does.

    The worker closes the database connection between tasks when it looks unusable, as a
    long-running process must; inside a test's transaction (autocommit off) it always does, and
    on PostgreSQL that would close the test's own connection. Here the test keeps it.
    """
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
