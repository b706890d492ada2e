"""Who changed what in a charter version, from django-simple-history's records."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from .models import Charter, Clause, ProcedureStep, Requirement, ScheduleSlot, ServiceStandard

# Bookkeeping fields that say nothing to an editor.
IGNORED = {"id", "updated_at", "created_at", "revision", "position", "updated_by", "charter", "service"}


@dataclass
class Change:
    when: datetime
    user: Any
    kind: str  # "+", "~", "-"
    what: str  # "Service “Poli Umum”", "Requirement of “Poli Umum”", …
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (label, before, after)

    @property
    def action(self) -> str:
        return {"+": _("added"), "~": _("changed"), "-": _("deleted")}[self.kind]


def _label(model: type[Any], name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:
        return name


def _value(record: Any, name: str) -> str:
    value = getattr(record, name, "")
    display = getattr(record, f"get_{name}_display", None)
    if display:
        value = display()
    if value in (None, "", []):
        return "—"
    return str(value)


def _describe(model: type[Any], record: Any, service_names: dict[int, str]) -> str:
    if model is Charter:
        return _("Pledge and dates")
    if model is ServiceStandard:
        return _("Service “%(name)s”") % {"name": record.name}
    owner = service_names.get(getattr(record, "service_id", None), "?")
    if model is Clause:
        return _("Right or obligation")
    return _("%(what)s of “%(service)s”") % {"what": model._meta.verbose_name, "service": owner}


def charter_changes(charter: Charter, limit: int = 300) -> list[Change]:
    """Every recorded change of the version's content, newest first, in a fixed number of queries."""
    services = list(ServiceStandard.history.filter(charter_id=charter.pk).select_related("history_user"))
    service_ids = {r.id for r in services}
    service_names = {r.id: r.name for r in sorted(services, key=lambda r: r.history_date)}
    sources: list[tuple[type[Any], list[Any]]] = [
        (Charter, list(Charter.history.filter(id=charter.pk).select_related("history_user"))),
        (ServiceStandard, services),
        (Clause, list(Clause.history.filter(charter_id=charter.pk).select_related("history_user"))),
    ]
    for model in (Requirement, ProcedureStep, ScheduleSlot):
        sources.append((model, list(model.history.filter(service_id__in=service_ids).select_related("history_user"))))
    changes: list[Change] = []
    for model, records in sources:
        names = [f.name for f in model._meta.concrete_fields if f.name not in IGNORED]
        previous: dict[int, Any] = {}
        for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
            before = previous.get(record.id)
            change = Change(record.history_date, record.history_user, record.history_type, "")
            change.what = _describe(model, record, service_names)
            if record.history_type == "~" and before is not None:
                for name in names:
                    old, new = _value(before, name), _value(record, name)
                    if old != new:
                        change.fields.append((_label(model, name), old, new))
                if not change.fields:
                    previous[record.id] = record
                    continue
            elif record.history_type == "+" and model in (Requirement, ProcedureStep, Clause):
                change.fields.append((_label(model, "text"), "—", _value(record, "text")))
            elif record.history_type == "+" and model is ScheduleSlot:
                change.fields.append((_("Opening hours"), "—", str(record.instance)))
            previous[record.id] = record
            changes.append(change)
    changes.sort(key=lambda c: c.when, reverse=True)
    return changes[:limit]
