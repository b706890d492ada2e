"""A facility's monitoring and evaluation rounds, replayed through the monitoring services on
their days (`now=`), between the versions of its charter.

A round is recorded on its last day, with its follow-up actions (recording it moves the review
date of the version it evaluated, as the service does). Each action then moves on the days its
`Progress` says. On the day a round's `revision_started` names, every finding not kept starts
(or joins) the revision that answers it (`start_revision_from`), and what users asked for beyond
the findings is recorded as a reason of the same draft; the version drafted that day in the
charter's history is that draft (`start_draft` returns the one in progress).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any

from django.utils import translation

from charters.models import Facility
from charters.services import Reason, start_revision
from monitoring.evaluations import (
    ActionContent,
    FindingContent,
    Person,
    RoundContent,
    charter_in_force_on,
    record_round,
    save_actions,
    start_revision_from,
    update_action,
)
from monitoring.models import EvaluationRound, FindingResult, FollowUpAction

from ..data.evaluations import Progress, RoundPlan
from ..moments import at

# What the rounds write in the facility's records (the revision's reasons, the version's
# timeline) is read by its staff and citizens: in Indonesian, whatever language the run has.
LANGUAGE = "id"


class EvaluationTimeline:
    """The steps of a facility's rounds in the order they happened; `until(moment)` replays
    those not replayed yet that happened by `moment`."""

    def __init__(self, facility: Facility, rounds: list[RoundPlan], editor: Any) -> None:
        self.facility = facility
        self.editor = editor
        self.rounds: dict[int, EvaluationRound] = {}
        self.actions: dict[int, list[FollowUpAction]] = {}
        steps: list[tuple[datetime, Callable[[], None]]] = []
        for index, plan in enumerate(rounds):
            steps.append((plan.recorded, partial(self._record, index, plan)))
            if plan.revision_started:
                steps.append((plan.revision_started, partial(self._start_revision, index, plan)))
            for number, action in enumerate(plan.actions):
                for progress in action.progress:
                    steps.append((at(progress.day, 14), partial(self._progress, index, number, progress)))
        # A stable sort: steps of one moment keep the order above.
        self.steps = sorted(steps, key=lambda step: step[0])

    def until(self, moment: datetime) -> None:
        with translation.override(LANGUAGE):
            while self.steps and self.steps[0][0] <= moment:
                _moment, step = self.steps.pop(0)
                step()

    @property
    def recorded(self) -> int:
        return len(self.rounds)

    def _record(self, index: int, plan: RoundPlan) -> None:
        charter = charter_in_force_on(self.facility, plan.started)
        assert charter is not None, f"no version of {self.facility.slug} in force on {plan.started}"
        services = {service.slug: service for service in charter.services.all()}
        content = RoundContent(
            charter=charter,
            started_on=plan.started,
            ended_on=plan.ended,
            period_start=plan.period_start,
            period_end=plan.period_end,
            method=plan.method,
            public_summary=plan.public_summary,
            facilitator=plan.facilitator,
            organisation=plan.organisation,
            method_note=plan.method_note,
            notes=plan.notes,
        )
        people = [Person(p.name, p.group, p.organisation, p.position) for p in plan.participants]
        findings = [FindingContent(services[f.slug], f.result, f.evidence, f.notes) for f in plan.findings]
        evaluation = record_round(self.facility, self.editor, content, people, findings, now=plan.recorded)
        by_slug = {finding.service.slug: finding for finding in evaluation.findings.select_related("service")}
        save_actions(
            evaluation,
            [
                ActionContent(a.what, a.who, a.due, finding=by_slug[a.finding] if a.finding else None)
                for a in plan.actions
            ],
            now=plan.recorded,
        )
        self.rounds[index] = evaluation
        self.actions[index] = list(evaluation.actions.order_by("id"))  # in the order of the plan

    def _start_revision(self, index: int, plan: RoundPlan) -> None:
        assert plan.revision_started is not None
        evaluation = self.rounds[index]
        for finding in evaluation.findings.exclude(result=FindingResult.KEPT):
            start_revision_from(finding, self.editor, now=plan.revision_started)
        if plan.requests:
            reasons = [Reason(source=evaluation.title, text=r.text, service_slug=r.slug) for r in plan.requests]
            start_revision(self.facility, self.editor, reasons, now=plan.revision_started)

    def _progress(self, index: int, number: int, progress: Progress) -> None:
        action = self.actions[index][number]
        done_on = progress.day if progress.status == "done" else None
        update_action(action, progress.status, done_on, progress.result, now=at(progress.day, 14))
