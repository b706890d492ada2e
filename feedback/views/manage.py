"""Staff pages under /manage/<facility>/feedback/: the inbox, one case and what staff do with it,
cases entered on a citizen's behalf, the figures, the exports and the complaint settings.

Every view starts with `get_facility_for_user` (another facility's case is a 404); each action
is a POST handed to `feedback.services`, which decides under the case's lock whether it may
happen. A refusal there comes back here as the form's error (the page again, status 200, with
what was typed) or as a 403 for a step that only the head may take.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings as django_settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch, QuerySet
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext as _, gettext_lazy, pgettext
from django.views.decorators.http import require_POST

from charter_site import spreadsheets
from charter_site.ratelimit import EverydayLimit, client_ip
from charters.access import get_facility_for_user
from charters.models import Facility, user_is_head
from charters.services import complaint_norms, published_services
from charters.uploads import serve_file

from .. import reports, services
from ..forms.staff import (
    STEP_FORMS,
    AssignForm,
    AttachForm,
    CaseFilterForm,
    FeedbackSettingsForm,
    FiguresForm,
    HolidayDeleteForm,
    HolidayForm,
    IntakeForm,
    NoteForm,
    ReclassifyForm,
    SettingsActionForm,
    facility_staff,
    user_label,
)
from ..models import Case, CaseAttachment, FeedbackSettings
from ..workdays import national_holiday_names

# Which field a service's refusal belongs next to; anything else is shown above the form.
ERROR_FIELDS = {
    "reason_required": ("reason",),
    "not_staff": ("assignee",),
    "unknown_service": ("service",),
    "too_large": ("attachment", "file"),
    "wrong_type": ("attachment", "file"),
}


def _add_service_error(form: Form, error: ValidationError) -> None:
    fields = ERROR_FIELDS.get(getattr(error, "code", None) or "", ())
    form.add_error(next((name for name in fields if name in form.fields), None), error)


# --- Access ------------------------------------------------------------------------------------


def _get_case(request: HttpRequest, slug: str, code: str) -> Case:
    facility = get_facility_for_user(request, slug)
    case = get_object_or_404(
        Case.objects.select_related("service__charter", "assignee", "entered_by"), facility=facility, code=code
    )
    case.facility = facility  # reuse the loaded facility
    return case


# --- The inbox ---------------------------------------------------------------------------------


def _inbox(request: HttpRequest, facility: Facility) -> tuple[CaseFilterForm, QuerySet[Case], reports.Deadlines]:
    """The filter form as sent and the cases it selects (in the order asked for)."""
    deadlines = reports.deadlines_for(facility)
    form = CaseFilterForm(
        request.GET, service_names=reports.service_names(facility), staff=list(facility_staff(facility))
    )
    cases = reports.filter_cases(
        reports.facility_cases(facility), form.filters(), user=request.user, deadlines=deadlines
    )
    return form, cases, deadlines


@login_required
def cases(request: HttpRequest, slug: str) -> HttpResponse:
    facility = get_facility_for_user(request, slug)
    form, selected, deadlines = _inbox(request, facility)
    counts = reports.status_counts(facility)
    paginator = reports.InboxPaginator(selected, reports.PAGE_SIZE, count=reports.known_count(form.filters(), counts))
    page = paginator.get_page(request.GET.get("page"))
    for case in page:
        case.deadline_state = deadlines.state(case)
    return render(
        request,
        "feedback/manage/cases.html",
        {
            "facility": facility,
            "form": form,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "counts": counts,
            "status_links": [
                (reports.OPEN, pgettext("cases waiting for the facility", "Open"), counts[reports.OPEN]),
                *((value, label, counts[value]) for value, label in form.fields["status"].choices[2:]),
            ],
            "filtered": any(value for name, value in form.filters().items() if name != "sort"),
            "deadlines": deadlines,
        },
    )


@login_required
def cases_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """The inbox's filtered list (all pages), without the citizens' contact details."""
    if fmt not in spreadsheets.CONTENT_TYPES:
        raise Http404
    facility = get_facility_for_user(request, slug)
    _form, selected, _deadlines = _inbox(request, facility)
    rows = list(selected)
    today = timezone.localdate()
    sheet = reports.export_sheet(rows, sheet_name=_("Cases"))
    return spreadsheets.download(sheet, fmt, f"feedback-{facility.slug}-{today:%Y-%m-%d}")


# --- A case entered on a citizen's behalf ------------------------------------------------------


@login_required
def case_add(request: HttpRequest, slug: str) -> HttpResponse:
    facility = get_facility_for_user(request, slug)
    form = IntakeForm(request.POST or None, request.FILES or None, services=published_services(facility))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        case = services.submit_case(
            facility,
            kind=data["kind"],
            description=data["description"],
            service=data["service"],
            occurred_on=data["occurred_on"],
            anonymous=data["anonymous"],
            name=data["name"],
            phone=data["phone"],
            email=data["email"],
            attachment=data["attachment"],
            channel=data["channel"],
            entered_by=request.user,
        )
        messages.success(
            request,
            _("The case was recorded. Give the citizen its tracking code: %(code)s. Answer due %(date)s.")
            % {"code": case.code, "date": date_format(case.due_date, "j F Y")},
        )
        return redirect(case.get_absolute_url())
    return render(request, "feedback/manage/case_form.html", {"facility": facility, "form": form})


# --- One case ----------------------------------------------------------------------------------


def _case_page(request: HttpRequest, case: Case, **bound: Form) -> HttpResponse:
    """The case with its timeline and the forms of what the user may do now; `bound` replaces a
    form by the one that was sent, with its errors and what was typed."""
    facility = case.facility
    is_head = user_is_head(request.user, facility.pk)
    norms = services.norms_for(case)
    deadlines = reports.deadlines_for(facility)
    steps = services.allowed_steps(case, is_head=is_head)
    days_left = deadlines.working_days_left(case)
    step_forms = {
        name: bound.get(name) or form_class(prefix=name)
        for name, form_class in STEP_FORMS.items()
        if name in steps or bound.get(name) is not None
    }
    events = case.events.select_related("author").prefetch_related(
        Prefetch("attachments", queryset=CaseAttachment.objects.order_by("uploaded_at", "id"))
    )
    unfinished = not case.is_finished
    return render(
        request,
        "feedback/manage/case.html",
        {
            "facility": facility,
            "case": case,
            "is_head": is_head,
            "events": events,
            "attachments": case.attachments.select_related("uploaded_by"),
            "deadline_state": deadlines.state(case),
            "working_days_left": max(days_left, 0),
            "working_days_overdue": max(-days_left, 0),
            "norm_days": norms.working_days_for(case.complaint_class),
            "step_forms": step_forms,
            "note_form": bound.get("note") or NoteForm(prefix="note"),
            "assign_form": bound.get("assign") or (AssignForm(prefix="assign", case=case) if unfinished else None),
            "reclassify_form": bound.get("reclassify")
            or (ReclassifyForm(prefix="reclassify", case=case, norms=norms) if unfinished else None),
            "attach_form": bound.get("attach") or AttachForm(prefix="attach"),
        },
    )


@login_required
def case_detail(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    response = _case_page(request, _get_case(request, slug, code))
    patch_cache_control(response, private=True, no_store=True)  # the citizen's contact details
    return response


def _run(action: Any, request: HttpRequest, case: Case, name: str, form: Form, done: Any) -> HttpResponse:
    """Hand a valid form to the service; its refusal goes back next to the form, nothing saved."""
    if form.is_valid():
        try:
            result = action(form.cleaned_data)
        except ValidationError as error:
            _add_service_error(form, error)
        else:
            messages.success(request, done(result) if callable(done) else str(done))
            return redirect(case.get_absolute_url() + f"#{name}")
    messages.error(request, _("Nothing was saved; the reason is shown below."))
    return _case_page(request, case, **{name: form})


STEP_DONE = {
    "start": gettext_lazy("You are handling this case now."),
    "reply": gettext_lazy("The answer was saved: the citizen sees it on the tracking page."),
    "close": gettext_lazy("The case was closed."),
    "reject": gettext_lazy("The case was rejected. The citizen sees the reason."),
}


@login_required
@require_POST
def case_step(request: HttpRequest, slug: str, code: str, step: str) -> HttpResponse:
    case = _get_case(request, slug, code)
    if step not in services.STAFF_STEPS or step not in STEP_FORMS:
        raise Http404
    rule = services.STAFF_STEPS[step]
    is_head = user_is_head(request.user, case.facility_id)
    # Refused before anything is validated: a step the status allows but the role does not.
    if case.status in rule.sources and not services.step_allowed(case, step, is_head=is_head):
        raise PermissionDenied(_("Only the head of the facility may do this for this case."))
    form = STEP_FORMS[step](request.POST, request.FILES, prefix=step)
    user = request.user
    actions = {
        "start": lambda data: services.start_handling(case, user),
        "reply": lambda data: services.reply(case, user, data["text"], data.get("attachment")),
        "close": lambda data: services.close_case(case, user, data.get("text", "")),
        "reject": lambda data: services.reject_case(case, user, data["reason"]),
    }
    return _run(actions[step], request, case, step, form, STEP_DONE[step])


@login_required
@require_POST
def case_note(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    case = _get_case(request, slug, code)
    form = NoteForm(request.POST, request.FILES, prefix="note")
    return _run(
        lambda data: services.add_note(case, request.user, data["text"], data.get("attachment")),
        request,
        case,
        "note",
        form,
        _("The internal note was saved. It is not shown to the citizen."),
    )


@login_required
@require_POST
def case_assign(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    case = _get_case(request, slug, code)
    form = AssignForm(request.POST, prefix="assign", case=case)

    def done(result: Case) -> str:
        if result.assignee is None:
            return _("Nobody is assigned to the case now.")
        return _("The case is assigned to %(name)s.") % {"name": user_label(result.assignee)}

    return _run(lambda data: services.assign(case, request.user, data["assignee"]), request, case, "assign", form, done)


@login_required
@require_POST
def case_reclassify(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    case = _get_case(request, slug, code)
    form = ReclassifyForm(request.POST, prefix="reclassify", case=case, norms=services.norms_for(case))

    def done(result: Case) -> str:
        return _("The category was saved. Answer due %(date)s.") % {"date": date_format(result.due_date, "j F Y")}

    return _run(
        lambda data: services.reclassify(
            case, request.user, kind=data["kind"], complaint_class=data["complaint_class"], service=data["service"]
        ),
        request,
        case,
        "reclassify",
        form,
        done,
    )


@login_required
@require_POST
def case_attach(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    case = _get_case(request, slug, code)
    form = AttachForm(request.POST, request.FILES, prefix="attach")

    def done(attachment: CaseAttachment) -> str:
        if attachment.public:
            return _("“%(name)s” was attached; the citizen can see it.") % {"name": attachment.original_name}
        return _("“%(name)s” was attached for staff only.") % {"name": attachment.original_name}

    return _run(
        lambda data: services.attach_file(case, request.user, data["file"], public=data["public"]),
        request,
        case,
        "attach",
        form,
        done,
    )


@login_required
def case_file(request: HttpRequest, slug: str, code: str, attachment_id: int) -> FileResponse:
    """Serve a case's file to staff of the facility only: files are stored outside any public URL."""
    case = _get_case(request, slug, code)
    attachment = get_object_or_404(case.attachments.all(), pk=attachment_id)
    return serve_file(attachment.file, attachment.content_type, attachment.original_name)


# --- Figures -----------------------------------------------------------------------------------


@login_required
def case_figures(request: HttpRequest, slug: str) -> HttpResponse:
    facility = get_facility_for_user(request, slug)
    form = FiguresForm(request.GET or None)
    start, end = form.period()
    if not form.is_bound:
        form = FiguresForm(initial={"from": start, "to": end})
    figures = reports.figures(facility, start, end)
    return render(
        request,
        "feedback/manage/figures.html",
        {
            "facility": facility,
            "form": form,
            "figures": figures,
            "tables": [
                (_("By kind"), figures.by_kind, _("Kind")),
                (_("By service"), figures.by_service, _("Service")),
            ],
        },
    )


# --- Settings ----------------------------------------------------------------------------------


def _settings_page(request: HttpRequest, facility: Facility, settings: FeedbackSettings, **bound: Form) -> HttpResponse:
    this_year = timezone.localdate().year
    address = client_ip(request)
    language = get_language() or "id"
    national: list[tuple[datetime.date, str]] = []
    for year in (this_year, this_year + 1):
        national.extend(sorted(national_holiday_names(year, language).items()))
    return render(
        request,
        "feedback/manage/settings.html",
        {
            "facility": facility,
            "settings": settings,
            "norms": complaint_norms(facility),
            "can_change": user_is_head(request.user, facility.pk),
            "settings_form": bound.get("settings_form")
            or FeedbackSettingsForm(instance=settings, prefix="settings", current_address=address),
            "holiday_form": bound.get("holiday_form") or HolidayForm(facility=facility, prefix="holiday"),
            "holidays": facility.holidays.all(),
            "national_holidays": national,
            "years": (this_year, this_year + 1),
            **_waiting_room_context(settings, address),
        },
    )


def _waiting_room_context(settings: FeedbackSettings, address: str) -> dict[str, Any]:
    """What the head needs to mark the waiting room's network: the address this request came
    from (on the waiting room's Wi-Fi, the one to enter), whether it is inside the network
    marked, and what marking it changes."""
    survey = EverydayLimit.of(django_settings.SURVEY_SUBMIT_RATE, django_settings.SURVEY_ADDRESS_CEILING)
    complaints = EverydayLimit.of(django_settings.FEEDBACK_SUBMIT_RATE, django_settings.FEEDBACK_ADDRESS_CEILING)
    return {
        "your_address": address,
        "your_address_inside": settings.is_waiting_room(address),
        "waiting_room_networks": settings.waiting_room_networks.split(),
        "ceilings": {
            "survey": survey.ceiling,
            "complaints": complaints.ceiling,
            "waiting_room": survey.waiting_room,
            "minutes": max(1, survey.rate[1] // 60),
        },
    }


@login_required
def feedback_settings(request: HttpRequest, slug: str) -> HttpResponse:
    """The working week, the code prefix, the survey rule and the facility's own days off, beside
    the complaint time norms of the charter in force; only the head changes them."""
    facility = get_facility_for_user(request, slug, head=request.method == "POST")
    settings = FeedbackSettings.for_facility(facility)
    if request.method != "POST":
        return _settings_page(request, facility, settings)
    action = SettingsActionForm(request.POST)
    here = reverse("manage:feedback_settings", args=[facility.slug])
    if not action.is_valid():
        messages.error(request, _("Nothing was saved: use one of the buttons on this page."))
        return redirect(here)
    chosen = action.cleaned_data["action"]
    if chosen == SettingsActionForm.SETTINGS:
        form = FeedbackSettingsForm(
            request.POST, instance=settings, prefix="settings", current_address=client_ip(request)
        )
        if form.is_valid():
            form.save()
            messages.success(request, _("The settings were saved."))
            return redirect(here)
        # The page around the form shows what is saved: a refused form may have changed the instance.
        return _settings_page(request, facility, FeedbackSettings.for_facility(facility), settings_form=form)
    if chosen == SettingsActionForm.ADD_HOLIDAY:
        form = HolidayForm(request.POST, facility=facility, prefix="holiday")
        if form.is_valid():
            try:
                with transaction.atomic():
                    holiday = form.save()
            except IntegrityError:  # added by someone else in the meantime
                form.add_error("date", _("This day is already one of the facility's holidays."))
            else:
                messages.success(
                    request,
                    _("%(date)s (%(name)s) is now a day off at the facility.")
                    % {"date": date_format(holiday.date, "j F Y"), "name": holiday.name},
                )
                return redirect(here + "#holidays")
        return _settings_page(request, facility, settings, holiday_form=form)
    form = HolidayDeleteForm(request.POST, facility=facility)
    if form.is_valid():
        holiday = form.cleaned_data["holiday"]
        holiday.delete()
        messages.success(
            request,
            _("%(date)s (%(name)s) is no longer a day off at the facility.")
            % {"date": date_format(holiday.date, "j F Y"), "name": holiday.name},
        )
    else:
        messages.error(request, _("This holiday was already removed."))
    return redirect(here + "#holidays")
