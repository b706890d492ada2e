"""Workflow rules for charters: each change checks, acts in a transaction and leaves a trace."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Prefetch
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import (
    Charter,
    CharterEvent,
    CharterStatus,
    Clause,
    Facility,
    ProcedureStep,
    Requirement,
    ScheduleSlot,
    ServiceStandard,
)


def log_event(charter: Charter, action: str, user: Any, comment: str = "") -> CharterEvent:
    return CharterEvent.objects.create(
        charter=charter, action=action, user=user if user and user.is_authenticated else None, comment=comment
    )


@transaction.atomic
def start_draft(facility: Facility, user: Any) -> Charter:
    """Open the facility's draft: a copy of the published charter, or an empty first version.

    Returns the existing draft when there is one, so a double click creates nothing twice.
    """
    # Two editors clicking at once: the facility row lock makes the second see the first's draft.
    Facility.objects.select_for_update().get(pk=facility.pk)
    existing = facility.charters.filter(status=CharterStatus.DRAFT).first()
    if existing:
        return existing
    last_version = facility.charters.aggregate(m=Max("version"))["m"] or 0
    source = (
        facility.charters.filter(status=CharterStatus.PUBLISHED)
        .prefetch_related("clauses", "services__requirements", "services__steps", "services__schedule_slots")
        .first()
    )
    draft = Charter.objects.create(
        facility=facility,
        version=last_version + 1,
        status=CharterStatus.DRAFT,
        pledge=source.pledge if source else Charter._meta.get_field("pledge").default,
        complaint_info=source.complaint_info if source else "",
        review_due_date=None,
        created_by=user,
        updated_by=user,
    )
    if source:
        copy_charter_content(source, draft)
    log_event(
        draft,
        CharterEvent.Action.CREATED,
        user,
        _("Copied from version %(version)s.") % {"version": source.version} if source else "",
    )
    return draft


def copy_charter_content(source: Charter, target: Charter) -> None:
    """Copy clauses and services with every component from source into the draft target."""
    Clause.objects.bulk_create(
        Clause(charter=target, party=c.party, kind=c.kind, text=c.text, position=c.position)
        for c in source.clauses.all()
    )
    for service in source.services.all():
        requirements = list(service.requirements.all())
        steps = list(service.steps.all())
        slots = list(service.schedule_slots.all())
        service.pk = None
        service.charter = target
        service.save()
        Requirement.objects.bulk_create(
            Requirement(service=service, position=r.position, text=r.text) for r in requirements
        )
        ProcedureStep.objects.bulk_create(
            ProcedureStep(service=service, position=s.position, text=s.text) for s in steps
        )
        ScheduleSlot.objects.bulk_create(
            ScheduleSlot(service=service, weekday=s.weekday, opens=s.opens, closes=s.closes) for s in slots
        )


def publishable_charter(charter_id: int) -> Charter:
    """The charter with everything `publish_problems()` reads, in a fixed number of queries."""
    return Charter.objects.prefetch_related(
        "clauses",
        Prefetch(
            "services",
            queryset=ServiceStandard.objects.prefetch_related("requirements", "steps", "schedule_slots"),
        ),
    ).get(pk=charter_id)


def publish_charter(charter: Charter, user: Any, effective_date: date | None = None) -> Charter:
    """Publish a draft: it becomes the facility's public charter, the previous one is superseded."""
    with transaction.atomic():
        # Two heads publishing at once: the facility lock serialises them, so the second sees
        # the charter already published and is refused instead of breaking the constraint.
        Facility.objects.select_for_update().get(pk=charter.facility_id)
        charter = publishable_charter(charter.pk)
        if not charter.can_be_published_by(user):
            if not charter.is_editable:
                raise ValidationError(_("Only a draft can be published."), code="not_draft")
            raise PermissionDenied(_("Only the head of the facility may publish the charter."))
        problems = charter.publish_problems()
        if problems:
            raise ValidationError(problems, code="incomplete")
        if effective_date:
            charter.effective_date = effective_date
        elif not charter.effective_date:
            charter.effective_date = timezone.localdate()
        if charter.review_due_date and charter.review_due_date <= charter.effective_date:
            raise ValidationError(
                _("The review date (%(review)s) must be after the effective date (%(effective)s).")
                % {"review": date_format(charter.review_due_date), "effective": date_format(charter.effective_date)},
                code="review_before_effective",
            )
        if not charter.review_due_date:
            # PermenPANRB 15/2014: standards are reviewed at least once a year.
            charter.review_due_date = one_year_after(charter.effective_date)
        previous = charter.facility.charters.filter(status=CharterStatus.PUBLISHED).first()
        now = timezone.now()
        if previous:
            previous.status = CharterStatus.SUPERSEDED
            previous.save(update_fields=["status", "updated_at"])
            log_event(
                previous, CharterEvent.Action.SUPERSEDED, user, _("Replaced by version %(v)s.") % {"v": charter.version}
            )
        charter.status = CharterStatus.PUBLISHED
        charter.published_at = now
        charter.published_by = user
        charter.updated_by = user
        # Still a draft in the database here, so every field may be written.
        charter.save(
            update_fields=[
                "status",
                "published_at",
                "published_by",
                "effective_date",
                "review_due_date",
                "updated_by",
                "updated_at",
            ]
        )
        log_event(charter, CharterEvent.Action.PUBLISHED, user)
    return charter


def one_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


@transaction.atomic
def move_service(service: ServiceStandard, direction: int) -> None:
    """Swap the service with its neighbour above (direction -1) or below (+1)."""
    service.charter.assert_editable()
    services = list(service.charter.services.select_for_update().order_by("position", "id"))
    index = next(i for i, s in enumerate(services) if s.pk == service.pk)
    other = index + direction
    if not 0 <= other < len(services):
        return
    services[index], services[other] = services[other], services[index]
    for position, item in enumerate(services, start=1):
        if item.position != position:
            item.position = position
            ServiceStandard.objects.filter(pk=item.pk).update(position=position)


def next_service_position(charter: Charter) -> int:
    return (charter.services.aggregate(m=Max("position"))["m"] or 0) + 1
