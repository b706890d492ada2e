"""Every staff URL × every persona × GET and POST, with the status each cell must answer.

Personas: anonymous, editor and head of the facility, editor of another facility, superuser.
(The project has no supervisor role yet; add a column when it does.) Charter URLs are
checked on a draft, on the published charter and on a superseded one: only a draft may change.

A refused request (login redirect, 403, 404, 405) must leave the database as it was; an
accepted POST must have done its job. A URL missing from the matrix fails
`test_every_manage_url_is_in_the_matrix`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from charters.models import Charter, CharterStatus, Facility, ServiceStandard
from tests.charters.formdata import charter_post_data, facility_post_data, service_post_data
from tests.factories import make_complete_draft, make_published_charter

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "editor", "head", "other_editor", "superuser")
LOGIN = "login"  # 302 to /accounts/login/?next=…
DONE = "done"  # 302 elsewhere: the request was accepted

# States a charter URL is checked in. Facility URLs do not depend on it and run once.
DRAFT, PUBLISHED, SUPERSEDED = "draft", "published", "superseded"
CHARTER_STATES = (DRAFT, PUBLISHED, SUPERSEDED)


@dataclass
class Scene:
    """The facility, the charter whose URLs are requested, and its first service."""

    facility: Facility
    charter: Charter
    service: ServiceStandard
    before: dict[str, Any] = field(default_factory=dict)


def row(*statuses: Any) -> dict[str, Any]:
    assert len(statuses) == len(PERSONAS)
    return dict(zip(PERSONAS, statuses, strict=True))


# Read pages answer POST like GET and change nothing.
READ = row(LOGIN, 200, 200, 404, 200)
READ_OWN = row(LOGIN, 200, 200, 200, 200)  # every user has a dashboard of their own
WRITE_PAGE = row(LOGIN, 200, 200, 404, 200)
WRITE_DONE = row(LOGIN, DONE, DONE, 404, DONE)
FROZEN = row(LOGIN, 403, 403, 404, 403)  # a charter that is no longer a draft
POST_ONLY = row(LOGIN, 405, 405, 405, 405)


# --- What an accepted POST sends and must have done ---------------------------------------


def _facility_data(scene: Scene) -> dict[str, Any]:
    return {**facility_post_data(scene.facility), "name": "Puskesmas Soko Baru"}


def _facility_renamed(scene: Scene) -> None:
    scene.facility.refresh_from_db()
    assert scene.facility.name == "Puskesmas Soko Baru"


def _draft_started(scene: Scene) -> None:
    draft = scene.facility.charters.get(status=CharterStatus.DRAFT)
    assert draft.version == 2
    assert [s.name for s in draft.services.all()] == [s.name for s in scene.charter.services.all()]


def _charter_data(scene: Scene) -> dict[str, Any]:
    return {**charter_post_data(scene.charter), "charter-pledge": "Kami berjanji melayani dengan sepenuh hati."}


def _pledge_saved(scene: Scene) -> None:
    scene.charter.refresh_from_db()
    assert scene.charter.pledge == "Kami berjanji melayani dengan sepenuh hati."


def _published(scene: Scene) -> None:
    scene.charter.refresh_from_db()
    assert scene.charter.status == CharterStatus.PUBLISHED
    assert scene.charter.published_at is not None


def _new_service_data(scene: Scene) -> dict[str, Any]:
    data = service_post_data(scene.charter)
    data.update(
        {
            "name": "Imunisasi Dasar",
            "duration_value": "30",
            "fee_is_free": "on",
            "methods": ["walk_in"],
            "requirements-0-text": "Buku KIA",
            "steps-0-text": "Mendaftar di loket",
            "schedule-0-weekday": "0",
            "schedule-0-opens": "07:30",
            "schedule-0-closes": "12:00",
        }
    )
    return data


def _service_added(scene: Scene) -> None:
    service = scene.charter.services.get(slug="imunisasi-dasar")
    assert [r.text for r in service.requirements.all()] == ["Buku KIA"]


def _service_data(scene: Scene) -> dict[str, Any]:
    return {**service_post_data(scene.charter, scene.service), "name": "Poli Umum Baru"}


def _service_renamed(scene: Scene) -> None:
    scene.service.refresh_from_db()
    assert scene.service.name == "Poli Umum Baru"


def _service_deleted(scene: Scene) -> None:
    assert not ServiceStandard.objects.filter(pk=scene.service.pk).exists()


def _service_moved_down(scene: Scene) -> None:
    assert list(scene.charter.services.values_list("pk", flat=True))[1] == scene.service.pk


@dataclass(frozen=True)
class StaffUrl:
    name: str
    get: dict[str, Any]
    post: dict[str, Any]
    frozen_get: dict[str, Any] | None = None  # on a published or superseded charter; None: charter-free URL
    frozen_post: dict[str, Any] | None = None
    data: Callable[[Scene], dict[str, Any]] | None = None
    effect: Callable[[Scene], None] | None = None  # None: an accepted POST changes nothing

    @property
    def per_charter(self) -> bool:
        return self.frozen_get is not None

    def args(self, scene: Scene) -> list[Any]:
        if not self.per_charter:
            return [] if self.name == "dashboard" else [scene.facility.slug]
        args: list[Any] = [scene.facility.slug, scene.charter.version]
        if self.name.startswith("service_") and self.name != "service_add":
            args.append(scene.service.slug)
        return args


MATRIX = (
    StaffUrl("dashboard", get=READ_OWN, post=READ_OWN),
    StaffUrl("facility", get=READ, post=READ),
    StaffUrl("facility_edit", get=WRITE_PAGE, post=WRITE_DONE, data=_facility_data, effect=_facility_renamed),
    StaffUrl("charter_start", get=POST_ONLY, post=WRITE_DONE, effect=_draft_started),
    StaffUrl("charter", get=READ, post=READ, frozen_get=READ, frozen_post=READ),
    StaffUrl(
        "charter_edit",
        get=WRITE_PAGE,
        post=WRITE_DONE,
        frozen_get=FROZEN,
        frozen_post=FROZEN,
        data=_charter_data,
        effect=_pledge_saved,
    ),
    StaffUrl(
        "charter_publish",
        get=POST_ONLY,
        post=row(LOGIN, 403, DONE, 404, DONE),  # only the head (or a superuser) publishes
        frozen_get=POST_ONLY,
        frozen_post=FROZEN,
        data=lambda scene: {"confirm": "on"},
        effect=_published,
    ),
    StaffUrl(
        "service_add",
        get=WRITE_PAGE,
        post=WRITE_DONE,
        frozen_get=FROZEN,
        frozen_post=FROZEN,
        data=_new_service_data,
        effect=_service_added,
    ),
    StaffUrl(
        "service_edit",
        get=WRITE_PAGE,
        post=WRITE_DONE,
        frozen_get=FROZEN,
        frozen_post=FROZEN,
        data=_service_data,
        effect=_service_renamed,
    ),
    StaffUrl(
        "service_delete",
        get=WRITE_PAGE,
        post=WRITE_DONE,
        frozen_get=FROZEN,
        frozen_post=FROZEN,
        effect=_service_deleted,
    ),
    StaffUrl(
        "service_move",
        get=POST_ONLY,
        post=WRITE_DONE,
        frozen_get=POST_ONLY,
        frozen_post=FROZEN,
        data=lambda scene: {"direction": "1"},
        effect=_service_moved_down,
    ),
)


def _cells() -> list[Any]:
    cells = []
    for url in MATRIX:
        states = CHARTER_STATES if url.per_charter else (PUBLISHED,)
        for state in states:
            frozen = url.per_charter and state != DRAFT
            for method in ("get", "post"):
                expected_row = getattr(url, f"frozen_{method}" if frozen else method)
                for persona in PERSONAS:
                    cells.append(
                        pytest.param(
                            url,
                            state,
                            method,
                            persona,
                            expected_row[persona],
                            id=f"{url.name}-{state}-{method}-{persona}",
                        )
                    )
    return cells


# --- The scene -------------------------------------------------------------------------


def _build_scene(state: str, facility: Facility, head: Any) -> Scene:
    if state == DRAFT:
        charter = make_complete_draft(facility, services=2)
    elif state == PUBLISHED:
        charter = make_published_charter(facility, services=2, head=head)
    else:
        charter = make_published_charter(facility, services=2, head=head)
        make_published_charter(facility, services=1, head=head)
        charter.refresh_from_db()
        assert charter.status == CharterStatus.SUPERSEDED
    return Scene(facility=facility, charter=charter, service=charter.services.first())


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of every charters model, to prove that a refused request changed nothing."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_app_config("charters").get_models()
    }


@pytest.fixture
def personas(editor: Any, head: Any, other_editor: Any, superuser: Any) -> dict[str, Any]:
    return {"anonymous": None, "editor": editor, "head": head, "other_editor": other_editor, "superuser": superuser}


@pytest.mark.parametrize(("url", "state", "method", "persona", "expected"), _cells())
def test_staff_url_answers_each_persona(
    client: Client,
    facility: Facility,
    personas: dict[str, Any],
    url: StaffUrl,
    state: str,
    method: str,
    persona: str,
    expected: Any,
) -> None:
    scene = _build_scene(state, facility, personas["head"])
    if personas[persona] is not None:
        client.force_login(personas[persona])
    path = reverse(f"manage:{url.name}", args=url.args(scene))
    data = url.data(scene) if method == "post" and url.data else {}
    before = snapshot()

    response = client.post(path, data) if method == "post" else client.get(path)

    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    elif expected == DONE:
        assert response.status_code == 302
        assert not response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == expected
    if method == "post" and expected == DONE and url.effect:
        url.effect(scene)
    elif method == "post":
        assert snapshot() == before, "a refused or read-only request changed the database"


def test_superseded_scene_keeps_a_published_charter_alongside(facility: Facility, head: Any) -> None:
    """The superseded cells would prove nothing if the facility had no newer published charter."""
    scene = _build_scene(SUPERSEDED, facility, head)
    assert facility.charters.filter(status=CharterStatus.PUBLISHED).exclude(pk=scene.charter.pk).exists()


# --- The matrix covers every manage URL ------------------------------------------------------


def manage_url_names() -> set[str]:
    """Every URL name in the `manage` namespace, found by walking the resolver."""
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(n for n in (namespace, pattern.namespace) if n)
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name and namespace == "manage":
                names.add(pattern.name)

    walk(get_resolver().url_patterns, "")
    return names


def test_every_manage_url_is_in_the_matrix() -> None:
    names = manage_url_names()
    assert "charter_publish" in names  # the walk reaches the nested charter patterns
    missing = names - {url.name for url in MATRIX}
    assert not missing, f"add these manage URLs to the permission matrix: {sorted(missing)}"


def test_matrix_lists_no_url_that_does_not_exist() -> None:
    assert {url.name for url in MATRIX} <= manage_url_names()
