"""The charter models: database constraints, the data of versions that can no longer change,
schedule slots, service validation, display helpers and facilities.
"""

from __future__ import annotations

from datetime import time
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import translation

from charters import services
from charters.models import (
    OPEN_CHARTER_STATUSES,
    AgreementDecision,
    Charter,
    CharterStatus,
    Clause,
    Facility,
    ImmutableCharterError,
    MeetingAttachment,
    MeetingParticipant,
    ParticipantGroup,
    ProcedureStep,
    Requirement,
    ScheduleSlot,
    ServiceStandard,
    StakeholderMeeting,
    Weekday,
)
from tests.charters.versions import FROZEN_STATUSES, charter_in
from tests.factories import (
    CharterFactory,
    ClauseFactory,
    FacilityFactory,
    MeetingParticipantFactory,
    MembershipFactory,
    ProcedureStepFactory,
    RequirementFactory,
    ScheduleSlotFactory,
    ServiceStandardFactory,
    StakeholderMeetingFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english() -> Any:
    """Messages are compared in their English source; the site's default language is Indonesian."""
    with translation.override("en"):
        yield


# --- Database constraints on charters ---------------------------------------------------


def test_second_published_charter_of_a_facility_violates_the_database(facility: Facility) -> None:
    CharterFactory(facility=facility, published=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        CharterFactory(facility=facility, published=True)


def test_published_charters_of_different_facilities_coexist(facility: Facility, other_facility: Facility) -> None:
    CharterFactory(facility=facility, published=True)
    CharterFactory(facility=other_facility, published=True)
    assert Charter.objects.filter(status=CharterStatus.PUBLISHED).count() == 2


def test_second_draft_of_a_facility_violates_the_database(facility: Facility) -> None:
    CharterFactory(facility=facility)
    with pytest.raises(IntegrityError), transaction.atomic():
        CharterFactory(facility=facility)


@pytest.mark.parametrize("second", sorted(OPEN_CHARTER_STATUSES))
@pytest.mark.parametrize("first", sorted(OPEN_CHARTER_STATUSES))
def test_two_open_versions_of_a_facility_violate_the_database(facility: Facility, first: str, second: str) -> None:
    CharterFactory(facility=facility, status=first)
    with pytest.raises(IntegrityError), transaction.atomic():
        CharterFactory(facility=facility, status=second)


def test_open_versions_of_different_facilities_coexist(facility: Facility, other_facility: Facility) -> None:
    CharterFactory(facility=facility, status=CharterStatus.APPROVED)
    CharterFactory(facility=other_facility, status=CharterStatus.CONSULTATION)
    assert Charter.objects.filter(status__in=OPEN_CHARTER_STATUSES).count() == 2


def test_superseded_charters_of_a_facility_may_be_many(facility: Facility) -> None:
    CharterFactory(facility=facility, status=CharterStatus.SUPERSEDED)
    CharterFactory(facility=facility, status=CharterStatus.SUPERSEDED)
    CharterFactory(facility=facility, published=True)
    CharterFactory(facility=facility)
    assert facility.charters.count() == 4


def test_version_is_unique_per_facility(facility: Facility, other_facility: Facility) -> None:
    CharterFactory(facility=facility, version=1, status=CharterStatus.SUPERSEDED)
    CharterFactory(facility=other_facility, version=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        CharterFactory(facility=facility, version=1)


def test_factory_numbers_versions_per_facility(facility: Facility) -> None:
    first = CharterFactory(facility=facility, status=CharterStatus.SUPERSEDED)
    second = CharterFactory(facility=facility)
    assert (first.version, second.version) == (1, 2)


# --- Agreed, approved, published and superseded versions are frozen ----------------------


@pytest.fixture(params=FROZEN_STATUSES, ids=str)
def frozen_charter(request: pytest.FixtureRequest, facility: Facility, head: Any) -> Charter:
    """A complete version that can no longer change: agreed, approved, published or superseded."""
    charter = charter_in(request.param, facility, head)
    assert charter.status == request.param
    return charter


def _charter_itself(charter: Charter) -> Charter:
    return charter


def _first_service(charter: Charter) -> ServiceStandard:
    return charter.services.first()


def _first_requirement(charter: Charter) -> Requirement:
    return Requirement.objects.filter(service__charter=charter).first()


def _first_step(charter: Charter) -> ProcedureStep:
    return ProcedureStep.objects.filter(service__charter=charter).first()


def _first_slot(charter: Charter) -> ScheduleSlot:
    return ScheduleSlot.objects.filter(service__charter=charter).first()


def _first_clause(charter: Charter) -> Clause:
    return charter.clauses.first()


def _first_meeting(charter: Charter) -> StakeholderMeeting:
    return charter.meetings.first()


def _first_participant(charter: Charter) -> MeetingParticipant:
    return MeetingParticipant.objects.filter(meeting__charter=charter).first()


FROZEN_ROWS = [
    pytest.param(_charter_itself, "pledge", id="charter"),
    pytest.param(_first_service, "name", id="service"),
    pytest.param(_first_service, "agreement_note", id="service-agreement"),
    pytest.param(_first_requirement, "text", id="requirement"),
    pytest.param(_first_step, "text", id="step"),
    pytest.param(_first_clause, "text", id="clause"),
    pytest.param(_first_meeting, "minutes", id="meeting"),
    pytest.param(_first_participant, "name", id="participant"),
]


@pytest.mark.parametrize(("get_row", "field"), FROZEN_ROWS)
def test_saving_data_of_a_frozen_version_is_refused(frozen_charter: Charter, get_row: Any, field: str) -> None:
    row = get_row(frozen_charter)
    original = getattr(row, field)
    setattr(row, field, "Diubah setelah disepakati")
    with pytest.raises(ImmutableCharterError):
        row.save()
    row.refresh_from_db()
    assert getattr(row, field) == original


def test_saving_a_slot_of_a_frozen_version_is_refused(frozen_charter: Charter) -> None:
    slot = _first_slot(frozen_charter)
    slot.closes = time(23, 0)
    with pytest.raises(ImmutableCharterError):
        slot.save()
    slot.refresh_from_db()
    assert slot.closes == time(14, 0)


def test_unsigning_a_participant_of_a_frozen_version_is_refused(frozen_charter: Charter) -> None:
    participant = _first_participant(frozen_charter)
    participant.signed = False
    with pytest.raises(ImmutableCharterError):
        participant.save()
    participant.refresh_from_db()
    assert participant.signed


@pytest.mark.parametrize(
    "get_row",
    [
        pytest.param(_charter_itself, id="charter"),
        pytest.param(_first_service, id="service"),
        pytest.param(_first_requirement, id="requirement"),
        pytest.param(_first_step, id="step"),
        pytest.param(_first_slot, id="slot"),
        pytest.param(_first_clause, id="clause"),
        pytest.param(_first_meeting, id="meeting"),
        pytest.param(_first_participant, id="participant"),
    ],
)
def test_deleting_data_of_a_frozen_version_is_refused(frozen_charter: Charter, get_row: Any) -> None:
    row = get_row(frozen_charter)
    with pytest.raises(ImmutableCharterError):
        row.delete()
    assert type(row).objects.filter(pk=row.pk).exists()


def test_adding_to_a_frozen_version_is_refused(frozen_charter: Charter) -> None:
    service = frozen_charter.services.first()
    meeting = frozen_charter.meetings.get()
    with pytest.raises(ImmutableCharterError):
        ServiceStandardFactory(charter=frozen_charter)
    with pytest.raises(ImmutableCharterError):
        ClauseFactory(charter=frozen_charter)
    with pytest.raises(ImmutableCharterError):
        RequirementFactory(service=service)
    with pytest.raises(ImmutableCharterError):
        ProcedureStepFactory(service=service)
    with pytest.raises(ImmutableCharterError):
        ScheduleSlotFactory(service=service, weekday=Weekday.SUNDAY)
    with pytest.raises(ImmutableCharterError):
        StakeholderMeetingFactory(charter=frozen_charter)
    with pytest.raises(ImmutableCharterError):
        MeetingParticipantFactory(meeting=meeting)
    with pytest.raises(ImmutableCharterError):
        MeetingAttachment(
            meeting=meeting,
            file=SimpleUploadedFile("daftar-hadir.pdf", b"%PDF-1.4\n"),
            original_name="daftar-hadir.pdf",
            content_type="application/pdf",
            size=9,
        ).save()
    assert frozen_charter.services.count() == 2
    assert frozen_charter.clauses.count() == 2
    assert (service.requirements.count(), service.steps.count(), service.schedule_slots.count()) == (1, 1, 1)
    assert frozen_charter.meetings.count() == 1
    assert (meeting.participants.count(), meeting.attachments.count()) == (3, 0)


def test_immutability_follows_the_stored_status_not_the_one_in_memory(frozen_charter: Charter) -> None:
    stale = Charter.objects.get(pk=frozen_charter.pk)
    stale.status = CharterStatus.DRAFT
    stale.pledge = "Janji baru"
    with pytest.raises(ImmutableCharterError):
        stale.save()
    stale.refresh_from_db()
    assert (stale.status, stale.pledge) == (frozen_charter.status, frozen_charter.pledge)


def test_bulk_delete_and_update_of_a_frozen_version_are_refused(frozen_charter: Charter) -> None:
    with pytest.raises(ImmutableCharterError):
        Charter.objects.filter(pk=frozen_charter.pk).delete()
    with pytest.raises(ImmutableCharterError):
        Charter.objects.filter(pk=frozen_charter.pk).update(pledge="x")
    with pytest.raises(ImmutableCharterError):
        Charter.objects.filter(pk=frozen_charter.pk).update(status=CharterStatus.DRAFT)
    with pytest.raises(ImmutableCharterError):
        ServiceStandard.objects.filter(charter=frozen_charter).update(name="x")
    with pytest.raises(ImmutableCharterError):
        ServiceStandard.objects.filter(charter=frozen_charter).update(agreement=AgreementDecision.DEFERRED)
    with pytest.raises(ImmutableCharterError):
        Requirement.objects.filter(service__charter=frozen_charter).delete()
    with pytest.raises(ImmutableCharterError):
        Clause.objects.filter(charter=frozen_charter).delete()
    with pytest.raises(ImmutableCharterError):
        StakeholderMeeting.objects.filter(charter=frozen_charter).update(place="x")
    with pytest.raises(ImmutableCharterError):
        MeetingParticipant.objects.filter(meeting__charter=frozen_charter).update(signed=False)
    with pytest.raises(ImmutableCharterError):
        MeetingParticipant.objects.filter(meeting__charter=frozen_charter).delete()
    stored = Charter.objects.get(pk=frozen_charter.pk)
    assert (stored.status, stored.pledge) == (frozen_charter.status, frozen_charter.pledge)
    assert Requirement.objects.filter(service__charter=frozen_charter).exists()
    assert not ServiceStandard.objects.filter(name="x").exists()
    assert set(frozen_charter.services.values_list("agreement", flat=True)) == {AgreementDecision.AGREED}
    assert MeetingParticipant.objects.filter(meeting__charter=frozen_charter, signed=True).count() == 3


def test_bulk_create_into_a_frozen_version_is_refused(frozen_charter: Charter) -> None:
    service = frozen_charter.services.first()
    with pytest.raises(ImmutableCharterError):
        Requirement.objects.bulk_create([Requirement(service=service, text="Baru")])
    with pytest.raises(ImmutableCharterError):
        MeetingParticipant.objects.bulk_create(
            [MeetingParticipant(meeting=frozen_charter.meetings.get(), name="Baru", group=ParticipantGroup.USER)]
        )
    assert not Requirement.objects.filter(text="Baru").exists()
    assert not MeetingParticipant.objects.filter(name="Baru").exists()


@pytest.mark.parametrize("status", [CharterStatus.DRAFT, CharterStatus.CONSULTATION], ids=str)
def test_bulk_changes_of_an_editable_version_are_allowed(facility: Facility, head: Any, status: str) -> None:
    charter = charter_in(status, facility, head)
    assert ServiceStandard.objects.filter(charter=charter).update(description="baru") == 2
    Requirement.objects.filter(service__charter=charter).delete()
    assert not Requirement.objects.filter(service__charter=charter).exists()


@pytest.mark.parametrize("status", [CharterStatus.DRAFT, CharterStatus.CONSULTATION], ids=str)
def test_data_of_an_editable_version_may_change_and_be_deleted(facility: Facility, head: Any, status: str) -> None:
    charter = charter_in(status, facility, head)
    service = charter.services.first()
    service.name = "Poli Gigi"
    service.save()
    service.requirements.first().delete()
    meeting = StakeholderMeetingFactory(charter=charter)
    MeetingParticipantFactory(meeting=meeting).delete()
    meeting.delete()
    service.refresh_from_db()
    assert service.name == "Poli Gigi"
    assert service.requirements.count() == 0
    assert not charter.meetings.exists()


# --- Schedule slots ---------------------------------------------------------------------


def test_slot_closing_before_opening_violates_the_database() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        ScheduleSlotFactory(opens=time(14, 0), closes=time(7, 30))


def test_slot_closing_when_it_opens_fails_validation_on_closes() -> None:
    slot = ScheduleSlotFactory.build(service=ServiceStandardFactory(), opens=time(8, 0), closes=time(8, 0))
    with pytest.raises(ValidationError) as excinfo:
        slot.full_clean()
    assert "closes" in excinfo.value.error_dict


def test_valid_slot_passes_validation() -> None:
    slot = ScheduleSlotFactory.build(service=ServiceStandardFactory())
    slot.full_clean()


# --- Service standard validation --------------------------------------------------------


def _errors(service: ServiceStandard) -> dict[str, list[Any]]:
    with pytest.raises(ValidationError) as excinfo:
        service.full_clean()
    return excinfo.value.error_dict


def test_complete_service_passes_validation() -> None:
    ServiceStandardFactory().full_clean()
    ServiceStandardFactory(paid=True).full_clean()


def test_free_service_with_an_amount_fails_on_fee_amount() -> None:
    service = ServiceStandardFactory.build(charter=CharterFactory(), fee_is_free=True, fee_amount=5000)
    assert set(_errors(service)) == {"fee_amount"}


def test_paid_service_without_an_amount_may_be_saved_in_a_draft_but_misses_its_fee() -> None:
    # A draft may be incomplete; publishing refuses it (see missing_delivery_components).
    service = ServiceStandardFactory.build(charter=CharterFactory(), fee_is_free=False, fee_amount=None)
    service.full_clean()
    service.save()
    with translation.override("en"):
        assert [str(m) for m in service.missing_delivery_components()] == [
            "requirements",
            "procedure",
            "schedule",
            "fee",
        ]


def test_fee_of_zero_must_be_ticked_free() -> None:
    service = ServiceStandardFactory.build(charter=CharterFactory(), fee_is_free=False, fee_amount=0)
    errors = _errors(service)
    assert set(errors) == {"fee_amount"}
    assert errors["fee_amount"][0].messages == ["A fee of Rp 0 means free: tick “free of charge” instead."]


def test_duration_of_zero_fails_on_duration_value() -> None:
    service = ServiceStandardFactory.build(charter=CharterFactory(), duration_value=0)
    errors = _errors(service)
    assert "duration_value" in errors
    assert any(e.code == "min_value" for e in errors["duration_value"])


def test_missing_duration_may_be_saved_in_a_draft_but_is_reported_missing() -> None:
    service = ServiceStandardFactory.build(charter=CharterFactory(), duration_value=None)
    service.full_clean()
    service.save()
    assert "duration" in [str(m) for m in service.missing_delivery_components()]


@pytest.mark.parametrize(
    ("methods", "code"),
    [
        pytest.param([], "blank", id="empty"),
        pytest.param(["walk_in", "fax"], "invalid_choice", id="unknown"),
        pytest.param(["walk_in", "walk_in"], "duplicate", id="duplicate"),
        pytest.param("walk_in", "required", id="not-a-list"),
    ],
)
def test_invalid_methods_fail_on_methods(methods: Any, code: str) -> None:
    service = ServiceStandardFactory.build(charter=CharterFactory(), methods=methods)
    errors = _errors(service)
    assert set(errors) == {"methods"}
    assert [e.code for e in errors["methods"]] == [code]


def test_several_distinct_methods_are_valid() -> None:
    ServiceStandardFactory.build(charter=CharterFactory(), methods=["walk_in", "appointment", "online"]).full_clean()


# --- Display helpers --------------------------------------------------------------------


def test_fee_display_groups_thousands_in_the_active_language() -> None:
    service = ServiceStandardFactory.build(fee_is_free=False, fee_amount=10000)
    with translation.override("id"):
        assert service.fee_display == "Rp 10.000"
    with translation.override("en"):
        assert service.fee_display == "Rp 10,000"


def test_fee_display_of_large_amount() -> None:
    service = ServiceStandardFactory.build(fee_is_free=False, fee_amount=1250000)
    with translation.override("id"):
        assert service.fee_display == "Rp 1.250.000"


def test_fee_display_of_free_and_unknown_fee() -> None:
    with translation.override("en"):
        assert ServiceStandardFactory.build(fee_is_free=True).fee_display == "Free"
        assert ServiceStandardFactory.build(fee_is_free=False, fee_amount=None).fee_display == ""


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (15, "minutes", "15 minutes"),
        (1, "minutes", "1 minute"),
        (2, "hours", "2 hours"),
        (1, "days", "1 day"),
        (14, "working_days", "14 working days"),
        (None, "minutes", ""),
    ],
)
def test_duration_display_pluralises_the_unit(value: int | None, unit: str, expected: str) -> None:
    with translation.override("en"):
        assert ServiceStandardFactory.build(duration_value=value, duration_unit=unit).duration_display == expected


def test_schedule_rows_fold_consecutive_days_with_equal_hours() -> None:
    service = ServiceStandardFactory()
    for day in (Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY):
        ScheduleSlotFactory(service=service, weekday=day, opens=time(7, 30), closes=time(14, 0))
    ScheduleSlotFactory(service=service, weekday=Weekday.FRIDAY, opens=time(7, 30), closes=time(11, 0))
    ScheduleSlotFactory(service=service, weekday=Weekday.SATURDAY, opens=time(7, 30), closes=time(12, 30))
    with translation.override("en"):
        assert service.schedule_rows() == [
            ("Monday – Thursday", "07.30–14.00"),
            ("Friday", "07.30–11.00"),
            ("Saturday", "07.30–12.30"),
        ]


def test_schedule_rows_do_not_fold_across_a_gap() -> None:
    service = ServiceStandardFactory()
    ScheduleSlotFactory(service=service, weekday=Weekday.MONDAY)
    ScheduleSlotFactory(service=service, weekday=Weekday.WEDNESDAY)
    with translation.override("en"):
        assert service.schedule_rows() == [("Monday", "07.30–14.00"), ("Wednesday", "07.30–14.00")]


def test_schedule_rows_keep_a_break_within_a_day() -> None:
    service = ServiceStandardFactory()
    for day in (Weekday.MONDAY, Weekday.TUESDAY):
        # Created afternoon first: the rows are sorted by opening time, not by creation.
        ScheduleSlotFactory(service=service, weekday=day, opens=time(13, 0), closes=time(16, 0))
        ScheduleSlotFactory(service=service, weekday=day, opens=time(8, 0), closes=time(12, 0))
    ScheduleSlotFactory(service=service, weekday=Weekday.WEDNESDAY, opens=time(8, 0), closes=time(12, 0))
    with translation.override("en"):
        assert service.schedule_rows() == [
            ("Monday – Tuesday", "08.00–12.00, 13.00–16.00"),
            ("Wednesday", "08.00–12.00"),
        ]


def test_schedule_rows_are_empty_without_slots() -> None:
    assert ServiceStandardFactory().schedule_rows() == []


def test_missing_delivery_components_of_a_bare_service() -> None:
    service = ServiceStandardFactory(duration_value=None, fee_is_free=False, fee_amount=None, methods=[])
    assert [str(m) for m in service.missing_delivery_components()] == [
        "requirements",
        "procedure",
        "schedule",
        "duration",
        "fee",
        "delivery method",
    ]


def test_complete_service_misses_no_delivery_component(draft_charter: Charter) -> None:
    for service in draft_charter.services.all():
        assert service.missing_delivery_components() == []


def test_charter_str_names_facility_and_version(facility: Facility) -> None:
    charter = CharterFactory(facility=facility)
    with translation.override("en"):
        assert str(charter) == "Puskesmas Soko, version 1"


def test_clauses_by_party_groups_user_before_provider(draft_charter: Charter) -> None:
    with translation.override("en"):
        groups = [(party, kind, len(items)) for party, kind, items in draft_charter.clauses_by_party()]
    assert groups == [("Service user", "Rights", 1), ("Service provider", "Obligations", 1)]


# --- Facilities -------------------------------------------------------------------------


def test_for_user_scopes_facilities_to_memberships(
    facility: Facility, other_facility: Facility, editor: Any, head: Any, other_editor: Any, superuser: Any
) -> None:
    assert list(Facility.objects.for_user(editor)) == [facility]
    assert list(Facility.objects.for_user(head)) == [facility]
    assert list(Facility.objects.for_user(other_editor)) == [other_facility]
    assert set(Facility.objects.for_user(superuser)) == {facility, other_facility}


def test_for_user_lists_each_facility_once_and_none_for_outsiders(facility: Facility, editor: Any) -> None:
    second = FacilityFactory()
    MembershipFactory(user=editor, facility=second, head=True)
    assert sorted(f.pk for f in Facility.objects.for_user(editor)) == sorted([facility.pk, second.pk])
    assert not Facility.objects.for_user(UserFactory()).exists()
    assert not Facility.objects.for_user(AnonymousUser()).exists()


def test_for_user_ignores_inactive_users(facility: Facility, editor: Any) -> None:
    editor.is_active = False
    editor.save()
    assert not Facility.objects.for_user(editor).exists()


def test_facility_mission_points_and_location(facility: Facility) -> None:
    assert facility.mission_points == ["Memberikan pelayanan yang bermutu", "Menggerakkan peran serta masyarakat"]
    with translation.override("en"):
        assert facility.location == "Soko, Soko District, Kabupaten Tuban, Jawa Timur"


# --- services.move_service --------------------------------------------------------------


def _names(charter: Charter) -> list[str]:
    return list(charter.services.order_by("position", "id").values_list("name", flat=True))


def test_move_service_swaps_neighbours(facility: Facility) -> None:
    charter = CharterFactory(facility=facility)
    a, _b, c = (ServiceStandardFactory(charter=charter, name=n, position=0) for n in "ABC")
    services.move_service(c, -1)
    assert _names(charter) == ["A", "C", "B"]
    services.move_service(ServiceStandard.objects.get(pk=a.pk), +1)
    assert _names(charter) == ["C", "A", "B"]
    assert list(charter.services.order_by("position").values_list("position", flat=True)) == [1, 2, 3]


def test_move_service_past_the_ends_changes_nothing(facility: Facility) -> None:
    charter = CharterFactory(facility=facility)
    a, _b = (ServiceStandardFactory(charter=charter, name=n) for n in "AB")
    services.move_service(a, -1)
    assert _names(charter) == ["A", "B"]


def test_move_service_of_a_published_charter_is_refused(published_charter: Charter) -> None:
    before = _names(published_charter)
    with pytest.raises(ImmutableCharterError):
        services.move_service(published_charter.services.last(), -1)
    assert _names(published_charter) == before


def test_someone_at_two_meetings_counts_once_in_the_public_summary(draft_charter: Charter) -> None:
    from tests.factories import MeetingParticipantFactory, StakeholderMeetingFactory

    for _ in range(2):
        meeting = StakeholderMeetingFactory(charter=draft_charter)
        MeetingParticipantFactory(meeting=meeting, name="Ibu Sri", group="user")
    summary = draft_charter.agreement_summary()
    assert summary["total"] == 1
    assert dict(summary["groups"])["Service user"] == 1
