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
    OPEN_STATUSES,
    AgreementDecision,
    Charter,
    CharterEvent,
    CharterStatus,
    Clause,
    Facility,
    MeetingAttachment,
    ProcedureStep,
    Requirement,
    ScheduleSlot,
    ServiceStandard,
    StakeholderMeeting,
    user_is_head,
)
from .uploads import delete_files_on_commit


def log_event(charter: Charter, action: str, user: Any, comment: str = "") -> CharterEvent:
    return CharterEvent.objects.create(
        charter=charter, action=action, user=user if user and user.is_authenticated else None, comment=comment
    )


@transaction.atomic
def start_draft(facility: Facility, user: Any) -> Charter:
    """Start a revision: a draft copy of the published charter, or an empty first version.

    Returns the version already in progress when there is one (at most one per facility), so
    a double click creates nothing twice.
    """
    # Two editors clicking at once: the facility row lock makes the second see the first's draft.
    Facility.objects.select_for_update().get(pk=facility.pk)
    existing = facility.charters.filter(status__in=OPEN_STATUSES).first()
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
        service.agreement, service.agreement_note, service.revision = "", "", 0
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
    """The charter with everything its `*_problems()` read, in a fixed number of queries."""
    return Charter.objects.prefetch_related(
        "clauses",
        Prefetch(
            "services",
            queryset=ServiceStandard.objects.prefetch_related("requirements", "steps", "schedule_slots"),
        ),
        Prefetch("meetings", queryset=StakeholderMeeting.objects.prefetch_related("participants")),
    ).get(pk=charter_id)


def _lock(charter: Charter) -> Charter:
    """Lock the facility row, then reload the charter as it is now.

    Two people acting on the same facility at once (two heads publishing, an editor opening a
    revision while a head publishes) are serialised here: the second sees the first's result.
    """
    Facility.objects.select_for_update().get(pk=charter.facility_id)
    return publishable_charter(charter.pk)


def _refuse(charter: Charter, allowed: set[str], problems: list[str]) -> None:
    if charter.status not in allowed:
        raise ValidationError(
            _("This step is not possible while the version is “%(status)s”.")
            % {"status": charter.get_status_display()},
            code="wrong_status",
        )
    if problems:
        raise ValidationError(problems, code="not_ready")


def _require_head(charter: Charter, user: Any) -> None:
    if not user_is_head(user, charter.facility_id):
        raise PermissionDenied(_("Only the head of the facility may do this."))


@transaction.atomic
def open_consultation(charter: Charter, user: Any, comment: str = "") -> Charter:
    """Put a complete draft before the public: anyone with the link may read and comment."""
    charter = _lock(charter)
    _refuse(charter, {CharterStatus.DRAFT}, charter.publish_problems())
    charter.status = CharterStatus.CONSULTATION
    charter.updated_by = user
    charter.save(update_fields=["status", "updated_by", "updated_at"])
    log_event(charter, CharterEvent.Action.CONSULTATION, user, comment)
    return charter


@transaction.atomic
def return_to_draft(charter: Charter, user: Any, comment: str = "") -> Charter:
    charter = _lock(charter)
    _refuse(charter, {CharterStatus.CONSULTATION}, [])
    charter.status = CharterStatus.DRAFT
    charter.updated_by = user
    charter.save(update_fields=["status", "updated_by", "updated_at"])
    log_event(charter, CharterEvent.Action.RETURNED, user, comment)
    return charter


@transaction.atomic
def mark_agreed(charter: Charter, user: Any, comment: str = "") -> Charter:
    """Record that providers, users and stakeholders agreed the version in the forum."""
    charter = _lock(charter)
    _refuse(charter, {CharterStatus.CONSULTATION}, charter.publish_problems() + charter.agreement_problems())
    charter.status = CharterStatus.AGREED
    charter.agreed_at = timezone.now()
    charter.updated_by = user
    charter.save(update_fields=["status", "agreed_at", "updated_by", "updated_at"])
    log_event(charter, CharterEvent.Action.AGREED, user, comment)
    return charter


@transaction.atomic
def approve_charter(charter: Charter, user: Any, comment: str = "") -> Charter:
    """The head sets the agreed standard (the decree of PermenPANRB 15/2014)."""
    charter = _lock(charter)
    _require_head(charter, user)
    _refuse(charter, {CharterStatus.AGREED}, [])
    charter.status = CharterStatus.APPROVED
    charter.approved_at = timezone.now()
    charter.approved_by = user
    charter.updated_by = user
    charter.save(update_fields=["status", "approved_at", "approved_by", "updated_by", "updated_at"])
    log_event(charter, CharterEvent.Action.APPROVED, user, comment)
    return charter


@transaction.atomic
def publish_charter(charter: Charter, user: Any, effective_date: date | None = None) -> Charter:
    """Publish an approved version from `effective_date` (today when empty).

    From today: it replaces the current charter at once. From a later day: the current
    charter stays public until then, and `take_effect()` swaps them on that day.
    """
    charter = _lock(charter)
    _require_head(charter, user)
    today = timezone.localdate()
    effective = effective_date or today
    problems = []
    if effective < today:
        problems.append(_("The effective date cannot be in the past."))
    if charter.is_scheduled:
        problems.append(
            _("Its publication is already scheduled for %(date)s.") % {"date": date_format(charter.effective_date)}
        )
    _refuse(charter, {CharterStatus.APPROVED}, problems)
    if charter.review_due_date and charter.review_due_date <= effective:
        raise ValidationError(
            _("The review date (%(review)s) must be after the effective date (%(effective)s).")
            % {"review": date_format(charter.review_due_date), "effective": date_format(effective)},
            code="review_before_effective",
        )
    charter.effective_date = effective
    # PermenPANRB 15/2014: standards are reviewed at least once a year.
    charter.review_due_date = charter.review_due_date or one_year_after(effective)
    charter.published_at = timezone.now()
    charter.published_by = user
    charter.updated_by = user
    fields = ["effective_date", "review_due_date", "published_at", "published_by", "updated_by", "updated_at"]
    charter.save(update_fields=fields)
    if effective > today:
        log_event(charter, CharterEvent.Action.SCHEDULED, user, _("From %(date)s.") % {"date": date_format(effective)})
    else:
        _take_effect(charter, user)
    return charter


def _take_effect(charter: Charter, user: Any) -> None:
    """Make a scheduled or just-published version the public one (caller holds the lock)."""
    previous = charter.facility.charters.filter(status=CharterStatus.PUBLISHED).first()
    if previous:
        previous.status = CharterStatus.SUPERSEDED
        previous.save(update_fields=["status", "updated_at"])
        log_event(
            previous, CharterEvent.Action.SUPERSEDED, user, _("Replaced by version %(v)s.") % {"v": charter.version}
        )
    charter.status = CharterStatus.PUBLISHED
    charter.save(update_fields=["status", "updated_at"])
    log_event(charter, CharterEvent.Action.PUBLISHED, user)


def take_effect(facility: Facility) -> Charter | None:
    """Publish the facility's scheduled version once its effective date has come.

    Called by the pages that show a facility's charter, so no scheduler is needed: the first
    visitor on or after the effective date sees the new version. Costs one query otherwise.
    """
    due = facility.charters.filter(
        status=CharterStatus.APPROVED, published_at__isnull=False, effective_date__lte=timezone.localdate()
    )
    if not due.exists():
        return None
    with transaction.atomic():
        Facility.objects.select_for_update().get(pk=facility.pk)
        charter = due.first()  # None when another request was first
        if charter is not None:
            _take_effect(charter, charter.published_by)
    return charter


def published_services(facility: Facility) -> list[ServiceStandard]:
    """The services of the charter in force, as its public page lists them (deferred ones left
    out): what a citizen may give feedback on."""
    take_effect(facility)
    return list(
        ServiceStandard.objects.filter(charter__facility=facility, charter__status=CharterStatus.PUBLISHED)
        .exclude(agreement=AgreementDecision.DEFERRED)
        .order_by("position", "id")
    )


@transaction.atomic
def discard_draft(charter: Charter, user: Any) -> None:
    """Delete a draft and everything in it (nothing of it was ever public or agreed)."""
    charter = _lock(charter)
    _refuse(charter, {CharterStatus.DRAFT}, [])
    attachments = MeetingAttachment.objects.filter(meeting__charter=charter)
    files = [a.file.name for a in attachments]
    charter.delete()
    if files:
        delete_files_on_commit(MeetingAttachment._meta.get_field("file").storage, files)


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


class EditConflict(Exception):
    """Someone else saved the service after the editor opened it."""

    def __init__(self, current: ServiceStandard) -> None:
        super().__init__(current)
        self.current = current


def save_service(form: Any, formsets: list[Any], charter: Charter, base_revision: int | None) -> ServiceStandard:
    """Save a validated service form and its lists, unless someone saved the service meanwhile.

    The row lock serialises two editors saving at the same moment: the second one sees the
    revision the first one wrote and gets an EditConflict instead of overwriting it.
    """
    with transaction.atomic():
        service = form.instance
        if service.pk is None:
            service.position = next_service_position(charter)
            service.revision = 0
        else:
            current = ServiceStandard.objects.select_for_update().get(pk=service.pk)
            if base_revision is not None and current.revision != base_revision:
                raise EditConflict(current)
            service.revision = current.revision + 1
        service = form.save()
        for formset in formsets:
            formset.instance = service
            formset.save()
    return service


def conflicting_changes(current: ServiceStandard, form: Any, formsets: list[Any]) -> list[tuple[str, str, str]]:
    """[(what, as saved by the other editor, as typed here)] where the two differ."""
    changes = []
    for name, field in form.fields.items():
        if name in {"base_revision", "slug"} or name not in form.cleaned_data:
            continue
        saved, typed = getattr(current, name), form.cleaned_data[name]
        if saved != typed and not (saved in (None, "") and typed in (None, "")):
            changes.append((str(field.label), _display(field, saved), _display(field, typed)))
    lists = (
        (_("Requirements"), [r.text for r in current.requirements.all()]),
        (_("Procedure"), [s.text for s in current.steps.all()]),
        (_("Opening hours"), [str(slot) for slot in current.schedule_slots.all()]),
    )
    for (label, saved_items), formset in zip(lists, formsets, strict=True):
        typed_items = [str(obj) if label == _("Opening hours") else obj.text for obj in _typed_rows(formset)]
        if saved_items != typed_items:
            changes.append((str(label), "; ".join(saved_items), "; ".join(typed_items)))
    return changes


def _typed_rows(formset: Any) -> list[Any]:
    forms = formset.ordered_forms if formset.can_order else formset.forms
    rows = []
    for form in forms:
        data = getattr(form, "cleaned_data", None)
        if not data or data.get("DELETE"):
            continue
        rows.append(form.instance)
    return (
        sorted(rows, key=lambda r: (getattr(r, "weekday", 0), getattr(r, "opens", None) or 0))
        if not formset.can_order
        else rows
    )


def _display(field: Any, value: Any) -> str:
    choices = dict(getattr(field, "choices", []) or [])
    if isinstance(value, list):
        return ", ".join(str(choices.get(v, v)) for v in value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if value in (None, ""):
        return "—"
    return str(choices.get(value, value))


def next_service_position(charter: Charter) -> int:
    return (charter.services.aggregate(m=Max("position"))["m"] or 0) + 1
