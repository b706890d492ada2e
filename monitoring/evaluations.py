"""Evaluation rounds: recording a round, its follow-up actions, the revision a finding starts, and
what a round's report reads (evidence from the figures, actions carried over, the comparison with
the round before).

Like the other services, each write takes the facility lock, checks its rules again (a version
of another facility, a service of another version), and takes `now`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from charters.models import PUBLIC_STATUSES, Charter, Facility, ServiceStandard
from charters.services import Reason, lock_facility, record_evaluation, start_revision
from feedback.models import SurveyAction

from .figures import ServiceRow, months_before, service_figures
from .models import (
    ActionStatus,
    EvaluationFinding,
    EvaluationParticipant,
    EvaluationRound,
    FindingResult,
    FollowUpAction,
)

# --- What the forms hand over -------------------------------------------------------------------


@dataclass(frozen=True)
class RoundContent:
    """The round's own fields, as its form cleans them."""

    charter: Charter
    started_on: datetime.date
    ended_on: datetime.date
    period_start: datetime.date
    period_end: datetime.date
    method: str
    public_summary: str
    facilitator: str = ""
    organisation: str = ""
    method_note: str = ""
    notes: str = ""


@dataclass(frozen=True)
class Person:
    name: str
    group: str
    organisation: str = ""
    position: str = ""


@dataclass(frozen=True)
class FindingContent:
    service: ServiceStandard
    result: str
    evidence: str = ""
    notes: str = ""


@dataclass(frozen=True)
class ActionContent:
    """One follow-up action; `id` None for a new one, `delete` to remove an existing one."""

    what: str
    who: str
    due_date: datetime.date
    finding: EvaluationFinding | None = None
    status: str = ActionStatus.OPEN
    done_on: datetime.date | None = None
    result: str = ""
    id: int | None = None
    delete: bool = False


# --- Which version, and the evidence --------------------------------------------------------------


def evaluable_charters(facility: Facility) -> QuerySet[Charter]:
    """The versions a round can evaluate: those citizens could read (in force, or in force once)."""
    return facility.charters.filter(status__in=PUBLIC_STATUSES, effective_date__isnull=False).order_by("-version")


def charter_in_force_on(facility: Facility, day: datetime.date) -> Charter | None:
    """The public version in force on `day` (the latest to take effect by then)."""
    return evaluable_charters(facility).filter(effective_date__lte=day).order_by("-effective_date", "-version").first()


def evidence_text(row: ServiceRow) -> str:
    """The period's figures of one service, in sentences for the finding's evidence."""
    promise = row.promise
    parts = []
    duration = row.service.duration_display
    parts.append(_("Promised: %(duration)s.") % {"duration": duration} if duration else _("No duration promised."))
    if promise.promised and promise.count:
        parts.append(
            _(
                "Measured: median %(median)s, 9 in 10 within %(p90)s; %(kept)s%% within the promise "
                "(%(count)s observations)."
            )
            % {
                "median": row.median_display,
                "p90": row.p90_display,
                "kept": promise.promise_kept,
                "count": promise.count,
            }
        )
    elif promise.promised:
        parts.append(_("No service times were observed in the period."))
    if row.complaints_total:
        kinds = ", ".join(f"{label}: {number}" for label, number in row.complaints_by_kind)
        parts.append(_("Complaints and suggestions received: %(kinds)s.") % {"kinds": kinds})
    else:
        parts.append(_("No complaints or suggestions about this service."))
    scores = [(code, score) for code, score in (("U3", row.time_score), ("U4", row.fee_score)) if score and score.nrr]
    if scores and row.survey is not None:
        values = ", ".join(f"{code} {score.nrr_rounded()}" for code, score in scores)
        parts.append(
            _("Survey (1–4 scale, %(respondents)s respondents): %(values)s.")
            % {"respondents": row.survey.respondents, "values": values}
        )
    return " ".join(str(part) for part in parts)


def default_period(facility: Facility, started_on: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The period a new round starting on `started_on` looks back on: from the day after the
    facility's last round ended (three months when there was none), at most the last twelve
    months, up to the day before this round."""
    end = started_on - datetime.timedelta(days=1)
    last = (
        EvaluationRound.objects.filter(facility=facility, ended_on__lt=end)
        .order_by("-ended_on")
        .values_list("ended_on", flat=True)
        .first()
    )
    if last is None:
        return months_before(end), end
    return max(last + datetime.timedelta(days=1), months_before(end, 12)), end


def prefilled_evidence(facility: Facility, start: datetime.date, end: datetime.date) -> dict[str, str]:
    """{service slug: evidence text} for the services of the charter in force, from the period's
    figures (a fixed number of queries, see `monitoring.figures.service_figures`)."""
    return {row.service.slug: evidence_text(row) for row in service_figures(facility, start, end)}


# --- Recording a round ----------------------------------------------------------------------------


def _check(facility: Facility, content: RoundContent, findings: Sequence[FindingContent]) -> None:
    charter = content.charter
    if charter.facility_id != facility.pk or charter.status not in PUBLIC_STATUSES:
        raise ValidationError({"charter": _("Choose a version of this facility that was published.")})
    if content.ended_on < content.started_on:
        raise ValidationError({"ended_on": _("The round cannot end before it starts.")})
    if content.period_end < content.period_start:
        raise ValidationError({"period_end": _("The period covered cannot end before it starts.")})
    services = [finding.service for finding in findings]
    if any(service.charter_id != charter.pk for service in services):
        raise ValidationError(_("Every finding must be about a service of the version evaluated."))
    if len({service.pk for service in services}) != len(services):
        raise ValidationError(_("Record one finding per service."))


def _write(evaluation: EvaluationRound, content: RoundContent, user: Any, now: datetime.datetime) -> None:
    for name, value in vars(content).items():
        setattr(evaluation, name, value)
    evaluation.recorded_by = evaluation.recorded_by or (user if user and user.is_authenticated else None)
    evaluation.updated_at = now
    evaluation.save()


def _write_people(evaluation: EvaluationRound, people: Iterable[Person]) -> None:
    evaluation.participants.all().delete()
    EvaluationParticipant.objects.bulk_create(
        EvaluationParticipant(
            round=evaluation, name=p.name, group=p.group, organisation=p.organisation, position=p.position
        )
        for p in people
    )


def _write_findings(evaluation: EvaluationRound, findings: Iterable[FindingContent]) -> None:
    """Update the findings in place (their actions and revision stay), add and remove by service."""
    kept: set[int] = set()
    for content in findings:
        finding, _created = EvaluationFinding.objects.update_or_create(
            round=evaluation,
            service=content.service,
            defaults={"result": content.result, "evidence": content.evidence, "notes": content.notes},
        )
        kept.add(finding.pk)
    evaluation.findings.exclude(pk__in=kept).delete()


@transaction.atomic
def record_round(
    facility: Facility,
    user: Any,
    content: RoundContent,
    people: Iterable[Person],
    findings: Sequence[FindingContent],
    *,
    now: datetime.datetime | None = None,
) -> EvaluationRound:
    """Record a round. When it evaluated the version in force and is over, that version's next
    review is due a year after the round (`charters.services.record_evaluation`)."""
    now = now or timezone.now()
    lock_facility(facility.pk)
    _check(facility, content, findings)
    evaluation = EvaluationRound(facility=facility, created_at=now)
    _write(evaluation, content, user, now)
    _write_people(evaluation, people)
    _write_findings(evaluation, findings)
    _move_review(evaluation, user, now)
    return evaluation


@transaction.atomic
def update_round(
    evaluation: EvaluationRound,
    user: Any,
    content: RoundContent,
    people: Iterable[Person],
    findings: Sequence[FindingContent],
    *,
    now: datetime.datetime | None = None,
) -> EvaluationRound:
    now = now or timezone.now()
    lock_facility(evaluation.facility_id)
    _check(evaluation.facility, content, findings)
    _write(evaluation, content, user, now)
    _write_people(evaluation, people)
    _write_findings(evaluation, findings)
    _move_review(evaluation, user, now)
    return evaluation


def _move_review(evaluation: EvaluationRound, user: Any, now: datetime.datetime) -> None:
    charter = Charter.objects.get(pk=evaluation.charter_id)
    if charter.is_published and evaluation.ended_on <= timezone.localdate(now):
        record_evaluation(charter, user, evaluation.ended_on, evaluation.title, now=now)


@transaction.atomic
def delete_round(evaluation: EvaluationRound, user: Any) -> None:
    """Remove a round recorded by mistake; refused once a finding started a revision."""
    lock_facility(evaluation.facility_id)
    if evaluation.findings.filter(revision__isnull=False).exists():
        raise ValidationError(_("A finding of this round started a revision: the round stays on record."))
    evaluation.delete()


# --- Follow-up ------------------------------------------------------------------------------------


def _check_action(content: ActionContent, today: datetime.date) -> None:
    if content.status == ActionStatus.DONE and content.done_on is None:
        raise ValidationError({"done_on": _("Say on which day the action was done.")})
    if content.done_on and content.done_on > today:
        raise ValidationError({"done_on": _("This day is still to come.")})


@transaction.atomic
def save_actions(
    evaluation: EvaluationRound, rows: Iterable[ActionContent], *, now: datetime.datetime | None = None
) -> None:
    """Add, change and remove the round's own follow-up actions."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    lock_facility(evaluation.facility_id)
    existing = {action.pk: action for action in evaluation.actions.all()}
    for row in rows:
        if row.finding is not None and row.finding.round_id != evaluation.pk:
            raise ValidationError(_("An action can only answer a finding of its own round."))
        action = existing.get(row.id) if row.id else None
        if row.id and action is None:
            raise ValidationError(_("This action belongs to another round."))
        if row.delete:
            if action is not None:
                action.delete()
            continue
        _check_action(row, today)
        action = action or FollowUpAction(round=evaluation, created_at=now)
        for name in ("what", "who", "due_date", "finding", "status", "done_on", "result"):
            setattr(action, name, getattr(row, name))
        if action.status != ActionStatus.DONE:
            action.done_on = None
        action.save()


@transaction.atomic
def update_action(
    action: FollowUpAction,
    status: str,
    done_on: datetime.date | None,
    result: str,
    *,
    now: datetime.datetime | None = None,
) -> FollowUpAction:
    """Say how an action stands (how a carried-over action is followed up in a later round)."""
    now = now or timezone.now()
    lock_facility(action.round.facility_id)
    content = ActionContent(action.what, action.who, action.due_date, status=status, done_on=done_on, result=result)
    _check_action(content, timezone.localdate(now))
    action.status, action.result = status, result
    action.done_on = done_on if status == ActionStatus.DONE else None
    action.save(update_fields=["status", "done_on", "result"])
    return action


@dataclass(frozen=True)
class CarriedOver:
    """What earlier work a round takes up: its predecessors' actions and the survey's follow-up
    that were still open when it began (with how they stand now)."""

    actions: list[FollowUpAction] = field(default_factory=list)
    survey_actions: list[SurveyAction] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.actions or self.survey_actions)


def carried_over(evaluation: EvaluationRound) -> CarriedOver:
    """Open when the round began: not done by then (done later, or still open), never dropped.
    Two queries."""
    begun = evaluation.started_on
    earlier = EvaluationRound.objects.before(evaluation)
    actions = (
        FollowUpAction.objects.filter(round__in=earlier)
        .exclude(status=ActionStatus.DROPPED)
        .filter(Q(done_on__isnull=True) | Q(done_on__gte=begun))
        .select_related("round", "finding__service")
        .order_by("due_date", "id")
    )
    survey_actions = (
        SurveyAction.objects.filter(facility_id=evaluation.facility_id, created_at__date__lte=evaluation.ended_on)
        .filter(Q(done_on__isnull=True) | Q(done_on__gte=begun))
        .order_by("due_date", "id")
    )
    return CarriedOver(actions=list(actions), survey_actions=list(survey_actions))


# --- A finding starts a revision ------------------------------------------------------------------


def finding_reason(finding: EvaluationFinding) -> Reason:
    """The finding as the revision's comparisons show it next to the change that answers it."""
    text = finding.notes.strip() or finding.evidence.strip()
    # Stored with the revision, so in the site's language (the charter's), whoever clicks.
    with translation.override(settings.LANGUAGE_CODE):
        return Reason(
            source=finding.round.title,
            text=f"{finding.service.name}: {finding.get_result_display()}. {text}".strip(),
            service_slug=finding.service.slug,
        )


@transaction.atomic
def start_revision_from(finding: EvaluationFinding, user: Any, *, now: datetime.datetime | None = None) -> Charter:
    """Start (or join) the charter revision that answers `finding`, linked both ways: the finding
    names the revision, the revision's comparisons name the finding."""
    now = now or timezone.now()
    lock_facility(finding.round.facility_id)
    finding = EvaluationFinding.objects.select_related("round__facility", "service", "revision").get(pk=finding.pk)
    if finding.revision is not None and finding.revision.is_editable:
        return finding.revision
    if finding.result == FindingResult.KEPT:
        raise ValidationError(_("The promise was kept: there is nothing for a revision to answer."))
    draft = start_revision(finding.round.facility, user, [finding_reason(finding)], now=now)
    finding.revision = draft
    finding.save(update_fields=["revision"])
    return draft


# --- Comparison with the round before -------------------------------------------------------------

RANK = {FindingResult.NOT_KEPT: 0, FindingResult.PARTLY: 1, FindingResult.KEPT: 2}


@dataclass(frozen=True)
class Comparison:
    """One service in this round and the round before (matched by its web address name)."""

    name: str
    before: EvaluationFinding | None
    now: EvaluationFinding | None

    @property
    def trend(self) -> int:
        """1 better, 0 the same (or not comparable), -1 worse."""
        if self.before is None or self.now is None:
            return 0
        return (RANK[self.now.result] > RANK[self.before.result]) - (RANK[self.now.result] < RANK[self.before.result])


def previous_round(evaluation: EvaluationRound) -> EvaluationRound | None:
    return EvaluationRound.objects.before(evaluation).order_by("-ended_on", "-id").first()


def compare(evaluation: EvaluationRound, previous: EvaluationRound) -> list[Comparison]:
    """Service by service, in this round's order, then the services only the earlier round had."""
    now = {f.service.slug: f for f in evaluation.findings.select_related("service")}
    before = {f.service.slug: f for f in previous.findings.select_related("service")}
    rows = [Comparison(finding.service.name, before.get(slug), finding) for slug, finding in now.items()]
    rows += [Comparison(finding.service.name, finding, None) for slug, finding in before.items() if slug not in now]
    return rows
