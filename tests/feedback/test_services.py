"""The case workflow: each step, who may take it, and what the citizen sees."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from feedback import services
from feedback.models import CaseStatus, EventKind, FeedbackKind, Rating
from tests.factories import CaseFactory

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


# --- Every staff step from every status, by role -------------------------------------------------

OK, HEAD_ONLY, WRONG = "ok", "head only", "wrong status"
S = CaseStatus
# Written out by hand, not derived from STAFF_STEPS: this is the rule the workflow must keep.
TRANSITIONS: dict[str, dict[str, str]] = {
    "start": {S.RECEIVED: OK, S.REOPENED: HEAD_ONLY},
    "reply": {S.RECEIVED: OK, S.IN_PROGRESS: OK, S.ANSWERED: OK, S.REOPENED: HEAD_ONLY},
    "close": {S.ANSWERED: OK, S.REOPENED: HEAD_ONLY},
    "reject": {S.RECEIVED: HEAD_ONLY, S.IN_PROGRESS: HEAD_ONLY, S.REOPENED: HEAD_ONLY},
}
TARGETS = {"start": S.IN_PROGRESS, "reply": S.ANSWERED, "close": S.CLOSED, "reject": S.REJECTED}
ACTIONS = {
    "start": lambda case, user: services.start_handling(case, user),
    "reply": lambda case, user: services.reply(case, user, "Jawaban kami."),
    "close": lambda case, user: services.close_case(case, user),
    "reject": lambda case, user: services.reject_case(case, user, "Spam"),
}


def _cells() -> list[Any]:
    return [
        pytest.param(step, status, role, id=f"{step}-{status}-{role}")
        for step in TRANSITIONS
        for status in CaseStatus
        for role in ("editor", "head")
    ]


@pytest.mark.parametrize(("step", "status", "role"), _cells())
def test_each_step_from_each_status_by_each_role(
    facility: Any, editor: Any, head: Any, step: str, status: str, role: str
) -> None:
    case = CaseFactory(facility=facility, status=status)
    user = head if role == "head" else editor
    rule = TRANSITIONS[step].get(status, WRONG)
    may = rule == OK or (rule == HEAD_ONLY and role == "head")
    assert (step in services.allowed_steps(case, is_head=role == "head")) is may
    if may:
        ACTIONS[step](case, user)
        case.refresh_from_db()
        assert case.status == TARGETS[step]
        return
    with pytest.raises(ValidationError if rule == WRONG else PermissionDenied):
        ACTIONS[step](case, user)
    case.refresh_from_db()
    assert case.status == status
    assert case.events.count() == 1  # only the receipt: a refused step leaves no trace


def test_reclassifying_a_reopened_case_counts_from_the_reopening(facility: Any, head: Any) -> None:
    tz = timezone.get_current_timezone()
    case = CaseFactory(
        facility=facility,
        status=CaseStatus.REOPENED,
        received_at=datetime.datetime(2026, 8, 3, 9, tzinfo=tz),
        reopened_at=datetime.datetime(2026, 8, 14, 9, tzinfo=tz),  # a Friday
    )
    services.reclassify(case, head, kind=case.kind, complaint_class="light", service=None)
    case.refresh_from_db()
    # Two working days after Friday 14 August 2026: not the weekend, nor Monday 17 (Independence Day).
    assert case.due_date == datetime.date(2026, 8, 19)
