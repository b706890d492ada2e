from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.db import models
from django.test import Client
from django.urls import reverse

from charters.models import (
    Charter,
    CharterEvent,
    CharterStatus,
    Clause,
    ProcedureStep,
    Requirement,
    ScheduleSlot,
    ServiceStandard,
)
from tests.conftest import admin_url
from tests.factories import FacilityFactory

pytestmark = pytest.mark.django_db

CHARTER_MODELS = [model for model in admin.site._registry if model._meta.app_label == "charters"]


@pytest.fixture
def charters(published_charter: Charter, draft_charter: Charter, supervisor: Any) -> tuple[Charter, Charter]:
    """A published charter and a draft at the same facility, and a supervisor of its regency, so
    every changelist has rows."""
    return published_charter, draft_charter


def changeform_data(response: Any) -> dict[str, Any]:
    """The POST data a browser would send back from an admin change page, unchanged."""
    data: dict[str, Any] = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        forms.extend(inline.formset.forms)
    for form in forms:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            data[field.html_name] = "on" if value is True else value
    return data


def stored_values(obj: models.Model) -> dict[str, Any]:
    return {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}


def test_every_charters_model_is_registered() -> None:
    names = {model.__name__ for model in CHARTER_MODELS}
    assert names == {
        "Facility",
        "Membership",
        "Supervision",
        "Charter",
        "CharterEvent",
        "ServiceStandard",
        "Clause",
        "Requirement",
        "ProcedureStep",
        "ScheduleSlot",
    }


@pytest.mark.parametrize("model", CHARTER_MODELS, ids=lambda m: m.__name__)
def test_changelist_loads(admin_client: Client, charters: Any, model: type[models.Model]) -> None:
    response = admin_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count > 0


@pytest.mark.parametrize("model", CHARTER_MODELS, ids=lambda m: m.__name__)
def test_add_page_loads_unless_the_model_is_append_only(admin_client: Client, model: type[models.Model]) -> None:
    response = admin_client.get(admin_url(model, "add"))
    assert response.status_code == (403 if model is CharterEvent else 200)


@pytest.mark.parametrize("model", CHARTER_MODELS, ids=lambda m: m.__name__)
def test_change_page_of_every_row_loads(admin_client: Client, charters: Any, model: type[models.Model]) -> None:
    for obj in model._default_manager.all():
        response = admin_client.get(admin_url(model, "change", obj.pk))
        assert response.status_code == 200, obj


def test_draft_charter_change_page_is_editable(admin_client: Client, draft_charter: Charter) -> None:
    response = admin_client.get(admin_url(Charter, "change", draft_charter.pk))
    assert response.status_code == 200
    assert response.context["has_change_permission"] is True
    assert b'name="_save"' in response.content
    formsets = {inline.formset.prefix: inline.formset for inline in response.context["inline_admin_formsets"]}
    assert len(formsets["services"].forms) == 2
    assert len(formsets["clauses"].forms) == 2


def test_draft_charter_can_be_changed(admin_client: Client, draft_charter: Charter, superuser: Any) -> None:
    url = admin_url(Charter, "change", draft_charter.pk)
    data = changeform_data(admin_client.get(url))
    data["pledge"] = "Kami berjanji melayani dengan ramah."
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    draft_charter.refresh_from_db()
    assert draft_charter.pledge == "Kami berjanji melayani dengan ramah."
    assert draft_charter.updated_by == superuser


def test_draft_service_can_be_changed_with_its_children(admin_client: Client, draft_charter: Charter) -> None:
    service = draft_charter.services.first()
    url = admin_url(ServiceStandard, "change", service.pk)
    response = admin_client.get(url)
    assert response.status_code == 200
    assert b'name="_save"' in response.content
    data = changeform_data(response)
    data["name"] = "Poli Gigi"
    data["methods"] = ["walk_in", "appointment"]
    data["requirements-0-text"] = "KTP"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    service.refresh_from_db()
    assert (service.name, service.methods) == ("Poli Gigi", ["walk_in", "appointment"])
    assert list(service.requirements.values_list("text", flat=True)) == ["KTP"]


def test_published_charter_is_read_only(admin_client: Client, published_charter: Charter) -> None:
    response = admin_client.get(admin_url(Charter, "change", published_charter.pk))
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert response.context["has_delete_permission"] is False
    assert b'name="_save"' not in response.content
    for inline in response.context["inline_admin_formsets"]:
        assert not inline.has_add_permission
        assert not inline.has_change_permission
        assert not inline.has_delete_permission


def test_posting_to_a_published_charter_changes_nothing(admin_client: Client, published_charter: Charter) -> None:
    pledge = published_charter.pledge
    response = admin_client.post(
        admin_url(Charter, "change", published_charter.pk), {"pledge": "Diubah", "complaint_info": "Diubah"}
    )
    assert response.status_code == 403
    published_charter.refresh_from_db()
    assert published_charter.pledge == pledge


def test_published_charter_cannot_be_deleted(admin_client: Client, published_charter: Charter) -> None:
    url = admin_url(Charter, "delete", published_charter.pk)
    assert admin_client.get(url).status_code == 403
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    assert Charter.objects.filter(pk=published_charter.pk).exists()


def test_bulk_delete_action_refuses_a_published_charter(admin_client: Client, charters: Any) -> None:
    published, draft = charters
    action = {"action": "delete_selected", "_selected_action": [published.pk, draft.pk]}
    response = admin_client.post(admin_url(Charter, "changelist"), action)
    assert response.status_code == 200
    assert response.context["perms_lacking"]
    response = admin_client.post(admin_url(Charter, "changelist"), {**action, "post": "yes"})
    assert response.status_code == 403
    assert Charter.objects.filter(pk__in=[published.pk, draft.pk]).count() == 2


def test_draft_charter_can_be_deleted_with_its_history(admin_client: Client, facility: Any) -> None:
    admin_client.post(admin_url(Charter, "add"), {"facility": facility.pk})
    draft = facility.charters.get()
    assert draft.events.exists()
    response = admin_client.post(admin_url(Charter, "delete", draft.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Charter.objects.filter(pk=draft.pk).exists()


@pytest.mark.parametrize(
    "model",
    [ServiceStandard, Clause, Requirement, ProcedureStep, ScheduleSlot],
    ids=lambda m: m.__name__,
)
def test_data_of_a_published_charter_is_read_only(
    admin_client: Client, published_charter: Charter, model: type[models.Model]
) -> None:
    charter_path = "charter" if model in (ServiceStandard, Clause) else "service__charter"
    obj = model._default_manager.filter(**{charter_path: published_charter}).first()
    change_url = admin_url(model, "change", obj.pk)
    response = admin_client.get(change_url)
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert b'name="_save"' not in response.content
    assert admin_client.post(change_url, {"text": "Diubah", "name": "Diubah"}).status_code == 403
    assert admin_client.post(admin_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    assert stored_values(model._default_manager.get(pk=obj.pk)) == stored_values(obj)


def test_published_service_inlines_allow_nothing(admin_client: Client, published_charter: Charter) -> None:
    service = published_charter.services.first()
    response = admin_client.get(admin_url(ServiceStandard, "change", service.pk))
    prefixes = set()
    for inline in response.context["inline_admin_formsets"]:
        prefixes.add(inline.formset.prefix)
        assert not (inline.has_add_permission or inline.has_change_permission or inline.has_delete_permission)
    assert prefixes == {"requirements", "steps", "schedule_slots"}


def test_new_clause_for_a_published_charter_is_refused(admin_client: Client, published_charter: Charter) -> None:
    response = admin_client.post(
        admin_url(Clause, "add"),
        {"charter": published_charter.pk, "party": "user", "kind": "right", "text": "Hak baru", "position": 9},
    )
    assert response.status_code == 200
    assert "charter" in response.context["adminform"].form.errors
    assert published_charter.clauses.count() == 2


def test_new_service_for_a_published_charter_is_refused(admin_client: Client, published_charter: Charter) -> None:
    response = admin_client.get(admin_url(ServiceStandard, "add"))
    choices = response.context["adminform"].form.fields["charter"].queryset
    assert published_charter not in choices

    response = admin_client.post(
        admin_url(ServiceStandard, "add"),
        {
            "charter": published_charter.pk,
            "position": 9,
            "name": "Poli Baru",
            "slug": "poli-baru",
            "category": "clinical",
            "duration_value": 10,
            "duration_unit": "minutes",
            "fee_is_free": "on",
            "methods": ["walk_in"],
            **{f"{prefix}-TOTAL_FORMS": 0 for prefix in ("requirements", "steps", "schedule_slots")},
            **{f"{prefix}-INITIAL_FORMS": 0 for prefix in ("requirements", "steps", "schedule_slots")},
        },
    )
    assert response.status_code == 200
    assert "charter" in response.context["adminform"].form.errors
    assert published_charter.services.count() == 2


def test_new_requirement_for_a_service_of_a_published_charter_is_refused(
    admin_client: Client, published_charter: Charter
) -> None:
    service = published_charter.services.first()
    response = admin_client.post(admin_url(Requirement, "add"), {"service": service.pk, "position": 2, "text": "KK"})
    assert response.status_code == 200
    assert "service" in response.context["adminform"].form.errors
    assert service.requirements.count() == 1


def test_new_service_for_a_draft_is_added(admin_client: Client, draft_charter: Charter) -> None:
    response = admin_client.post(
        admin_url(ServiceStandard, "add"),
        {
            "charter": draft_charter.pk,
            "position": 9,
            "name": "Laboratorium",
            "slug": "laboratorium",
            "category": "support",
            "duration_value": 60,
            "duration_unit": "minutes",
            "fee_amount": 15000,
            "methods": ["walk_in", "referral"],
            "requirements-TOTAL_FORMS": 1,
            "requirements-INITIAL_FORMS": 0,
            "requirements-0-position": 1,
            "requirements-0-text": "Surat pengantar dokter",
            **{f"{prefix}-TOTAL_FORMS": 0 for prefix in ("steps", "schedule_slots")},
            **{f"{prefix}-INITIAL_FORMS": 0 for prefix in ("steps", "schedule_slots")},
        },
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    service = draft_charter.services.get(slug="laboratorium")
    assert (service.fee_amount, service.methods) == (15000, ["walk_in", "referral"])
    assert list(service.requirements.values_list("text", flat=True)) == ["Surat pengantar dokter"]


def test_adding_a_charter_starts_a_draft_copied_from_the_published_one(
    admin_client: Client, published_charter: Charter, superuser: Any
) -> None:
    response = admin_client.post(admin_url(Charter, "add"), {"facility": published_charter.facility_id})
    assert response.status_code == 302
    draft = published_charter.facility.charters.get(status=CharterStatus.DRAFT)
    assert draft.version == published_charter.version + 1
    assert draft.created_by == superuser
    assert draft.services.count() == 2
    assert draft.events.get().action == CharterEvent.Action.CREATED


def test_adding_a_second_draft_is_refused(admin_client: Client, draft_charter: Charter) -> None:
    response = admin_client.post(admin_url(Charter, "add"), {"facility": draft_charter.facility_id})
    assert response.status_code == 200
    assert "facility" in response.context["adminform"].form.errors
    assert draft_charter.facility.charters.count() == 1


def test_charter_events_are_read_only(admin_client: Client, published_charter: Charter) -> None:
    event = published_charter.events.get(action=CharterEvent.Action.PUBLISHED)
    response = admin_client.get(admin_url(CharterEvent, "change", event.pk))
    assert response.status_code == 200
    assert b'name="_save"' not in response.content
    assert admin_client.post(admin_url(CharterEvent, "change", event.pk), {"comment": "x"}).status_code == 403
    assert admin_client.post(admin_url(CharterEvent, "delete", event.pk), {"post": "yes"}).status_code == 403
    event.refresh_from_db()
    assert event.comment == ""


def test_charter_changelist_search_finds_by_facility_name(
    admin_client: Client, published_charter: Charter, other_facility: Any
) -> None:
    other = Charter.objects.create(facility=other_facility, version=1)
    response = admin_client.get(admin_url(Charter, "changelist"), {"q": "Rengel"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [other]


def test_charter_changelist_filters_by_status(admin_client: Client, charters: Any) -> None:
    published, _draft = charters
    response = admin_client.get(admin_url(Charter, "changelist"), {"status__exact": CharterStatus.PUBLISHED})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [published]


def test_service_changelist_search_and_filter(admin_client: Client, charters: Any) -> None:
    _published, draft = charters
    name = draft.services.first().name
    response = admin_client.get(admin_url(ServiceStandard, "changelist"), {"q": name})
    assert [s.name for s in response.context["cl"].result_list] == [name]
    response = admin_client.get(admin_url(ServiceStandard, "changelist"), {"charter__status": CharterStatus.DRAFT})
    assert {s.charter_id for s in response.context["cl"].result_list} == {draft.pk}


def test_facility_changelist_search(admin_client: Client, facility: Any) -> None:
    FacilityFactory(name="Puskesmas Rengel", slug="pkm-rengel", village="Rengel", district="Rengel")
    response = admin_client.get(admin_url(type(facility), "changelist"), {"q": "soko"})
    assert list(response.context["cl"].result_list) == [facility]


def test_service_of_a_draft_can_be_deleted_from_the_charter_page(admin_client: Client, draft_charter: Charter) -> None:
    url = admin_url(Charter, "change", draft_charter.pk)
    data = changeform_data(admin_client.get(url))
    data["services-0-DELETE"] = "on"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    assert draft_charter.services.count() == 1
    assert Requirement.objects.filter(service__charter=draft_charter).count() == 1


def test_published_charter_page_links_to_its_services(admin_client: Client, published_charter: Charter) -> None:
    response = admin_client.get(admin_url(Charter, "change", published_charter.pk))
    for service in published_charter.services.all():
        assert admin_url(ServiceStandard, "change", service.pk) in response.content.decode()


def test_admin_index_lists_the_charters_app(admin_client: Client, charters: Any) -> None:
    response = admin_client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert any(app["app_label"] == "charters" for app in response.context["app_list"])


def test_facility_address_cannot_change_once_created(client: Any, superuser: Any, facility: Any) -> None:
    client.force_login(superuser)
    url = reverse("admin:charters_facility_change", args=[facility.pk])
    page = client.get(url)
    assert 'name="slug"' not in page.content.decode()
    data = {
        "name": facility.name,
        "slug": "new-address",
        "kind": facility.kind,
        "district": facility.district,
        "regency": facility.regency,
        "province": facility.province,
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    client.post(url, data)
    facility.refresh_from_db()
    assert facility.slug != "new-address"
