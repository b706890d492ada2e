"""Changes to a version's content while it is open for editing: the charter's own text with its
rights and obligations, and each service with its lists.

Each function takes the facility lock (`editing`), refuses a version that froze meanwhile,
writes, and appends a `CharterEvent`. They take cleaned data (`ServiceContent`, `Row`), never
forms: the forms validate, these act.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Max
from django.utils import timezone

from ..models import (
    Charter,
    CharterEvent,
    Clause,
    ProcedureStep,
    Requirement,
    ScheduleSlot,
    ServiceStandard,
)
from .base import editing, log_event, stamp_history


@dataclass(frozen=True)
class Row:
    """One row of a list edited in place: its id (None when new) and its values."""

    id: int | None
    values: dict[str, Any]


@dataclass(frozen=True)
class ServiceContent:
    """A service's own fields and its three lists, as typed and validated."""

    fields: dict[str, Any]
    requirements: list[Row] = field(default_factory=list)  # in order
    steps: list[Row] = field(default_factory=list)  # in order
    schedule: list[Row] = field(default_factory=list)


class EditConflict(Exception):
    """Someone else saved the service after the editor opened it."""

    def __init__(self, current: ServiceStandard) -> None:
        super().__init__(current)
        self.current = current


def sync_rows(
    model: type[Any],
    existing: Iterable[Any],
    parent: dict[str, Any],
    rows: list[Row],
    *,
    ordered: bool,
    user: Any,
    now: datetime,
) -> None:
    """Make the stored rows what `rows` say: delete those left out, update the changed, add the new.

    A row keeps its id while its text changes, so the change history shows one change rather
    than a deletion and an addition. An id that is not one of `existing` counts as a new row.
    """
    current = {obj.pk: obj for obj in existing}
    kept = {row.id for row in rows if row.id in current}
    for pk, obj in current.items():
        if pk not in kept:
            stamp_history(obj, user, now).delete()
    for position, row in enumerate(rows, start=1):
        obj = current.get(row.id) if row.id in kept else None
        values = {**row.values, **({"position": position} if ordered else {})}
        if obj is None:
            obj = model(**parent, **values)
        elif all(getattr(obj, name) == value for name, value in values.items()):
            continue
        else:
            for name, value in values.items():
                setattr(obj, name, value)
        stamp_history(obj, user, now).save()


def edit_charter(
    charter: Charter, user: Any, fields: dict[str, Any], clauses: list[Row], *, now: datetime | None = None
) -> Charter:
    """Save the pledge, how to complain, the dates, and the rights and obligations (in order)."""
    now = now or timezone.now()
    with editing(charter):
        for name, value in fields.items():
            setattr(charter, name, value)
        charter.updated_by = user
        # Only what the editor changed: the status may have moved meanwhile (still editable).
        stamp_history(charter, user, now).save(update_fields=[*fields, "updated_by", "updated_at"])
        sync_rows(Clause, charter.clauses.all(), {"charter": charter}, clauses, ordered=True, user=user, now=now)
        log_event(charter, CharterEvent.Action.EDITED, user, now=now)
    return charter


def save_service(
    charter: Charter,
    service: ServiceStandard | None,
    content: ServiceContent,
    user: Any,
    *,
    base_revision: int | None = None,
    now: datetime | None = None,
) -> ServiceStandard:
    """Add a service to the version (`service` None) or save it, unless someone saved it meanwhile.

    The row lock serialises two editors saving at the same moment: the second one sees the
    revision the first one wrote and gets an EditConflict instead of overwriting it.
    """
    now = now or timezone.now()
    with editing(charter):
        if service is None or service.pk is None:
            service = ServiceStandard(charter=charter, position=next_service_position(charter), revision=0)
            service.created_at = now
            action = CharterEvent.Action.SERVICE_ADDED
        else:
            current = ServiceStandard.objects.select_for_update().get(pk=service.pk, charter=charter)
            if base_revision is not None and current.revision != base_revision:
                raise EditConflict(current)
            service = current
            service.revision = current.revision + 1
            action = CharterEvent.Action.SERVICE_CHANGED
        for name, value in content.fields.items():
            setattr(service, name, value)
        stamp_history(service, user, now).save()
        parent = {"service": service}
        sync_rows(
            Requirement, service.requirements.all(), parent, content.requirements, ordered=True, user=user, now=now
        )
        sync_rows(ProcedureStep, service.steps.all(), parent, content.steps, ordered=True, user=user, now=now)
        sync_rows(
            ScheduleSlot, service.schedule_slots.all(), parent, content.schedule, ordered=False, user=user, now=now
        )
        log_event(charter, action, user, service.name, now=now)
    return service


def delete_service(service: ServiceStandard, user: Any, *, now: datetime | None = None) -> None:
    """Remove a service and its lists from the version (comments on it stay, for the charter)."""
    now = now or timezone.now()
    charter = service.charter
    with editing(charter):
        # Its lists one by one first: rows the deletion cascades to would be recorded at the real time.
        for row in [*service.requirements.all(), *service.steps.all(), *service.schedule_slots.all()]:
            stamp_history(row, user, now).delete()
        stamp_history(service, user, now).delete()
        log_event(charter, CharterEvent.Action.SERVICE_REMOVED, user, service.name, now=now)


def move_service(service: ServiceStandard, direction: int, user: Any = None, *, now: datetime | None = None) -> None:
    """Move the service up (direction < 0) or down (> 0) by that many places, within the charter.

    The staff page moves one place at a time; the others keep their order.
    """
    now = now or timezone.now()
    charter = service.charter
    with editing(charter):
        services = list(charter.services.select_for_update().order_by("position", "id"))
        index = next(i for i, s in enumerate(services) if s.pk == service.pk)
        target = min(max(index + direction, 0), len(services) - 1)
        if target == index:
            return
        services.insert(target, services.pop(index))
        for position, item in enumerate(services, start=1):
            if item.position != position:
                item.position = position
                ServiceStandard.objects.filter(pk=item.pk).update(position=position)
        log_event(charter, CharterEvent.Action.SERVICES_REORDERED, user, service.name, now=now)


def next_service_position(charter: Charter) -> int:
    return (charter.services.aggregate(m=Max("position"))["m"] or 0) + 1
