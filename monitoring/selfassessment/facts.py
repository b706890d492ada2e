"""What the criteria read of each facility, gathered for many facilities at once in a fixed
number of queries."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from charters.models import (
    COMPONENTS,
    OPEN_CHARTER_STATUSES,
    AgreementDecision,
    Charter,
    CharterEvent,
    CharterStatus,
    Component,
    Facility,
    MeetingParticipant,
    ProcedureStep,
    Requirement,
    ServiceStandard,
)
from feedback.models import SurveyAction, SurveyDay, SurveyPeriod
from feedback.reports import FigureRow, totals_by_facility
from feedback.survey import ikm
from feedback.survey.results import twelve_months_before

from ..models import EvaluationRound


@dataclass(frozen=True)
class ServiceComponents:
    """A service of the charter in force and the components it states."""

    service: ServiceStandard
    stated: tuple[Component, ...]

    @property
    def missing(self) -> list[Component]:
        return [component for component in COMPONENTS if component not in self.stated]


@dataclass(frozen=True)
class SurveyWindow:
    """The survey results the criteria read: a survey period's (`period` None: the last 12 months)."""

    start: datetime.date
    end: datetime.date
    period: SurveyPeriod | None
    index: ikm.SurveyIndex

    @property
    def respondents(self) -> int:
        return self.index.respondents

    @property
    def required(self) -> int | None:
        return ikm.required_sample(self.period.population) if self.period else None

    @property
    def sample_share(self) -> Fraction | None:
        required = self.required
        return Fraction(self.respondents, required) if required else None

    @property
    def query(self) -> str:
        return "?" + urlencode({"from": self.start.isoformat(), "to": self.end.isoformat()})


@dataclass
class Facts:
    """What the criteria read of one facility, gathered for every facility at once."""

    facility: Facility
    today: datetime.date
    in_force: Charter | None = None
    in_progress: Charter | None = None
    services: list[ServiceComponents] = field(default_factory=list)
    signatures: dict[str, int] = field(default_factory=dict)  # {group: people who signed}
    last_meeting: datetime.date | None = None
    last_decision: datetime.date | None = None  # reviewed, no change needed
    last_round: EvaluationRound | None = None
    survey: SurveyWindow | None = None
    actions: list[SurveyAction] = field(default_factory=list)
    cases: FigureRow | None = None

    @property
    def since(self) -> datetime.date:
        return twelve_months_before(self.today)


def _charters(facts: dict[int, Facts]) -> None:
    """The version in force and the version in progress; a scheduled version counts from its
    effective date, as `charters.services.take_effect` will publish it (nothing is saved here)."""
    statuses = [*OPEN_CHARTER_STATUSES, CharterStatus.PUBLISHED]
    for charter in Charter.objects.filter(facility_id__in=list(facts), status__in=statuses):
        found = facts[charter.facility_id]
        if charter.is_published:
            found.in_force = charter
        else:
            found.in_progress = charter
    for found in facts.values():
        scheduled = found.in_progress
        if scheduled and scheduled.is_scheduled and scheduled.effective_date <= found.today:
            scheduled.status = CharterStatus.PUBLISHED
            found.in_force, found.in_progress = scheduled, None


def stated_components(service: Any) -> tuple[Component, ...]:
    """The components `service` states; it carries `has_requirements` and `has_steps`."""
    present = {
        "requirements": service.has_requirements,
        "procedure": service.has_steps,
        "duration": service.duration_value is not None,
        "fee": service.fee_is_free or service.fee_amount is not None,
    }
    return tuple(
        component
        for component in COMPONENTS
        if present.get(component.field, bool(str(getattr(service, component.field, "")).strip()))
    )


def _services(facts: dict[int, Facts], in_force: dict[int, int]) -> None:
    """The services the charters in force publish (deferred ones left out), in one query."""
    services = (
        ServiceStandard.objects.filter(charter_id__in=list(in_force))
        .exclude(agreement=AgreementDecision.DEFERRED)
        .annotate(
            has_requirements=Exists(Requirement.objects.filter(service_id=OuterRef("pk"))),
            has_steps=Exists(ProcedureStep.objects.filter(service_id=OuterRef("pk"))),
        )
        .order_by("position", "id")
    )
    for service in services:
        facts[in_force[service.charter_id]].services.append(ServiceComponents(service, stated_components(service)))


def _signatures(facts: dict[int, Facts], in_force: dict[int, int]) -> None:
    """Who signed the forum's minutes on each charter in force, per group, in one query."""
    rows = (
        MeetingParticipant.objects.filter(meeting__charter_id__in=list(in_force), signed=True)
        .order_by()
        .values("meeting__charter_id", "group")
        .annotate(people=Count(Lower("name"), distinct=True), last=Max("meeting__date"))
    )
    for row in rows:
        found = facts[in_force[row["meeting__charter_id"]]]
        found.signatures[row["group"]] = row["people"]
        found.last_meeting = max(filter(None, [found.last_meeting, row["last"]]))


def _decisions(facts: dict[int, Facts], in_force: dict[int, int]) -> None:
    """The latest "reviewed, no change needed" decision on each charter in force, in one query.
    (An evaluation counts from the day its round ended, not from the day it was recorded: see
    `_rounds`.)"""
    rows = (
        CharterEvent.objects.filter(charter_id__in=list(in_force), action=CharterEvent.Action.REVIEWED)
        .order_by()
        .values("charter_id")
        .annotate(last=Max("created_at"))
    )
    for row in rows:
        facts[in_force[row["charter_id"]]].last_decision = timezone.localdate(row["last"])


def _rounds(facts: dict[int, Facts]) -> None:
    """Each facility's latest evaluation round (by its last day), in one query."""
    latest = EvaluationRound.objects.filter(facility_id=OuterRef("facility_id")).order_by("-ended_on", "-id")
    rounds = EvaluationRound.objects.filter(facility_id__in=list(facts)).filter(pk=Subquery(latest.values("pk")[:1]))
    for evaluation in rounds:
        facts[evaluation.facility_id].last_round = evaluation


def _summed(days: Iterable[tuple[datetime.date, dict[str, Any]]], start: datetime.date, end: datetime.date) -> Any:
    keys = list(ikm.aggregates())
    total = dict.fromkeys(keys, 0)
    for day, values in days:
        if start <= day <= end:
            for key in keys:
                total[key] += values[key] or 0
    return ikm.index_from(total)


def best_window(
    periods: Sequence[SurveyPeriod], days: Sequence[tuple[datetime.date, dict[str, Any]]], today: datetime.date
) -> SurveyWindow:
    """The results the survey criteria read: of the periods that have begun and overlap the last
    12 months, the one whose respondents come closest to its sample (ties: the latest); without
    one, the last 12 months."""
    since = twelve_months_before(today)
    windows = [
        SurveyWindow(period.start, period.end, period, _summed(days, period.start, period.end))
        for period in periods
        if period.start <= today and period.end >= since
    ]
    if not windows:
        return SurveyWindow(since, today, None, _summed(days, since, today))
    return max(windows, key=lambda window: (min(window.sample_share or 0, 1), window.start, window.end))


def _surveys(facts: dict[int, Facts], today: datetime.date) -> None:
    """The survey periods (one query) and the answers' daily sums by facility and day of visit (one
    aggregate of `SurveyDay`), summed here into each facility's chosen results."""
    since = twelve_months_before(today)
    periods: dict[int, list[SurveyPeriod]] = {}
    for period in SurveyPeriod.objects.filter(facility_id__in=list(facts), start__lte=today, end__gte=since):
        periods.setdefault(period.facility_id, []).append(period)
    first = min([since, *(period.start for found in periods.values() for period in found)])
    last = max([today, *(period.end for found in periods.values() for period in found)])
    days: dict[int, list[tuple[datetime.date, dict[str, Any]]]] = {}
    rows = (
        SurveyDay.objects.filter(facility_id__in=list(facts), visited_on__gte=first, visited_on__lte=last)
        .order_by()
        .values("facility_id", "visited_on")
        .annotate(**ikm.summed_aggregates())
    )
    for row in rows:
        days.setdefault(row["facility_id"], []).append((row["visited_on"], row))
    for facility_id, found in facts.items():
        found.survey = best_window(periods.get(facility_id, []), days.get(facility_id, []), today)


def _actions(facts: dict[int, Facts], today: datetime.date) -> None:
    """The survey follow-up actions either criterion reads, in one query."""
    window_start = min(found.survey.start for found in facts.values() if found.survey)
    since = twelve_months_before(today)
    actions = SurveyAction.objects.filter(facility_id__in=list(facts)).filter(
        Q(finding_end__gte=window_start) | Q(done_on__gte=since) | Q(done_on__isnull=True, due_date__lt=today)
    )
    for action in actions.only("facility_id", "element", "finding_start", "finding_end", "due_date", "done_on"):
        facts[action.facility_id].actions.append(action)


def gather(facilities: Sequence[Facility], today: datetime.date) -> dict[int, Facts]:
    """Everything the criteria read of `facilities`, in a fixed number of queries."""
    facts = {facility.pk: Facts(facility, today) for facility in facilities}
    if not facts:
        return facts
    _charters(facts)
    in_force = {found.in_force.pk: facility_id for facility_id, found in facts.items() if found.in_force}
    _services(facts, in_force)
    _signatures(facts, in_force)
    _decisions(facts, in_force)
    _rounds(facts)
    _surveys(facts, today)
    _actions(facts, today)
    cases = totals_by_facility(list(facts), twelve_months_before(today), today, today)
    for facility_id, found in facts.items():
        found.cases = cases.get(facility_id) or FigureRow(_("All cases"))
    return facts
