"""The lifecycle of a charter version as one table, and the functions that move a version along it.

draft → consultation → agreed → approved → published → superseded, back from consultation to
draft, and a draft can be discarded. `CHARTER_STEPS` says for each step where it may start, where
it leads, whether it needs the head and what must be ready; the refusals below, the fields a
frozen version accepts (`FROZEN_TRANSITIONS`, enforced by `Charter.save()`), the buttons of the
staff page and its views all read it. Every step takes the facility lock, checks the table,
writes, and appends a `CharterEvent`, in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Prefetch, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _, gettext_lazy
from simple_history.utils import bulk_create_with_history

from ..models import (
    EDITABLE_STATUSES,
    OPEN_CHARTER_STATUSES,
    PUBLIC_STATUSES,
    AgreementDecision,
    Charter,
    CharterEvent,
    CharterStatus,
    Clause,
    ComplaintNorms,
    Facility,
    MeetingAttachment,
    ServiceStandard,
    StakeholderMeeting,
    user_is_head,
)
from ..uploads import delete_files_on_commit
from .base import lock_facility, log_event, stamp_history


def _nothing_missing(charter: Charter) -> list[str]:
    return []


def _always(charter: Charter) -> bool:
    return True


def _agreement_missing(charter: Charter) -> list[str]:
    return charter.publish_problems() + charter.agreement_problems()


# The fields each kind of step writes on the charter row.
_STATUS_FIELDS = frozenset({"status", "updated_by", "updated_at"})


@dataclass(frozen=True)
class CharterStep:
    """A move of a version from one of `sources` to `target` (None: the draft is deleted)."""

    name: str
    sources: frozenset[str]
    target: str | None
    writes: frozenset[str] = _STATUS_FIELDS
    head_only: bool = False
    # What still keeps the version from this step, in words for staff (prefetched data).
    missing: Callable[[Charter], list[str]] = _nothing_missing
    # What the version's history records (a publication on a later day records "scheduled").
    event: str = ""
    # Whether the step is still to take in its status (publishing is decided once).
    applies: Callable[[Charter], bool] = _always
    # Staff take it with a button; the others happen as a consequence of publishing.
    staff: bool = True
    # Its form has a comment for the version's history.
    asks_comment: bool = True
    button: Promise | str = ""
    done: Promise | str = ""


# In the order the staff page offers them: the steps forward first, then the ways back.
CHARTER_STEPS: dict[str, CharterStep] = {
    step.name: step
    for step in (
        CharterStep(
            "consultation",
            frozenset({CharterStatus.DRAFT}),
            CharterStatus.CONSULTATION,
            event=CharterEvent.Action.CONSULTATION,
            missing=Charter.publish_problems,
            button=gettext_lazy("Open public consultation"),
            done=gettext_lazy("Version %(version)s is open for public consultation."),
        ),
        CharterStep(
            "agree",
            frozenset({CharterStatus.CONSULTATION}),
            CharterStatus.AGREED,
            event=CharterEvent.Action.AGREED,
            writes=_STATUS_FIELDS | {"agreed_at"},
            missing=_agreement_missing,
            button=gettext_lazy("Mark as agreed"),
            done=gettext_lazy("Version %(version)s is recorded as agreed with the stakeholders."),
        ),
        CharterStep(
            "approve",
            frozenset({CharterStatus.AGREED}),
            CharterStatus.APPROVED,
            event=CharterEvent.Action.APPROVED,
            writes=_STATUS_FIELDS | {"approved_at", "approved_by"},
            head_only=True,
            button=gettext_lazy("Approve"),
            done=gettext_lazy("Version %(version)s is approved."),
        ),
        # Deciding the publication: from which day, and who decided. The version stays approved
        # until that day (see "take_effect").
        CharterStep(
            "publish",
            frozenset({CharterStatus.APPROVED}),
            CharterStatus.APPROVED,
            event=CharterEvent.Action.SCHEDULED,
            writes=frozenset(
                {"effective_date", "review_due_date", "published_at", "published_by", "updated_by", "updated_at"}
            ),
            head_only=True,
            applies=lambda charter: not charter.is_scheduled,
            button=gettext_lazy("Publish this version"),
            done=gettext_lazy("Version %(version)s is published: it is public from its effective date."),
        ),
        # The yearly review found nothing to change: the version stays, its next review is due
        # a year from the day of the decision (PermenPANRB 15/2014). A change needs a revision.
        CharterStep(
            "review",
            frozenset({CharterStatus.PUBLISHED}),
            CharterStatus.PUBLISHED,
            event=CharterEvent.Action.REVIEWED,
            writes=frozenset({"review_due_date", "updated_by", "updated_at"}),
            head_only=True,
            button=gettext_lazy("Reviewed: no change needed"),
            done=gettext_lazy("Version %(version)s was reviewed and stays in force; the next review is due in a year."),
        ),
        # An evaluation round with the stakeholders reviewed the version in force: its next review
        # is due a year after the round (recorded by the monitoring pages, not a button here).
        CharterStep(
            "evaluate",
            frozenset({CharterStatus.PUBLISHED}),
            CharterStatus.PUBLISHED,
            event=CharterEvent.Action.EVALUATED,
            writes=frozenset({"review_due_date", "updated_by", "updated_at"}),
            staff=False,
        ),
        CharterStep(
            "return",
            frozenset({CharterStatus.CONSULTATION}),
            CharterStatus.DRAFT,
            event=CharterEvent.Action.RETURNED,
            asks_comment=False,
            button=gettext_lazy("Close the consultation and return to draft"),
            done=gettext_lazy("Version %(version)s is a draft again."),
        ),
        CharterStep(
            "discard",
            frozenset({CharterStatus.DRAFT}),
            None,
            writes=frozenset(),
            asks_comment=False,
            button=gettext_lazy("Discard this draft"),
            done=gettext_lazy("Draft version %(version)s was discarded."),
        ),
        CharterStep(
            "take_effect",
            frozenset({CharterStatus.APPROVED}),
            CharterStatus.PUBLISHED,
            event=CharterEvent.Action.PUBLISHED,
            writes=frozenset({"status", "updated_at"}),
            staff=False,
        ),
        CharterStep(
            "supersede",
            frozenset({CharterStatus.PUBLISHED}),
            CharterStatus.SUPERSEDED,
            event=CharterEvent.Action.SUPERSEDED,
            writes=frozenset({"status", "updated_at"}),
            staff=False,
        ),
    )
}

# The only changes a frozen version (agreed and later) accepts: (stored status, new status) and
# the fields that step may write. Editable versions change freely.
FROZEN_TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (source, step.target): step.writes
    for step in CHARTER_STEPS.values()
    if step.target is not None
    for source in step.sources
    if source not in EDITABLE_STATUSES
}


def step_allowed(charter: Charter, name: str, *, is_head: bool) -> bool:
    """Whether a staff member may take the step now (what is missing aside)."""
    step = CHARTER_STEPS[name]
    if not step.staff or charter.status not in step.sources or not step.applies(charter):
        return False
    return is_head or not step.head_only


@dataclass(frozen=True)
class StepOffer:
    """A step the staff page offers for a version: allowed for this user, or waiting for the head."""

    step: CharterStep
    allowed: bool
    missing: list[str]

    @property
    def name(self) -> str:
        return self.step.name

    @property
    def ready(self) -> bool:
        return self.allowed and not self.missing


def offered_steps(charter: Charter, *, is_head: bool) -> list[StepOffer]:
    """The staff steps that start from the version's status, in the table's order."""
    offers = []
    for step in CHARTER_STEPS.values():
        if not step.staff or charter.status not in step.sources or not step.applies(charter):
            continue
        allowed = step_allowed(charter, step.name, is_head=is_head)
        offers.append(StepOffer(step, allowed, step.missing(charter) if allowed else []))
    return offers


def _check_step(charter: Charter, name: str, user: Any, extra_missing: list[str] | None = None) -> CharterStep:
    """Refuse with the reason: not the head (403), the wrong status, or what is still missing."""
    step = CHARTER_STEPS[name]
    if step.head_only and not user_is_head(user, charter.facility_id):
        raise PermissionDenied(_("Only the head of the facility may do this."))
    if charter.status not in step.sources:
        raise ValidationError(
            _("This step is not possible while the version is “%(status)s”.")
            % {"status": charter.get_status_display()},
            code="wrong_status",
        )
    missing = [*step.missing(charter), *(extra_missing or [])]
    if missing:
        raise ValidationError(missing, code="not_ready")
    return step


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


def _locked(charter: Charter) -> Charter:
    """Take the facility lock, then reload the charter as it is now (another request may have
    moved it meanwhile)."""
    lock_facility(charter.facility_id)
    return publishable_charter(charter.pk)


def _move(charter: Charter, name: str, user: Any, now: datetime, **fields: Any) -> Charter:
    """Write the step's target status and fields with `update_fields` (what a frozen version
    accepts), crediting the history to `user` at `now`."""
    step = CHARTER_STEPS[name]
    if step.target is not None:
        charter.status = step.target
    for field, value in fields.items():
        setattr(charter, field, value)
    if "updated_by" in step.writes:
        charter.updated_by = user
    stamp_history(charter, user, now)
    charter.save(update_fields=sorted(step.writes & {"status", "updated_by", "updated_at", *fields}))
    return charter


# --- Drafts ------------------------------------------------------------------------------------


@transaction.atomic
def start_draft(facility: Facility, user: Any, *, now: datetime | None = None) -> Charter:
    """Start a revision: a draft copy of the published charter, or an empty first version.

    Returns the version already in progress when there is one (at most one per facility), so
    a double click creates nothing twice.
    """
    now = now or timezone.now()
    # Two editors clicking at once: the facility row lock makes the second see the first's draft.
    lock_facility(facility.pk)
    existing = facility.charters.filter(status__in=OPEN_CHARTER_STATUSES).first()
    if existing:
        return existing
    last_version = facility.charters.aggregate(m=Max("version"))["m"] or 0
    source = (
        facility.charters.filter(status=CharterStatus.PUBLISHED)
        .prefetch_related("clauses", "services__requirements", "services__steps", "services__schedule_slots")
        .first()
    )
    draft = Charter(
        facility=facility,
        version=last_version + 1,
        status=CharterStatus.DRAFT,
        pledge=source.pledge if source else Charter._meta.get_field("pledge").default,
        complaint_info=source.complaint_info if source else "",
        **(asdict(source.complaint_norms) if source else {}),
        review_due_date=None,
        created_by=user,
        updated_by=user,
        created_at=now,
    )
    stamp_history(draft, user, now).save()
    if source:
        copy_charter_content(source, draft, now=now)
    log_event(
        draft,
        CharterEvent.Action.CREATED,
        user,
        _("Copied from version %(version)s.") % {"version": source.version} if source else "",
        now=now,
    )
    return draft


def copy_charter_content(source: Charter, target: Charter, *, now: datetime | None = None) -> None:
    """Copy clauses and services with every component from source into the draft target."""
    now = now or timezone.now()
    # Recorded like every other save, so "who changed what" knows what a later edit changed.
    bulk_create_with_history(
        [
            Clause(charter=target, party=c.party, kind=c.kind, text=c.text, position=c.position)
            for c in source.clauses.all()
        ],
        Clause,
        default_date=now,
    )
    for service in source.services.all():
        lists = [list(service.requirements.all()), list(service.steps.all()), list(service.schedule_slots.all())]
        service.pk = None
        service.charter = target
        service.agreement, service.agreement_note, service.revision = "", "", 0
        service.created_at = now
        stamp_history(service, None, now).save()
        for rows in lists:  # the same rows, in the copy
            for row in rows:
                row.pk, row.service = None, service
            if rows:
                bulk_create_with_history(rows, type(rows[0]), default_date=now)


@transaction.atomic
def discard_draft(charter: Charter, user: Any, *, now: datetime | None = None) -> None:
    """Delete a draft and everything in it (nothing of it was ever public or agreed)."""
    charter = _locked(charter)
    _check_step(charter, "discard", user)
    attachments = MeetingAttachment.objects.filter(meeting__charter=charter)
    files = [a.file.name for a in attachments]
    charter.delete()
    if files:
        delete_files_on_commit(MeetingAttachment._meta.get_field("file").storage, files)


# --- Agreement and approval --------------------------------------------------------------------


def _take(charter: Charter, name: str, user: Any, comment: str, now: datetime, **fields: Any) -> Charter:
    """Take a step that only moves the status (and stamps `fields`): lock, check, write, record."""
    charter = _locked(charter)
    _check_step(charter, name, user)
    _move(charter, name, user, now, **fields)
    log_event(charter, CHARTER_STEPS[name].event, user, comment, now=now)
    return charter


@transaction.atomic
def open_consultation(charter: Charter, user: Any, comment: str = "", *, now: datetime | None = None) -> Charter:
    """Put a complete draft before the public: anyone with the link may read and comment."""
    return _take(charter, "consultation", user, comment, now or timezone.now())


@transaction.atomic
def return_to_draft(charter: Charter, user: Any, comment: str = "", *, now: datetime | None = None) -> Charter:
    return _take(charter, "return", user, comment, now or timezone.now())


@transaction.atomic
def mark_agreed(charter: Charter, user: Any, comment: str = "", *, now: datetime | None = None) -> Charter:
    """Record that providers, users and stakeholders agreed the version in the forum."""
    now = now or timezone.now()
    return _take(charter, "agree", user, comment, now, agreed_at=now)


@transaction.atomic
def approve_charter(charter: Charter, user: Any, comment: str = "", *, now: datetime | None = None) -> Charter:
    """The head sets the agreed standard (the decree of PermenPANRB 15/2014)."""
    now = now or timezone.now()
    return _take(charter, "approve", user, comment, now, approved_at=now, approved_by=user)


# --- Publication -------------------------------------------------------------------------------


@transaction.atomic
def publish_charter(
    charter: Charter,
    user: Any,
    effective_date: date | None = None,
    comment: str = "",
    *,
    now: datetime | None = None,
) -> Charter:
    """Publish an approved version from `effective_date` (today when empty).

    From today: it replaces the current charter at once. From a later day: the current
    charter stays public until then, and `take_effect()` swaps them on that day.
    """
    now = now or timezone.now()
    charter = _locked(charter)
    today = timezone.localdate(now)
    effective = effective_date or today
    problems = []
    if effective < today:
        problems.append(_("The effective date cannot be in the past."))
    elif effective > one_year_after(today):
        # Standards are reviewed every year: a version scheduled further ahead would be due for
        # review before it takes effect, and a mistyped year such as 9999 overflowed its review
        # date into a server error (found by tests/fuzz).
        problems.append(_("The effective date can be at most a year from today."))
    if charter.is_scheduled:
        problems.append(
            _("Its publication is already scheduled for %(date)s.") % {"date": date_format(charter.effective_date)}
        )
    _check_step(charter, "publish", user, problems)
    if charter.review_due_date and charter.review_due_date <= effective:
        raise ValidationError(
            _("The review date (%(review)s) must be after the effective date (%(effective)s).")
            % {"review": date_format(charter.review_due_date), "effective": date_format(effective)},
            code="review_before_effective",
        )
    _move(
        charter,
        "publish",
        user,
        now,
        effective_date=effective,
        # PermenPANRB 15/2014: standards are reviewed at least once a year.
        review_due_date=charter.review_due_date or one_year_after(effective),
        published_at=now,
        published_by=user,
    )
    if effective > today:
        log_event(
            charter,
            CHARTER_STEPS["publish"].event,
            user,
            " ".join([_("From %(date)s.") % {"date": date_format(effective)}, comment]).strip(),
            now=now,
        )
    else:
        _take_effect(charter, user, now, comment)
    return charter


def _take_effect(charter: Charter, user: Any, now: datetime, comment: str = "") -> None:
    """Make a scheduled or just-published version the public one (caller holds the lock)."""
    previous = charter.facility.charters.filter(status=CharterStatus.PUBLISHED).first()
    if previous:
        _move(previous, "supersede", user, now)
        log_event(
            previous,
            CHARTER_STEPS["supersede"].event,
            user,
            _("Replaced by version %(v)s.") % {"v": charter.version},
            now=now,
        )
    _move(charter, "take_effect", user, now)
    log_event(charter, CHARTER_STEPS["take_effect"].event, user, comment, now=now)


def take_effect(facility: Facility, *, now: datetime | None = None) -> Charter | None:
    """Publish the facility's scheduled version once its effective date has come.

    Called by the pages that show a facility's charter, so no scheduler is needed: the first
    visitor on or after the effective date sees the new version. Costs one query otherwise.
    """
    now = now or timezone.now()
    due = facility.charters.filter(
        status=CharterStatus.APPROVED, published_at__isnull=False, effective_date__lte=timezone.localdate(now)
    )
    if not due.exists():
        return None
    with transaction.atomic():
        lock_facility(facility.pk)
        charter = due.first()  # None when another request was first
        if charter is not None:
            _take_effect(charter, charter.published_by, now)
    return charter


@transaction.atomic
def confirm_review(charter: Charter, user: Any, comment: str = "", *, now: datetime | None = None) -> Charter:
    """Record the head's decision that the yearly review found nothing to change in the version in
    force; its next review is due one year from today."""
    now = now or timezone.now()
    return _take(charter, "review", user, comment, now, review_due_date=one_year_after(timezone.localdate(now)))


@transaction.atomic
def record_evaluation(
    charter: Charter, user: Any, last_day: date, comment: str = "", *, now: datetime | None = None
) -> Charter:
    """Record that an evaluation round ending on `last_day` reviewed the version in force: its next
    review is due a year after that day. Nothing changes (and nothing is recorded) when a later
    review date is set already."""
    now = now or timezone.now()
    charter = _locked(charter)
    due = one_year_after(last_day)
    if charter.review_due_date and charter.review_due_date >= due:
        return charter
    _check_step(charter, "evaluate", user)
    _move(charter, "evaluate", user, now, review_due_date=due)
    log_event(charter, CHARTER_STEPS["evaluate"].event, user, comment, now=now)
    return charter


def published_services(facility: Facility, *, now: datetime | None = None) -> list[ServiceStandard]:
    """The services of the charter in force, as its public page lists them (deferred ones left
    out): what a citizen may give feedback on."""
    take_effect(facility, now=now)
    return list(
        ServiceStandard.objects.filter(charter__facility=facility, charter__status=CharterStatus.PUBLISHED)
        .exclude(agreement=AgreementDecision.DEFERRED)
        .order_by("position", "id")
    )


def complaint_norms(facility: Facility, on: date | None = None) -> ComplaintNorms:
    """The complaint time norms the facility promised on `on` (today): those of the version in
    force that day, or the common ones before it published any.

    A scheduled version counts from its effective date without waiting for `take_effect`, so the
    answer depends only on the day asked about (a replay of past days gets that day's norms).
    """
    on = on or timezone.localdate()
    charter = (
        facility.charters.filter(effective_date__lte=on)
        .filter(Q(status__in=PUBLIC_STATUSES) | Q(status=CharterStatus.APPROVED, published_at__isnull=False))
        .order_by("-effective_date", "-version")
        .first()
    )
    return charter.complaint_norms if charter else ComplaintNorms()


def one_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def take_step(
    charter: Charter,
    name: str,
    user: Any,
    *,
    comment: str = "",
    effective_date: date | None = None,
    now: datetime | None = None,
) -> Charter | None:
    """Run the staff step `name` of `CHARTER_STEPS` (what the staff page's buttons post)."""
    if name == "publish":
        return publish_charter(charter, user, effective_date, comment, now=now)
    if name == "discard":
        discard_draft(charter, user, now=now)
        return None
    run = {
        "review": confirm_review,
        "consultation": open_consultation,
        "return": return_to_draft,
        "agree": mark_agreed,
        "approve": approve_charter,
    }[name]
    return run(charter, user, comment, now=now)
