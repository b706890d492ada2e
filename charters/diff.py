"""What changed between two versions of a charter, in words a citizen understands.

`diff_charters(old, new)` reads only prefetched data (load both with `charters_for_diff()`)
and returns plain dataclasses the templates render: per service and per component, e.g.
"Fee: Rp 10.000 → Free", "Requirements: added …, removed …", "New service: …".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from django.db.models import Prefetch
from django.utils.text import capfirst
from django.utils.translation import gettext as _, ngettext

from .models import (
    TEXT_COMPONENTS,
    AgreementDecision,
    ChangeReason,
    Charter,
    ClauseKind,
    ClauseParty,
    ServiceStandard,
)

ChangeKind = Literal["value", "text", "items"]


@dataclass(frozen=True)
class Change:
    """One changed part. `value`: a short value shown as "old → new"; `text`: a longer text
    shown before and after; `items`: a list whose entries were added or removed."""

    label: str
    kind: ChangeKind
    old: str = ""
    new: str = ""
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    @property
    def is_value(self) -> bool:
        return self.kind == "value"

    @property
    def is_text(self) -> bool:
        return self.kind == "text"


@dataclass(frozen=True)
class ServiceEntry:
    """A whole service that appears in, or disappears from, the newer version."""

    name: str
    slug: str
    description: str
    duration: str
    fee: str
    reasons: tuple[ChangeReason, ...] = ()  # the findings the change answers


@dataclass(frozen=True)
class ServiceDiff:
    """A service present in both versions (same web address name) and what changed in it."""

    slug: str
    name: str
    old_name: str
    changes: tuple[Change, ...]
    reasons: tuple[ChangeReason, ...] = ()  # the findings the change answers


@dataclass(frozen=True)
class CharterDiff:
    old_version: int
    new_version: int
    added: tuple[ServiceEntry, ...] = ()
    removed: tuple[ServiceEntry, ...] = ()
    changed: tuple[ServiceDiff, ...] = ()
    unchanged: tuple[str, ...] = ()  # names of services that stayed exactly the same
    charter_changes: tuple[Change, ...] = ()  # pledge, how to complain, complaint norms, rights and obligations
    # The findings the newer version answers that no service change above shows: about the whole
    # charter, or about a service the revision left as it was.
    reasons: tuple[ChangeReason, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.charter_changes)


def charters_for_diff(*pks: int) -> dict[int, Charter]:
    """The charters with everything `diff_charters()` reads, in a fixed number of queries
    however many services they have: {pk: charter}. Deferred services are left out."""
    services = (
        ServiceStandard.objects.exclude(agreement=AgreementDecision.DEFERRED)
        .prefetch_related("requirements", "steps", "schedule_slots")
        .order_by("position", "id")
    )
    charters = Charter.objects.filter(pk__in=pks).prefetch_related(
        Prefetch("services", queryset=services), "clauses", "change_reasons"
    )
    return {charter.pk: charter for charter in charters}


def diff_charters(old: Charter, new: Charter) -> CharterDiff:
    """Compare two versions. Services are matched by their web address name (slug): a service
    whose slug changed counts as removed and added. Deferred services count as absent.

    The newer version's reasons (`ChangeReason`) go with the change of their service; the others
    are listed apart."""
    old_services = _public_services(old)
    new_services = _public_services(new)
    reasons: dict[str, list[ChangeReason]] = {}
    for reason in new.change_reasons.all():
        reasons.setdefault(reason.service_slug, []).append(reason)
    added, changed, unchanged = [], [], []
    for slug, service in new_services.items():
        before = old_services.get(slug)
        if before is None:
            added.append(_entry(service, reasons.pop(slug, [])))
            continue
        changes = service_changes(before, service)
        if changes:
            changed.append(
                ServiceDiff(
                    slug=slug,
                    name=service.name,
                    old_name=before.name,
                    changes=tuple(changes),
                    reasons=tuple(reasons.pop(slug, [])),
                )
            )
        else:
            unchanged.append(service.name)
    removed = [
        _entry(service, reasons.pop(slug, [])) for slug, service in old_services.items() if slug not in new_services
    ]
    return CharterDiff(
        old_version=old.version,
        new_version=new.version,
        added=tuple(added),
        removed=tuple(removed),
        changed=tuple(changed),
        unchanged=tuple(unchanged),
        charter_changes=tuple(whole_charter_changes(old, new)),
        reasons=tuple(reason for group in reasons.values() for reason in group),
    )


def _public_services(charter: Charter) -> dict[str, ServiceStandard]:
    return {s.slug: s for s in charter.services.all() if s.agreement != AgreementDecision.DEFERRED}


def _entry(service: ServiceStandard, reasons: Iterable[ChangeReason] = ()) -> ServiceEntry:
    return ServiceEntry(
        name=service.name,
        slug=service.slug,
        description=service.description,
        duration=service.duration_display,
        fee=service.fee_display,
        reasons=tuple(reasons),
    )


def _verbose(name: str) -> str:
    return str(capfirst(ServiceStandard._meta.get_field(name).verbose_name))


def service_changes(old: ServiceStandard, new: ServiceStandard) -> list[Change]:
    """Changes in the order a citizen reads a service: what it is, then components 1 to 14."""
    changes: list[Change | None] = [
        _value(_verbose("name"), old.name, new.name),
        _value(_verbose("category"), old.get_category_display(), new.get_category_display()),
        _text(_verbose("description"), old.description, new.description),
        _items(_("Requirements"), [r.text for r in old.requirements.all()], [r.text for r in new.requirements.all()]),
        _steps(old, new),
        _value(_("Duration"), old.duration_display, new.duration_display),
        _text(_verbose("duration_note"), old.duration_note, new.duration_note),
        _value(_("Fee"), old.fee_display, new.fee_display),
        _text(_verbose("fee_note"), old.fee_note, new.fee_note),
        _value(_verbose("fee_legal_basis"), old.fee_legal_basis, new.fee_legal_basis),
        _value(_("Opening hours"), _schedule(old), _schedule(new)),
        _text(_verbose("schedule_note"), old.schedule_note, new.schedule_note),
        _items(_verbose("methods"), old.method_labels, new.method_labels),
    ]
    changes += [
        _text(str(component.label), getattr(old, component.field), getattr(new, component.field))
        for component in TEXT_COMPONENTS
    ]
    return [change for change in changes if change is not None]


def _schedule(service: ServiceStandard) -> str:
    return "; ".join(f"{days} {hours}" for days, hours in service.schedule_rows())


def _steps(old: ServiceStandard, new: ServiceStandard) -> Change | None:
    label = _("Procedure")
    before, after = [s.text for s in old.steps.all()], [s.text for s in new.steps.all()]
    change = _items(label, before, after)
    if change is None and before != after:
        # The same steps in another order: show both sequences, numbered.
        return _text(label, _numbered(before), _numbered(after))
    return change


def _working_days(days: int) -> str:
    return ngettext("%(days)s working day", "%(days)s working days", days) % {"days": days}


def _numbered(items: Sequence[str]) -> str:
    return "\n".join(f"{number}. {text}" for number, text in enumerate(items, start=1))


def whole_charter_changes(old: Charter, new: Charter) -> list[Change]:
    changes: list[Change | None] = [
        _text(_("Service pledge (Maklumat Pelayanan)"), old.pledge, new.pledge),
        _text(_("How to complain"), old.complaint_info, new.complaint_info),
    ]
    for (_class, label, before), (_same, _label, after) in zip(
        old.complaint_norms.rows(), new.complaint_norms.rows(), strict=True
    ):
        changes.append(
            _value(
                _("Answer to a complaint (%(class)s)") % {"class": str(label).lower()},
                _working_days(before),
                _working_days(after),
            )
        )
    old_clauses, new_clauses = list(old.clauses.all()), list(new.clauses.all())
    for party in ClauseParty:
        for kind in ClauseKind:
            changes.append(
                _items(
                    f"{kind.label} — {party.label}",
                    [c.text for c in old_clauses if c.party == party and c.kind == kind],
                    [c.text for c in new_clauses if c.party == party and c.kind == kind],
                )
            )
    return [change for change in changes if change is not None]


def _clean(value: str) -> str:
    return (value or "").strip()


def _value(label: str, old: str, new: str) -> Change | None:
    old, new = _clean(old), _clean(new)
    return None if old == new else Change(label=label, kind="value", old=old, new=new)


def _text(label: str, old: str, new: str) -> Change | None:
    old, new = _clean(old), _clean(new)
    return None if old == new else Change(label=label, kind="text", old=old, new=new)


def _items(label: str, old: Iterable[str], new: Iterable[str]) -> Change | None:
    """Entries added and removed, counting duplicates, each list in its version's order."""
    before, after = [_clean(i) for i in old], [_clean(i) for i in new]
    added = _minus(after, before)
    removed = _minus(before, after)
    if not added and not removed:
        return None
    return Change(label=label, kind="items", added=tuple(added), removed=tuple(removed))


def _minus(items: list[str], other: list[str]) -> list[str]:
    remaining = Counter(other)
    result = []
    for item in items:
        if remaining[item]:
            remaining[item] -= 1
        else:
            result.append(item)
    return result
