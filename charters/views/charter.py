"""Staff pages of a facility and its charter versions: the profile, a version with its
lifecycle, the charter's own text, and the lifecycle steps (driven by `CHARTER_STEPS`)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import changes, services
from ..access import get_charter_for_user, get_facility_for_user
from ..forms import CharterForm, ClauseFormSet, FacilityForm, PublishForm, TransitionForm
from ..forms.base import model_values
from ..models import OPEN_CHARTER_STATUSES, Charter, user_is_head
from .public import charter_with_content


def charter_url(charter: Charter) -> str:
    return reverse("manage:charter", args=[charter.facility.slug, charter.version])


@login_required
def facility_home(request: HttpRequest, slug: str) -> HttpResponse:
    facility = get_facility_for_user(request, slug)
    services.take_effect(facility)
    charters = facility.charters.annotate(service_count=Count("services")).select_related("published_by")
    is_head = user_is_head(request.user, facility.pk)
    return render(
        request,
        "charters/manage/facility.html",
        {
            "facility": facility,
            "charters": charters,
            "draft": next((c for c in charters if c.is_open), None),
            "published": next((c for c in charters if c.is_published), None),
            "is_head": is_head,
        },
    )


@login_required
def facility_edit(request: HttpRequest, slug: str) -> HttpResponse:
    facility = get_facility_for_user(request, slug)
    form = FacilityForm(request.POST or None, instance=facility)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The facility profile was saved."))
        return redirect("manage:facility", facility.slug)
    return render(request, "charters/manage/facility_form.html", {"facility": facility, "form": form})


@login_required
@require_POST
def charter_start(request: HttpRequest, slug: str) -> HttpResponse:
    facility = get_facility_for_user(request, slug)
    had_draft = facility.charters.filter(status__in=OPEN_CHARTER_STATUSES).exists()
    draft = services.start_draft(facility, request.user)
    if had_draft:
        messages.warning(request, _("The facility already has a draft; here it is."))  # nothing new
    else:
        messages.success(request, _("Draft version %(version)s was created.") % {"version": draft.version})
    return redirect(charter_url(draft))


@login_required
def charter_detail(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    charter = get_charter_for_user(request, slug, version)
    services.take_effect(charter.facility)
    charter = charter_with_content().prefetch_related("events__user").get(pk=charter.pk)
    is_head = user_is_head(request.user, charter.facility_id)
    return render(
        request,
        "charters/manage/charter.html",
        {
            "facility": charter.facility,
            "charter": charter,
            "is_head": is_head,
            "steps": services.offered_steps(charter, is_head=is_head),
            "step_form": TransitionForm(),
            "publish_form": PublishForm(),
        },
    )


@login_required
def charter_edit(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    charter = get_charter_for_user(request, slug, version, write=True)
    form = CharterForm(request.POST or None, instance=charter, prefix="charter")
    clauses = ClauseFormSet(request.POST or None, instance=charter, prefix="clauses")
    if request.method == "POST" and form.is_valid() and clauses.is_valid():
        services.edit_charter(charter, request.user, model_values(form), clauses.rows())
        messages.success(request, _("The pledge and the rights and obligations were saved."))
        return redirect(charter_url(charter))
    if request.method == "POST":
        messages.error(request, _("Please correct the errors below; nothing was saved yet."))
    return render(
        request,
        "charters/manage/charter_form.html",
        {"facility": charter.facility, "charter": charter, "form": form, "clauses": clauses},
    )


@login_required
def charter_changes(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    charter = get_charter_for_user(request, slug, version)
    return render(
        request,
        "charters/manage/changes.html",
        {"facility": charter.facility, "charter": charter, "changes": changes.charter_changes(charter)},
    )


# The form each step posts; the rest of a step (where it starts, who may take it, what must be
# ready, its button and its report) is in `CHARTER_STEPS`.
STEP_FORMS: dict[str, type[TransitionForm]] = {"publish": PublishForm}


@login_required
@require_POST
def charter_step(request: HttpRequest, slug: str, version: int, step: str) -> HttpResponse:
    """Validate the step's form, take the step, report, and go back to the version."""
    charter = get_charter_for_user(request, slug, version)
    form = STEP_FORMS.get(step, TransitionForm)(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(charter_url(charter))
    try:
        result = services.take_step(
            charter,
            step,
            request.user,
            comment=form.cleaned_data["comment"],
            effective_date=form.cleaned_data.get("effective_date"),
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(charter_url(charter))
    messages.success(request, services.CHARTER_STEPS[step].done % {"version": charter.version})
    if result is None:  # the draft was discarded
        return redirect("manage:facility", charter.facility.slug)
    return redirect(charter_url(charter))
