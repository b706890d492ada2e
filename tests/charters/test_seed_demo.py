"""The demo seed: `manage.py seed_demo` builds two published charters and four staff users, idempotently."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command

from charters.models import (
    Charter,
    CharterEvent,
    CharterStatus,
    Clause,
    Facility,
    Membership,
    MembershipRole,
    ProcedureStep,
    Requirement,
    ScheduleSlot,
    ServiceStandard,
)

USERNAMES = ["admin", "soko-editor", "soko-head", "other-editor"]
COUNTED_MODELS = [
    Facility,
    Charter,
    CharterEvent,
    Clause,
    ServiceStandard,
    Requirement,
    ProcedureStep,
    ScheduleSlot,
    Membership,
    get_user_model(),
]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    # The command sets four passwords a run; the default hasher would make this module take half a minute.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED_MODELS}


@pytest.mark.django_db
def test_creates_two_facilities_in_tuban_with_published_charters() -> None:
    seed("--password", "demo-pass-123")

    soko = Facility.objects.get(slug="pkm-soko")
    assert soko.name == "Puskesmas Soko"
    assert soko.vision.startswith("Mewujudkan pelayanan kesehatan dasar yang ramah")
    assert len(soko.mission_points) >= 3
    others = Facility.objects.exclude(pk=soko.pk)
    assert others.count() == 1
    assert others.get().regency == soko.regency == "Kabupaten Tuban"
    for facility in Facility.objects.all():
        charter = facility.published_charter()
        assert charter is not None, facility
        assert charter.publish_problems() == []
        assert charter.effective_date < charter.review_due_date
        assert charter.complaint_info
        assert charter.events.filter(action=CharterEvent.Action.PUBLISHED).exists()


@pytest.mark.django_db
def test_soko_has_at_least_twelve_complete_services_and_balanced_clauses() -> None:
    seed("--password", "demo-pass-123")

    charter = Facility.objects.get(slug="pkm-soko").published_charter()
    services = list(charter.services.prefetch_related("requirements", "steps", "schedule_slots"))
    assert len(services) >= 12
    for service in services:
        assert service.missing_delivery_components() == [], service.name
        assert 2 <= len(service.requirements.all()) <= 5, service.name
        assert 3 <= len(service.steps.all()) <= 6, service.name
        assert service.product and service.complaint_handling, service.name
    assert any(not s.fee_is_free and s.fee_amount for s in services)
    assert sum(s.fee_is_free for s in services) > len(services) / 2
    for _party, _kind, clauses in charter.clauses_by_party():
        assert 3 <= len(clauses) <= 5
    assert len(charter.clauses_by_party()) == 4


@pytest.mark.django_db
def test_creates_the_four_users_with_their_roles() -> None:
    seed("--password", "demo-pass-123")

    users = {u.username: u for u in get_user_model().objects.filter(username__in=USERNAMES)}
    assert set(users) == set(USERNAMES)
    assert users["admin"].is_superuser and users["admin"].is_staff
    assert all(u.first_name and u.last_name for u in users.values())
    roles = {(m.user.username, m.facility.slug, m.role) for m in Membership.objects.select_related("user", "facility")}
    other = Facility.objects.exclude(slug="pkm-soko").get()
    assert roles == {
        ("soko-editor", "pkm-soko", MembershipRole.EDITOR),
        ("soko-head", "pkm-soko", MembershipRole.HEAD),
        ("other-editor", other.slug, MembershipRole.EDITOR),
    }
    assert Facility.objects.get(slug="pkm-soko").published_charter().published_by == users["soko-head"]


@pytest.mark.django_db
def test_password_option_lets_every_user_sign_in_with_it() -> None:
    seed("--password", "demo-pass-123")

    for username in USERNAMES:
        assert authenticate(username=username, password="demo-pass-123") is not None, username


@pytest.mark.django_db
def test_prints_generated_passwords_that_work() -> None:
    output = seed()

    assert "http://127.0.0.1:8000/" in output
    lines = {line.split()[0]: line.split()[-1] for line in output.splitlines() if line.split()}
    for username in USERNAMES:
        assert authenticate(username=username, password=lines[username]) is not None, username


@pytest.mark.django_db
def test_running_twice_creates_no_duplicates_and_keeps_the_published_charters() -> None:
    seed("--password", "first-pass-123")
    counts = row_counts()
    published = {c.pk: c.published_at for c in Charter.objects.filter(status=CharterStatus.PUBLISHED)}

    output = seed("--password", "second-pass-123", "--without-activity")

    assert row_counts() == counts
    assert {c.pk: c.published_at for c in Charter.objects.filter(status=CharterStatus.PUBLISHED)} == published
    assert "kept charter" in output
    assert authenticate(username="soko-editor", password="second-pass-123") is not None


@pytest.mark.django_db
def test_leaves_a_facility_that_already_has_a_draft_alone() -> None:
    seed("--password", "demo-pass-123")
    soko = Facility.objects.get(slug="pkm-soko")
    draft = soko.charters.create(version=2, status=CharterStatus.DRAFT)

    seed("--password", "demo-pass-123")

    assert soko.charters.count() == 2
    assert soko.draft_charter() == draft
