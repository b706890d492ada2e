"""The case workflow: each step, who may take it, and what the citizen sees."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from feedback import services
from feedback.models import CaseStatus, EventKind, FeedbackKind, Rating

pytestmark = pytest.mark.django_db


def test_a_case_goes_from_received_to_closed(
    facility: Any, editor: Any, head: Any, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    editor.email = "editor@example.org"
    editor.save()
    with django_capture_on_commit_callbacks(execute=True):
        case = services.submit_case(
            facility, kind=FeedbackKind.COMPLAINT, description="Antrean lama", email="warga@example.org"
        )
    assert case.code.startswith("SKO-")
    assert case.status == CaseStatus.RECEIVED
    assert sorted(m.to[0] for m in mail.outbox) == ["editor@example.org", "warga@example.org"]
    services.start_handling(case, editor)
    with pytest.raises(PermissionDenied):
        services.reject_case(case, editor, "spam")
    services.reply(case, editor, "Kami perbaiki.")
    case.refresh_from_db()
    assert case.status == CaseStatus.ANSWERED and case.first_reply_at
    services.rate_answer(case, Rating.NOT_SATISFIED, "Masih lama")
    case.refresh_from_db()
    assert case.status == CaseStatus.REOPENED and case.rating == ""
    with pytest.raises(PermissionDenied):
        services.reply(case, editor, "lagi")
    services.reply(case, head, "Kepala: sudah kami tindak.")
    services.rate_answer(case, Rating.NOT_SATISFIED, "Tetap")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    with pytest.raises(ValidationError):
        services.add_information(case, "lagi")
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds[0] == EventKind.RECEIVED and EventKind.REPLY in kinds
