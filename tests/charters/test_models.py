from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from charters import services
from charters.models import (
    Charter,
    CharterEvent,
    CharterStatus,
    Clause,
    Facility,
    ImmutableCharterError,
    ProcedureStep,
    Requirement,
    ScheduleSlot,
    ServiceStandard,
    Weekday,
)
from tests.factories import (
    CharterFactory,
    ClauseFactory,
    FacilityFactory,
    MembershipFactory,
    ProcedureStepFactory,
    RequirementFactory,
    ScheduleSlotFactory,
    ServiceStandardFactory,
    UserFactory,
    make_complete_draft,
    make_published_charter,
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


# --- A published charter is frozen ------------------------------------------------------


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


FROZEN_ROWS = [
    pytest.param(_charter_itself, "pledge", id="charter"),
    pytest.param(_first_service, "name", id="service"),
    pytest.param(_first_requirement, "text", id="requirement"),
    pytest.param(_first_step, "text", id="step"),
    pytest.param(_first_clause, "text", id="clause"),
]


@pytest.mark.parametrize(("get_row", "field"), FROZEN_ROWS)
def test_saving_data_of_a_published_charter_is_refused(published_charter: Charter, get_row: Any, field: str) -> None:
    row = get_row(published_charter)
    original = getattr(row, field)
    setattr(row, field, "Diubah setelah terbit")
    with pytest.raises(ImmutableCharterError):
        row.save()
    row.refresh_from_db()
    assert getattr(row, field) == original


def test_saving_a_slot_of_a_published_charter_is_refused(published_charter: Charter) -> None:
    slot = _first_slot(published_charter)
    slot.closes = time(23, 0)
    with pytest.raises(ImmutableCharterError):
        slot.save()
    slot.refresh_from_db()
    assert slot.closes == time(14, 0)


@pytest.mark.parametrize(
    "get_row",
    [
        pytest.param(_charter_itself, id="charter"),
        pytest.param(_first_service, id="service"),
        pytest.param(_first_requirement, id="requirement"),
        pytest.param(_first_step, id="step"),
        pytest.param(_first_slot, id="slot"),
        pytest.param(_first_clause, id="clause"),
    ],
)
def test_deleting_data_of_a_published_charter_is_refused(published_charter: Charter, get_row: Any) -> None:
    row = get_row(published_charter)
    with pytest.raises(ImmutableCharterError):
        row.delete()
    assert type(row).objects.filter(pk=row.pk).exists()


def test_adding_to_a_published_charter_is_refused(published_charter: Charter) -> None:
    service = published_charter.services.first()
    with pytest.raises(ImmutableCharterError):
        ServiceStandardFactory(charter=published_charter)
    with pytest.raises(ImmutableCharterError):
        ClauseFactory(charter=published_charter)
    with pytest.raises(ImmutableCharterError):
        RequirementFactory(service=service)
    with pytest.raises(ImmutableCharterError):
        ProcedureStepFactory(service=service)
    with pytest.raises(ImmutableCharterError):
        ScheduleSlotFactory(service=service, weekday=Weekday.SUNDAY)
    assert published_charter.services.count() == 2
    assert published_charter.clauses.count() == 2
    assert (service.requirements.count(), service.steps.count(), service.schedule_slots.count()) == (1, 1, 1)


def test_immutability_follows_the_stored_status_not_the_one_in_memory(published_charter: Charter) -> None:
    stale = Charter.objects.get(pk=published_charter.pk)
    stale.status = CharterStatus.DRAFT
    stale.pledge = "Janji baru"
    with pytest.raises(ImmutableCharterError):
        stale.save()
    published_charter.refresh_from_db()
    assert published_charter.status == CharterStatus.PUBLISHED


def test_lifecycle_save_of_a_published_charter_is_allowed(published_charter: Charter) -> None:
    published_charter.status = CharterStatus.SUPERSEDED
    published_charter.save(update_fields={"status"})
    published_charter.refresh_from_db()
    assert published_charter.status == CharterStatus.SUPERSEDED


def test_lifecycle_save_may_not_smuggle_content_changes(published_charter: Charter) -> None:
    published_charter.pledge = "Janji baru"
    with pytest.raises(ImmutableCharterError):
        published_charter.save(update_fields={"status", "pledge"})


def test_published_charter_cannot_be_reopened_as_a_draft(published_charter: Charter) -> None:
    published_charter.status = CharterStatus.DRAFT
    with pytest.raises(ImmutableCharterError):
        published_charter.save(update_fields={"status"})
    published_charter.refresh_from_db()
    assert published_charter.status == CharterStatus.PUBLISHED


def test_publisher_of_a_published_charter_cannot_be_rewritten(published_charter: Charter, editor: Any) -> None:
    published_charter.published_by = editor
    with pytest.raises(ImmutableCharterError):
        published_charter.save(update_fields={"published_by"})


def test_superseded_charter_cannot_change_status_again(published_charter: Charter) -> None:
    published_charter.status = CharterStatus.SUPERSEDED
    published_charter.save(update_fields={"status"})
    published_charter.status = CharterStatus.PUBLISHED
    with pytest.raises(ImmutableCharterError):
        published_charter.save(update_fields={"status"})


def test_bulk_delete_and_update_of_a_published_charter_are_refused(published_charter: Charter) -> None:
    with pytest.raises(ImmutableCharterError):
        Charter.objects.filter(pk=published_charter.pk).delete()
    with pytest.raises(ImmutableCharterError):
        Charter.objects.filter(pk=published_charter.pk).update(pledge="x")
    with pytest.raises(ImmutableCharterError):
        ServiceStandard.objects.filter(charter=published_charter).update(name="x")
    with pytest.raises(ImmutableCharterError):
        Requirement.objects.filter(service__charter=published_charter).delete()
    with pytest.raises(ImmutableCharterError):
        Clause.objects.filter(charter=published_charter).delete()
    assert Charter.objects.filter(pk=published_charter.pk).exists()
    assert Requirement.objects.filter(service__charter=published_charter).exists()
    assert not ServiceStandard.objects.filter(name="x").exists()


def test_bulk_create_into_a_published_charter_is_refused(published_charter: Charter) -> None:
    service = published_charter.services.first()
    with pytest.raises(ImmutableCharterError):
        Requirement.objects.bulk_create([Requirement(service=service, text="Baru")])
    assert not Requirement.objects.filter(text="Baru").exists()


def test_bulk_changes_of_a_draft_are_allowed(draft_charter: Charter) -> None:
    assert ServiceStandard.objects.filter(charter=draft_charter).update(description="baru") == 2
    Requirement.objects.filter(service__charter=draft_charter).delete()
    assert not Requirement.objects.filter(service__charter=draft_charter).exists()


def test_inactive_head_may_not_publish(draft_charter: Charter, head: Any) -> None:
    head.is_active = False
    head.save()
    with pytest.raises(PermissionDenied):
        services.publish_charter(draft_charter, head)


def test_draft_data_may_change_and_be_deleted(draft_charter: Charter) -> None:
    service = draft_charter.services.first()
    service.name = "Poli Gigi"
    service.save()
    service.requirements.first().delete()
    service.refresh_from_db()
    assert service.name == "Poli Gigi"
    assert service.requirements.count() == 0


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


def test_draft_copy_can_be_edited_without_touching_the_published_charter(
    published_charter: Charter, editor: Any
) -> None:
    draft = services.start_draft(published_charter.facility, editor)
    service = draft.services.first()
    service.name = "Poli Umum Baru"
    service.save()
    assert not published_charter.services.filter(name="Poli Umum Baru").exists()


# --- services.publish_charter -----------------------------------------------------------


def test_editor_may_not_publish(draft_charter: Charter, editor: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.publish_charter(draft_charter, editor)
    draft_charter.refresh_from_db()
    assert draft_charter.status == CharterStatus.DRAFT
    assert not draft_charter.events.filter(action=CharterEvent.Action.PUBLISHED).exists()


def test_head_of_another_facility_may_not_publish(draft_charter: Charter, other_facility: Facility) -> None:
    other_head = MembershipFactory(facility=other_facility, head=True).user
    with pytest.raises(PermissionDenied):
        services.publish_charter(draft_charter, other_head)


def test_incomplete_draft_is_not_published(facility: Facility, head: Any) -> None:
    draft = CharterFactory(facility=facility)
    ServiceStandardFactory(charter=draft, name="Laboratorium", duration_value=None)
    with pytest.raises(ValidationError) as excinfo, translation.override("en"):
        services.publish_charter(draft, head)
    assert excinfo.value.messages == [
        "No rights or obligations of the service user are recorded yet.",
        "No rights or obligations of the service provider are recorded yet.",
        "Laboratorium: requirements, procedure, schedule, duration still missing.",
    ]
    draft.refresh_from_db()
    assert draft.status == CharterStatus.DRAFT


def test_empty_draft_is_not_published(facility: Facility, head: Any) -> None:
    draft = CharterFactory(facility=facility, pledge=" ")
    with pytest.raises(ValidationError) as excinfo, translation.override("en"):
        services.publish_charter(draft, head)
    assert excinfo.value.messages == [
        "The charter has no services yet.",
        "The pledge (maklumat) is empty.",
        "No rights or obligations of the service user are recorded yet.",
        "No rights or obligations of the service provider are recorded yet.",
    ]


def test_draft_with_rights_of_only_one_side_is_not_published(facility: Facility, head: Any) -> None:
    draft = make_complete_draft(facility)
    draft.clauses.filter(party="provider").delete()
    with pytest.raises(ValidationError) as excinfo, translation.override("en"):
        services.publish_charter(draft, head)
    assert excinfo.value.messages == ["No rights or obligations of the service provider are recorded yet."]


def test_head_publishes_a_draft(draft_charter: Charter, head: Any) -> None:
    published = services.publish_charter(draft_charter, head)
    draft_charter.refresh_from_db()
    assert draft_charter.status == CharterStatus.PUBLISHED
    assert draft_charter.published_by == head
    assert draft_charter.published_at is not None
    assert draft_charter.effective_date is not None
    assert published.pk == draft_charter.pk
    assert list(draft_charter.events.values_list("action", "user")) == [(CharterEvent.Action.PUBLISHED, head.pk)]
    assert draft_charter.facility.published_charter() == draft_charter


def test_publishing_supersedes_the_previous_charter(published_charter: Charter, head: Any) -> None:
    draft = services.start_draft(published_charter.facility, head)
    services.publish_charter(draft, head)
    published_charter.refresh_from_db()
    draft.refresh_from_db()
    assert published_charter.status == CharterStatus.SUPERSEDED
    assert draft.status == CharterStatus.PUBLISHED
    assert published_charter.events.filter(action=CharterEvent.Action.SUPERSEDED, user=head).exists()
    assert draft.events.filter(action=CharterEvent.Action.PUBLISHED, user=head).exists()
    assert published_charter.facility.charters.filter(status=CharterStatus.PUBLISHED).get() == draft


def test_publishing_sets_a_yearly_review_date(draft_charter: Charter, head: Any) -> None:
    services.publish_charter(draft_charter, head, effective_date=date(2026, 1, 15))
    draft_charter.refresh_from_db()
    assert (draft_charter.effective_date, draft_charter.review_due_date) == (date(2026, 1, 15), date(2027, 1, 15))


def test_publishing_keeps_a_review_date_chosen_by_the_editors(draft_charter: Charter, head: Any) -> None:
    draft_charter.review_due_date = date(2026, 7, 1)
    draft_charter.save()
    services.publish_charter(draft_charter, head, effective_date=date(2026, 1, 15))
    draft_charter.refresh_from_db()
    assert draft_charter.review_due_date == date(2026, 7, 1)


def test_publishing_refuses_a_review_date_before_the_effective_date(draft_charter: Charter, head: Any) -> None:
    draft_charter.review_due_date = date(2026, 1, 1)
    draft_charter.save()
    with pytest.raises(ValidationError) as excinfo:
        services.publish_charter(draft_charter, head, effective_date=date(2026, 1, 15))
    assert excinfo.value.code == "review_before_effective"
    draft_charter.refresh_from_db()
    assert draft_charter.status == CharterStatus.DRAFT


def test_one_year_after_a_leap_day_is_the_28th_of_february() -> None:
    assert services.one_year_after(date(2028, 2, 29)) == date(2029, 2, 28)


def test_a_published_charter_is_not_published_again(published_charter: Charter, head: Any) -> None:
    with pytest.raises(ValidationError):
        services.publish_charter(published_charter, head)


def test_make_published_charter_supersedes_and_counts_versions(facility: Facility) -> None:
    first = make_published_charter(facility, services=1)
    second = make_published_charter(facility, services=1)
    first.refresh_from_db()
    assert (first.version, first.status) == (1, CharterStatus.SUPERSEDED)
    assert (second.version, second.status) == (2, CharterStatus.PUBLISHED)


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
