"""Staff pages of the evaluation rounds, under /manage/<facility>/evaluations/: the list (with the
actions still open), a round recorded or corrected on one page (the round, who took part, a
finding per service with its evidence filled in from the period's figures), the round's
printable report (with the comparison with the round before), its follow-up actions, and its
removal. A finding that was not kept can start the charter revision that answers it.

Every view starts with `get_facility_for_user`: another facility's rounds are a 404; the
facility's editors and heads record alike; a supervisor of the regency reads every page and
changes nothing (its POST is refused by the access helper). Forms check, `monitoring.evaluations`
saves, and each change is a POST followed by a redirect; a refused one shows its page again with
what was typed. The list and the report cost a fixed number of queries.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from charters.access import get_facility_for_user
from charters.models import Charter, Facility, ParticipantGroup
from feedback.models import SurveyAction

from .. import evaluations as rounds
from ..forms import (
    ActionUpdateForm,
    FindingForms,
    RoundForm,
    action_formset,
    action_rows,
    participant_formset,
    participant_rows,
    typed_values,
)
from ..models import (
    OPEN_ACTION_STATUSES,
    EvaluationFinding,
    EvaluationRound,
    FindingResult,
    FollowUpAction,
)

NEW_PARTICIPANT_ROWS = 8  # a small forum; saving and editing offers more
MORE_PARTICIPANT_ROWS = 3
MORE_ACTION_ROWS = 3
REFRESH = "refresh"  # the name of the button that fills the evidence in again


def _round_url(evaluation: EvaluationRound, name: str = "evaluation") -> str:
    return reverse(f"manage:{name}", args=[evaluation.facility.slug, evaluation.pk])


def _get_round(facility: Facility, round_id: int) -> EvaluationRound:
    evaluation = get_object_or_404(
        EvaluationRound.objects.filter(facility=facility).select_related("charter", "recorded_by"), pk=round_id
    )
    evaluation.facility = facility  # the loaded facility, with what the access helper knows
    return evaluation


def _refused(request: HttpRequest) -> None:
    messages.error(request, _("Nothing was saved; the reason is shown below."))


# --- The list ----------------------------------------------------------------------------------


def _counted(facility: Facility) -> Any:
    def findings(result: str) -> Count:
        return Count("findings", filter=Q(findings__result=result), distinct=True)

    return (
        EvaluationRound.objects.filter(facility=facility)
        .select_related("charter")
        .annotate(
            kept=findings(FindingResult.KEPT),
            partly=findings(FindingResult.PARTLY),
            not_kept=findings(FindingResult.NOT_KEPT),
            open_actions=Count("actions", filter=Q(actions__status__in=sorted(OPEN_ACTION_STATUSES)), distinct=True),
        )
        .order_by("-ended_on", "-id")
    )


@login_required
@require_safe
def evaluations(request: HttpRequest, slug: str) -> HttpResponse:
    """The rounds, newest first, and every action still open: what the next round takes up."""
    facility = get_facility_for_user(request, slug)
    open_actions = (
        FollowUpAction.objects.filter(round__facility=facility)
        .still_open()
        .select_related("round", "finding__service")
        .order_by("due_date", "id")
    )
    return render(
        request,
        "monitoring/evaluations/list.html",
        {
            "facility": facility,
            "rounds": list(_counted(facility)),
            "open_actions": list(open_actions),
            "survey_actions": list(SurveyAction.objects.filter(facility=facility, done_on__isnull=True)),
            "today": timezone.localdate(),
        },
    )


# --- A round recorded or corrected ---------------------------------------------------------------


def _services(charter: Charter | None) -> list[Any]:
    return list(charter.services.order_by("position", "id")) if charter is not None else []


def _chosen_charter(form: RoundForm, fallback: Charter | None) -> Charter | None:
    """The version the rows of findings are for: the one chosen, if the choice is valid."""
    return form.cleaned_data.get("charter") or fallback


def _round_page(
    request: HttpRequest,
    facility: Facility,
    evaluation: EvaluationRound | None,
    form: RoundForm,
    people: Any,
    findings: FindingForms,
) -> HttpResponse:
    return render(
        request,
        "monitoring/evaluations/form.html",
        {
            "facility": facility,
            "evaluation": evaluation,
            "form": form,
            "participants": people,
            "findings": findings,
            "has_versions": form.fields["charter"].queryset.exists(),
        },
    )


def _fresh_page(
    request: HttpRequest, facility: Facility, evaluation: EvaluationRound | None, form: RoundForm, charter: Any
) -> HttpResponse:
    """The page again without saving: the evidence filled in from the period now typed (and the
    rows of the version now chosen), everything else as typed, no errors shown yet."""
    start, end = form.cleaned_data.get("period_start"), form.cleaned_data.get("period_end")
    services = _services(charter)
    typed = FindingForms(services, request.POST).typed()
    evidence = rounds.prefilled_evidence(facility, start, end)
    people = participant_formset(0)(request.POST, prefix="participants")
    rows = [values for values in (typed_values(f) for f in people.forms) if any(values.values())]
    unbound = RoundForm(
        instance=evaluation or EvaluationRound(),
        facility=facility,
        initial={**typed_values(form), "shown_version": charter.pk if charter else None},
    )
    return _round_page(
        request,
        facility,
        evaluation,
        unbound,
        participant_formset(max(MORE_PARTICIPANT_ROWS, NEW_PARTICIPANT_ROWS - len(rows)))(
            initial=rows, prefix="participants"
        ),
        FindingForms(services, evidence=evidence, typed=typed),
    )


def _saved_message(request: HttpRequest, evaluation: EvaluationRound, is_new: bool, review_before: Any) -> None:
    text = (_("%(round)s was recorded.") if is_new else _("%(round)s was saved.")) % {"round": evaluation.title}
    charter = Charter.objects.only("version", "review_due_date").get(pk=evaluation.charter_id)
    if charter.review_due_date and charter.review_due_date != review_before:
        text += " " + _("The next review of version %(version)s is now due on %(date)s.") % {
            "version": charter.version,
            "date": date_format(charter.review_due_date, "j F Y"),
        }
    messages.success(request, text)


def _edit_round(request: HttpRequest, facility: Facility, evaluation: EvaluationRound | None) -> HttpResponse:
    today = timezone.localdate()
    if request.method != "POST":
        return _first_page(request, facility, evaluation, today)
    form = RoundForm(request.POST, instance=evaluation or EvaluationRound(), facility=facility)
    form_valid = form.is_valid()
    shown = form.shown_charter()
    charter = _chosen_charter(form, shown)
    version_changed = shown is not None and charter is not None and shown.pk != charter.pk
    period_valid = "period_start" in form.cleaned_data and "period_end" in form.cleaned_data
    if (REFRESH in request.POST or version_changed) and period_valid:
        if version_changed:
            messages.info(
                request,
                _("The services of version %(version)s are shown now: check each finding, then save.")
                % {"version": charter.version},
            )
        return _fresh_page(request, facility, evaluation, form, charter)
    people = participant_formset(0)(request.POST, prefix="participants")
    findings = FindingForms(_services(charter), request.POST)
    # Every part checked, so that every error shows at once.
    if all([form_valid, people.is_valid(), findings.is_valid()]) and REFRESH not in request.POST:
        content = form.content()
        review_before = content.charter.review_due_date
        try:
            if evaluation is None:
                saved = rounds.record_round(facility, request.user, content, people.people(), findings.contents())
            else:
                saved = rounds.update_round(evaluation, request.user, content, people.people(), findings.contents())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            _saved_message(request, saved, evaluation is None, review_before)
            return redirect(_round_url(saved))
    if REFRESH in request.POST:
        messages.error(request, _("Correct the period covered to fill in its evidence."))
    else:
        _refused(request)
    return _round_page(request, facility, evaluation, form, people, findings)


def _first_page(
    request: HttpRequest, facility: Facility, evaluation: EvaluationRound | None, today: Any
) -> HttpResponse:
    if evaluation is None:
        start, end = rounds.default_period(facility, today)
        charter = rounds.charter_in_force_on(facility, today)
        form = RoundForm(
            facility=facility,
            instance=EvaluationRound(),
            initial={
                "charter": charter,
                "started_on": today,
                "ended_on": today,
                "period_start": start,
                "period_end": end,
                "shown_version": charter.pk if charter else None,
            },
        )
        people = participant_formset(NEW_PARTICIPANT_ROWS)(prefix="participants")
        stored: dict[str, EvaluationFinding] = {}
    else:
        start, end, charter = evaluation.period_start, evaluation.period_end, evaluation.charter
        form = RoundForm(instance=evaluation, facility=facility, initial={"shown_version": charter.pk})
        people = participant_formset(MORE_PARTICIPANT_ROWS)(
            initial=participant_rows(list(evaluation.participants.all())), prefix="participants"
        )
        stored = {finding.service.slug: finding for finding in evaluation.findings.select_related("service")}
    evidence = rounds.prefilled_evidence(facility, start, end)
    findings = FindingForms(_services(charter), evidence=evidence, stored=stored)
    return _round_page(request, facility, evaluation, form, people, findings)


@login_required
def evaluation_new(request: HttpRequest, slug: str) -> HttpResponse:
    facility = get_facility_for_user(request, slug)
    return _edit_round(request, facility, None)


@login_required
def evaluation_edit(request: HttpRequest, slug: str, round_id: int) -> HttpResponse:
    facility = get_facility_for_user(request, slug)
    return _edit_round(request, facility, _get_round(facility, round_id))


# --- The report ---------------------------------------------------------------------------------


def _report_round(facility: Facility, round_id: int) -> EvaluationRound:
    """The round with everything its report reads, in a fixed number of queries."""
    evaluation = get_object_or_404(
        EvaluationRound.objects.filter(facility=facility)
        .select_related("charter", "recorded_by")
        .prefetch_related(
            "participants",
            Prefetch("findings", queryset=EvaluationFinding.objects.select_related("service", "revision")),
            Prefetch("actions", queryset=FollowUpAction.objects.select_related("finding__service")),
        ),
        pk=round_id,
    )
    evaluation.facility = facility
    return evaluation


def participants_by_group(evaluation: EvaluationRound) -> list[tuple[str, list[Any]]]:
    """(the group's name, its participants) for each of the forum's three groups."""
    people = list(evaluation.participants.all())
    return [(group.label, [p for p in people if p.group == group]) for group in ParticipantGroup]


@login_required
@require_safe
def evaluation_report(request: HttpRequest, slug: str, round_id: int) -> HttpResponse:
    """The round's report, to read on screen or print."""
    facility = get_facility_for_user(request, slug)
    evaluation = _report_round(facility, round_id)
    previous = rounds.previous_round(evaluation)
    return render(
        request,
        "monitoring/evaluations/report.html",
        {
            "facility": facility,
            "evaluation": evaluation,
            "groups": participants_by_group(evaluation),
            "carried": rounds.carried_over(evaluation),
            "previous": previous,
            "comparison": rounds.compare(evaluation, previous) if previous else [],
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def evaluation_finding_revise(request: HttpRequest, slug: str, round_id: int, finding_id: int) -> HttpResponse:
    """Start (or join) the charter revision that answers a finding that was not (fully) kept."""
    facility = get_facility_for_user(request, slug)
    evaluation = _get_round(facility, round_id)
    finding = get_object_or_404(evaluation.findings.select_related("service"), pk=finding_id)
    finding.round = evaluation
    try:
        draft = rounds.start_revision_from(finding, request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(_round_url(evaluation) + f"#finding-{finding.pk}")
    messages.success(
        request,
        _(
            "Version %(version)s answers the finding about %(service)s: change the service there; "
            "the comparison of the versions names the finding."
        )
        % {"version": draft.version, "service": finding.service.name},
    )
    return redirect("manage:charter", facility.slug, draft.version)


# --- Follow-up actions --------------------------------------------------------------------------


def _actions_page(
    request: HttpRequest,
    evaluation: EvaluationRound,
    formset: Any,
    update_forms: dict[int, ActionUpdateForm] | None = None,
) -> HttpResponse:
    carried = rounds.carried_over(evaluation)
    update_forms = update_forms or {}
    carried_rows = [
        (action, update_forms.get(action.pk) or ActionUpdateForm(action=action)) for action in carried.actions
    ]
    return render(
        request,
        "monitoring/evaluations/actions.html",
        {
            "facility": evaluation.facility,
            "evaluation": evaluation,
            "formset": formset,
            "carried_rows": carried_rows,
            "survey_actions": carried.survey_actions,
        },
    )


def _action_formset(evaluation: EvaluationRound, data: Any = None) -> Any:
    actions = list(evaluation.actions.select_related("finding__service"))
    findings = list(evaluation.findings.select_related("service"))
    formset_class = action_formset(MORE_ACTION_ROWS)
    return formset_class(
        data,
        initial=None if data is not None else action_rows(actions),
        prefix="actions",
        form_kwargs={"findings": findings, "action_ids": frozenset(action.pk for action in actions)},
    )


@login_required
def evaluation_actions(request: HttpRequest, slug: str, round_id: int) -> HttpResponse:
    """The round's own follow-up actions (added, changed, removed at once), and how the actions
    it carried over from earlier rounds stand."""
    facility = get_facility_for_user(request, slug)
    evaluation = _get_round(facility, round_id)
    if request.method == "POST":
        formset = _action_formset(evaluation, request.POST)
        if formset.is_valid():
            try:
                rounds.save_actions(evaluation, formset.rows())
            except ValidationError as error:  # an action moved to another round in the meantime
                for message in error.messages:
                    messages.error(request, message)
            else:
                saved = _("The follow-up actions of %(round)s were saved.") % {"round": evaluation.title}
                messages.success(request, saved)
                return redirect(_round_url(evaluation) + "#actions")
        _refused(request)
    else:
        formset = _action_formset(evaluation)
    return _actions_page(request, evaluation, formset)


@login_required
@require_POST
def evaluation_action(request: HttpRequest, slug: str, round_id: int, action_id: int) -> HttpResponse:
    """How an action of an earlier round stands now, as this round found it."""
    facility = get_facility_for_user(request, slug)
    evaluation = _get_round(facility, round_id)
    action = get_object_or_404(
        FollowUpAction.objects.filter(round__in=EvaluationRound.objects.before(evaluation)).select_related("round"),
        pk=action_id,
    )
    form = ActionUpdateForm(request.POST, action=action)
    if form.is_valid():
        data = form.cleaned_data
        try:
            rounds.update_action(action, data["status"], data.get("done_on"), data.get("result", ""))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            status = action.get_status_display()
            messages.success(request, _("“%(action)s” is now: %(status)s.") % {"action": action, "status": status})
            return redirect(_round_url(evaluation, "evaluation_actions") + f"#carried-{action.pk}")
    _refused(request)
    return _actions_page(request, evaluation, _action_formset(evaluation), {action.pk: form})


# --- Removing a round -----------------------------------------------------------------------------


@login_required
def evaluation_delete(request: HttpRequest, slug: str, round_id: int) -> HttpResponse:
    facility = get_facility_for_user(request, slug)
    evaluation = _get_round(facility, round_id)
    if request.method == "POST":
        try:
            rounds.delete_round(evaluation, request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(_round_url(evaluation))
        messages.success(request, _("%(round)s was deleted.") % {"round": evaluation.title})
        return redirect("manage:evaluations", facility.slug)
    counts = evaluation.findings.aggregate(
        findings=Count("id", distinct=True), revisions=Count("revision", distinct=True)
    )
    return render(
        request,
        "monitoring/evaluations/delete.html",
        {
            "facility": facility,
            "evaluation": evaluation,
            "finding_count": counts["findings"],
            "has_revision": bool(counts["revisions"]),
            "action_count": evaluation.actions.count(),
            "participant_count": evaluation.participants.count(),
        },
    )
