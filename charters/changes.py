"""Who changed what in a charter version, from django-simple-history's records.

Every save is one entry: the pledge with its rights and obligations, or one service with its
requirements, steps and opening hours, saved together at one moment (the services stamp every
record of a save with the same time). An entry says what changed as the comparison of two
versions says it (`charters.diff`): "Fee: Free → Rp 6.400", "Requirements: added …".
"""

from __future__ import annotations

import copy
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Model
from django.utils.formats import date_format
from django.utils.translation import gettext as _, ngettext

from . import diff
from .models import Charter, Clause, ProcedureStep, Requirement, ScheduleSlot, ServiceStandard

# A service's lists, by the name of their relation on the service.
SERVICE_LISTS: dict[str, type[Model]] = {
    "requirements": Requirement,
    "steps": ProcedureStep,
    "schedule_slots": ScheduleSlot,
}


@dataclass
class Entry:
    when: datetime
    user: Any
    kind: str  # "*" the draft started, "+" added, "~" changed, "-" deleted
    what: str  # "Pledge, rights and obligations", "Service “Poli Umum”", …
    changes: list[diff.Change] = field(default_factory=list)
    summary: str = ""

    @property
    def action(self) -> str:
        return {"*": _("started"), "+": _("added"), "~": _("changed"), "-": _("deleted")}[self.kind]


def _prefetched(instance: Model, rows: dict[str, tuple[type[Model], list[Model]]]) -> Model:
    """`instance` whose related lists read `rows` ({relation: (model, objects)}), not the database:
    what `diff` reads of a version that existed only at one moment of the history."""
    cache = {}
    for name, (model, objects) in rows.items():
        queryset = model._default_manager.all()
        queryset._result_cache = sorted(objects, key=lambda o: (getattr(o, "position", 0), str(o.pk)))
        queryset._prefetch_done = True
        cache[name] = queryset
    instance._prefetched_objects_cache = cache
    return instance


class _State:
    """The rows of a version as they stood at one moment, kept up to date save after save."""

    def __init__(self) -> None:
        self.charter: Any = None
        self.clauses: dict[int, Any] = {}
        self.services: dict[int, Any] = {}
        self.lists: dict[str, dict[int, dict[int, Any]]] = {name: defaultdict(dict) for name in SERVICE_LISTS}

    def apply(self, model: type[Model], record: Any) -> None:
        if model is Charter:
            self.charter = None if record.history_type == "-" else record
            return
        if model is Clause:
            rows = self.clauses
        elif model is ServiceStandard:
            rows = self.services
        else:
            rows = self.lists[_list_name(model)][record.service_id]
        if record.history_type == "-":
            rows.pop(record.id, None)
        else:
            rows[record.id] = record

    def charter_instance(self) -> Charter | None:
        if self.charter is None:
            return None
        clauses = [record.instance for record in self.clauses.values()]
        return _prefetched(self.charter.instance, {"clauses": (Clause, clauses)})

    def service_instance(self, service_id: int) -> ServiceStandard | None:
        record = self.services.get(service_id)
        if record is None:
            return None
        return _prefetched(
            record.instance,
            {
                name: (model, [row.instance for row in self.lists[name][service_id].values()])
                for name, model in SERVICE_LISTS.items()
            },
        )


def _present(record: Any) -> Any:
    """A record of a row that existed, whatever happened to it in the record."""
    present = copy.copy(record)
    present.history_type = "~"
    return present


def _list_name(model: type[Model]) -> str:
    return next(name for name, list_model in SERVICE_LISTS.items() if list_model is model)


def _dates(old: Charter, new: Charter) -> list[diff.Change]:
    """The version's dates, which the comparison of two versions leaves out (they always differ)."""
    changes = []
    for name in ("effective_date", "review_due_date"):
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            label = str(Charter._meta.get_field(name).verbose_name).capitalize()
            changes.append(
                diff.Change(
                    label=label,
                    kind="value",
                    old=date_format(before, "j F Y") if before else "",
                    new=date_format(after, "j F Y") if after else "",
                )
            )
    return changes


def charter_changes(charter: Charter, limit: int = 300) -> list[Entry]:
    """Every save of the version's content, newest first, in a fixed number of queries."""
    services = ServiceStandard.history.filter(charter_id=charter.pk)
    service_ids = services.values("id")
    sources: list[tuple[type[Model], Iterable[Any]]] = [
        (Charter, Charter.history.filter(id=charter.pk).select_related("history_user")),
        (Clause, Clause.history.filter(charter_id=charter.pk).select_related("history_user")),
        (ServiceStandard, services.select_related("history_user")),
        *(
            (model, model.history.filter(service_id__in=service_ids).select_related("history_user"))
            for model in SERVICE_LISTS.values()
        ),
    ]
    saves: dict[datetime, list[tuple[type[Model], Any]]] = defaultdict(list)
    for model, records in sources:
        for record in records:
            saves[record.history_date].append((model, record))

    state = _State()
    # Rows copied into a draft before their copies were recorded (until December 2026) first
    # appear changed or deleted: they stand from the start as their first record shows them.
    first: dict[tuple[type[Model], int], tuple[type[Model], Any]] = {}
    for when in sorted(saves):
        for model, record in saves[when]:
            first.setdefault((model, record.id), (model, record))
    for model, record in first.values():
        if record.history_type != "+":
            state.apply(model, _present(record))
    entries: list[Entry] = []
    for when in sorted(saves):
        records = sorted(saves[when], key=lambda pair: pair[1].history_id)
        user = next((record.history_user for _model, record in records if record.history_user_id), None)
        if any(model is Charter and record.history_type == "+" for model, record in records):
            for model, record in records:
                state.apply(model, record)
            copied = sum(1 for model, record in records if model is ServiceStandard and record.history_type == "+")
            summary = (
                ngettext(
                    "With %(count)s service copied from the charter in force.",
                    "With %(count)s services copied from the charter in force.",
                    copied,
                )
                % {"count": copied}
                if copied
                else ""
            )
            entries.append(Entry(when, user, "*", _("This version"), summary=summary))
            continue
        charter_touched = any(model in (Charter, Clause) for model, _record in records)
        touched_services = list(
            dict.fromkeys(
                record.id if model is ServiceStandard else record.service_id
                for model, record in records
                if model is ServiceStandard or model in SERVICE_LISTS.values()
            )
        )
        before_charter = state.charter_instance() if charter_touched else None
        before_services = {pk: state.service_instance(pk) for pk in touched_services}
        for model, record in records:
            state.apply(model, record)
        if charter_touched:
            after_charter = state.charter_instance()
            if before_charter is not None and after_charter is not None:
                found = diff.whole_charter_changes(before_charter, after_charter) + _dates(
                    before_charter, after_charter
                )
                if found:
                    entries.append(Entry(when, user, "~", _("Pledge, rights and obligations"), found))
        for pk in touched_services:
            before, after = before_services[pk], state.service_instance(pk)
            if before is None and after is not None:
                entries.append(Entry(when, user, "+", _("Service “%(name)s”") % {"name": after.name}))
            elif after is None and before is not None:
                entries.append(Entry(when, user, "-", _("Service “%(name)s”") % {"name": before.name}))
            elif before is not None and after is not None:
                found = diff.service_changes(before, after)
                if found:
                    entries.append(Entry(when, user, "~", _("Service “%(name)s”") % {"name": after.name}, found))
    entries.reverse()
    return entries[:limit]
