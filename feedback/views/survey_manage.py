"""Staff pages of the satisfaction survey, under /manage/<facility>/survey/: the report (the
public results plus priorities, comments, the respondents' profile, the comparison with the
previous period and the follow-up of weak elements), its exports, paper questionnaires typed in
or imported from a CSV file, and the survey periods with the population served.

Every view starts with `get_facility_for_user`: another facility's pages are a 404, and the
facility's editors and heads may use all of them. Forms validate, `feedback.services.surveys`
saves (a batch of questionnaires whole or not at all), and each change is a POST followed by a
redirect; a refused one shows its page again with what was typed, next to the errors.

The report costs a fixed number of queries whatever the number of responses (see `_report_page`).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import gettext as _, ngettext
from django.views.decorators.http import require_POST

from charter_site import spreadsheets
from charters.access import get_facility_for_user
from charters.models import Facility, ServiceStandard
from charters.services import published_services

from ..forms.survey import PROFILE_LABELS
from ..forms.survey_staff import (
    DEFAULT_ROWS,
    MAX_PAPER_ROWS,
    ActionForm,
    ActionUpdateForm,
    ImportForm,
    PaperDefaultsForm,
    PeriodForm,
    paper_formset,
    rows_asked,
)
from ..models import PROFILE_FIELDS, ResponseChannel, SurveyAction, SurveyPeriod, SurveyResponse
from ..services import surveys as survey_services
from ..survey import charts, exports as survey_exports, ikm, imports as survey_import, report as survey_report
from ..survey.results import ResultsForm, SurveyResults, chosen_period, previous_period, results_for

COMMENTS_SHOWN = 100
ACTIONS_READ = 300  # the facility's most recent follow-up actions the report looks at
PRIORITIES = 3


# --- Which period and service --------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """What a report (or an export, or an action sent from a report) is about: the period and
    optionally one service, chosen by `?from=&to=&service=` (defaults: the latest survey period)."""

    form: ResultsForm
    services: list[ServiceStandard]
    periods: list[SurveyPeriod]
    start: datetime.date
    end: datetime.date
    service_slug: str
    service_name: str

    def query(self, **more: str) -> str:
        """The querystring that opens the report on this scope again (with `more` parameters)."""
        params = {"from": self.start.isoformat(), "to": self.end.isoformat()}
        if self.service_slug:
            params["service"] = self.service_slug
        return "?" + urlencode({**params, **more})


def _scope(facility: Facility, params: Mapping[str, Any] | None) -> Scope:
    """Three queries: the published services (and whether a scheduled version takes effect) and
    the survey periods."""
    services = published_services(facility)
    periods = list(facility.survey_periods.all())
    names = {service.slug: service.name for service in services}
    form = ResultsForm(params or None, services=list(names.items()))
    start, end = chosen_period(form, periods)
    slug = ""
    if form.is_bound:
        form.is_valid()
        slug = form.cleaned_data.get("service") or ""
    else:
        form = ResultsForm(initial={"from": start, "to": end}, services=list(names.items()))
    return Scope(form, services, periods, start, end, slug, names.get(slug, ""))


def _responses(facility: Facility, scope: Scope, *, all_services: bool = False) -> QuerySet[SurveyResponse]:
    responses = SurveyResponse.objects.filter(facility=facility).visited_between(scope.start, scope.end)
    if scope.service_slug and not all_services:
        responses = responses.for_service(scope.service_slug)
    return responses


def _results(facility: Facility, scope: Scope) -> SurveyResults:
    return results_for(
        facility,
        scope.start,
        scope.end,
        service_slug=scope.service_slug,
        service_name=scope.service_name,
        periods=scope.periods,
    )


def _report_url(facility: Facility, scope: Scope, anchor: str = "") -> str:
    return reverse("manage:survey_report", args=[facility.slug]) + scope.query() + (f"#{anchor}" if anchor else "")


# --- What the report shows beyond the public results ---------------------------------------------


def _follow_up(facility: Facility, scope: Scope, bound: ActionUpdateForm | None) -> survey_report.FollowUp:
    """One query. Each action gets the form that marks it done (or the one sent, with its errors)."""
    actions = list(facility.survey_actions.order_by("-finding_end", "-id")[:ACTIONS_READ])
    follow_up = survey_report.FollowUp()
    for action in actions:
        if action.finding_start <= scope.end and action.finding_end >= scope.start:  # overlaps
            follow_up.this_period.append(action)
        elif action.finding_end < scope.start:
            follow_up.earlier.append(action)
        elif not action.is_done or (bound is not None and bound.action.pk == action.pk):
            follow_up.other_open.append(action)
    today = timezone.localdate()
    for group in (follow_up.this_period, follow_up.earlier, follow_up.other_open):
        group.sort(key=lambda action: (action.is_done, action.due_date, action.pk))
    for action in follow_up.all():
        action.overdue = action.is_overdue(today)
        element = ikm.ELEMENTS_BY_CODE.get(action.element)
        action.element_name = element.name if element else ""
        sent = bound is not None and bound.action.pk == action.pk
        action.update_form = bound if sent else ActionUpdateForm(action=action)
    return follow_up


def _action_form(scope: Scope, index: ikm.SurveyIndex, params: Mapping[str, Any]) -> ActionForm:
    """A new action, pre-filled for the weakest element, or for `?element=U3` (a priority's link)."""
    priorities = index.lowest(PRIORITIES)
    code = str(params.get("element") or "").upper()
    if code not in ikm.ELEMENTS_BY_CODE:
        code = priorities[0].element.code if priorities else ""
    initial: dict[str, Any] = {"element": code}
    if code:
        initial["finding_nrr"] = index.score(code).nrr_rounded(2)
    return ActionForm(initial=initial)


def _report_page(
    request: HttpRequest,
    facility: Facility,
    scope: Scope,
    *,
    action_form: ActionForm | None = None,
    update_form: ActionUpdateForm | None = None,
) -> HttpResponse:
    """The report. Besides the session, the user, the facility and the scope's three queries:
    the index and the monthly trend, the previous period's index, the index by service, the
    profile with the number of comments, the latest comments and the follow-up actions."""
    responses = _responses(facility, scope)
    results: SurveyResults = _results(facility, scope)
    index = results.index
    previous_start, previous_end = previous_period(scope.start, scope.end, scope.periods)
    previous = SurveyResponse.objects.filter(facility=facility).visited_between(previous_start, previous_end)
    if scope.service_slug:
        previous = previous.for_service(scope.service_slug)
    comparison = survey_report.Comparison(previous_start, previous_end, ikm.index_of(previous), index)
    by_service = ikm.indexes_by_service(_responses(facility, scope, all_services=True))
    profile, respondents, comment_count = survey_report.profile_and_comments(responses)
    comments = list(
        responses.exclude(comment="")
        .select_related("service")
        .order_by("-visited_on", "-submitted_at", "-id")[:COMMENTS_SHOWN]
    )
    priorities = index.lowest(PRIORITIES)
    response = render(
        request,
        "feedback/survey/manage/report.html",
        {
            "facility": facility,
            "scope": scope,
            "form": scope.form,
            "results": results,
            "index": index,
            **charts.survey_charts(results),
            "priorities": [
                (score, reverse("manage:survey_report", args=[facility.slug]) + scope.query(element=score.element.code))
                for score in priorities
            ],
            "priority_codes": {score.element.code for score in priorities},
            "comparison": comparison,
            "by_service": by_service,
            "profile": profile,
            "respondents": respondents,
            "comments": comments,
            "comment_count": comment_count,
            "follow_up": _follow_up(facility, scope, update_form),
            "action_form": action_form or _action_form(scope, index, request.GET),
            "exports": [
                (table, fmt, reverse("manage:survey_export", args=[facility.slug, table, fmt]) + scope.query())
                for table in survey_exports.TABLES
                for fmt in spreadsheets.CONTENT_TYPES
            ],
        },
    )
    patch_cache_control(response, private=True, no_store=True)  # the respondents' comments
    return response


@login_required
def report(request: HttpRequest, slug: str) -> HttpResponse:
    facility = get_facility_for_user(request, slug)
    return _report_page(request, facility, _scope(facility, request.GET))


# --- Exports -----------------------------------------------------------------------------------


@login_required
def export(request: HttpRequest, slug: str, table: str, fmt: str) -> HttpResponse:
    """The raw responses or the summary table of the report's period and service, CSV or Excel."""
    facility = get_facility_for_user(request, slug)
    if table not in survey_exports.TABLES or fmt not in spreadsheets.CONTENT_TYPES:
        raise Http404
    scope = _scope(facility, request.GET)
    if table == "responses":
        responses = _responses(facility, scope).select_related("service").order_by("visited_on", "submitted_at", "id")
        sheet = survey_exports.responses_sheet(responses.iterator(chunk_size=2000))
    else:
        results = _results(facility, scope)
        sheet = survey_exports.summary_sheet(results)
    name = f"survey-{table}-{facility.slug}-{scope.start:%Y-%m-%d}-{scope.end:%Y-%m-%d}"
    if scope.service_slug:
        name += f"-{scope.service_slug}"
    return spreadsheets.download(sheet, fmt, name)


# --- Paper questionnaires ----------------------------------------------------------------------


def _row_errors(formset: Any) -> list[tuple[int, str, str, str]]:
    """(row number, column, message, the field's id) of every error, for the list above the table."""
    found = []
    for number, form in enumerate(formset.forms, start=1):
        for name, errors in form.errors.items():
            bound = form["service" if name == "__all__" else name]
            column = "" if name == "__all__" else str(bound.label)
            found.extend((number, column, str(message), bound.id_for_label) for message in errors)
    return found


@login_required
def entry(request: HttpRequest, slug: str) -> HttpResponse:
    """The dense form for a stack of paper questionnaires, one row each (`?rows=` up to 50)."""
    facility = get_facility_for_user(request, slug)
    services = published_services(facility)
    rows = rows_asked(request.GET.get("rows"))
    formset_class = paper_formset(rows)
    if request.method == "POST":
        defaults = PaperDefaultsForm(request.POST, services=services)
        default_service, default_date = defaults.defaults()
        formset = formset_class(
            request.POST,
            prefix="rows",
            form_kwargs={"services": services, "default_service": default_service, "default_date": default_date},
        )
        valid = defaults.is_valid() and formset.is_valid()
        # Skipped questions are allowed on paper: ask once, save when confirmed.
        incomplete = formset.incomplete_rows() if valid and not request.POST.get("confirm_incomplete") else []
        if valid and not incomplete:
            saved = survey_services.record_paper_responses(facility, formset.answers(), request.user)
            messages.success(
                request,
                ngettext("%(count)s questionnaire was saved.", "%(count)s questionnaires were saved.", len(saved))
                % {"count": len(saved)},
            )
            # An empty table again; the defaults stay for the next stack of the same day.
            kept = {"rows": rows if rows != DEFAULT_ROWS else None}
            if default_service is not None:
                kept["service"] = default_service.slug
            if default_date is not None:
                kept["visited_on"] = default_date.isoformat()
            query = urlencode({key: value for key, value in kept.items() if value})
            return redirect(reverse("manage:survey_entry", args=[facility.slug]) + (f"?{query}" if query else ""))
    else:
        incomplete = []
        defaults = PaperDefaultsForm(
            services=services,
            initial={"service": request.GET.get("service", ""), "visited_on": request.GET.get("visited_on", "")},
        )
        formset = formset_class(prefix="rows", form_kwargs={"services": services})
    return render(
        request,
        "feedback/survey/manage/entry.html",
        {
            "facility": facility,
            "defaults": defaults,
            "formset": formset,
            "row_errors": _row_errors(formset) if formset.is_bound else [],
            "incomplete": incomplete,
            "elements": ikm.ELEMENTS,
            "profile_labels": [PROFILE_LABELS[name] for name, _choices in PROFILE_FIELDS],
            "rows": rows,
            "row_choices": [value for value in (10, 20, 30, 50) if value <= MAX_PAPER_ROWS],
        },
    )


def _covering_period(periods: list[SurveyPeriod], first: datetime.date, last: datetime.date) -> tuple[Any, Any]:
    """The shortest survey period holding every visit of an import; else the visits' own span."""
    holding = [period for period in periods if period.start <= first and last <= period.end]
    if holding:
        shortest = min(holding, key=lambda period: (period.end - period.start, -period.start.toordinal()))
        return shortest.start, shortest.end
    return first, last


@login_required
def import_responses(request: HttpRequest, slug: str) -> HttpResponse:
    """A CSV file of paper questionnaires: every row checked, the file saved whole or refused whole."""
    facility = get_facility_for_user(request, slug)
    services = published_services(facility)
    parsed = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            parsed = survey_import.parse_questionnaires(form.cleaned_data["file"].read(), services)
            if parsed.is_valid:
                saved = survey_services.record_paper_responses(
                    facility, parsed.answers, request.user, channel=ResponseChannel.IMPORT
                )
                first, last = parsed.visit_span()
                start, end = _covering_period(list(facility.survey_periods.all()), first, last)
                messages.success(
                    request,
                    ngettext(
                        "%(count)s questionnaire was imported.", "%(count)s questionnaires were imported.", len(saved)
                    )
                    % {"count": len(saved)},
                )
                query = urlencode({"from": start.isoformat(), "to": end.isoformat()})
                return redirect(reverse("manage:survey_import", args=[facility.slug]) + f"?{query}")
    else:
        form = ImportForm()
    return render(
        request,
        "feedback/survey/manage/import.html",
        {
            "facility": facility,
            "form": form,
            "parsed": parsed,
            "report_link": _imported_report(facility, request),
            "services": services,
            "elements": ikm.ELEMENTS,
            "legend": [(name, PROFILE_LABELS[name], values) for name, values in survey_import.legend()],
            "max_rows": survey_import.MAX_IMPORT_ROWS,
        },
    )


def _imported_report(facility: Facility, request: HttpRequest) -> dict[str, Any] | None:
    """After an import (`?from=&to=`, the visits' period): the link to their report."""
    if request.method != "GET" or not request.GET:
        return None
    dates = ResultsForm(request.GET, services=[])
    if not dates.is_valid() or not (dates.cleaned_data.get("from") and dates.cleaned_data.get("to")):
        return None
    start, end = dates.cleaned_data["from"], dates.cleaned_data["to"]
    query = urlencode({"from": start.isoformat(), "to": end.isoformat()})
    return {"from": start, "to": end, "url": reverse("manage:survey_report", args=[facility.slug]) + f"?{query}"}


@login_required
def import_template(request: HttpRequest, slug: str) -> HttpResponse:
    """The header and two example rows; `?sep=semicolon` for Excel set to Indonesian."""
    facility = get_facility_for_user(request, slug)
    semicolon = request.GET.get("sep") == "semicolon"
    content = survey_import.template_csv(
        published_services(facility), delimiter=";" if semicolon else ",", today=timezone.localdate()
    )
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    suffix = "-semicolon" if semicolon else ""
    response["Content-Disposition"] = f'attachment; filename="survey-template-{facility.slug}{suffix}.csv"'
    return response


# --- Survey periods ----------------------------------------------------------------------------


def _periods_with_respondents(facility: Facility) -> list[SurveyPeriod]:
    """The facility's periods, each with `respondents` counted in the same query and the sample
    its population needs."""
    respondents = (
        SurveyResponse.objects.filter(
            facility_id=OuterRef("facility_id"), visited_on__gte=OuterRef("start"), visited_on__lte=OuterRef("end")
        )
        .order_by()
        .values("facility_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    periods = list(facility.survey_periods.annotate(respondents=Coalesce(Subquery(respondents), 0)))
    for period in periods:
        period.required = ikm.required_sample(period.population)
        period.is_enough = period.respondents >= period.required
        period.missing = max(period.required - period.respondents, 0)
        period.report_url = (
            reverse("manage:survey_report", args=[facility.slug])
            + "?"
            + urlencode({"from": period.start.isoformat(), "to": period.end.isoformat()})
        )
    return periods


@login_required
def periods(request: HttpRequest, slug: str) -> HttpResponse:
    facility = get_facility_for_user(request, slug)
    here = reverse("manage:survey_periods", args=[facility.slug])
    if request.method == "POST":
        form = PeriodForm(request.POST, facility=facility)
        if form.is_valid():
            try:
                with transaction.atomic():
                    period = form.save()
            except IntegrityError:  # the same dates added by someone else in the meantime
                form.add_error("start", _("A period with these dates already exists."))
            else:
                messages.success(request, _("The period “%(name)s” was added.") % {"name": period.name})
                return redirect(here)
    else:
        form = PeriodForm(facility=facility)
    return render(
        request,
        "feedback/survey/manage/periods.html",
        {"facility": facility, "form": form, "periods": _periods_with_respondents(facility)},
    )


@login_required
@require_POST
def period_delete(request: HttpRequest, slug: str, period_id: int) -> HttpResponse:
    facility = get_facility_for_user(request, slug)
    period = get_object_or_404(SurveyPeriod, facility=facility, pk=period_id)
    period.delete()
    messages.success(
        request,
        _("The period “%(name)s” was deleted. Its responses stay; they are no longer counted against its population.")
        % {"name": period.name},
    )
    return redirect("manage:survey_periods", facility.slug)


# --- Follow-up actions -------------------------------------------------------------------------


def _refused(request: HttpRequest) -> None:
    messages.error(request, _("Nothing was saved; the reason is shown below."))


@login_required
@require_POST
def action_add(request: HttpRequest, slug: str) -> HttpResponse:
    """An action on a weak element, for the report's period (sent with the form)."""
    facility = get_facility_for_user(request, slug)
    scope = _scope(facility, request.POST)
    form = ActionForm(request.POST)
    if form.is_valid():
        try:
            action = survey_services.add_action(
                facility, request.user, finding_start=scope.start, finding_end=scope.end, **form.action_fields()
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("The action for %(element)s was recorded, due %(date)s.")
                % {"element": action.element, "date": formats.date_format(action.due_date, "j F Y")},
            )
            return redirect(_report_url(facility, scope, f"action-{action.pk}"))
    _refused(request)
    return _report_page(request, facility, scope, action_form=form)


@login_required
@require_POST
def action_update(request: HttpRequest, slug: str, action_id: int) -> HttpResponse:
    """Mark an action done (when, and what was done), correct that, or open it again."""
    facility = get_facility_for_user(request, slug)
    action = get_object_or_404(SurveyAction, facility=facility, pk=action_id)
    scope = _scope(facility, request.POST)
    form = ActionUpdateForm(request.POST, action=action)
    if form.is_valid():
        if form.cleaned_data["step"] == ActionUpdateForm.REOPEN:
            survey_services.reopen_action(action)
            messages.success(request, _("The action is open again."))
        else:
            done = survey_services.complete_action(action, form.cleaned_data["done_on"], form.cleaned_data["result"])
            messages.success(
                request,
                _("The action was marked done on %(date)s.") % {"date": formats.date_format(done.done_on, "j F Y")},
            )
        return redirect(_report_url(facility, scope, f"action-{action.pk}"))
    _refused(request)
    return _report_page(request, facility, scope, update_form=form)
