"""`diff_charters()`: what changed between two versions, per service and per component.

Most tests compare the published version with a revision started from it (`start_draft`),
edited as staff would while it is a draft: the diff is a pure function of the two versions.
"""

from __future__ import annotations

from datetime import time
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from charters import services as charter_services
from charters.diff import Change, CharterDiff, charters_for_diff, diff_charters
from charters.models import (
    TEXT_COMPONENTS,
    AgreementDecision,
    Charter,
    ClauseKind,
    ClauseParty,
    DurationUnit,
    Facility,
    ServiceMethod,
    ServiceStandard,
    Weekday,
)
from tests.factories import (
    ClauseFactory,
    ProcedureStepFactory,
    RequirementFactory,
    ScheduleSlotFactory,
    ServiceStandardFactory,
    make_complete_draft,
    make_complete_service,
    make_published_charter,
    record_agreement,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def v1(facility: Facility, head: Any) -> Charter:
    return make_published_charter(facility, services=2, head=head)


@pytest.fixture
def v2(v1: Charter, head: Any) -> Charter:
    """A revision of v1: an exact copy until a test edits it."""
    return charter_services.start_draft(v1.facility, head)


def diff(old: Charter, new: Charter, language: str = "en") -> CharterDiff:
    loaded = charters_for_diff(old.pk, new.pk)
    with translation.override(language):
        return diff_charters(loaded[old.pk], loaded[new.pk])


def first_service(charter: Charter) -> ServiceStandard:
    return charter.services.order_by("position", "id").first()


def only_change(result: CharterDiff) -> Change:
    """The one change of the one changed service."""
    assert not result.added and not result.removed and not result.charter_changes
    assert len(result.changed) == 1
    assert len(result.changed[0].changes) == 1, result.changed[0].changes
    return result.changed[0].changes[0]


# --- Nothing changed ----------------------------------------------------------------------


def test_a_fresh_revision_has_no_differences(v1: Charter, v2: Charter) -> None:
    result = diff(v1, v2)

    assert result.is_empty
    assert (result.old_version, result.new_version) == (1, 2)
    assert result.unchanged == tuple(s.name for s in v1.services.all())


def test_no_differences_renders_the_empty_state(v1: Charter, v2: Charter) -> None:
    with translation.override("en"):
        html = render_to_string("charters/includes/_diff.html", {"diff": diff(v1, v2)})

    assert "No differences" in html
    assert "New service" not in html


# --- Services added, removed, renamed -------------------------------------------------------


def test_new_service_is_listed_as_added(v1: Charter, v2: Charter) -> None:
    make_complete_service(v2, name="Imunisasi Dasar", slug="imunisasi-dasar", duration_value=10)

    result = diff(v1, v2)

    assert [(s.name, s.slug, s.duration, s.fee) for s in result.added] == [
        ("Imunisasi Dasar", "imunisasi-dasar", "10 minutes", "Free")
    ]
    assert not result.removed and not result.changed and not result.is_empty


def test_deleted_service_is_listed_as_removed(v1: Charter, v2: Charter) -> None:
    gone = first_service(v2)
    gone.delete()

    result = diff(v1, v2)

    assert [s.name for s in result.removed] == [gone.name]
    assert not result.added and not result.changed


def test_service_whose_slug_changed_counts_as_removed_and_added(v1: Charter, v2: Charter) -> None:
    service = first_service(v2)
    old_slug = service.slug
    service.slug = "poli-umum-dewasa"
    service.save()

    result = diff(v1, v2)

    assert [s.slug for s in result.removed] == [old_slug]
    assert [s.slug for s in result.added] == ["poli-umum-dewasa"]
    assert not result.changed


def test_renamed_service_with_same_slug_shows_both_names(v1: Charter, v2: Charter) -> None:
    service = first_service(v2)
    old_name = service.name
    service.name = "Poli Umum Dewasa"
    service.save()

    result = diff(v1, v2)

    change = only_change(result)
    assert (change.label, change.kind, change.old, change.new) == ("Name", "value", old_name, "Poli Umum Dewasa")
    assert (result.changed[0].name, result.changed[0].old_name) == ("Poli Umum Dewasa", old_name)


# --- Deferred services are not part of a charter ----------------------------------------------


def test_service_deferred_in_the_new_version_counts_as_removed(v1: Charter, v2: Charter, head: Any) -> None:
    charter_services.open_consultation(v2, head)
    record_agreement(v2)
    deferred = first_service(v2)
    deferred.agreement = AgreementDecision.DEFERRED
    deferred.save()

    result = diff(v1, v2)

    assert [s.name for s in result.removed] == [deferred.name]
    assert not result.added and not result.changed


def test_service_deferred_in_the_old_version_counts_as_added_in_the_new(facility: Facility, head: Any) -> None:
    old = make_published_charter(facility, services=1, head=head)
    draft = charter_services.start_draft(facility, head)
    extra = make_complete_service(draft, name="Klinik Sanitasi", slug="klinik-sanitasi")
    charter_services.open_consultation(draft, head)
    record_agreement(draft)
    extra.agreement = AgreementDecision.DEFERRED
    extra.save()
    charter_services.mark_agreed(draft, head)
    charter_services.approve_charter(draft, head)
    deferred_in = charter_services.publish_charter(draft, head)  # v2: Klinik Sanitasi deferred
    revision = charter_services.start_draft(facility, head)  # v3: the copy puts it up again

    assert diff(old, deferred_in).is_empty
    assert [s.name for s in diff(deferred_in, revision).added] == ["Klinik Sanitasi"]


def test_diff_ignores_deferred_services_even_when_the_loader_kept_them(v1: Charter, v2: Charter, head: Any) -> None:
    charter_services.open_consultation(v2, head)
    record_agreement(v2)
    deferred = first_service(v2)
    deferred.agreement = AgreementDecision.DEFERRED
    deferred.save()
    # Loaded without the loader's filter, as charter_with_content() without public=True would.
    old = Charter.objects.prefetch_related("services", "clauses").get(pk=v1.pk)
    new = Charter.objects.prefetch_related("services", "clauses").get(pk=v2.pk)

    with translation.override("en"):
        result = diff_charters(old, new)

    assert [s.name for s in result.removed] == [deferred.name]


# --- Each kind of component ---------------------------------------------------------------------


@pytest.fixture
def paid_v1(facility: Facility, head: Any) -> Charter:
    """v1 with one paid service taking 60 minutes, published."""
    draft = make_complete_draft(facility, services=0)
    service = ServiceStandardFactory(
        charter=draft, name="Surat Keterangan Sehat", slug="surat-keterangan-sehat", paid=True, duration_value=60
    )
    RequirementFactory(service=service, text="KTP")
    ProcedureStepFactory(service=service, text="Mendaftar di loket", position=1)
    ProcedureStepFactory(service=service, text="Menunggu panggilan", position=2)
    ScheduleSlotFactory(service=service)
    charter_services.open_consultation(draft, head)
    record_agreement(draft)
    charter_services.mark_agreed(draft, head)
    charter_services.approve_charter(draft, head)
    return charter_services.publish_charter(draft, head)


@pytest.fixture
def paid_v2(paid_v1: Charter, head: Any) -> Charter:
    return charter_services.start_draft(paid_v1.facility, head)


def test_fee_becoming_free_in_indonesian(paid_v1: Charter, paid_v2: Charter) -> None:
    service = first_service(paid_v2)
    service.fee_is_free, service.fee_amount = True, None
    service.save()

    change = only_change(diff(paid_v1, paid_v2, "id"))

    assert (change.label, change.old, change.new) == ("Biaya", "Rp 10.000", "Gratis")
    assert change.kind == "value"


def test_fee_amount_change_in_english(paid_v1: Charter, paid_v2: Charter) -> None:
    service = first_service(paid_v2)
    service.fee_amount = 15000
    service.save()

    change = only_change(diff(paid_v1, paid_v2))

    assert (change.label, change.old, change.new) == ("Fee", "Rp 10,000", "Rp 15,000")


def test_duration_change_in_indonesian(paid_v1: Charter, paid_v2: Charter) -> None:
    service = first_service(paid_v2)
    service.duration_value = 30
    service.save()

    change = only_change(diff(paid_v1, paid_v2, "id"))

    assert (change.label, change.old, change.new) == ("Jangka waktu", "60 menit", "30 menit")


def test_duration_unit_change(paid_v1: Charter, paid_v2: Charter) -> None:
    service = first_service(paid_v2)
    service.duration_value, service.duration_unit = 1, DurationUnit.WORKING_DAYS
    service.save()

    change = only_change(diff(paid_v1, paid_v2))

    assert (change.old, change.new) == ("60 minutes", "1 working day")


@pytest.mark.parametrize(
    ("field", "label"),
    [
        ("fee_note", "Who pays what"),
        ("fee_legal_basis", "Legal basis of the tariff"),
        ("duration_note", "Duration note"),
        ("schedule_note", "Schedule note"),
        ("description", "Short description"),
    ],
)
def test_notes_beside_the_components_are_compared(paid_v1: Charter, paid_v2: Charter, field: str, label: str) -> None:
    service = first_service(paid_v2)
    old_value = getattr(service, field)
    setattr(service, field, "Catatan baru")
    service.save()

    change = only_change(diff(paid_v1, paid_v2))

    assert (change.label, change.old, change.new) == (label, old_value, "Catatan baru")


def test_requirements_added_and_removed(paid_v1: Charter, paid_v2: Charter) -> None:
    service = first_service(paid_v2)
    service.requirements.get(text="KTP").delete()
    RequirementFactory(service=service, text="Kartu JKN/BPJS")
    RequirementFactory(service=service, text="Pas foto 3x4")

    change = only_change(diff(paid_v1, paid_v2))

    assert (change.label, change.kind) == ("Requirements", "items")
    assert change.added == ("Kartu JKN/BPJS", "Pas foto 3x4")
    assert change.removed == ("KTP",)


def test_procedure_step_added(paid_v1: Charter, paid_v2: Charter) -> None:
    ProcedureStepFactory(service=first_service(paid_v2), text="Membayar di kasir", position=99)

    change = only_change(diff(paid_v1, paid_v2))

    assert (change.label, change.added, change.removed) == ("Procedure", ("Membayar di kasir",), ())


def test_procedure_steps_in_another_order_show_both_sequences(paid_v1: Charter, paid_v2: Charter) -> None:
    step = first_service(paid_v2).steps.get(text="Mendaftar di loket")
    step.position = 3
    step.save()

    change = only_change(diff(paid_v1, paid_v2))

    assert (change.label, change.kind) == ("Procedure", "text")
    assert change.old == "1. Mendaftar di loket\n2. Menunggu panggilan"
    assert change.new == "1. Menunggu panggilan\n2. Mendaftar di loket"


def test_opening_hours_change_reads_as_schedule_text(paid_v1: Charter, paid_v2: Charter) -> None:
    service = first_service(paid_v2)
    ScheduleSlotFactory(service=service, weekday=Weekday.TUESDAY, opens=time(7, 30), closes=time(14, 0))
    ScheduleSlotFactory(service=service, weekday=Weekday.SATURDAY, opens=time(8, 0), closes=time(11, 0))

    change = only_change(diff(paid_v1, paid_v2, "id"))

    assert (change.label, change.kind) == ("Jam pelayanan", "value")
    assert change.old == "Senin 07.30–14.00"
    assert change.new == "Senin – Selasa 07.30–14.00; Sabtu 08.00–11.00"


def test_methods_added_and_removed_as_labels(paid_v1: Charter, paid_v2: Charter) -> None:
    service = first_service(paid_v2)
    service.methods = [ServiceMethod.APPOINTMENT.value, ServiceMethod.ONLINE.value]
    service.save()

    change = only_change(diff(paid_v1, paid_v2))

    assert change.kind == "items"
    assert change.added == ("By appointment", "Online")
    assert change.removed == ("Walk-in",)


@pytest.mark.parametrize("component", TEXT_COMPONENTS, ids=lambda c: c.field)
def test_each_text_component_shows_old_and_new_text(paid_v1: Charter, paid_v2: Charter, component: Any) -> None:
    service = first_service(paid_v2)
    old_value = getattr(service, component.field)
    setattr(service, component.field, "Teks baru untuk komponen ini.")
    service.save()

    change = only_change(diff(paid_v1, paid_v2))

    with translation.override("en"):
        assert change.label == str(component.label)
    assert change.kind == "text"
    assert (change.old, change.new) == (old_value, "Teks baru untuk komponen ini.")


def test_changes_of_several_services_stay_per_service(v1: Charter, v2: Charter) -> None:
    first, second = v2.services.order_by("position", "id")
    first.duration_value = 45
    first.save()
    second.fee_is_free, second.fee_amount = False, 5000
    second.save()

    result = diff(v1, v2)

    assert [(s.name, [c.label for c in s.changes]) for s in result.changed] == [
        (first.name, ["Duration"]),
        (second.name, ["Fee"]),
    ]
    assert result.unchanged == ()


# --- The charter as a whole ---------------------------------------------------------------------


def test_pledge_change_shows_old_and_new_text(v1: Charter, v2: Charter) -> None:
    v2.pledge = "Kami berjanji melayani dengan sepenuh hati."
    v2.save()

    result = diff(v1, v2)

    assert [(c.label, c.kind, c.old, c.new) for c in result.charter_changes] == [
        ("Service pledge (Maklumat Pelayanan)", "text", v1.pledge, "Kami berjanji melayani dengan sepenuh hati.")
    ]
    assert not result.changed and not result.is_empty


def test_complaint_info_change(v1: Charter, v2: Charter) -> None:
    v2.complaint_info = "Hubungi 0812 1111 2222."
    v2.save()

    (change,) = diff(v1, v2).charter_changes

    assert (change.label, change.old, change.new) == ("How to complain", v1.complaint_info, "Hubungi 0812 1111 2222.")


def test_clauses_added_and_removed_per_party_and_kind(v1: Charter, v2: Charter) -> None:
    removed = v2.clauses.get(party=ClauseParty.PROVIDER, kind=ClauseKind.OBLIGATION)
    removed.delete()
    ClauseFactory(charter=v2, party=ClauseParty.PROVIDER, kind=ClauseKind.OBLIGATION, text="Melayani tepat waktu")
    ClauseFactory(charter=v2, party=ClauseParty.USER, kind=ClauseKind.OBLIGATION, text="Membawa kartu berobat")

    changes = {c.label: c for c in diff(v1, v2).charter_changes}

    assert set(changes) == {"Obligations — Service provider", "Obligations — Service user"}
    provider = changes["Obligations — Service provider"]
    assert (provider.added, provider.removed) == (("Melayani tepat waktu",), (removed.text,))
    assert changes["Obligations — Service user"].added == ("Membawa kartu berobat",)


# --- Rendering and cost --------------------------------------------------------------------------


def test_diff_reads_only_prefetched_data(v1: Charter, v2: Charter, django_assert_num_queries: Any) -> None:
    first_service(v2).delete()
    make_complete_service(v2, name="Imunisasi", slug="imunisasi")
    loaded = charters_for_diff(v1.pk, v2.pk)

    with django_assert_num_queries(0):
        result = diff_charters(loaded[v1.pk], loaded[v2.pk])

    assert result.added and result.removed


def test_loader_queries_do_not_grow_with_services(
    facility: Facility, head: Any, django_assert_num_queries: Any
) -> None:
    old = make_published_charter(facility, services=3, head=head)
    new = make_published_charter(facility, services=30, head=head)

    # charters, services, requirements, steps, schedule slots, clauses, change reasons
    with django_assert_num_queries(7):
        loaded = charters_for_diff(old.pk, new.pk)
        diff_charters(loaded[old.pk], loaded[new.pk])


def test_rendered_diff_names_what_changed_in_indonesian(paid_v1: Charter, paid_v2: Charter) -> None:
    service = first_service(paid_v2)
    service.fee_is_free, service.fee_amount = True, None
    service.save()
    make_complete_service(paid_v2, name="Imunisasi Dasar", slug="imunisasi-dasar")
    ClauseFactory(charter=paid_v2, text="Mendapat informasi yang jelas")

    with translation.override("id"):
        html = render_to_string("charters/includes/_diff.html", {"diff": diff(paid_v1, paid_v2, "id")})

    assert "Layanan baru" in html and "Imunisasi Dasar" in html
    assert "Biaya" in html and "Rp 10.000" in html and "Gratis" in html
    assert "Mendapat informasi yang jelas" in html
