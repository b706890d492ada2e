"""The staff pages end to end with the test client: what is typed, what is stored, what is shown.

Staff clients read the site in English (the language cookie), so that messages can be
compared with the source strings whether or not the Indonesian catalogue is compiled.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, time, timedelta
from typing import Any
from unittest import mock

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from charters.models import (
    Charter,
    CharterEvent,
    CharterStatus,
    ClauseKind,
    ClauseParty,
    Facility,
    ServiceStandard,
    Weekday,
)
from tests.charters.formdata import (
    charter_post_data,
    facility_post_data,
    fill_rows,
    service_post_data,
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
    make_approved_charter,
    make_complete_service,
    make_published_charter,
    record_agreement,
)

pytestmark = pytest.mark.django_db


def charter_url(charter: Charter, name: str = "charter", *extra: Any) -> str:
    return reverse(f"manage:{name}", args=[charter.facility.slug, charter.version, *extra])


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def error_next_to(html: str, field_id: str) -> str:
    """The markup that shows a field's errors: crispy's error block, or the rest of a formset cell."""
    block = re.search(rf'<div id="{re.escape(field_id)}_error" class="invalid-feedback">(.*?)</div>', html, re.S)
    if block:
        return block.group(1)
    start = html.index(f'id="{field_id}"')
    return html[start : html.index("</td>", start)]


def assert_error_next_to(response: Any, field_id: str, message: str) -> None:
    html = response.content.decode()
    assert escape(message) in error_next_to(html, field_id), f"{message!r} is not shown next to {field_id}"


def assert_typed_values_kept(response: Any, *snippets: str) -> None:
    html = response.content.decode()
    for snippet in snippets:
        assert snippet in html, f"the page forgot what was typed: {snippet!r}"


# --- Adding and editing a service -------------------------------------------------------


def new_service_data(charter: Charter, **overrides: Any) -> dict[str, Any]:
    """A valid new service as typed into the add page: a paid walk-in service with a break."""
    data = service_post_data(charter)
    data.update(
        {
            "name": "Imunisasi Dasar",
            "slug": "",
            "category": "maternal_child",
            "description": "Imunisasi dasar lengkap untuk bayi.",
            "duration_value": "30",
            "duration_unit": "minutes",
            "duration_note": "Termasuk observasi 15 menit.",
            "fee_amount": "15000",
            "fee_note": "Gratis bagi peserta JKN.",
            "fee_legal_basis": "Perda Kabupaten Tuban No. 1/2020",
            "methods": ["walk_in", "outreach"],
            "schedule_note": "Tutup pada hari libur nasional.",
            "product": "Bayi mendapat imunisasi dan catatan di buku KIA.",
        }
    )
    fill_rows(
        data,
        "requirements",
        [{"text": "Buku KIA"}, {"text": "Kartu JKN bayi"}, {"text": "KTP orang tua"}],
    )
    fill_rows(data, "steps", [{"text": "Mendaftar di loket"}, {"text": "Penimbangan bayi"}, {"text": "Imunisasi"}])
    fill_rows(
        data,
        "schedule",
        [
            {"weekday": "0", "opens": "07:30", "closes": "11:00"},
            {"weekday": "0", "opens": "13:00", "closes": "15:00"},  # the same Monday, after a break
            {"weekday": "2", "opens": "08:00", "closes": "12:00"},
        ],
    )
    data.update(overrides)
    return data


def test_adding_a_service_stores_every_component_in_order(editor_client: Client, draft_charter: Charter) -> None:
    existing = list(draft_charter.services.values_list("pk", flat=True))

    response = editor_client.post(charter_url(draft_charter, "service_add"), new_service_data(draft_charter))

    assert response.status_code == 302
    assert response["Location"] == charter_url(draft_charter)
    service = draft_charter.services.get(slug="imunisasi-dasar")  # the address was made from the name
    assert service.name == "Imunisasi Dasar"
    assert service.category == "maternal_child"
    assert (service.duration_value, service.duration_unit) == (30, "minutes")
    assert service.duration_note == "Termasuk observasi 15 menit."
    assert (service.fee_is_free, service.fee_amount) == (False, 15000)
    assert service.fee_legal_basis == "Perda Kabupaten Tuban No. 1/2020"
    assert service.methods == ["walk_in", "outreach"]
    assert service.product == "Bayi mendapat imunisasi dan catatan di buku KIA."
    assert [(r.position, r.text) for r in service.requirements.all()] == [
        (1, "Buku KIA"),
        (2, "Kartu JKN bayi"),
        (3, "KTP orang tua"),
    ]
    assert [(s.position, s.text) for s in service.steps.all()] == [
        (1, "Mendaftar di loket"),
        (2, "Penimbangan bayi"),
        (3, "Imunisasi"),
    ]
    assert [(s.weekday, s.opens, s.closes) for s in service.schedule_slots.all()] == [
        (Weekday.MONDAY, time(7, 30), time(11, 0)),
        (Weekday.MONDAY, time(13, 0), time(15, 0)),
        (Weekday.WEDNESDAY, time(8, 0), time(12, 0)),
    ]
    # The new service comes last in the charter.
    assert list(draft_charter.services.values_list("pk", flat=True)) == [*existing, service.pk]
    assert service.missing_delivery_components() == []
    assert messages_of(response) == ["The service “Imunisasi Dasar” was added."]


def test_a_break_shows_as_two_periods_on_one_day(editor_client: Client, draft_charter: Charter) -> None:
    editor_client.post(charter_url(draft_charter, "service_add"), new_service_data(draft_charter))

    service = draft_charter.services.get(slug="imunisasi-dasar")
    assert service.schedule_rows() == [("Monday", "07.30–11.00, 13.00–15.00"), ("Wednesday", "08.00–12.00")]


def test_save_and_keep_editing_returns_to_the_service(editor_client: Client, draft_charter: Charter) -> None:
    data = new_service_data(draft_charter, save_continue="1")

    response = editor_client.post(charter_url(draft_charter, "service_add"), data)

    assert response["Location"] == charter_url(draft_charter, "service_edit", "imunisasi-dasar")
    assert draft_charter.services.filter(slug="imunisasi-dasar").exists()


@pytest.fixture
def service(draft_charter: Charter) -> ServiceStandard:
    """A draft service with three requirements, three steps and a Monday slot."""
    service = ServiceStandardFactory(charter=draft_charter, name="Poli Gigi", slug="poli-gigi")
    for position, text in enumerate(["KTP", "Kartu JKN", "Surat rujukan"], start=1):
        RequirementFactory(service=service, position=position, text=text)
    for position, text in enumerate(["Daftar", "Periksa", "Ambil obat"], start=1):
        ProcedureStepFactory(service=service, position=position, text=text)
    ScheduleSlotFactory(service=service, weekday=Weekday.MONDAY, opens=time(8), closes=time(12))
    return service


def test_editing_reorders_requirements_and_steps_by_the_order_column(
    editor_client: Client, service: ServiceStandard
) -> None:
    data = service_post_data(service.charter, service)
    # Rows 0, 1, 2 are KTP, Kartu JKN, Surat rujukan and Daftar, Periksa, Ambil obat.
    data.update({"requirements-0-ORDER": "3", "requirements-1-ORDER": "1", "requirements-2-ORDER": "2"})
    data.update({"steps-0-ORDER": "2", "steps-1-ORDER": "1", "steps-2-ORDER": "3"})

    response = editor_client.post(charter_url(service.charter, "service_edit", service.slug), data)

    assert response.status_code == 302
    service.refresh_from_db()
    assert [(r.position, r.text) for r in service.requirements.all()] == [
        (1, "Kartu JKN"),
        (2, "Surat rujukan"),
        (3, "KTP"),
    ]
    assert [(s.position, s.text) for s in service.steps.all()] == [(1, "Periksa"), (2, "Daftar"), (3, "Ambil obat")]


def test_editing_deletes_rows_ticked_delete_and_renumbers_the_rest(
    editor_client: Client, service: ServiceStandard
) -> None:
    slot = service.schedule_slots.get()
    data = service_post_data(service.charter, service)
    data.update({"requirements-1-DELETE": "on", "steps-0-DELETE": "on", "schedule-0-DELETE": "on"})
    fill_rows(data, "schedule", [{"weekday": "1", "opens": "09:00", "closes": "11:00"}], start=1)

    response = editor_client.post(charter_url(service.charter, "service_edit", service.slug), data)

    assert response.status_code == 302
    service.refresh_from_db()
    assert [(r.position, r.text) for r in service.requirements.all()] == [(1, "KTP"), (2, "Surat rujukan")]
    assert [(s.position, s.text) for s in service.steps.all()] == [(1, "Periksa"), (2, "Ambil obat")]
    assert not service.schedule_slots.filter(pk=slot.pk).exists()
    assert [(s.weekday, s.opens, s.closes) for s in service.schedule_slots.all()] == [
        (Weekday.TUESDAY, time(9), time(11))
    ]


def test_editing_a_service_keeps_it_in_place_and_may_change_its_address(
    editor_client: Client, service: ServiceStandard
) -> None:
    position = service.position
    data = {**service_post_data(service.charter, service), "name": "Poli Gigi dan Mulut", "slug": "gigi-mulut"}

    response = editor_client.post(charter_url(service.charter, "service_edit", service.slug), data)

    assert response["Location"] == charter_url(service.charter)
    service.refresh_from_db()
    assert (service.name, service.slug, service.position) == ("Poli Gigi dan Mulut", "gigi-mulut", position)
    assert messages_of(response) == ["The service “Poli Gigi dan Mulut” was saved."]


# Each error case: what is typed over the valid new service, the field that must show the
# error, the message, and what the page must still show of the typing.
ADD_ERRORS = [
    pytest.param(
        {"fee_amount": "-5"}, "id_fee_amount", "The fee cannot be negative.", ['value="-5"'], id="fee-negative"
    ),
    pytest.param(
        {"fee_amount": "abc"}, "id_fee_amount", "Enter a whole number.", ['value="abc"'], id="fee-not-a-number"
    ),
    pytest.param(
        {"fee_amount": "0"},
        "id_fee_amount",
        "A fee of Rp 0 means free: tick “free of charge” instead.",
        ['value="0"'],
        id="paid-zero",
    ),
    pytest.param(
        {"duration_value": "0"}, "id_duration_value", "The duration must be at least 1.", ['value="0"'], id="duration-0"
    ),
    pytest.param(
        {"duration_value": ""},
        "id_duration_value",
        "Enter how long the service takes.",
        ['value="15000"'],
        id="duration-missing",
    ),
    pytest.param(
        {"fee_is_free": "on", "fee_amount": "5000"},
        "id_fee_amount",
        "A free service has no fee: leave the amount empty or untick “free of charge”.",
        ['value="5000"', 'name="fee_is_free" class="checkboxinput form-check-input" id="id_fee_is_free" checked'],
        id="free-with-amount",
    ),
    pytest.param(
        {"fee_amount": ""},
        "id_fee_amount",
        "Enter the fee in rupiah, or tick “free of charge”.",
        ['value="30"'],
        id="paid-without-amount",
    ),
    pytest.param(
        {"schedule-3-weekday": "4", "schedule-3-opens": "11:00", "schedule-3-closes": "07:30"},
        "id_schedule-3-closes",
        "Closing time must be after opening time.",
        ['value="11:00"', 'value="07:30"', '<option value="4" selected>'],
        id="closes-before-opens",
    ),
    pytest.param(
        {"schedule-1-opens": "10:30", "schedule-1-closes": "13:00"},  # Monday 07:30 to 11:00 is row 0
        "id_schedule-1-opens",
        "These hours overlap another period on the same day.",
        ['value="10:30"', 'value="13:00"'],
        id="overlapping-ranges",
    ),
    pytest.param(
        {"methods": []}, "id_methods", "Choose at least one way the service is delivered.", [], id="no-method"
    ),
    pytest.param(
        {"methods": ["walk_in", "teleport"]},
        "id_methods",
        "Select a valid choice. teleport is not one of the available choices.",
        ['value="walk_in"'],
        id="unknown-method",
    ),
    pytest.param(
        {"methods": ["walk_in", "walk_in"]},
        "id_methods",
        "Each delivery method may be chosen once.",
        ['value="walk_in"'],
        id="same-method-twice",
    ),
]


@pytest.mark.parametrize(("typed", "field_id", "message", "kept"), ADD_ERRORS)
def test_invalid_new_service_is_shown_again_with_the_error_and_the_typing(
    editor_client: Client, draft_charter: Charter, typed: dict[str, Any], field_id: str, message: str, kept: list[str]
) -> None:
    count = ServiceStandard.objects.count()

    response = editor_client.post(charter_url(draft_charter, "service_add"), new_service_data(draft_charter, **typed))

    assert response.status_code == 200
    assert_error_next_to(response, field_id, message)
    assert_typed_values_kept(
        response,
        'value="Imunisasi Dasar"',
        'value="Buku KIA"',
        "Penimbangan bayi</textarea>",
        "Bayi mendapat imunisasi dan catatan di buku KIA.</textarea>",
        *kept,
    )
    assert "Please correct the errors below; nothing was saved yet." in messages_of(response)
    assert ServiceStandard.objects.count() == count


def test_checked_methods_stay_checked_when_another_field_fails(editor_client: Client, draft_charter: Charter) -> None:
    response = editor_client.post(
        charter_url(draft_charter, "service_add"), new_service_data(draft_charter, fee_amount="-5")
    )

    html = response.content.decode()
    assert re.search(r'<input[^>]*value="walk_in"[^>]*checked', html)
    assert re.search(r'<input[^>]*value="outreach"[^>]*checked', html)
    assert not re.search(r'<input[^>]*value="online"[^>]*checked', html)


def test_address_used_by_another_service_of_the_charter_is_refused(
    editor_client: Client, service: ServiceStandard
) -> None:
    data = new_service_data(service.charter, slug="poli-gigi")

    response = editor_client.post(charter_url(service.charter, "service_add"), data)

    assert response.status_code == 200
    assert_error_next_to(response, "id_slug", "Another service of this charter already uses the address “poli-gigi”.")
    assert_typed_values_kept(response, 'value="poli-gigi"', 'value="Imunisasi Dasar"')
    assert service.charter.services.filter(slug="poli-gigi").count() == 1


def test_name_that_makes_a_taken_address_is_refused(editor_client: Client, service: ServiceStandard) -> None:
    data = new_service_data(service.charter, name="Poli Gigi", slug="")

    response = editor_client.post(charter_url(service.charter, "service_add"), data)

    assert response.status_code == 200
    assert_error_next_to(response, "id_slug", "Another service of this charter already uses the address “poli-gigi”.")
    assert service.charter.services.filter(name="Poli Gigi").count() == 1


def test_same_address_in_another_charter_is_allowed(
    editor_client: Client, published_charter: Charter, draft_charter: Charter
) -> None:
    taken_elsewhere = published_charter.services.first().slug
    draft_charter.services.filter(slug=taken_elsewhere).delete()  # the draft copy is not used here

    response = editor_client.post(
        charter_url(draft_charter, "service_add"), new_service_data(draft_charter, slug=taken_elsewhere)
    )

    assert response.status_code == 302
    assert draft_charter.services.filter(slug=taken_elsewhere, name="Imunisasi Dasar").exists()


@pytest.mark.parametrize(
    ("cleared", "field_id"),
    [("requirements-1-text", "id_requirements-1-text"), ("steps-0-text", "id_steps-0-text")],
    ids=["requirement", "step"],
)
def test_clearing_the_text_of_an_existing_row_is_refused(
    editor_client: Client, service: ServiceStandard, cleared: str, field_id: str
) -> None:
    data = service_post_data(service.charter, service)
    data.update({cleared: "", "name": "Poli Gigi Baru", "requirements-0-text": "KTP asli"})

    response = editor_client.post(charter_url(service.charter, "service_edit", service.slug), data)

    assert response.status_code == 200
    assert_error_next_to(response, field_id, "This field is required.")
    assert_typed_values_kept(response, 'value="Poli Gigi Baru"', 'value="KTP asli"')
    service.refresh_from_db()
    assert service.name == "Poli Gigi"
    assert [r.text for r in service.requirements.all()] == ["KTP", "Kartu JKN", "Surat rujukan"]
    assert [s.text for s in service.steps.all()] == ["Daftar", "Periksa", "Ambil obat"]


def test_every_error_of_a_service_shows_at_once(editor_client: Client, draft_charter: Charter) -> None:
    data = new_service_data(
        draft_charter,
        fee_amount="-5",
        **{"schedule-3-weekday": "4", "schedule-3-opens": "11:00", "schedule-3-closes": "07:30"},
    )

    response = editor_client.post(charter_url(draft_charter, "service_add"), data)

    assert_error_next_to(response, "id_fee_amount", "The fee cannot be negative.")
    assert_error_next_to(response, "id_schedule-3-closes", "Closing time must be after opening time.")


# --- Facility profile --------------------------------------------------------------------


def test_facility_profile_is_saved(editor_client: Client, facility: Facility) -> None:
    data = {
        **facility_post_data(facility),
        "phone": "0356 999 888",
        "email": "pkm.soko@example.org",
        "vision": "Sehat bersama",
    }

    response = editor_client.post(reverse("manage:facility_edit", args=[facility.slug]), data)

    assert response.status_code == 302
    assert response["Location"] == reverse("manage:facility", args=[facility.slug])
    facility.refresh_from_db()
    assert (facility.phone, facility.email, facility.vision) == (
        "0356 999 888",
        "pkm.soko@example.org",
        "Sehat bersama",
    )
    assert messages_of(response) == ["The facility profile was saved."]


def test_facility_profile_with_an_invalid_email_is_refused(editor_client: Client, facility: Facility) -> None:
    data = {**facility_post_data(facility), "email": "bukan-email", "phone": "0356 777"}

    response = editor_client.post(reverse("manage:facility_edit", args=[facility.slug]), data)

    assert response.status_code == 200
    assert_error_next_to(response, "id_email", "Enter a valid email address.")
    assert_typed_values_kept(response, 'value="bukan-email"', 'value="0356 777"')
    facility.refresh_from_db()
    assert (facility.email, facility.phone) == ("", "0356 123456")


# --- Pledge, rights and obligations ------------------------------------------------------


def test_charter_pledge_and_clauses_are_saved(editor_client: Client, editor: Any, draft_charter: Charter) -> None:
    data = charter_post_data(draft_charter)
    data.update(
        {
            "charter-pledge": "Kami sanggup melayani sesuai standar.",
            "charter-complaint_info": "Kotak saran di lobi.",
            "charter-effective_date": "2025-01-02",
            "charter-review_due_date": "2026-01-02",
        }
    )
    # Two clauses exist (rows 0 and 1); the new one is typed into the first empty row and put first.
    fill_rows(
        data,
        "clauses",
        [{"party": ClauseParty.USER, "kind": ClauseKind.OBLIGATION, "text": "Membawa kartu identitas", "ORDER": "0"}],
        start=2,
    )
    data["clauses-1-DELETE"] = "on"
    kept_clause = draft_charter.clauses.first()

    response = editor_client.post(charter_url(draft_charter, "charter_edit"), data)

    assert response.status_code == 302
    assert response["Location"] == charter_url(draft_charter)
    draft_charter.refresh_from_db()
    assert draft_charter.pledge == "Kami sanggup melayani sesuai standar."
    assert draft_charter.complaint_info == "Kotak saran di lobi."
    assert (draft_charter.effective_date, draft_charter.review_due_date) == (date(2025, 1, 2), date(2026, 1, 2))
    assert draft_charter.updated_by == editor
    assert [(c.position, c.text) for c in draft_charter.clauses.all()] == [
        (1, "Membawa kartu identitas"),
        (2, kept_clause.text),
    ]


def test_charter_with_an_empty_pledge_is_refused(editor_client: Client, draft_charter: Charter) -> None:
    pledge = draft_charter.pledge
    data = {**charter_post_data(draft_charter), "charter-pledge": "  ", "charter-complaint_info": "WhatsApp 0812"}
    fill_rows(data, "clauses", [{"party": "user", "kind": "right", "text": "Hak atas informasi"}], start=2)

    response = editor_client.post(charter_url(draft_charter, "charter_edit"), data)

    assert response.status_code == 200
    assert_error_next_to(response, "id_charter-pledge", "This field is required.")
    assert_typed_values_kept(response, "WhatsApp 0812</textarea>", "Hak atas informasi</textarea>")
    draft_charter.refresh_from_db()
    assert draft_charter.pledge == pledge
    assert not draft_charter.clauses.filter(text="Hak atas informasi").exists()


def test_charter_review_date_before_the_effective_date_is_refused(
    editor_client: Client, draft_charter: Charter
) -> None:
    data = {
        **charter_post_data(draft_charter),
        "charter-effective_date": "2025-06-01",
        "charter-review_due_date": "2025-01-01",
    }

    response = editor_client.post(charter_url(draft_charter, "charter_edit"), data)

    assert response.status_code == 200
    assert_error_next_to(response, "id_charter-review_due_date", "The review date must be after the effective date.")
    assert_typed_values_kept(response, 'value="2025-06-01"', 'value="2025-01-01"')
    draft_charter.refresh_from_db()
    assert (draft_charter.effective_date, draft_charter.review_due_date) == (None, None)


def test_charter_errors_in_the_pledge_and_a_clause_show_at_once(editor_client: Client, draft_charter: Charter) -> None:
    data = {**charter_post_data(draft_charter), "charter-pledge": "", "clauses-0-text": ""}

    response = editor_client.post(charter_url(draft_charter, "charter_edit"), data)

    assert_error_next_to(response, "id_charter-pledge", "This field is required.")
    assert_error_next_to(response, "id_clauses-0-text", "This field is required.")


# --- Deleting and moving services -------------------------------------------------------


def test_delete_page_asks_before_deleting(editor_client: Client, service: ServiceStandard) -> None:
    response = editor_client.get(charter_url(service.charter, "service_delete", service.slug))

    assert response.status_code == 200
    assert "Delete “Poli Gigi”?" in response.content.decode()
    assert ServiceStandard.objects.filter(pk=service.pk).exists()


def test_deleting_a_service_removes_it_and_its_components(editor_client: Client, service: ServiceStandard) -> None:
    charter = service.charter

    response = editor_client.post(charter_url(charter, "service_delete", service.slug))

    assert response["Location"] == charter_url(charter)
    assert not ServiceStandard.objects.filter(pk=service.pk).exists()
    assert not charter.services.filter(slug="poli-gigi").exists()
    assert charter.services.count() == 2  # the other services stay
    assert messages_of(response) == ["The service “Poli Gigi” was removed from the draft."]


@pytest.fixture
def three_services(facility: Facility) -> list[ServiceStandard]:
    charter = CharterFactory(facility=facility)
    return [make_complete_service(charter, name=name) for name in ("Loket", "Poli Umum", "Apotek")]


def names_in_order(charter: Charter) -> list[str]:
    return list(charter.services.values_list("name", flat=True))


def move(client: Client, service: ServiceStandard, direction: str) -> Any:
    return client.post(charter_url(service.charter, "service_move", service.slug), {"direction": direction})


def test_moving_a_service_up_swaps_it_with_the_one_above(
    editor_client: Client, three_services: list[ServiceStandard]
) -> None:
    loket, poli, apotek = three_services

    response = move(editor_client, poli, "-1")

    assert response["Location"] == charter_url(poli.charter) + "#service-poli-umum"
    for service in three_services:
        service.refresh_from_db()
    assert (poli.position, loket.position, apotek.position) == (1, 2, 3)
    assert names_in_order(poli.charter) == ["Poli Umum", "Loket", "Apotek"]


def test_moving_a_service_down_swaps_it_with_the_one_below(
    editor_client: Client, three_services: list[ServiceStandard]
) -> None:
    poli = three_services[1]

    move(editor_client, poli, "1")

    assert names_in_order(poli.charter) == ["Loket", "Apotek", "Poli Umum"]


def test_first_service_cannot_move_up_nor_last_move_down(
    editor_client: Client, three_services: list[ServiceStandard]
) -> None:
    before = [(s.pk, s.position) for s in three_services]

    move(editor_client, three_services[0], "-1")
    move(editor_client, three_services[-1], "1")

    for service in three_services:
        service.refresh_from_db()
    assert [(s.pk, s.position) for s in three_services] == before
    assert names_in_order(three_services[0].charter) == ["Loket", "Poli Umum", "Apotek"]


def test_moving_without_a_valid_direction_changes_nothing(
    editor_client: Client, three_services: list[ServiceStandard]
) -> None:
    before = [(s.pk, s.position) for s in three_services]

    response = move(editor_client, three_services[1], "7")

    assert response.status_code == 302
    assert messages_of(response) == ["Choose whether to move the service up or down."]
    for service in three_services:
        service.refresh_from_db()
    assert [(s.pk, s.position) for s in three_services] == before


# --- Starting a draft -----------------------------------------------------------------


def charter_content(charter: Charter) -> dict[str, Any]:
    return {
        "pledge": charter.pledge,
        "complaint_info": charter.complaint_info,
        "clauses": [(c.party, c.kind, c.text) for c in charter.clauses.all()],
        "services": [
            (
                s.name,
                s.slug,
                s.fee_display,
                s.duration_display,
                s.methods,
                [r.text for r in s.requirements.all()],
                [p.text for p in s.steps.all()],
                [(t.weekday, t.opens, t.closes) for t in s.schedule_slots.all()],
            )
            for s in charter.services.all()
        ],
    }


def test_starting_a_draft_copies_the_published_charter_as_the_next_version(
    editor_client: Client, editor: Any, published_charter: Charter
) -> None:
    facility = published_charter.facility

    response = editor_client.post(reverse("manage:charter_start", args=[facility.slug]))

    draft = facility.charters.get(status=CharterStatus.DRAFT)
    assert draft.version == published_charter.version + 1
    assert response["Location"] == charter_url(draft)
    assert charter_content(draft) == charter_content(published_charter)
    assert (draft.created_by, draft.effective_date, draft.published_at) == (editor, None, None)
    event = draft.events.get()
    assert (event.action, event.user) == (CharterEvent.Action.CREATED, editor)
    published_charter.refresh_from_db()
    assert published_charter.status == CharterStatus.PUBLISHED
    assert messages_of(response) == [f"Draft version {draft.version} was created."]


def test_starting_a_draft_twice_returns_the_same_draft(editor_client: Client, published_charter: Charter) -> None:
    url = reverse("manage:charter_start", args=[published_charter.facility.slug])
    first = editor_client.post(url, follow=True)  # following shows (and so clears) its message

    second = editor_client.post(url)

    assert second["Location"] == first.redirect_chain[-1][0]
    assert published_charter.facility.charters.count() == 2
    assert published_charter.facility.charters.filter(status=CharterStatus.DRAFT).count() == 1
    assert messages_of(second) == ["The facility already has a draft; here it is."]


def test_first_draft_of_a_new_facility_is_version_one(editor_client: Client, facility: Facility) -> None:
    editor_client.post(reverse("manage:charter_start", args=[facility.slug]))

    draft = facility.charters.get()
    assert (draft.version, draft.status, draft.services.count()) == (1, CharterStatus.DRAFT, 0)


# --- Publishing -----------------------------------------------------------------------


def step(client: Client, charter: Charter, name: str, **data: Any) -> Any:
    return client.post(charter_url(charter, name), data)


def test_a_version_goes_through_the_whole_lifecycle_in_the_browser_forms(
    editor_client: Client,
    head_client: Client,
    head: Any,
    editor: Any,
    published_charter: Charter,
    draft_charter: Charter,
) -> None:
    make_complete_service(draft_charter, name="Layanan Kesehatan Jiwa", slug="kesehatan-jiwa")

    response = step(editor_client, draft_charter, "charter_consultation", comment="Siap dibahas")
    assert messages_of(response) == [f"Version {draft_charter.version} is open for public consultation."]
    record_agreement(draft_charter)
    step(editor_client, draft_charter, "charter_agree", comment="Forum 12 Mei")
    step(head_client, draft_charter, "charter_approve")
    response = step(head_client, draft_charter, "charter_publish", confirm="on")

    assert response["Location"] == charter_url(draft_charter)
    draft_charter.refresh_from_db()
    published_charter.refresh_from_db()
    today = timezone.localdate()
    assert draft_charter.status == CharterStatus.PUBLISHED
    assert (draft_charter.published_by, draft_charter.approved_by, draft_charter.effective_date) == (head, head, today)
    assert draft_charter.review_due_date == today.replace(year=today.year + 1)
    assert published_charter.status == CharterStatus.SUPERSEDED
    assert list(draft_charter.events.values_list("action", "user", "comment")) == [
        (CharterEvent.Action.CONSULTATION, editor.pk, "Siap dibahas"),
        (CharterEvent.Action.AGREED, editor.pk, "Forum 12 Mei"),
        (CharterEvent.Action.APPROVED, head.pk, ""),
        (CharterEvent.Action.PUBLISHED, head.pk, ""),
    ]
    public_page = Client().get(reverse("public:charter", args=[draft_charter.facility.slug]))
    assert "Layanan Kesehatan Jiwa" in public_page.content.decode()
    assert public_page.context["charter"].pk == draft_charter.pk


def test_history_with_comments_shows_on_the_version_page(editor_client: Client, draft_charter: Charter) -> None:
    step(editor_client, draft_charter, "charter_consultation", comment="Mohon masukan warga")

    html = editor_client.get(charter_url(draft_charter)).content.decode()

    assert "Opened for public consultation" in html
    assert "Mohon masukan warga" in html


def test_incomplete_draft_does_not_go_to_consultation_and_the_problems_are_listed(
    editor_client: Client, draft_charter: Charter
) -> None:
    ServiceStandardFactory(charter=draft_charter, name="Laboratorium")  # no requirements, steps nor hours

    response = step(editor_client, draft_charter, "charter_consultation")

    assert messages_of(response) == ["Laboratorium: requirements, procedure, schedule still missing."]
    draft_charter.refresh_from_db()
    assert draft_charter.status == CharterStatus.DRAFT


def test_agreement_is_refused_until_the_forum_is_recorded(editor_client: Client, draft_charter: Charter) -> None:
    step(editor_client, draft_charter, "charter_consultation")

    response = step(editor_client, draft_charter, "charter_agree")

    assert "No stakeholder meeting is recorded yet." in messages_of(response)
    draft_charter.refresh_from_db()
    assert draft_charter.status == CharterStatus.CONSULTATION
    page = editor_client.get(charter_url(draft_charter)).content.decode()
    assert "No stakeholder meeting is recorded yet." in page


def test_consultation_returns_to_draft(editor_client: Client, draft_charter: Charter) -> None:
    step(editor_client, draft_charter, "charter_consultation")

    step(editor_client, draft_charter, "charter_return")

    draft_charter.refresh_from_db()
    assert draft_charter.status == CharterStatus.DRAFT


def test_editor_may_neither_approve_nor_publish(editor_client: Client, facility: Any, head: Any) -> None:
    agreed = make_approved_charter(facility, head=head)

    assert step(editor_client, agreed, "charter_publish", confirm="on").status_code == 403
    agreed.refresh_from_db()
    assert agreed.status == CharterStatus.APPROVED


def test_publishing_later_keeps_the_current_charter_until_the_day(
    head_client: Client, facility: Any, head: Any, published_charter: Charter
) -> None:
    approved = make_approved_charter(facility, head=head)
    day = timezone.localdate() + timedelta(days=10)

    response = step(head_client, approved, "charter_publish", confirm="on", effective_date=day.isoformat())

    approved.refresh_from_db()
    assert (approved.status, approved.effective_date, approved.is_scheduled) == (CharterStatus.APPROVED, day, True)
    assert Client().get(reverse("public:charter", args=[facility.slug])).context["charter"] == published_charter
    assert "Publication is scheduled" in head_client.get(response["Location"]).content.decode()
    with mock.patch("django.utils.timezone.localdate", return_value=day):
        public = Client().get(reverse("public:charter", args=[facility.slug]))
    assert public.context["charter"] == approved
    approved.refresh_from_db()
    published_charter.refresh_from_db()
    assert (approved.status, published_charter.status) == (CharterStatus.PUBLISHED, CharterStatus.SUPERSEDED)


def test_publishing_in_the_past_is_refused(head_client: Client, facility: Any, head: Any) -> None:
    approved = make_approved_charter(facility, head=head)

    response = step(head_client, approved, "charter_publish", confirm="on", effective_date="2020-01-01")

    assert messages_of(response) == ["The effective date cannot be in the past."]
    approved.refresh_from_db()
    assert approved.status == CharterStatus.APPROVED


def test_publishing_without_ticking_the_confirmation_is_refused(head_client: Client, facility: Any, head: Any) -> None:
    approved = make_approved_charter(facility, head=head)

    response = step(head_client, approved, "charter_publish")

    assert messages_of(response) == ["Tick the box to confirm."]
    approved.refresh_from_db()
    assert approved.status == CharterStatus.APPROVED


def test_a_draft_can_be_discarded(editor_client: Client, draft_charter: Charter) -> None:
    response = step(editor_client, draft_charter, "charter_discard")

    assert response["Location"] == reverse("manage:facility", args=[draft_charter.facility.slug])
    assert not Charter.objects.filter(pk=draft_charter.pk).exists()


def test_version_page_offers_approving_and_publishing_only_to_the_head(
    editor_client: Client, head_client: Client, head: Any, facility: Any
) -> None:
    approved = make_approved_charter(facility, head=head)
    publish_url = charter_url(approved, "charter_publish")

    as_editor = editor_client.get(charter_url(approved))
    as_head = head_client.get(charter_url(approved))

    assert publish_url not in as_editor.content.decode()
    assert "The head of the facility can now publish it." in as_editor.content.decode()
    assert publish_url in as_head.content.decode()


# --- Login and dashboard ---------------------------------------------------------------


def test_login_page_renders(client: Client) -> None:
    response = client.get(reverse("login"))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="username"' in html
    assert 'name="password"' in html


def test_staff_logs_in_and_lands_on_the_dashboard(client: Client, editor: Any) -> None:
    response = client.post(reverse("login"), {"username": "editor", "password": "pw"})

    assert response["Location"] == reverse("manage:dashboard")
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_dashboard_lists_only_the_users_facilities(
    editor_client: Client, facility: Facility, other_facility: Facility
) -> None:
    response = editor_client.get(reverse("manage:dashboard"))

    assert [f.pk for f in response.context["facilities"]] == [facility.pk]
    html = response.content.decode()
    assert "Puskesmas Soko" in html
    assert "Puskesmas Rengel" not in html


def test_dashboard_lists_every_facility_of_a_member_of_several(
    editor_client: Client, editor: Any, facility: Facility, other_facility: Facility
) -> None:
    MembershipFactory(user=editor, facility=other_facility)
    FacilityFactory(name="Puskesmas Lain")

    response = editor_client.get(reverse("manage:dashboard"))

    assert [f.name for f in response.context["facilities"]] == ["Puskesmas Rengel", "Puskesmas Soko"]


def test_dashboard_of_a_user_without_facility_says_so(login: Callable[..., Client], facility: Facility) -> None:
    response = login(UserFactory()).get(reverse("manage:dashboard"))

    assert list(response.context["facilities"]) == []
    assert "Your account is not linked to any facility yet." in response.content.decode()


# --- Query counts of the staff pages -------------------------------------------------------


STAFF_PAGE_QUERIES = [
    pytest.param(lambda c: charter_url(c["draft"]), 13, id="draft-charter"),
    pytest.param(lambda c: charter_url(c["published"]), 15, id="published-charter"),
    pytest.param(lambda c: reverse("manage:facility", args=[c["draft"].facility.slug]), 6, id="facility"),
    pytest.param(lambda c: charter_url(c["draft"], "charter_edit"), 4, id="charter-edit"),
    pytest.param(lambda c: charter_url(c["draft"], "service_edit", c["service"].slug), 7, id="service-edit"),
]


@pytest.mark.parametrize("size", [2, 20])
@pytest.mark.parametrize(("url", "queries"), STAFF_PAGE_QUERIES)
def test_staff_page_queries_do_not_grow_with_the_charter(
    editor_client: Client, facility: Facility, django_assert_num_queries: Any, url: Any, queries: int, size: int
) -> None:
    """`size` services per charter, versions of the facility and requirements of the edited service."""
    for _ in range(size - 1):
        make_published_charter(facility, services=1)
    published = make_published_charter(facility, services=size)
    draft = CharterFactory(facility=facility)
    for _ in range(size):
        service = make_complete_service(draft)
    for _ in range(size):
        RequirementFactory(service=service)
        ClauseFactory(charter=draft)
    path = url({"draft": draft, "published": published, "service": service})

    with django_assert_num_queries(queries):
        response = editor_client.get(path)

    assert response.status_code == 200


@pytest.mark.parametrize("facilities", [1, 10])
def test_dashboard_queries_do_not_grow_with_facilities(
    client: Client, login: Callable[..., Client], superuser: Any, django_assert_num_queries: Any, facilities: int
) -> None:
    for _ in range(facilities):
        make_published_charter()
    login(superuser, client)

    with django_assert_num_queries(5):
        response = client.get(reverse("manage:dashboard"))

    assert len(response.context["facilities"]) == facilities


# --- Addresses --------------------------------------------------------------------------


@pytest.mark.parametrize("typed", [{"slug": "add"}, {"name": "Add", "slug": ""}], ids=["typed", "from-name"])
def test_every_address_the_form_accepts_leads_to_the_service(
    editor_client: Client, draft_charter: Charter, typed: dict[str, str]
) -> None:
    response = editor_client.post(charter_url(draft_charter, "service_add"), new_service_data(draft_charter, **typed))

    service = draft_charter.services.filter(slug="add").first()
    if service is None:  # refusing the address is fine too
        assert_error_next_to(response, "id_slug", response.context["form"].errors["slug"][0])
        return
    edit_page = editor_client.get(charter_url(draft_charter, "service_edit", "add"))
    assert edit_page.context["service"].pk == service.pk


def test_errors_in_list_rows_are_linked_to_their_field_for_screen_readers(
    editor_client: Client, draft_charter: Charter
) -> None:
    data = new_service_data(
        draft_charter, **{"schedule-3-weekday": "4", "schedule-3-opens": "11:00", "schedule-3-closes": "07:30"}
    )

    html = editor_client.post(charter_url(draft_charter, "service_add"), data).content.decode()

    referenced = {ref for refs in re.findall(r'aria-describedby="([^"]+)"', html) for ref in refs.split()}
    assert "id_schedule-3-closes_error" in referenced
    assert referenced <= set(re.findall(r'\bid="([^"]+)"', html))


# --- Two editors saving the same service ---------------------------------------------------


def test_second_save_of_the_same_service_is_refused_and_shows_what_changed(
    editor_client: Client, draft_charter: Charter
) -> None:
    service = draft_charter.services.first()
    first = service_post_data(draft_charter, service)
    second = service_post_data(draft_charter, service)  # both opened the page at the same revision
    first.update({"fee_is_free": "", "fee_amount": "5000"})
    second.update({"duration_value": "45", "description": "Versi saya"})

    assert editor_client.post(charter_url(draft_charter, "service_edit", service.slug), first).status_code == 302
    response = editor_client.post(charter_url(draft_charter, "service_edit", service.slug), second)

    assert response.status_code == 200
    service.refresh_from_db()
    assert (service.fee_amount, service.duration_value, service.revision) == (5000, first_duration(first), 1)
    html = response.content.decode()
    assert "Someone else saved this service" in " ".join(messages_of(response))
    assert "Versi saya" in html  # nothing typed is lost
    assert 'value="45"' in html
    changes = {label: (saved, typed) for label, saved, typed in response.context["conflict_changes"]}
    assert changes["Fee (rupiah)"] == ("5000", "—")
    # Saving again after reading the differences is deliberate and goes through.
    again = {**second, "base_revision": "1"}
    assert editor_client.post(charter_url(draft_charter, "service_edit", service.slug), again).status_code == 302
    service.refresh_from_db()
    assert (service.duration_value, service.revision) == (45, 2)


def first_duration(data: dict[str, Any]) -> int:
    return int(data["duration_value"])


# --- Change history ---------------------------------------------------------------------


def test_one_save_of_a_service_is_one_readable_entry(
    editor_client: Client, editor: Any, published_charter: Charter, django_assert_max_num_queries: Any
) -> None:
    """Issue 12: raw values ("gratis True → False", timestamps with microseconds) and one entry per
    row touched; now a save says what changed as the comparison of versions does."""
    from charters.services import start_draft

    draft = start_draft(published_charter.facility, editor)
    service = draft.services.first()
    requirement = service.requirements.first().text
    data = service_post_data(draft, service)
    data.update(
        {
            "fee_is_free": "",
            "fee_amount": "6400",
            "requirements-0-text": "KTP asli",
            "steps-0-DELETE": "on",
            "schedule-0-closes": "15:00",
        }
    )
    assert editor_client.post(charter_url(draft, "service_edit", service.slug), data).status_code == 302

    with django_assert_max_num_queries(12):
        response = editor_client.get(charter_url(draft, "charter_changes"))

    newest, *older = response.context["changes"]
    assert (newest.what, newest.action, newest.user) == (f"Service “{service.name}”", "changed", editor)
    changes = {change.label: change for change in newest.changes}
    assert (changes["Fee"].old, changes["Fee"].new) == (service.fee_display, "Rp 6,400")
    assert (changes["Requirements"].added, changes["Requirements"].removed) == (("KTP asli",), (requirement,))
    assert changes["Procedure"].removed and not changes["Procedure"].added
    assert "15.00" in changes["Opening hours"].new and "15.00" not in changes["Opening hours"].old
    # The draft's start is one entry, not one per copied row.
    assert [(entry.kind, entry.summary) for entry in older] == [
        ("*", "With 2 services copied from the charter in force.")
    ]
    html = response.content.decode()
    assert "True" not in html and "False" not in html and "Rp 6,400" in html


def test_a_change_of_the_pledge_and_its_rights_is_one_entry(
    editor_client: Client, editor: Any, draft_charter: Charter
) -> None:
    data = charter_post_data(draft_charter)
    data["charter-pledge"] = "Kami siap melayani dengan sepenuh hati."
    fill_rows(
        data,
        "clauses",
        [{"party": ClauseParty.PROVIDER, "kind": ClauseKind.OBLIGATION, "text": "Ramah."}],
        start=int(data["clauses-TOTAL_FORMS"]),
    )
    assert editor_client.post(charter_url(draft_charter, "charter_edit"), data).status_code == 302

    newest = editor_client.get(charter_url(draft_charter, "charter_changes")).context["changes"][0]

    assert (newest.what, newest.user) == ("Pledge, rights and obligations", editor)
    changes = {change.label: change for change in newest.changes}
    assert changes["Service pledge (Maklumat Pelayanan)"].new == "Kami siap melayani dengan sepenuh hati."
    assert changes["Obligations — Service provider"].added == ("Ramah.",)


def test_a_service_added_and_deleted_is_said_so(editor_client: Client, editor: Any, draft_charter: Charter) -> None:
    from charters.services.content import delete_service

    service = draft_charter.services.first()
    delete_service(service, editor)

    newest = editor_client.get(charter_url(draft_charter, "charter_changes")).context["changes"][0]

    assert (newest.what, newest.action, newest.changes) == (f"Service “{service.name}”", "deleted", [])


def test_dashboard_flags_an_overdue_review(editor_client: Client, facility: Facility) -> None:
    charter = make_published_charter(facility)
    with mock.patch("django.utils.timezone.localdate", return_value=charter.review_due_date + timedelta(days=1)):
        html = editor_client.get(reverse("manage:dashboard")).content.decode()
    assert "Review overdue since" in html


def test_dashboard_does_not_flag_a_review_that_is_not_due(editor_client: Client, facility: Facility) -> None:
    make_published_charter(facility)
    assert "Review overdue since" not in editor_client.get(reverse("manage:dashboard")).content.decode()
