"""Staff pages under /manage/: facility profile, draft charter, its services, publishing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _, gettext_lazy
from django.views.decorators.http import require_POST

from feedback.reports import with_case_counts

from .. import changes, services
from ..access import get_charter_for_user, get_facility_for_user, get_service_for_user
from ..forms import (
    CharterForm,
    ClauseFormSet,
    FacilityForm,
    MoveServiceForm,
    ProcedureStepFormSet,
    PublishForm,
    RequirementFormSet,
    ScheduleSlotFormSet,
    ServiceStandardForm,
    TransitionForm,
)
from ..models import (
    OPEN_STATUSES,
    Charter,
    CharterStatus,
    Facility,
    Membership,
    MembershipRole,
    ServiceStandard,
)
from .public import charter_with_content


def _charter_url(charter: Charter) -> str:
    return reverse("manage:charter", args=[charter.facility.slug, charter.version])


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    facilities = (
        Facility.objects.for_user(request.user)
        .prefetch_related(
            Prefetch(
                "charters",
                queryset=Charter.objects.filter(status__in=[*OPEN_STATUSES, CharterStatus.PUBLISHED])
                .annotate(service_count=Count("services"))
                .order_by("-version"),
                to_attr="open_charters",
            ),
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(user=request.user),
                to_attr="my_memberships",
            ),
        )
        .order_by("name")
    )
    today = timezone.localdate()
    facilities = with_case_counts(facilities, today)  # counted in the same query
    return render(request, "charters/manage/dashboard.html", {"facilities": facilities, "today": today})


@login_required
def facility_home(request: HttpRequest, slug: str) -> HttpResponse:
    facility = get_facility_for_user(request, slug)
    services.take_effect(facility)
    charters = facility.charters.annotate(service_count=Count("services")).select_related("published_by")
    is_head = (
        request.user.is_superuser or facility.memberships.filter(user=request.user, role=MembershipRole.HEAD).exists()
    )
    return render(
        request,
        "charters/manage/facility.html",
        {
            "facility": facility,
            "charters": charters,
            "draft": next((c for c in charters if c.is_open), None),
            "published": next((c for c in charters if c.status == CharterStatus.PUBLISHED), None),
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
    had_draft = facility.charters.filter(status=CharterStatus.DRAFT).exists()
    draft = services.start_draft(facility, request.user)
    if had_draft:
        messages.info(request, _("The facility already has a draft; here it is."))
    else:
        messages.success(request, _("Draft version %(version)s was created.") % {"version": draft.version})
    return redirect(_charter_url(draft))


@login_required
def charter_detail(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    charter = get_charter_for_user(request, slug, version)
    services.take_effect(charter.facility)
    charter = charter_with_content().prefetch_related("events__user").get(pk=charter.pk)
    is_head = (
        request.user.is_superuser
        or charter.facility.memberships.filter(user=request.user, role=MembershipRole.HEAD).exists()
    )
    return render(
        request,
        "charters/manage/charter.html",
        {
            "facility": charter.facility,
            "charter": charter,
            "is_head": is_head,
            "problems": charter.publish_problems() if charter.is_editable else [],
            "agreement_problems": charter.agreement_problems() if charter.status == CharterStatus.CONSULTATION else [],
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
        with transaction.atomic():
            charter = form.save(commit=False)
            charter.updated_by = request.user
            charter.save()
            clauses.save()
        messages.success(request, _("The pledge and the rights and obligations were saved."))
        return redirect(_charter_url(charter))
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


@dataclass(frozen=True)
class Step:
    """A lifecycle step as the staff page offers it: its form, its service function, its report."""

    form: type[TransitionForm]
    run: Callable[[Charter, Any, dict[str, Any]], Any]
    done: Any


STEPS = {
    "consultation": Step(
        TransitionForm,
        lambda charter, user, data: services.open_consultation(charter, user, data["comment"]),
        gettext_lazy("Version %(version)s is open for public consultation."),
    ),
    "return": Step(
        TransitionForm,
        lambda charter, user, data: services.return_to_draft(charter, user, data["comment"]),
        gettext_lazy("Version %(version)s is a draft again."),
    ),
    "agree": Step(
        TransitionForm,
        lambda charter, user, data: services.mark_agreed(charter, user, data["comment"]),
        gettext_lazy("Version %(version)s is recorded as agreed with the stakeholders."),
    ),
    "approve": Step(
        TransitionForm,
        lambda charter, user, data: services.approve_charter(charter, user, data["comment"]),
        gettext_lazy("Version %(version)s is approved."),
    ),
    "publish": Step(
        PublishForm,
        lambda charter, user, data: services.publish_charter(charter, user, data["effective_date"]),
        gettext_lazy("Version %(version)s is published: it is public from its effective date."),
    ),
}


@login_required
@require_POST
def charter_step(request: HttpRequest, slug: str, version: int, step: str) -> HttpResponse:
    """Validate the step's form, run its service function, report, and go back to the version."""
    charter = get_charter_for_user(request, slug, version)
    action = STEPS[step]
    form = action.form(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_charter_url(charter))
    try:
        action.run(charter, request.user, form.cleaned_data)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(_charter_url(charter))
    messages.success(request, action.done % {"version": charter.version})
    return redirect(_charter_url(charter))


@login_required
@require_POST
def charter_discard(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    charter = get_charter_for_user(request, slug, version)
    try:
        services.discard_draft(charter, request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(_charter_url(charter))
    messages.success(request, _("Draft version %(version)s was discarded.") % {"version": charter.version})
    return redirect("manage:facility", charter.facility.slug)


def _service_forms(
    request: HttpRequest, charter: Charter, service: ServiceStandard
) -> tuple[ServiceStandardForm, list]:
    data = request.POST if request.method == "POST" else None
    form = ServiceStandardForm(data, instance=service, charter=charter)
    formsets = [
        RequirementFormSet(data, instance=service, prefix="requirements"),
        ProcedureStepFormSet(data, instance=service, prefix="steps"),
        ScheduleSlotFormSet(data, instance=service, prefix="schedule"),
    ]
    if service.pk is None:
        # A new service starts with room for a whole week's opening hours.
        formsets[2].extra = 6
    return form, formsets


def _edit_service(request: HttpRequest, charter: Charter, service: ServiceStandard) -> HttpResponse:
    form, formsets = _service_forms(request, charter, service)
    conflict_changes: list[tuple[str, str, str]] = []
    if request.method == "POST":
        # Validate every part, so that all errors show at once.
        formsets_valid = [formset.is_valid() for formset in formsets]
        if form.is_valid() and all(formsets_valid):
            is_new = service.pk is None
            try:
                service = services.save_service(form, formsets, charter, form.cleaned_data["base_revision"])
            except services.EditConflict as conflict:
                conflict_changes = services.conflicting_changes(conflict.current, form, formsets)
                # Keep everything typed; a second save, after reading the changes, is deliberate.
                form.data = form.data.copy()
                form.data[form.add_prefix("base_revision")] = str(conflict.current.revision)
                messages.error(
                    request,
                    _(
                        "Someone else saved this service while you were editing it. Nothing of yours was "
                        "saved yet: compare below, then save again to keep your version."
                    ),
                )
            else:
                messages.success(
                    request,
                    (_("The service “%(name)s” was added.") if is_new else _("The service “%(name)s” was saved."))
                    % {"name": service.name},
                )
                if "save_continue" in request.POST:
                    return redirect("manage:service_edit", charter.facility.slug, charter.version, service.slug)
                return redirect(_charter_url(charter))
        else:
            messages.error(request, _("Please correct the errors below; nothing was saved yet."))
    requirements, steps, schedule = formsets
    return render(
        request,
        "charters/manage/service_form.html",
        {
            "facility": charter.facility,
            "charter": charter,
            "service": service,
            "form": form,
            "requirements": requirements,
            "steps": steps,
            "schedule": schedule,
            "has_errors": request.method == "POST",
            "conflict_changes": conflict_changes,
        },
    )


@login_required
def service_add(request: HttpRequest, slug: str, version: int) -> HttpResponse:
    charter = get_charter_for_user(request, slug, version, write=True)
    return _edit_service(request, charter, ServiceStandard(charter=charter))


@login_required
def service_edit(request: HttpRequest, slug: str, version: int, service_slug: str) -> HttpResponse:
    service = get_service_for_user(request, slug, version, service_slug, write=True)
    return _edit_service(request, service.charter, service)


@login_required
def service_delete(request: HttpRequest, slug: str, version: int, service_slug: str) -> HttpResponse:
    service = get_service_for_user(request, slug, version, service_slug, write=True)
    charter = service.charter
    if request.method == "POST":
        name = service.name
        service.delete()
        messages.success(request, _("The service “%(name)s” was removed from the draft.") % {"name": name})
        return redirect(_charter_url(charter))
    return render(
        request,
        "charters/manage/service_delete.html",
        {"facility": charter.facility, "charter": charter, "service": service},
    )


@login_required
@require_POST
def service_move(request: HttpRequest, slug: str, version: int, service_slug: str) -> HttpResponse:
    service = get_service_for_user(request, slug, version, service_slug, write=True)
    form = MoveServiceForm(request.POST)
    if form.is_valid():
        services.move_service(service, form.cleaned_data["direction"])
    else:
        messages.error(request, _("Choose whether to move the service up or down."))
    return redirect(_charter_url(service.charter) + f"#service-{service.slug}")
