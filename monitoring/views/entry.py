"""Staff pages to record service-time observations, under /manage/<facility>/observations/: the
list (filtered by service and period) with the form for one observation, a batch of rows typed
from a paper sheet, a queue machine's CSV file, and the removal of an observation typed by
mistake.

Every view starts with `get_facility_for_user`: another facility's pages and observations are a
404; the facility's editors and heads record and remove alike. Forms and the import check,
`monitoring.services` saves (a batch or a file whole or not at all), and each change is a POST
followed by a redirect; a refused one shows its page again with what was typed, next to the
errors. The list costs a fixed number of queries whatever the number of observations.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _, ngettext
from django.views.decorators.http import require_POST, require_safe

from charter_site.csvimport import MAX_IMPORT_ROWS
from charters.access import get_facility_for_user
from charters.models import Facility
from charters.services import published_services
from feedback.forms.survey_staff import DEFAULT_ROWS, ImportForm, rows_asked

from .. import imports as csv_import, services as observation_services
from ..forms import MAX_BATCH_ROWS, BatchForm, ObservationFilterForm, ObservationForm, batch_formset
from ..models import ObservationMethod, ServiceObservation

PER_PAGE = 50
FILTER_PARAMETERS = ("service", "from", "to", "page")  # kept when a deletion brings the list back


def _list_url(facility: Facility, params: Mapping[str, Any] | None = None) -> str:
    query = urlencode({name: params[name] for name in FILTER_PARAMETERS if params and params.get(name)})
    return reverse("manage:observations", args=[facility.slug]) + (f"?{query}" if query else "")


def _filtered(facility: Facility, form: ObservationFilterForm) -> QuerySet[ServiceObservation]:
    observations = ServiceObservation.objects.filter(facility=facility).select_related("service", "recorded_by")
    chosen = form.filters()
    if chosen.get("service"):
        observations = observations.for_service(chosen["service"])
    if chosen.get("from"):
        observations = observations.filter(arrived_on__gte=chosen["from"])
    if chosen.get("to"):
        observations = observations.filter(arrived_on__lte=chosen["to"])
    return observations.order_by("-arrived_at", "-id")


def _saved(request: HttpRequest, count: int) -> None:
    messages.success(
        request,
        ngettext("%(count)s observation was saved.", "%(count)s observations were saved.", count) % {"count": count},
    )


@login_required
def observations(request: HttpRequest, slug: str) -> HttpResponse:
    """The facility's observations, newest first, and the form that adds one (POST here)."""
    facility = get_facility_for_user(request, slug)
    services = published_services(facility)
    if request.method == "POST":
        form = ObservationForm(request.POST, services=services)
        if form.is_valid():
            try:
                observation_services.record_observations(facility, [form.row], request.user)
            except ValidationError as error:  # the service left the charter in the meantime
                form.add_error(None, error)
            else:
                _saved(request, 1)
                return redirect(_list_url(facility, request.GET))
        messages.error(request, _("Nothing was saved; the reason is shown below."))
    else:
        form = ObservationForm(services=services)
    filters = ObservationFilterForm(request.GET or None, services=services)
    paginator = Paginator(_filtered(facility, filters), PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "monitoring/observations.html",
        {
            "facility": facility,
            "services": services,
            "form": form,
            "filters": filters,
            "page": page,
            "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "return_query": urlencode({name: request.GET[name] for name in FILTER_PARAMETERS if request.GET.get(name)}),
        },
    )


def _row_errors(formset: Any) -> list[tuple[int, str, str, str]]:
    """(row number, column, message, the field's id) of every error, for the list above the table."""
    found = []
    for number, form in enumerate(formset.forms, start=1):
        for name, errors in form.errors.items():
            bound = form["arrived_time" if name == "__all__" else name]
            column = "" if name == "__all__" else str(bound.label)
            found.extend((number, column, str(message), bound.id_for_label) for message in errors)
    return found


@login_required
def observation_batch(request: HttpRequest, slug: str) -> HttpResponse:
    """A batch typed from a paper sheet: one service and day, a row per user (`?rows=` up to 50)."""
    facility = get_facility_for_user(request, slug)
    services = published_services(facility)
    rows = rows_asked(request.GET.get("rows"))
    formset_class = batch_formset(rows)
    if request.method == "POST":
        batch = BatchForm(request.POST, services=services)
        formset = formset_class(request.POST, prefix="rows", form_kwargs=batch.shared())
        if batch.is_valid() and formset.is_valid():
            try:
                saved = observation_services.record_observations(facility, formset.rows(), request.user)
            except ValidationError as error:
                batch.add_error(None, error)
            else:
                _saved(request, len(saved))
                # An empty table again, for the next sheet of the same service and day.
                kept = {
                    "rows": rows if rows != DEFAULT_ROWS else None,
                    "service": batch.cleaned_data["service"].slug,
                    "day": batch.cleaned_data["arrived_on"].isoformat(),
                    "method": batch.cleaned_data["method"],
                }
                query = urlencode({key: value for key, value in kept.items() if value})
                return redirect(reverse("manage:observation_batch", args=[facility.slug]) + f"?{query}")
    else:
        batch = BatchForm(
            services=services,
            initial={
                "service": request.GET.get("service", ""),
                "arrived_on": request.GET.get("day", ""),
                "method": request.GET.get("method") or ObservationMethod.OBSERVED,
            },
        )
        formset = formset_class(prefix="rows")
    return render(
        request,
        "monitoring/batch.html",
        {
            "facility": facility,
            "services": services,
            "batch": batch,
            "formset": formset,
            "row_errors": _row_errors(formset) if formset.is_bound else [],
            "rows": rows,
            "row_choices": [value for value in (10, 20, 30, 50) if value <= MAX_BATCH_ROWS],
        },
    )


@login_required
def observation_import(request: HttpRequest, slug: str) -> HttpResponse:
    """A queue machine's CSV file: every row checked, the file saved whole or refused whole."""
    facility = get_facility_for_user(request, slug)
    services = published_services(facility)
    parsed = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            parsed = csv_import.parse_observations(form.cleaned_data["file"].read(), services)
            if parsed.is_valid:
                try:
                    saved = observation_services.record_observations(facility, parsed.rows, request.user)
                except ValidationError as error:
                    form.add_error("file", error)
                else:
                    _saved(request, len(saved))
                    first, last = parsed.day_span()
                    return redirect(_list_url(facility, {"from": first.isoformat(), "to": last.isoformat()}))
    else:
        form = ImportForm()
    return render(
        request,
        "monitoring/import.html",
        {
            "facility": facility,
            "form": form,
            "parsed": parsed,
            "services": services,
            "methods": ServiceObservation._meta.get_field("method").choices,
            "max_rows": MAX_IMPORT_ROWS,
        },
    )


@login_required
@require_safe
def observation_import_template(request: HttpRequest, slug: str) -> HttpResponse:
    """The header and two example rows; `?sep=semicolon` for Excel set to Indonesian."""
    facility = get_facility_for_user(request, slug)
    semicolon = request.GET.get("sep") == "semicolon"
    content = csv_import.template_csv(
        published_services(facility), delimiter=";" if semicolon else ",", today=timezone.localdate()
    )
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    suffix = "-semicolon" if semicolon else ""
    response["Content-Disposition"] = f'attachment; filename="observations-template-{facility.slug}{suffix}.csv"'
    return response


@login_required
@require_POST
def observation_delete(request: HttpRequest, slug: str, observation_id: int) -> HttpResponse:
    facility = get_facility_for_user(request, slug)
    observation = get_object_or_404(
        ServiceObservation.objects.select_related("service"), facility=facility, pk=observation_id
    )
    observation_services.delete_observation(observation, request.user)
    messages.success(
        request,
        _("The observation of %(service)s, arrived %(arrived)s, was deleted.")
        % {"service": observation.service.name, "arrived": _local(observation.arrived_at)},
    )
    return redirect(_list_url(facility, request.GET))


def _local(moment: datetime.datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"
