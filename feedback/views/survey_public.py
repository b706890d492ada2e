"""The citizen's side of the satisfaction survey (SKM): the questionnaire and its results (IKM).

Answering needs no account. What keeps the index honest without one: a honeypot for robots,
rate limits per browser (generous, since a facility's shared tablet sends many answers) and per
address (a waiting room of phones on one Wi-Fi passes, a script does not: `charter_site.ratelimit`),
and the browser's random cookie (the one the limits use), which identifies the browser, not the
person, so that the same phone answers once a day per service when the facility asks for it.
Only a hash of it per facility and day is stored.

The results are public open data: the page, and the same figures as JSON for anyone to reuse.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from charter_site.ratelimit import EverydayLimit, gives_browser_token, sender, too_many_requests
from charters import pagecache
from charters.models import Facility, ServiceStandard
from charters.services import published_services

from ..forms.survey import SurveyForm
from ..services import surveys as survey_services
from ..survey import charts, ikm, results as survey_results
from .public import _private, admit_post

SUBMIT_SCOPE = "survey"
FORM_TEMPLATE = "feedback/survey/public/form.html"
RESULTS_CACHE_SECONDS = 300
RESULTS_SCOPES = (pagecache.PAGES, pagecache.SURVEY)  # the services offered; the answers and periods


# --- Helpers -----------------------------------------------------------------------------------


def survey_limit() -> EverydayLimit:
    """Answers: per browser (a shared tablet is one), and per address whatever the browser."""
    return EverydayLimit.of(settings.SURVEY_SUBMIT_RATE, settings.SURVEY_ADDRESS_CEILING)


def _survey_url(facility: Facility, service_slug: str = "") -> str:
    url = reverse("public:survey", args=[facility.slug])
    return f"{url}?{urlencode({'service': service_slug})}" if service_slug else url


def _period_query(start: datetime.date | None = None, end: datetime.date | None = None, service_slug: str = "") -> str:
    query = {
        "from": start.isoformat() if start else "",
        "to": end.isoformat() if end else "",
        "service": service_slug,
    }
    filled = {key: value for key, value in query.items() if value}
    return f"?{urlencode(filled)}" if filled else ""


def _results_url(facility: Facility, *args: Any, **kwargs: Any) -> str:
    return reverse("public:survey_results", args=[facility.slug]) + _period_query(*args, **kwargs)


def _json_url(facility: Facility, *args: Any, **kwargs: Any) -> str:
    return reverse("public:survey_results_json", args=[facility.slug]) + _period_query(*args, **kwargs)


def _form_context(
    facility: Facility, form: SurveyForm, *, limited: bool = False, already_answered: bool = False
) -> dict[str, Any]:
    """The questionnaire; with errors, refused by the rate limit (`limited`) or because this phone
    answered about the service today (`already_answered`), everything answered is still in it."""
    return {
        "facility": facility,
        "form": form,
        "charter_url": reverse("public:charter", args=[facility.slug]),
        "results_url": _results_url(facility),
        "feedback_url": reverse("public:feedback", args=[facility.slug]),
        "error_links": _error_links(form),
        "limited": limited,
        "already_answered": already_answered,
        "service_name": form.cleaned_data["service"].name if already_answered and form.cleaned_data["service"] else "",
    }


def _form_page(request: HttpRequest, facility: Facility, form: SurveyForm) -> HttpResponse:
    return render(request, FORM_TEMPLATE, _form_context(facility, form))


def _error_links(form: SurveyForm) -> list[tuple[str, str]]:
    """(anchor, message) for the summary above the form, in the order of the fields; a radio
    group's anchor is its first answer, which the link then focuses."""
    if not form.is_bound:
        return []
    links = [("survey-form", str(message)) for message in form.non_field_errors()]
    for bound in form:
        if not bound.errors or bound.is_hidden:
            continue
        anchor = _first_answer_id(bound) if isinstance(bound.field.widget, forms.RadioSelect) else bound.auto_id
        links.extend((anchor, str(message)) for message in bound.errors)
    return links


def _first_answer_id(bound: forms.BoundField) -> str:
    """The id of a radio group's first answer as the page draws it (without the empty choice)."""
    drawn = (radio for radio in bound.subwidgets if radio.data["value"] != "")
    return next((radio.id_for_label for radio in drawn), bound.auto_id)


# --- The questionnaire -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@gives_browser_token  # set when the form is shown, it is back with the answers
def survey(request: HttpRequest, slug: str) -> HttpResponse:
    facility = get_object_or_404(Facility, slug=slug)
    offered = published_services(facility)
    if request.method != "POST":
        wanted = request.GET.get("service", "")
        initial = {"service": wanted} if any(service.slug == wanted for service in offered) else {}
        response = _form_page(request, facility, SurveyForm(services=offered, initial=initial))
        response["Cache-Control"] = "private, no-store"  # a per-browser cookie and CSRF token
        return response

    form = SurveyForm(request.POST, services=offered)
    if not form.is_valid():
        return _private(_form_page(request, facility, form))
    limit = survey_limit()
    if not admit_post(request, facility, SUBMIT_SCOPE, limit):
        context = _form_context(facility, form, limited=True)
        return _private(too_many_requests(request, FORM_TEMPLATE, context, limit.rate))
    if form.is_spam:
        # Nothing is saved; the robot learns nothing from the answer.
        return _private(_thanks_page(request, facility))
    # Only a token the browser came with tells it apart: one given with this answer is new to all.
    token = sender(request).token
    try:
        survey_services.submit_response(
            facility,
            form.answers(),
            device=survey_services.device_hash(token, facility, timezone.localdate()),
            submission_key=form.cleaned_data["submission"],
        )
    except ValidationError as exc:
        if exc.code == "already_answered":  # nothing to correct: say so plainly, and what to do
            return _private(render(request, FORM_TEMPLATE, _form_context(facility, form, already_answered=True)))
        form.add_error(None, exc)
        return _private(_form_page(request, facility, form))
    return _private(redirect("public:survey_thanks", facility.slug))


def _thanks_page(request: HttpRequest, facility: Facility) -> HttpResponse:
    return render(
        request,
        "feedback/survey/public/thanks.html",
        {
            "facility": facility,
            "results_url": _results_url(facility),
            "feedback_url": reverse("public:feedback", args=[facility.slug]),
            "charter_url": reverse("public:charter", args=[facility.slug]),
        },
    )


@require_safe
def survey_thanks(request: HttpRequest, slug: str) -> HttpResponse:
    facility = get_object_or_404(Facility, slug=slug)
    return _private(_thanks_page(request, facility))


# --- The results -------------------------------------------------------------------------------


def _results_form(request: HttpRequest, services: list[ServiceStandard]) -> survey_results.ResultsForm:
    return survey_results.ResultsForm(request.GET or None, services=[(s.slug, s.name) for s in services])


def _chosen_service(form: survey_results.ResultsForm, services: list[ServiceStandard]) -> ServiceStandard | None:
    """The service asked for, when it is a valid choice (a wrong date does not drop it)."""
    if not form.is_bound:
        return None
    form.is_valid()  # a wrong service is left out of cleaned_data
    slug = form.cleaned_data.get("service") or ""
    return next((service for service in services if service.slug == slug), None)


@require_safe
def results(request: HttpRequest, slug: str) -> HttpResponse:
    """The survey's results, rendered once per address until an answer or a period changes them
    (`charters.pagecache`, scope SURVEY)."""
    facility = get_object_or_404(Facility, slug=slug)

    def page() -> HttpResponse:
        offered = published_services(facility)
        form = _results_form(request, offered)
        periods = list(facility.survey_periods.all())
        start, end = survey_results.chosen_period(form, periods)
        service = _chosen_service(form, offered)
        service_slug = service.slug if service else ""
        found = survey_results.results_for(
            facility,
            start,
            end,
            service_slug=service_slug,
            service_name=service.name if service else "",
            periods=periods,
        )
        context = {
            "facility": facility,
            "form": form,
            "results": found,
            "index": found.index,
            "sample": found.sample,
            "service": service,
            # The facility's survey periods, latest first, for the same service.
            "period_links": [
                (period, _results_url(facility, period.start, period.end, service_slug), period == found.period)
                for period in periods
            ],
            "survey_url": _survey_url(facility, service_slug),
            "all_services_url": _results_url(facility, start, end),
            "json_url": reverse("public:survey_results_json", args=[facility.slug])
            + _period_query(start, end, service_slug),
            "charter_url": reverse("public:charter", args=[facility.slug]),
            "grades": ikm.GRADES,
            "fewest": survey_results.FEWEST_SHOWN,
            "actions": survey_results.public_actions(facility),
            "messages": (),  # the same page for every visitor: messages wait for the next page
            **charts.survey_charts(found),
        }
        return render(request, "feedback/survey/public/results.html", context)

    return pagecache.serve_response(request, facility, page, queries=None, scopes=RESULTS_SCOPES)


def _open_data(response: JsonResponse) -> JsonResponse:
    """Anyone may read the figures, from any site."""
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def results_json(request: HttpRequest, slug: str) -> HttpResponse:
    """The results as open data: `?from=YYYY-MM-DD&to=YYYY-MM-DD[&service=<slug>]`, cached as the
    results page is."""
    facility = Facility.objects.filter(slug=slug).first()
    if facility is None:
        return _open_data(JsonResponse({"errors": {"facility": [_("There is no such facility.")]}}, status=404))

    def figures() -> HttpResponse:
        offered = published_services(facility)
        form = _results_form(request, offered)
        if form.is_bound and not form.is_valid():
            errors = {field: [str(message) for message in messages] for field, messages in form.errors.items()}
            return _open_data(JsonResponse({"errors": errors}, status=400))
        periods = list(facility.survey_periods.all())
        start, end = survey_results.chosen_period(form, periods)
        service = _chosen_service(form, offered)
        found = survey_results.results_for(
            facility,
            start,
            end,
            service_slug=service.slug if service else "",
            service_name=service.name if service else "",
            periods=periods,
        )
        return _open_data(JsonResponse(found.as_json()))

    cache_control = {"public": True, "max_age": RESULTS_CACHE_SECONDS}
    return pagecache.serve_response(
        request, facility, figures, queries=None, scopes=RESULTS_SCOPES, cache_control=cache_control
    )
