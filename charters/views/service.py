"""Staff pages of one service of a version: add, edit (with its lists, and a conflict when
someone else saved it meanwhile), remove, move up or down."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import services
from ..access import get_charter_for_user, get_service_for_user
from ..forms import (
    MoveServiceForm,
    ProcedureStepFormSet,
    RequirementFormSet,
    ScheduleSlotFormSet,
    ServiceStandardForm,
)
from ..forms.service import conflicting_changes
from ..models import Charter, ServiceStandard
from .charter import charter_url


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
                service = services.save_service(
                    charter,
                    service,
                    form.content(*formsets),
                    request.user,
                    base_revision=form.cleaned_data["base_revision"],
                )
            except services.EditConflict as conflict:
                conflict_changes = conflicting_changes(conflict.current, form, formsets)
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
                return redirect(charter_url(charter))
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
        services.delete_service(service, request.user)
        messages.success(request, _("The service “%(name)s” was removed from the draft.") % {"name": name})
        return redirect(charter_url(charter))
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
        services.move_service(service, form.cleaned_data["direction"], request.user)
    else:
        messages.error(request, _("Choose whether to move the service up or down."))
    return redirect(charter_url(service.charter) + f"#service-{service.slug}")
