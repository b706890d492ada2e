"""The audit trail (issue 13): every staff change and bulk read leaves an entry, as do sign-ins;
heads read and export their facility's trail; nobody edits or deletes an entry.

That every manage URL that changes data leaves exactly one entry, and a refused request none, is
checked for every URL and persona by the permission matrix (tests/test_permissions.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib import admin as django_admin
from django.test import Client
from django.urls import get_resolver, reverse
from django.utils import timezone

from audit import actions
from audit.admin import EntryAdmin
from audit.models import Entry, ImmutableEntryError, Kind
from audit.services import record
from feedback.models import SurveyPeriod
from tests.factories import PASSWORD, FacilityFactory, UserFactory
from tests.test_permissions import manage_url_names

pytestmark = pytest.mark.django_db
QUERIES = 7  # session, user, facility and head check, people, count, page


def entries(**filters: Any) -> list[Entry]:
    return list(Entry.objects.filter(**filters).order_by("pk"))


# --- Every manage URL is decided --------------------------------------------------------------


def test_every_manage_url_is_audited_or_declared_quiet() -> None:
    names = {f"manage:{name}" for name in manage_url_names()}
    tables = [set(actions.CHANGES), set(actions.READS), set(actions.QUIET)]
    undecided = names - set().union(*tables)
    assert not undecided, f"add these URLs to audit.actions CHANGES, READS or QUIET: {sorted(undecided)}"
    assert not (tables[0] & tables[1] or tables[0] & tables[2] or tables[1] & tables[2])


def test_every_audited_url_name_exists() -> None:
    known = {f"manage:{name}" for name in manage_url_names()} | {
        name for name in get_resolver().reverse_dict if isinstance(name, str)
    }
    assert set(actions.CHANGES) | set(actions.READS) | set(actions.QUIET) <= known


# --- Sign-in events ----------------------------------------------------------------------------


def sign_in(client: Client, username: str, password: str) -> Any:
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR="10.0.0.5")


def test_signing_in_and_out_is_recorded_with_the_address(editor: Any) -> None:
    client = Client()
    assert sign_in(client, editor.username, PASSWORD).status_code == 302
    client.post(reverse("logout"), REMOTE_ADDR="10.0.0.5")

    trail = entries(kind=Kind.SIGN_IN)
    assert [(e.action, e.actor, e.address) for e in trail] == [
        ("sign_in", editor, "10.0.0.5"),
        ("sign_out", editor, "10.0.0.5"),
    ]


def test_a_failed_sign_in_names_the_person_whose_username_was_typed(editor: Any) -> None:
    sign_in(Client(), editor.username, "salah")
    sign_in(Client(), "nobody-here", "salah")

    failed = entries(action="sign_in_failed")
    assert [(e.actor, e.actor_name) for e in failed] == [(editor, editor.username), (None, "nobody-here")]
    assert all(e.address == "10.0.0.5" for e in failed)


def test_a_sign_in_pause_is_recorded(editor: Any) -> None:
    for _ in range(5):
        sign_in(Client(), editor.username, "salah")
    paused = entries(action="sign_in_paused")
    assert paused and paused[0].actor == editor


# --- Staff actions -----------------------------------------------------------------------------


def test_deleting_a_survey_period_leaves_its_name_in_the_trail(
    facility: Any, editor_client: Client, editor: Any
) -> None:
    today = timezone.localdate()
    period = SurveyPeriod.objects.create(facility=facility, name="Triwulan I", start=today, end=today, population=50)

    response = editor_client.post(reverse("manage:survey_period_delete", args=[facility.slug, period.pk]))

    assert response.status_code == 302 and not SurveyPeriod.objects.filter(pk=period.pk).exists()
    (entry,) = entries(kind=Kind.SURVEY)
    assert (entry.action, entry.actor, entry.facility, entry.detail) == (
        "manage:survey_period_delete",
        editor,
        facility,
        "Triwulan I",
    )
    assert entry.target == {"period_id": period.pk}
    assert entry.path == f"/manage/{facility.slug}/survey/periods/{period.pk}/delete/"


def test_a_form_sent_back_with_errors_leaves_no_entry(facility: Any, editor_client: Client) -> None:
    response = editor_client.post(reverse("manage:survey_periods", args=[facility.slug]), {"period-name": ""})
    assert response.status_code == 200
    assert not Entry.objects.exclude(kind=Kind.SIGN_IN).exists()


def test_an_export_is_recorded_as_a_bulk_read(facility: Any, editor_client: Client, editor: Any) -> None:
    assert editor_client.get(reverse("manage:cases_export", args=[facility.slug, "csv"])).status_code == 200
    (entry,) = entries(kind=Kind.EXPORT)
    assert (entry.action, entry.actor, entry.target) == ("manage:cases_export", editor, {"fmt": "csv"})


# --- The head's page ---------------------------------------------------------------------------


@pytest.fixture
def trail(facility: Any, head: Any, editor: Any, other_editor: Any, other_facility: Any) -> dict[str, Entry]:
    """Entries of the facility, of its staff's sign-ins, and of another facility."""
    outsider = UserFactory(username="outsider")

    made = {
        "edit": record(None, "manage:charter_edit", actor=editor, facility=facility, target={"version": 2}),
        "step": record(
            None, "manage:case_step", actor=head, facility=facility, target={"code": "SKO-1", "step": "reply"}
        ),
        "sign_in": record(None, "sign_in", actor=editor),
        "elsewhere": record(None, "manage:charter_edit", actor=other_editor, facility=other_facility),
        "outsider_sign_in": record(None, "sign_in", actor=outsider),
    }
    return made


def shown(page: Any) -> set[Entry]:
    """The entries listed, but for the head's own sign-in to read them."""
    return {
        entry for entry in page.context["page"].object_list if entry.action != "sign_in" or entry.actor_name != "head"
    }


def test_the_head_reads_the_facility_trail_and_the_staff_sign_ins(
    login: Callable[..., Client], head: Any, facility: Any, trail: dict[str, Entry]
) -> None:
    page = login(head).get(reverse("manage:audit", args=[facility.slug]))

    assert page.status_code == 200
    assert shown(page) == {trail["edit"], trail["step"], trail["sign_in"]}
    html = page.content.decode()
    assert "Changed the pledge, rights and obligations" in html and "version 2" in html
    assert "case SKO-1 · step: reply" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind": Kind.FEEDBACK}, {"step"}),
        ({"kind": Kind.SIGN_IN}, {"sign_in"}),
        ({"person": "editor"}, {"edit", "sign_in"}),
        ({"from": "2000-01-01", "to": "2000-12-31"}, set()),
        ({"from": "today"}, {"edit", "step", "sign_in"}),
        ({"kind": "nonsense"}, {"edit", "step", "sign_in"}),  # refused filter: shown with its error
    ],
)
def test_the_trail_filters_by_person_kind_and_days(
    login: Callable[..., Client],
    head: Any,
    editor: Any,
    facility: Any,
    trail: dict[str, Entry],
    query: dict[str, str],
    expected: set[str],
) -> None:
    query = {**query}
    if query.get("person") == "editor":
        query["person"] = str(editor.pk)
    if query.get("from") == "today":
        query["from"] = timezone.localdate().isoformat()
    page = login(head).get(reverse("manage:audit", args=[facility.slug]), query)

    assert page.status_code == 200
    assert shown(page) == {trail[name] for name in expected}
    if query.get("kind") == "nonsense":
        assert page.context["form"].errors["kind"]


def test_the_trail_page_takes_a_fixed_number_of_queries(
    login: Callable[..., Client],
    head: Any,
    facility: Any,
    trail: dict[str, Entry],
    django_assert_num_queries: Any,
) -> None:
    client = login(head)
    for number in range(30):
        record(
            None,
            "manage:service_edit",
            actor=head,
            facility=facility,
            target={"version": 1, "service_slug": f"s{number}"},
        )
    with django_assert_num_queries(QUERIES):
        assert client.get(reverse("manage:audit", args=[facility.slug])).status_code == 200


def test_the_export_holds_the_filtered_trail_and_is_itself_recorded(
    login: Callable[..., Client], head: Any, facility: Any, trail: dict[str, Entry]
) -> None:
    response = login(head).get(reverse("manage:audit_export", args=[facility.slug, "csv"]), {"kind": Kind.CHARTER})

    assert response.status_code == 200
    assert response["Cache-Control"].count("no-store") == 1
    text = response.content.decode("utf-8-sig")
    assert "Changed the pledge, rights and obligations" in text and "SKO-1" not in text
    assert '"editor"' in text
    assert entries(action="manage:audit_export")[0].actor == head


def test_the_export_guards_formula_starts(login: Callable[..., Client], head: Any, facility: Any) -> None:
    record(None, "manage:facility_edit", actor=head, facility=facility, detail="ok;=cmd")
    text = login(head).get(reverse("manage:audit_export", args=[facility.slug, "csv"])).content.decode("utf-8-sig")
    assert '"ok;\'=cmd"' in text


def test_an_editor_cannot_read_the_trail(editor_client: Client, facility: Any) -> None:
    assert editor_client.get(reverse("manage:audit", args=[facility.slug])).status_code == 403


# --- Nobody changes an entry -------------------------------------------------------------------


def test_an_entry_cannot_be_changed_or_deleted(editor: Any, facility: Any) -> None:
    entry = record(None, "manage:charter_edit", actor=editor, facility=facility)
    entry.detail = "rewritten"
    with pytest.raises(ImmutableEntryError):
        entry.save()
    with pytest.raises(ImmutableEntryError):
        entry.delete()
    with pytest.raises(ImmutableEntryError):
        Entry.objects.filter(pk=entry.pk).update(detail="rewritten")
    with pytest.raises(ImmutableEntryError):
        Entry.objects.filter(pk=entry.pk).delete()
    entry.refresh_from_db()
    assert entry.detail == ""


def test_an_entry_outlives_its_person_and_facility(editor: Any) -> None:
    place = FacilityFactory(slug="pkm-lama", name="Puskesmas Lama")
    entry = record(None, "manage:charter_edit", actor=editor, facility=place)
    editor.delete()
    place.delete()
    entry.refresh_from_db()
    assert (entry.actor, entry.actor_name, entry.facility, entry.facility_name) == (
        None,
        "editor",
        None,
        "Puskesmas Lama",
    )


def test_superusers_read_every_entry_in_the_admin_but_change_none(
    admin_client: Client, facility: Any, editor: Any, rf: Any, superuser: Any
) -> None:
    entry = record(None, "manage:charter_edit", actor=editor, facility=facility)
    changelist = admin_client.get(reverse("admin:audit_entry_changelist"))
    html = changelist.content.decode()
    assert changelist.status_code == 200 and "Puskesmas Soko" in html
    assert "Mengubah janji, hak, dan kewajiban" in html and ">Atas apa<" in html  # translated columns
    assert admin_client.get(reverse("admin:audit_entry_change", args=[entry.pk])).status_code == 200
    request = rf.get("/")
    request.user = superuser
    model_admin = EntryAdmin(Entry, django_admin.site)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, entry)
    assert not model_admin.has_delete_permission(request, entry)


def test_starting_a_draft_when_one_is_open_records_nothing_new(
    facility: Any, published_charter: Any, editor_client: Client
) -> None:
    url = reverse("manage:charter_start", args=[facility.slug])
    assert editor_client.post(url).status_code == 302
    assert editor_client.post(url).status_code == 302  # "the facility already has a draft; here it is"
    assert [e.action for e in entries(kind=Kind.CHARTER)] == ["manage:charter_start"]


def test_the_admin_login_signs_in_administrators_only(editor: Any) -> None:
    client = Client()
    response = client.post(reverse("admin:login"), {"username": editor.username, "password": PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert not entries(action="sign_in")
