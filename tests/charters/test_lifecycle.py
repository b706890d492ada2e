"""The lifecycle of a charter version: draft → consultation → agreed → approved → published →
superseded. Each step through the services (who may take it, from which status, what it
records), the refusals, scheduled publication and `take_effect`, starting and discarding a
draft, and the status changes the model accepts from a frozen version (only its next step).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from django.utils.formats import date_format

from charters import services
from charters.models import (
    AgreementDecision,
    Charter,
    CharterEvent,
    CharterStatus,
    ClauseParty,
    Facility,
    ImmutableCharterError,
    ParticipantGroup,
    Requirement,
    ServiceStandard,
    StakeholderMeeting,
)
from tests.charters.versions import FROZEN_STATUSES, charter_in
from tests.factories import (
    CharterFactory,
    ClauseFactory,
    MeetingParticipantFactory,
    MembershipFactory,
    ServiceStandardFactory,
    StakeholderMeetingFactory,
    approve_draft,
    make_complete_draft,
    make_complete_service,
    make_published_charter,
    record_agreement,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Any:
    """Messages are compared in their English source; the site's default language is Indonesian."""
    with translation.override("en"):
        yield


@contextmanager
def clock(day: date) -> Iterator[None]:
    """Move the lifecycle's calendar (`timezone.localdate`) to `day`."""
    with mock.patch("django.utils.timezone.localdate", return_value=day):
        yield


# --- services.start_draft ---------------------------------------------------------------


def test_start_draft_of_a_new_facility_is_an_empty_version_one(facility: Facility, editor: Any) -> None:
    draft = services.start_draft(facility, editor)
    assert (draft.version, draft.status, draft.created_by) == (1, CharterStatus.DRAFT, editor)
    assert not draft.services.exists()
    assert list(draft.events.values_list("action", "user")) == [(CharterEvent.Action.CREATED, editor.pk)]


def test_start_draft_copies_the_published_charter(published_charter: Charter, editor: Any) -> None:
    draft = services.start_draft(published_charter.facility, editor)

    assert draft.pk != published_charter.pk
    assert draft.version == published_charter.version + 1
    assert draft.status == CharterStatus.DRAFT
    assert draft.pledge == published_charter.pledge
    assert draft.complaint_info == published_charter.complaint_info
    assert draft.review_due_date is None

    def content(charter: Charter) -> list[Any]:
        return [
            (
                s.position,
                s.name,
                s.slug,
                s.duration_value,
                s.fee_is_free,
                s.methods,
                s.product,
                [(r.position, r.text) for r in s.requirements.all()],
                [(p.position, p.text) for p in s.steps.all()],
                [(t.weekday, t.opens, t.closes) for t in s.schedule_slots.all()],
            )
            for s in charter.services.all()
        ]

    assert content(draft) == content(published_charter)
    assert len(content(draft)) == 2
    clauses = ["party", "kind", "text", "position"]
    assert list(draft.clauses.values_list(*clauses)) == list(published_charter.clauses.values_list(*clauses))
    # The copies are new rows: the published charter keeps its own.
    assert not set(draft.services.values_list("pk", flat=True)) & set(
        published_charter.services.values_list("pk", flat=True)
    )
    assert published_charter.services.count() == 2
    assert Requirement.objects.filter(service__charter=published_charter).count() == 2
    assert draft.events.get().comment == f"Copied from version {published_charter.version}."


def test_start_draft_returns_the_existing_draft(published_charter: Charter, editor: Any) -> None:
    first = services.start_draft(published_charter.facility, editor)
    second = services.start_draft(published_charter.facility, editor)
    assert first.pk == second.pk
    assert published_charter.facility.charters.filter(status=CharterStatus.DRAFT).count() == 1
    assert CharterEvent.objects.filter(charter=first).count() == 1


@pytest.mark.parametrize(
    "status",
    [CharterStatus.DRAFT, CharterStatus.CONSULTATION, CharterStatus.AGREED, CharterStatus.APPROVED, "scheduled"],
    ids=str,
)
def test_start_draft_returns_the_version_in_progress_whatever_its_step(
    facility: Facility, head: Any, editor: Any, status: str
) -> None:
    charter_in(CharterStatus.PUBLISHED, facility, head)
    if status == "scheduled":
        in_progress = charter_in(CharterStatus.APPROVED, facility, head)
        with clock(date(2026, 3, 10)):
            services.publish_charter(in_progress, head, effective_date=date(2026, 4, 1))
    else:
        in_progress = charter_in(status, facility, head)
    events = CharterEvent.objects.count()

    with clock(date(2026, 3, 11)):
        assert services.start_draft(facility, editor) == in_progress

    assert facility.charters.count() == 2
    assert CharterEvent.objects.count() == events
    assert Charter.objects.get(pk=in_progress.pk).status == in_progress.status


def test_start_draft_copies_the_published_version_not_the_superseded_one(facility: Facility, head: Any) -> None:
    charter_in(CharterStatus.SUPERSEDED, facility, head)
    current = facility.published_charter()
    draft = services.start_draft(facility, head)
    assert draft.version == 3
    assert draft.events.get().comment == f"Copied from version {current.version}."
    assert (draft.status, draft.effective_date, draft.agreed_at, draft.approved_at) == (
        CharterStatus.DRAFT,
        None,
        None,
        None,
    )
    assert set(draft.services.values_list("agreement", flat=True)) == {""}
    assert not draft.meetings.exists()


def test_draft_copy_can_be_edited_without_touching_the_published_charter(
    published_charter: Charter, editor: Any
) -> None:
    draft = services.start_draft(published_charter.facility, editor)
    service = draft.services.first()
    service.name = "Poli Umum Baru"
    service.save()
    assert not published_charter.services.filter(name="Poli Umum Baru").exists()


# --- services.open_consultation and return_to_draft --------------------------------------


def test_open_consultation_puts_a_complete_draft_before_the_public(draft_charter: Charter, editor: Any) -> None:
    services.open_consultation(draft_charter, editor, "Mohon masukan warga")
    draft_charter.refresh_from_db()
    assert draft_charter.status == CharterStatus.CONSULTATION
    assert draft_charter.is_editable and draft_charter.is_open
    event = draft_charter.events.get()
    assert (event.action, event.user, event.comment) == (
        CharterEvent.Action.CONSULTATION,
        editor,
        "Mohon masukan warga",
    )


def test_incomplete_draft_is_not_opened_for_consultation(facility: Facility, editor: Any) -> None:
    draft = CharterFactory(facility=facility)
    ServiceStandardFactory(charter=draft, name="Laboratorium", duration_value=None)
    with pytest.raises(ValidationError) as excinfo:
        services.open_consultation(draft, editor)
    assert excinfo.value.messages == [
        "No rights or obligations of the service user are recorded yet.",
        "No rights or obligations of the service provider are recorded yet.",
        "Laboratorium: requirements, procedure, schedule, duration still missing.",
    ]
    draft.refresh_from_db()
    assert draft.status == CharterStatus.DRAFT
    assert not draft.events.exists()


def test_empty_draft_is_not_opened_for_consultation(facility: Facility, editor: Any) -> None:
    draft = CharterFactory(facility=facility, pledge=" ")
    with pytest.raises(ValidationError) as excinfo:
        services.open_consultation(draft, editor)
    assert excinfo.value.messages == [
        "The charter has no services yet.",
        "The pledge (maklumat) is empty.",
        "No rights or obligations of the service user are recorded yet.",
        "No rights or obligations of the service provider are recorded yet.",
    ]


def test_draft_with_rights_of_only_one_side_is_not_opened_for_consultation(facility: Facility, editor: Any) -> None:
    draft = make_complete_draft(facility)
    draft.clauses.filter(party="provider").delete()
    with pytest.raises(ValidationError) as excinfo:
        services.open_consultation(draft, editor)
    assert excinfo.value.messages == ["No rights or obligations of the service provider are recorded yet."]


@pytest.mark.parametrize(
    "status",
    [CharterStatus.CONSULTATION, CharterStatus.AGREED, CharterStatus.APPROVED, CharterStatus.PUBLISHED],
    ids=str,
)
def test_only_a_draft_is_opened_for_consultation(facility: Facility, head: Any, status: str) -> None:
    charter = charter_in(status, facility, head)
    events = charter.events.count()
    with pytest.raises(ValidationError) as excinfo:
        services.open_consultation(charter, head)
    assert excinfo.value.code == "wrong_status"
    charter.refresh_from_db()
    assert charter.status == status
    assert charter.events.count() == events


def test_return_to_draft_reopens_the_consultation_version_for_editing(facility: Facility, editor: Any) -> None:
    charter = services.open_consultation(make_complete_draft(facility), editor)
    services.return_to_draft(charter, editor, "Jadwal imunisasi perlu diperbaiki")
    charter.refresh_from_db()
    assert charter.status == CharterStatus.DRAFT
    event = charter.events.last()
    assert (event.action, event.user, event.comment) == (
        CharterEvent.Action.RETURNED,
        editor,
        "Jadwal imunisasi perlu diperbaiki",
    )


@pytest.mark.parametrize(
    "status",
    [CharterStatus.DRAFT, CharterStatus.AGREED, CharterStatus.APPROVED, CharterStatus.PUBLISHED],
    ids=str,
)
def test_only_a_version_in_consultation_returns_to_draft(facility: Facility, head: Any, status: str) -> None:
    charter = charter_in(status, facility, head)
    with pytest.raises(ValidationError) as excinfo:
        services.return_to_draft(charter, head)
    assert excinfo.value.code == "wrong_status"
    charter.refresh_from_db()
    assert charter.status == status


# --- services.mark_agreed ----------------------------------------------------------------


@pytest.fixture
def in_consultation(facility: Facility, head: Any) -> Charter:
    return charter_in(CharterStatus.CONSULTATION, facility, head)


def _refused_agreement(charter: Charter, user: Any) -> list[str]:
    with pytest.raises(ValidationError) as excinfo:
        services.mark_agreed(charter, user)
    charter.refresh_from_db()
    assert charter.status == CharterStatus.CONSULTATION
    assert charter.agreed_at is None
    assert not charter.events.filter(action=CharterEvent.Action.AGREED).exists()
    return excinfo.value.messages


def _meeting(charter: Charter, signatures: dict[str, bool]) -> StakeholderMeeting:
    meeting = StakeholderMeetingFactory(charter=charter)
    for group, signed in signatures.items():
        MeetingParticipantFactory(meeting=meeting, group=group, signed=signed)
    return meeting


ALL_SIGNED = {ParticipantGroup.PROVIDER: True, ParticipantGroup.USER: True, ParticipantGroup.STAKEHOLDER: True}
NO_THREE_GROUPS = (
    "No meeting yet has signatures of at least one service provider, one service user and one other stakeholder."
)


def test_forum_agreement_is_recorded(in_consultation: Charter, editor: Any) -> None:
    record_agreement(in_consultation)
    services.mark_agreed(in_consultation, editor, "Forum Konsultasi Publik 12 Mei")
    in_consultation.refresh_from_db()
    assert in_consultation.status == CharterStatus.AGREED
    assert in_consultation.agreed_at is not None
    assert not in_consultation.is_editable and in_consultation.is_open
    event = in_consultation.events.last()
    assert (event.action, event.user, event.comment) == (
        CharterEvent.Action.AGREED,
        editor,
        "Forum Konsultasi Publik 12 Mei",
    )


def test_agreement_without_a_meeting_is_refused(in_consultation: Charter, head: Any) -> None:
    in_consultation.services.update(agreement=AgreementDecision.AGREED)
    assert _refused_agreement(in_consultation, head) == ["No stakeholder meeting is recorded yet."]


@pytest.mark.parametrize("missing", ParticipantGroup.values)
def test_agreement_without_a_signature_of_each_group_is_refused(
    in_consultation: Charter, head: Any, missing: str
) -> None:
    in_consultation.services.update(agreement=AgreementDecision.AGREED)
    _meeting(in_consultation, {**ALL_SIGNED, missing: False})
    assert _refused_agreement(in_consultation, head) == [NO_THREE_GROUPS]


def test_agreement_needs_the_three_groups_in_one_meeting(in_consultation: Charter, head: Any) -> None:
    in_consultation.services.update(agreement=AgreementDecision.AGREED)
    _meeting(in_consultation, {ParticipantGroup.PROVIDER: True, ParticipantGroup.USER: True})
    _meeting(in_consultation, {ParticipantGroup.STAKEHOLDER: True})
    assert _refused_agreement(in_consultation, head) == [NO_THREE_GROUPS]


def test_agreement_with_an_unmarked_service_is_refused(in_consultation: Charter, head: Any) -> None:
    record_agreement(in_consultation)
    service = in_consultation.services.last()
    service.agreement = ""
    service.save()
    assert _refused_agreement(in_consultation, head) == [f"The forum's decision is not recorded for {service.name}."]


def test_agreement_with_changes_needs_a_note(in_consultation: Charter, head: Any) -> None:
    record_agreement(in_consultation)
    service = in_consultation.services.first()
    service.agreement, service.agreement_note = AgreementDecision.AGREED_WITH_CHANGES, "  "
    service.save()
    assert _refused_agreement(in_consultation, head) == [f"{service.name}: say what the forum changed."]

    service.agreement_note = "Waktu pelayanan diubah dari 20 menjadi 15 menit."
    service.save()
    services.mark_agreed(in_consultation, head)
    in_consultation.refresh_from_db()
    assert in_consultation.status == CharterStatus.AGREED


def test_deferred_services_do_not_block_the_agreement(in_consultation: Charter, head: Any) -> None:
    record_agreement(in_consultation)
    in_consultation.services.filter(pk=in_consultation.services.first().pk).update(agreement=AgreementDecision.DEFERRED)
    services.mark_agreed(in_consultation, head)
    in_consultation.refresh_from_db()
    assert in_consultation.status == CharterStatus.AGREED


def test_agreement_of_a_version_made_incomplete_is_refused(in_consultation: Charter, head: Any) -> None:
    record_agreement(in_consultation)
    service = in_consultation.services.first()
    service.steps.all().delete()
    assert _refused_agreement(in_consultation, head) == [f"{service.name}: procedure still missing."]


@pytest.mark.parametrize("status", [CharterStatus.DRAFT, CharterStatus.AGREED, CharterStatus.PUBLISHED], ids=str)
def test_only_a_version_in_consultation_is_agreed(facility: Facility, head: Any, status: str) -> None:
    charter = charter_in(status, facility, head)
    with pytest.raises(ValidationError) as excinfo:
        services.mark_agreed(charter, head)
    assert excinfo.value.code == "wrong_status"
    charter.refresh_from_db()
    assert charter.status == status


# --- services.approve_charter -----------------------------------------------------------


@pytest.fixture
def agreed(facility: Facility, head: Any) -> Charter:
    return charter_in(CharterStatus.AGREED, facility, head)


def test_head_approves_the_agreed_version(agreed: Charter, head: Any) -> None:
    services.approve_charter(agreed, head, "SK Kepala Puskesmas Nomor 12")
    agreed.refresh_from_db()
    assert agreed.status == CharterStatus.APPROVED
    assert (agreed.approved_by, agreed.published_at) == (head, None)
    assert agreed.approved_at is not None
    assert not agreed.is_scheduled
    event = agreed.events.last()
    assert (event.action, event.user, event.comment) == (
        CharterEvent.Action.APPROVED,
        head,
        "SK Kepala Puskesmas Nomor 12",
    )


def test_superuser_may_approve(agreed: Charter, superuser: Any) -> None:
    services.approve_charter(agreed, superuser)
    agreed.refresh_from_db()
    assert (agreed.status, agreed.approved_by) == (CharterStatus.APPROVED, superuser)


def user_who_is_not_head(persona: str, editor: Any, head: Any, other_facility: Facility) -> Any:
    """The editor, a head of another facility, or the facility's head made inactive."""
    if persona == "inactive_head":
        head.is_active = False
        head.save()
        return head
    return editor if persona == "editor" else MembershipFactory(facility=other_facility, head=True).user


@pytest.mark.parametrize("persona", ["editor", "other_head", "inactive_head"])
def test_only_an_active_head_of_the_facility_approves(
    agreed: Charter, editor: Any, head: Any, other_facility: Facility, persona: str
) -> None:
    user = user_who_is_not_head(persona, editor, head, other_facility)
    with pytest.raises(PermissionDenied):
        services.approve_charter(agreed, user)
    agreed.refresh_from_db()
    assert (agreed.status, agreed.approved_by, agreed.approved_at) == (CharterStatus.AGREED, None, None)
    assert not agreed.events.filter(action=CharterEvent.Action.APPROVED).exists()


@pytest.mark.parametrize(
    "status",
    [CharterStatus.DRAFT, CharterStatus.CONSULTATION, CharterStatus.APPROVED, CharterStatus.PUBLISHED],
    ids=str,
)
def test_only_an_agreed_version_is_approved(facility: Facility, head: Any, status: str) -> None:
    charter = charter_in(status, facility, head)
    with pytest.raises(ValidationError) as excinfo:
        services.approve_charter(charter, head)
    assert excinfo.value.code == "wrong_status"
    charter.refresh_from_db()
    assert charter.status == status


# --- services.publish_charter and take_effect ------------------------------------------


@pytest.fixture
def approved(facility: Facility, head: Any) -> Charter:
    return charter_in(CharterStatus.APPROVED, facility, head)


@pytest.mark.parametrize("persona", ["editor", "other_head", "inactive_head"])
def test_only_an_active_head_of_the_facility_publishes(
    approved: Charter, editor: Any, head: Any, other_facility: Facility, persona: str
) -> None:
    user = user_who_is_not_head(persona, editor, head, other_facility)
    with pytest.raises(PermissionDenied):
        services.publish_charter(approved, user)
    approved.refresh_from_db()
    assert (approved.status, approved.published_at, approved.effective_date) == (CharterStatus.APPROVED, None, None)
    assert not approved.events.filter(action=CharterEvent.Action.PUBLISHED).exists()


@pytest.mark.parametrize(
    "status",
    [CharterStatus.DRAFT, CharterStatus.CONSULTATION, CharterStatus.AGREED, CharterStatus.PUBLISHED],
    ids=str,
)
def test_only_an_approved_version_is_published(facility: Facility, head: Any, status: str) -> None:
    charter = charter_in(status, facility, head)
    with pytest.raises(ValidationError) as excinfo:
        services.publish_charter(charter, head)
    assert excinfo.value.code == "wrong_status"
    charter.refresh_from_db()
    assert charter.status == status


def test_a_superseded_version_is_not_published_again(facility: Facility, head: Any) -> None:
    superseded = charter_in(CharterStatus.SUPERSEDED, facility, head)
    with pytest.raises(ValidationError):
        services.publish_charter(superseded, head)
    superseded.refresh_from_db()
    assert superseded.status == CharterStatus.SUPERSEDED


def test_an_effective_date_in_the_past_is_refused(approved: Charter, head: Any) -> None:
    with clock(date(2026, 3, 10)), pytest.raises(ValidationError) as excinfo:
        services.publish_charter(approved, head, effective_date=date(2026, 3, 9))
    assert excinfo.value.messages == ["The effective date cannot be in the past."]
    approved.refresh_from_db()
    assert (approved.status, approved.effective_date, approved.published_at) == (CharterStatus.APPROVED, None, None)


@pytest.mark.parametrize("effective", [date(2027, 3, 11), date(9999, 12, 31)])
def test_an_effective_date_more_than_a_year_ahead_is_refused(approved: Charter, head: Any, effective: date) -> None:
    with clock(date(2026, 3, 10)), pytest.raises(ValidationError) as excinfo:
        services.publish_charter(approved, head, effective_date=effective)
    assert excinfo.value.messages == ["The effective date can be at most a year from today."]
    approved.refresh_from_db()
    assert (approved.status, approved.effective_date, approved.published_at) == (CharterStatus.APPROVED, None, None)


def test_an_effective_date_a_year_ahead_is_accepted(approved: Charter, head: Any) -> None:
    with clock(date(2026, 3, 10)):
        services.publish_charter(approved, head, effective_date=date(2027, 3, 10))
    approved.refresh_from_db()
    assert approved.effective_date == date(2027, 3, 10)


def test_head_publishes_an_approved_version_today(approved: Charter, head: Any) -> None:
    with clock(date(2026, 3, 10)):
        published = services.publish_charter(approved, head)
    approved.refresh_from_db()
    assert published.pk == approved.pk
    assert approved.status == CharterStatus.PUBLISHED
    assert (approved.published_by, approved.effective_date) == (head, date(2026, 3, 10))
    assert approved.published_at is not None
    assert [(e.action, e.user) for e in approved.events.all()] == [
        (CharterEvent.Action.CONSULTATION, head),
        (CharterEvent.Action.AGREED, head),
        (CharterEvent.Action.APPROVED, head),
        (CharterEvent.Action.PUBLISHED, head),
    ]
    assert approved.facility.published_charter() == approved


def test_publishing_today_supersedes_the_previous_version(facility: Facility, head: Any) -> None:
    previous = charter_in(CharterStatus.PUBLISHED, facility, head)
    approved = charter_in(CharterStatus.APPROVED, facility, head)

    services.publish_charter(approved, head)

    previous.refresh_from_db()
    approved.refresh_from_db()
    assert (previous.status, approved.status) == (CharterStatus.SUPERSEDED, CharterStatus.PUBLISHED)
    superseded = previous.events.get(action=CharterEvent.Action.SUPERSEDED)
    assert (superseded.user, superseded.comment) == (head, f"Replaced by version {approved.version}.")
    assert facility.charters.filter(status=CharterStatus.PUBLISHED).get() == approved


@pytest.fixture
def scheduled(facility: Facility, head: Any) -> tuple[Charter, Charter]:
    """Version 1 in force; version 2 approved on 10 March 2026 to take effect on 1 April 2026."""
    previous = charter_in(CharterStatus.PUBLISHED, facility, head)
    approved = charter_in(CharterStatus.APPROVED, facility, head)
    with clock(date(2026, 3, 10)):
        services.publish_charter(approved, head, effective_date=date(2026, 4, 1))
    return previous, approved


def test_publishing_from_a_later_day_schedules_the_version(scheduled: tuple[Charter, Charter], head: Any) -> None:
    previous, approved = scheduled
    previous.refresh_from_db()
    approved.refresh_from_db()
    assert approved.status == CharterStatus.APPROVED
    assert approved.is_scheduled
    assert (approved.effective_date, approved.review_due_date) == (date(2026, 4, 1), date(2027, 4, 1))
    assert (approved.published_by, previous.status) == (head, CharterStatus.PUBLISHED)
    event = approved.events.last()
    assert (event.action, event.user, event.comment) == (
        CharterEvent.Action.SCHEDULED,
        head,
        f"From {date_format(date(2026, 4, 1))}.",
    )
    assert not approved.events.filter(action=CharterEvent.Action.PUBLISHED).exists()


def test_take_effect_before_the_day_changes_nothing(scheduled: tuple[Charter, Charter], facility: Facility) -> None:
    previous, approved = scheduled
    with clock(date(2026, 3, 31)):
        assert services.take_effect(facility) is None
    previous.refresh_from_db()
    approved.refresh_from_db()
    assert (previous.status, approved.status) == (CharterStatus.PUBLISHED, CharterStatus.APPROVED)


@pytest.mark.parametrize("day", [date(2026, 4, 1), date(2026, 5, 20)], ids=["on-the-day", "weeks-later"])
def test_take_effect_on_or_after_the_day_publishes_and_supersedes(
    scheduled: tuple[Charter, Charter], facility: Facility, head: Any, day: date
) -> None:
    previous, approved = scheduled
    with clock(day):
        assert services.take_effect(facility) == approved
        assert services.take_effect(facility) is None  # only once
    previous.refresh_from_db()
    approved.refresh_from_db()
    assert (previous.status, approved.status) == (CharterStatus.SUPERSEDED, CharterStatus.PUBLISHED)
    assert approved.effective_date == date(2026, 4, 1)
    assert approved.events.filter(action=CharterEvent.Action.PUBLISHED, user=head).count() == 1
    assert previous.events.filter(action=CharterEvent.Action.SUPERSEDED, user=head).count() == 1
    assert facility.published_charter() == approved


def test_take_effect_without_a_scheduled_version_does_nothing(published_charter: Charter) -> None:
    assert services.take_effect(published_charter.facility) is None
    published_charter.refresh_from_db()
    assert published_charter.status == CharterStatus.PUBLISHED


def test_a_scheduled_version_is_not_published_again(scheduled: tuple[Charter, Charter], head: Any) -> None:
    _previous, approved = scheduled
    with clock(date(2026, 3, 12)), pytest.raises(ValidationError) as excinfo:
        services.publish_charter(approved, head, effective_date=date(2026, 3, 12))
    assert excinfo.value.messages == [f"Its publication is already scheduled for {date_format(date(2026, 4, 1))}."]
    approved.refresh_from_db()
    assert (approved.status, approved.effective_date) == (CharterStatus.APPROVED, date(2026, 4, 1))
    assert approved.events.filter(action=CharterEvent.Action.SCHEDULED).count() == 1


def test_first_version_scheduled_for_later_is_not_public_until_then(facility: Facility, head: Any) -> None:
    approved = charter_in(CharterStatus.APPROVED, facility, head)
    with clock(date(2026, 3, 10)):
        services.publish_charter(approved, head, effective_date=date(2026, 3, 11))
        assert facility.published_charter() is None
    with clock(date(2026, 3, 11)):
        services.take_effect(facility)
    assert facility.published_charter() == approved


def test_publishing_sets_a_yearly_review_date(approved: Charter, head: Any) -> None:
    with clock(date(2026, 1, 15)):
        services.publish_charter(approved, head)
    approved.refresh_from_db()
    assert (approved.effective_date, approved.review_due_date) == (date(2026, 1, 15), date(2027, 1, 15))


def test_publishing_keeps_a_review_date_chosen_by_the_editors(facility: Facility, head: Any) -> None:
    draft = make_complete_draft(facility, review_due_date=date(2026, 7, 1))
    approved = approve_draft(draft, head)
    with clock(date(2026, 1, 15)):
        services.publish_charter(approved, head)
    approved.refresh_from_db()
    assert approved.review_due_date == date(2026, 7, 1)


def test_publishing_refuses_a_review_date_before_the_effective_date(facility: Facility, head: Any) -> None:
    draft = make_complete_draft(facility, review_due_date=date(2026, 1, 1))
    approved = approve_draft(draft, head)
    with clock(date(2026, 1, 15)), pytest.raises(ValidationError) as excinfo:
        services.publish_charter(approved, head)
    assert excinfo.value.code == "review_before_effective"
    approved.refresh_from_db()
    assert (approved.status, approved.published_at) == (CharterStatus.APPROVED, None)


def test_one_year_after_a_leap_day_is_the_28th_of_february() -> None:
    assert services.one_year_after(date(2028, 2, 29)) == date(2029, 2, 28)


def test_make_published_charter_supersedes_and_counts_versions(facility: Facility) -> None:
    first = make_published_charter(facility, services=1)
    second = make_published_charter(facility, services=1)
    first.refresh_from_db()
    assert (first.version, first.status) == (1, CharterStatus.SUPERSEDED)
    assert (second.version, second.status) == (2, CharterStatus.PUBLISHED)


def test_every_step_records_who_did_it_and_why(facility: Facility, editor: Any, head: Any) -> None:
    draft = services.start_draft(facility, editor)
    make_complete_service(draft)
    ClauseFactory(charter=draft, party=ClauseParty.USER)
    ClauseFactory(charter=draft, party=ClauseParty.PROVIDER)
    services.open_consultation(draft, editor, "Mohon masukan warga")
    services.return_to_draft(draft, editor, "Jadwal salah")
    services.open_consultation(draft, editor)
    record_agreement(draft)
    services.mark_agreed(draft, editor, "Forum 12 Mei")
    services.approve_charter(draft, head, "SK Kepala")
    with clock(date(2026, 3, 10)):
        services.publish_charter(draft, head, effective_date=date(2026, 4, 1))
    with clock(date(2026, 4, 1)):
        services.take_effect(facility)

    assert [(e.action, e.user, e.comment) for e in draft.events.all()] == [
        (CharterEvent.Action.CREATED, editor, ""),
        (CharterEvent.Action.CONSULTATION, editor, "Mohon masukan warga"),
        (CharterEvent.Action.RETURNED, editor, "Jadwal salah"),
        (CharterEvent.Action.CONSULTATION, editor, ""),
        (CharterEvent.Action.AGREED, editor, "Forum 12 Mei"),
        (CharterEvent.Action.APPROVED, head, "SK Kepala"),
        (CharterEvent.Action.SCHEDULED, head, f"From {date_format(date(2026, 4, 1))}."),
        (CharterEvent.Action.PUBLISHED, head, ""),
    ]


# --- services.discard_draft --------------------------------------------------------------


def test_discarding_a_draft_deletes_it_and_its_content(facility: Facility, head: Any, editor: Any) -> None:
    published = charter_in(CharterStatus.PUBLISHED, facility, head)
    draft = services.start_draft(facility, editor)
    StakeholderMeetingFactory(charter=draft)

    services.discard_draft(draft, editor)

    assert not Charter.objects.filter(pk=draft.pk).exists()
    assert not ServiceStandard.objects.filter(charter_id=draft.pk).exists()
    assert not StakeholderMeeting.objects.filter(charter_id=draft.pk).exists()
    assert list(facility.charters.all()) == [published]
    assert published.services.count() == 2


@pytest.mark.parametrize(
    "status",
    [CharterStatus.CONSULTATION, CharterStatus.AGREED, CharterStatus.APPROVED, CharterStatus.PUBLISHED],
    ids=str,
)
def test_only_a_draft_is_discarded(facility: Facility, head: Any, status: str) -> None:
    charter = charter_in(status, facility, head)
    with pytest.raises(ValidationError) as excinfo:
        services.discard_draft(charter, head)
    assert excinfo.value.code == "wrong_status"
    assert Charter.objects.filter(pk=charter.pk, status=status).exists()
    assert charter.services.count() == 2


# --- A frozen version's own row takes only its next step ---------------------------------


# The status changes a frozen version accepts; every other pair is refused.
ALLOWED_FROZEN_TRANSITIONS = [
    (CharterStatus.AGREED, CharterStatus.APPROVED),
    (CharterStatus.APPROVED, CharterStatus.APPROVED),
    (CharterStatus.APPROVED, CharterStatus.PUBLISHED),
    (CharterStatus.PUBLISHED, CharterStatus.SUPERSEDED),
]
REFUSED_FROZEN_TRANSITIONS = [
    (stored, new)
    for stored in FROZEN_STATUSES
    for new in CharterStatus
    if (stored, new) not in ALLOWED_FROZEN_TRANSITIONS
]


@pytest.mark.parametrize(("stored", "new"), ALLOWED_FROZEN_TRANSITIONS, ids=lambda s: str(s))
def test_frozen_version_takes_its_next_lifecycle_step(facility: Facility, stored: str, new: str) -> None:
    charter = CharterFactory(facility=facility, status=stored)
    charter.status = new
    # Deciding the publication of an approved version writes its date, not its status.
    fields = {"effective_date"} if stored == new else {"status"}
    charter.save(update_fields=fields)
    charter.refresh_from_db()
    assert charter.status == new


@pytest.mark.parametrize(("stored", "new"), REFUSED_FROZEN_TRANSITIONS, ids=lambda s: str(s))
def test_frozen_version_cannot_go_back_or_skip_a_step(facility: Facility, stored: str, new: str) -> None:
    charter = CharterFactory(facility=facility, status=stored)
    charter.status = new
    with pytest.raises(ImmutableCharterError):
        charter.save(update_fields={"status"})
    charter.refresh_from_db()
    assert charter.status == stored


def test_lifecycle_save_may_not_smuggle_content_changes(published_charter: Charter) -> None:
    published_charter.status = CharterStatus.SUPERSEDED
    published_charter.pledge = "Janji baru"
    with pytest.raises(ImmutableCharterError):
        published_charter.save(update_fields={"status", "pledge"})


def test_agreement_date_of_an_approved_version_cannot_be_rewritten(facility: Facility, head: Any) -> None:
    approved = charter_in(CharterStatus.APPROVED, facility, head)
    approved.agreed_at = timezone.now() - timedelta(days=400)
    with pytest.raises(ImmutableCharterError):
        approved.save(update_fields={"status", "agreed_at"})


def test_publisher_of_a_published_charter_cannot_be_rewritten(published_charter: Charter, editor: Any) -> None:
    published_charter.published_by = editor
    with pytest.raises(ImmutableCharterError):
        published_charter.save(update_fields={"published_by"})


def test_superseded_version_cannot_change_its_dates(facility: Facility, head: Any) -> None:
    superseded = charter_in(CharterStatus.SUPERSEDED, facility, head)
    superseded.review_due_date = date(2099, 1, 1)
    with pytest.raises(ImmutableCharterError):
        superseded.save(update_fields={"review_due_date"})


def test_superseding_may_not_rewrite_the_publication(published_charter: Charter, editor: Any) -> None:
    published_charter.status = CharterStatus.SUPERSEDED
    published_charter.published_by = editor
    with pytest.raises(ImmutableCharterError):
        published_charter.save(update_fields={"status", "published_by"})
