"""The demo's facilities, staff, and the history of their charters, replayed through the charter
services the staff pages use, each step on the day it happened (`now=`).

A version is drafted, written (the charter's text, then its services), put to public consultation,
discussed in the stakeholder forum, agreed, approved and published, as far as its `VersionPlan`
goes. A revision starts as a copy of the published version and only what really changed is
written, so the change history and the diff between versions show the revision, not a rewrite.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from simple_history.models import HistoricalRecords

from charters import services as charter_services
from charters.models import (
    DEFAULT_PLEDGE,
    AgreementDecision,
    Charter,
    Facility,
    Membership,
    ServiceStandard,
    Supervision,
)
from charters.services import Decision, Row, ServiceContent
from charters.services.consultation import add_consultation_comment, reply_to_comment

from ..data.charters import CLAUSES, Comment, Meeting, VersionPlan
from ..data.facilities import FacilitySeed, UserSeed
from ..data.services import COMMON_COMPONENTS
from ..moments import at
from .evaluations import EvaluationTimeline

# --- Facilities and users ------------------------------------------------------------------------


def seed_facility(seed: FacilitySeed) -> Facility:
    facility, _created = Facility.objects.update_or_create(slug=seed.slug, defaults=seed.profile)
    return facility


def seed_user(seed: UserSeed, password: str, facilities: dict[str, Facility]) -> Any:
    user, _created = get_user_model().objects.get_or_create(username=seed.username)
    user.first_name = seed.first_name
    user.last_name = seed.last_name
    user.email = f"{seed.username}@example.org"
    user.is_active = True
    user.is_staff = seed.superuser
    user.is_superuser = seed.superuser
    user.set_password(password)
    user.save()
    if seed.facility and seed.role:
        Membership.objects.update_or_create(user=user, facility=facilities[seed.facility], defaults={"role": seed.role})
    if seed.supervises:
        Supervision.objects.get_or_create(user=user, regency=seed.supervises)
    return user


# --- Who did it ----------------------------------------------------------------------------------


@contextmanager
def signed_in(user: Any) -> Iterator[None]:
    """Credit the change history to `user`, as the pages do for the signed-in user.

    The services credit what they stamp themselves; a few saves (the copy a revision starts from)
    leave it to simple_history's middleware, which keeps the request in `HistoricalRecords.context`.
    A stand-in request there does what the middleware does for each page.
    """
    context = HistoricalRecords.context
    outer = getattr(context, "request", None)
    context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        if outer is None:
            del context.request
        else:
            context.request = outer


# --- The content of a draft ----------------------------------------------------------------------

# What makes up a service's standard; its position, the forum's decision and bookkeeping do not.
STANDARD_FIELDS = [
    f.name
    for f in ServiceStandard._meta.concrete_fields
    if f.name
    not in {"id", "charter", "position", "agreement", "agreement_note", "revision", "created_at", "updated_at"}
]


def service_content(data: dict[str, Any], service: ServiceStandard | None) -> ServiceContent:
    """One service of the demo data as the service form would clean it, its rows matched to the
    stored rows of `service` (None: a new service) so that an unchanged row keeps its id."""
    fields = {**COMMON_COMPONENTS, **data}
    requirements: list[str] = fields.pop("requirements")
    steps: list[str] = fields.pop("steps")
    schedule = fields.pop("schedule")
    fields["duration_value"], fields["duration_unit"] = fields.pop("duration")
    fields["fee_is_free"] = fields["fee_amount"] is None
    # Every component, with the model's defaults for what the data leaves out.
    wanted = ServiceStandard(**fields)
    wanted.full_clean(exclude=["charter"], validate_unique=False, validate_constraints=False)
    stored_requirements = list(service.requirements.all()) if service else []
    stored_steps = list(service.steps.all()) if service else []
    stored_slots = {(s.weekday, s.opens, s.closes): s.pk for s in service.schedule_slots.all()} if service else {}
    return ServiceContent(
        fields={name: getattr(wanted, name) for name in STANDARD_FIELDS},
        requirements=[
            Row(stored_requirements[i].pk if i < len(stored_requirements) else None, {"text": text})
            for i, text in enumerate(requirements)
        ],
        steps=[
            Row(stored_steps[i].pk if i < len(stored_steps) else None, {"text": text}) for i, text in enumerate(steps)
        ],
        schedule=[
            Row(stored_slots.get((day, opens, closes)), {"weekday": day, "opens": opens, "closes": closes})
            for day, opens, closes in schedule
        ],
    )


def is_unchanged(service: ServiceStandard, content: ServiceContent) -> bool:
    return (
        all(getattr(service, name) == value for name, value in content.fields.items())
        and [r.text for r in service.requirements.all()] == [row.values["text"] for row in content.requirements]
        and [s.text for s in service.steps.all()] == [row.values["text"] for row in content.steps]
        and sorted((s.weekday, s.opens, s.closes) for s in service.schedule_slots.all())
        == sorted((row.values["weekday"], row.values["opens"], row.values["closes"]) for row in content.schedule)
    )


def write_content(
    charter: Charter, seed: FacilitySeed, services: list[dict[str, Any]], editor: Any, now: datetime
) -> None:
    """Make the draft say what the plan says, as an editor would on the staff pages: the pledge,
    how to complain, rights and obligations; then each service, added, changed or removed; then
    their order."""
    wanted = (DEFAULT_PLEDGE, seed.complaint_info, seed.complaint_norms)
    if (charter.pledge, charter.complaint_info, charter.complaint_norms) != wanted or not charter.clauses.exists():
        stored = list(charter.clauses.all())
        clauses = [{"party": party, "kind": kind, "text": text} for party, kind, texts in CLAUSES for text in texts]
        charter_services.edit_charter(
            charter,
            editor,
            {"pledge": DEFAULT_PLEDGE, "complaint_info": seed.complaint_info, **asdict(seed.complaint_norms)},
            [Row(stored[i].pk if i < len(stored) else None, values) for i, values in enumerate(clauses)],
            now=now,
        )
    slugs = [data["slug"] for data in services]
    for service in charter.services.exclude(slug__in=slugs):
        charter_services.delete_service(service, editor, now=now)
    for data in services:
        service = charter.services.filter(slug=data["slug"]).first()
        content = service_content(data, service)
        if service is None or not is_unchanged(service, content):
            charter_services.save_service(charter, service, content, editor, now=now)
    # A new service comes last; the editor moves it up to where the plan has it.
    for index, slug in enumerate(slugs):
        order = list(charter.services.order_by("position", "id").values_list("slug", flat=True))
        service = charter.services.get(slug=slug)
        charter_services.move_service(service, index - order.index(slug), editor, now=now)


def record_meeting(charter: Charter, meeting: Meeting, editor: Any) -> None:
    charter_services.save_meeting(
        charter,
        None,
        {"date": meeting.date, "place": meeting.place, "agenda": meeting.agenda, "minutes": meeting.minutes},
        [
            Row(
                None,
                {
                    "name": p.name,
                    "organisation": p.organisation,
                    "group": p.group,
                    "position": p.position,
                    "signed": p.signed,
                },
            )
            for p in meeting.participants
        ],
        editor,
        now=at(meeting.date),
    )


def record_decisions(charter: Charter, changes: dict[str, str], editor: Any, now: datetime) -> None:
    """The forum's decision on every service: agreed as drafted, or with the changes noted."""
    charter_services.record_decisions(
        charter,
        [
            Decision(service.pk, AgreementDecision.AGREED_WITH_CHANGES, changes[service.slug])
            if service.slug in changes
            else Decision(service.pk, AgreementDecision.AGREED)
            for service in charter.services.all()
        ],
        editor,
        now=now,
    )


def receive_comments(charter: Charter, comments: list[Comment], now: datetime, editor: Any) -> None:
    """The public's comments, each sent `days_ago` before the run through the public form's
    service, and the editor's replies two days later.

    Each citizen writes from an address of their own, from the range kept for documentation
    (192.0.2.0/24, RFC 5737): one comment each, far below the rate limit per address.
    """
    for number, item in enumerate(comments, start=1):
        sent = now - timedelta(days=item.days_ago)
        comment = add_consultation_comment(
            charter,
            text=item.text,
            client_ip=f"192.0.2.{number}",
            author_name=item.author,
            service=charter.services.get(slug=item.service) if item.service else None,
            now=sent,
        )
        if item.reply:
            reply_to_comment(comment, editor, item.reply, now=sent + timedelta(days=2))


# --- The lifecycle -------------------------------------------------------------------------------


def build_version(
    facility: Facility, seed: FacilitySeed, plan: VersionPlan, now: datetime, editor: Any, head: Any
) -> Charter:
    """Take one version as far through the lifecycle as its plan goes, each step on its day."""
    with signed_in(editor):
        # A revision that answers an evaluation's findings was started from them on this day
        # already (`EvaluationTimeline`): then this is that draft, the one in progress.
        charter = charter_services.start_draft(facility, editor, now=plan.drafted)
        write_content(charter, seed, plan.services, editor, plan.drafted)
        charter = charter_services.open_consultation(charter, editor, plan.consultation_note, now=plan.consultation)
        for meeting in plan.meetings:
            record_meeting(charter, meeting, editor)
        receive_comments(charter, plan.comments, now, editor)
        if plan.agreed is None:
            return charter
        record_decisions(charter, plan.changes, editor, plan.agreed)
        charter = charter_services.mark_agreed(charter, editor, plan.agreement_note, now=plan.agreed)
    assert plan.approved and plan.published and plan.effective
    with signed_in(head):
        charter = charter_services.approve_charter(charter, head, plan.approval_note, now=plan.approved)
        charter = charter_services.publish_charter(charter, head, plan.effective, now=plan.published)
    if charter.is_scheduled:
        # The first visitor on the effective date makes it the public version (no one signed in).
        with signed_in(AnonymousUser()):
            charter_services.take_effect(facility, now=at(plan.effective, 7))
        charter.refresh_from_db()
    return charter


def build_history(seed: FacilitySeed, facility: Facility, users: dict[str, Any], now: datetime) -> None:
    """Every version of the facility's plan, oldest first, by its editor and publisher, and the
    evaluation rounds between them, recorded by the editor: what happened up to the day a version
    is drafted comes before it (the last round's findings may start it)."""
    editor, head = users[seed.editor], users[seed.publisher]
    evaluations = EvaluationTimeline(facility, seed.evaluations, editor)
    for plan in seed.history(now):
        with signed_in(editor):
            evaluations.until(plan.drafted)
        build_version(facility, seed, plan, now, editor, head)
    with signed_in(editor):
        evaluations.until(now)
