"""The admin is a support tool for cases: it shows everything and changes little.

Cases come in only through `services.submit_case` (the public form, or staff entering one
for a citizen) and move only through the workflow's service functions, which write the
timeline and tell the citizen; so here the code, status, deadline and timeline are read-only.
What an admin may fix by hand is the citizen's contact (a mistyped address, or erasing it on
request). The time norms and the facilities' days off are edited here as well as on the
staff's settings page.

E-mails leave through `feedback.tasks.send_email`; the task results list below shows each
attempt with its subject, recipients and error, and can send again an e-mail given up on.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.tasks import TaskResultStatus
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _, ngettext
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from charter_site.admin import ReadOnlyAdminMixin, ReadOnlyTabularInline

from . import codes
from .models import (
    Case,
    CaseAttachment,
    CaseEvent,
    FacilityHoliday,
    FeedbackSettings,
    SurveyAction,
    SurveyDay,
    SurveyPeriod,
    SurveyResponse,
)
from .reports import national_soon_until
from .survey.ikm import ELEMENTS
from .tasks import MAX_ATTEMPTS, send_email

# --- Cases -------------------------------------------------------------------------------------


class CaseEventInline(ReadOnlyTabularInline):
    model = CaseEvent
    fields = ["created_at", "kind", "public", "by_citizen", "author", "from_status", "to_status", "text"]
    readonly_fields = fields
    verbose_name_plural = _("timeline")

    def get_queryset(self, request: HttpRequest) -> QuerySet[CaseEvent]:
        return super().get_queryset(request).select_related("author")


class CaseAttachmentInline(ReadOnlyTabularInline):
    model = CaseAttachment
    fields = ["uploaded_at", "file_link", "content_type", "size", "public", "from_citizen", "uploaded_by"]
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[CaseAttachment]:
        return super().get_queryset(request).select_related("uploaded_by", "case__facility")

    @admin.display(description=_("file"))
    def file_link(self, obj: CaseAttachment) -> str:
        if obj.pk is None:
            return "-"
        # Private files: served by the staff view, which checks who asks.
        url = reverse("manage:case_file", args=[obj.case.facility.slug, obj.case.code, obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.original_name)


class DeadlineFilter(admin.SimpleListFilter):
    title = _("deadline")
    parameter_name = "deadline"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("overdue", _("Overdue")), ("soon", _("Due by the next working day")), ("open", _("Open, on time"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Case]) -> QuerySet[Case] | None:
        today = timezone.localdate()
        if self.value() == "overdue":
            return queryset.overdue(today)  # type: ignore[attr-defined]
        if self.value() == "soon":
            return queryset.due_by(national_soon_until(today), today)  # type: ignore[attr-defined]
        if self.value() == "open":
            return queryset.open().filter(due_date__gte=today)  # type: ignore[attr-defined]
        return None


CONTACT_FIELDS = ["name", "phone", "email", "language"]


class CaseContactForm(forms.ModelForm):
    """The citizen's contact, the only part of a case an admin edits by hand."""

    class Meta:
        model = Case
        fields = CONTACT_FIELDS

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        # The model's constraint is not checked by a form that leaves out `anonymous`.
        if self.instance.anonymous and any(cleaned.get(name) for name in ("name", "phone", "email")):
            raise ValidationError(_("This case was sent anonymously: it keeps no contact details."))
        return cleaned


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["tracking_code", "facility", "status", "due_date", "overdue", "kind", "assignee", "received_at"]
    list_display_links = ["tracking_code"]
    list_filter = ["status", DeadlineFilter, "kind", "channel", "complaint_class", "facility"]
    search_fields = ["code", "description", "name", "email", "phone"]
    list_select_related = ["facility", "assignee"]
    date_hierarchy = "received_at"
    ordering = ["-received_at"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "code",
                    "staff_page",
                    "facility",
                    "kind",
                    "complaint_class",
                    "channel",
                    "service",
                    "status",
                ]
            },
        ),
        (_("What happened"), {"fields": ["description", "occurred_on"]}),
        (_("Citizen"), {"fields": ["anonymous", *CONTACT_FIELDS]}),
        (
            _("Deadline and handling"),
            {
                "fields": [
                    "received_at",
                    "due_date",
                    "overdue",
                    "assignee",
                    "entered_by",
                    "first_reply_at",
                    "closed_at",
                    "rejection_reason",
                ]
            },
        ),
        (_("Citizen's rating"), {"fields": ["rating", "rating_comment", "rated_at", "reopened_at", "updated_at"]}),
    ]
    inlines = [CaseEventInline, CaseAttachmentInline]
    form = CaseContactForm

    def get_readonly_fields(self, request: HttpRequest, obj: Case | None = None) -> list[str]:
        fields = [name for fieldset in self.fieldsets for name in fieldset[1]["fields"]]
        return [name for name in fields if name not in CONTACT_FIELDS]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Case]:
        return super().get_queryset(request).select_related("facility", "service", "entered_by", "assignee")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # through the public form or the staff's "new case" page, which give the code

    @admin.display(description=_("tracking code"), ordering="code")
    def tracking_code(self, obj: Case) -> str:
        return format_html('<span class="nowrap">{}</span>', obj.code)

    @admin.display(description=_("overdue"), boolean=True)
    def overdue(self, obj: Case) -> bool:
        return obj.is_overdue()

    @admin.display(description=_("staff page"))
    def staff_page(self, obj: Case) -> str:
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("Open the case as staff see it"))

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Case], search_term: str
    ) -> tuple[QuerySet[Case], bool]:
        # A code as people type it back: "sko 7f3k 9qh2" finds SKO-7F3K-9QH2.
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        found = codes.candidates(search_term)
        if found:
            results |= queryset.filter(code__in=found)
        return results, may_have_duplicates

    def save_model(self, request: HttpRequest, obj: Case, form: Any, change: bool) -> None:
        # Only what the form changed: a reply saved by staff meanwhile keeps its status and dates.
        obj.save(update_fields=[*form.changed_data, "updated_at"] if form.changed_data else ["updated_at"])

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> tuple[Any, Any, set[str], list[Any]]:
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        # The timeline cannot be edited line by line, but it goes with a deleted case (spam, erasure).
        perms_needed.discard(str(CaseEvent._meta.verbose_name))
        perms_needed.discard(str(CaseAttachment._meta.verbose_name))
        return deleted, model_count, perms_needed, protected

    def delete_model(self, request: HttpRequest, obj: Case) -> None:
        self.delete_queryset(request, Case.objects.filter(pk=obj.pk))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Case]) -> None:
        """Delete the cases and, once that is committed, their files (they may carry personal data)."""
        files = [a.file for a in CaseAttachment.objects.filter(case__in=queryset) if a.file]
        with transaction.atomic():
            queryset.delete()
            for file in files:
                transaction.on_commit(lambda file=file: file.storage.delete(file.name))


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The timeline is append-only: nothing here can be added, changed or deleted."""

    list_display = ["created_at", "case", "kind", "public", "by_citizen", "author", "to_status"]
    list_filter = ["kind", "public", "by_citizen", "case__facility"]
    search_fields = ["case__code", "text"]
    list_select_related = ["case", "author"]
    date_hierarchy = "created_at"


# --- Settings and days off ----------------------------------------------------------------------


@admin.register(FeedbackSettings)
class FeedbackSettingsAdmin(admin.ModelAdmin):
    list_display = [
        "facility",
        "code_prefix",
        "saturday_is_working_day",
        "updated_at",
    ]
    search_fields = ["facility__name", "code_prefix"]
    list_select_related = ["facility"]
    autocomplete_fields = ["facility"]
    readonly_fields = ["updated_at"]
    fieldsets = [
        (None, {"fields": ["facility", "code_prefix", "saturday_is_working_day"]}),
        (_("Satisfaction survey"), {"fields": ["survey_once_per_device"]}),
        (None, {"fields": ["updated_at"]}),
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: FeedbackSettings | None = None) -> list[str]:
        # The settings belong to one facility for good: a new facility gets its own row.
        return [*self.readonly_fields, "facility"] if obj else list(self.readonly_fields)


@admin.register(FacilityHoliday)
class FacilityHolidayAdmin(admin.ModelAdmin):
    list_display = ["date", "name", "facility"]
    list_filter = ["facility"]
    search_fields = ["name", "facility__name"]
    list_select_related = ["facility"]
    autocomplete_fields = ["facility"]
    date_hierarchy = "date"
    ordering = ["-date"]


# --- The satisfaction survey -------------------------------------------------------------------

SCORE_FIELDS = [element.field for element in ELEMENTS]


@admin.register(SurveyResponse)
class SurveyResponseAdmin(admin.ModelAdmin):
    """Responses are evidence of the index: read-only; an admin may only delete (e.g. a test entry)."""

    list_display = ["visited_on", "facility", "service", "channel", "scores", "submitted_at"]
    list_filter = ["channel", "facility", "age_group", "sex"]
    search_fields = ["comment", "facility__name", "service__name"]
    list_select_related = ["facility", "service"]
    date_hierarchy = "visited_on"
    ordering = ["-visited_on", "-id"]
    fieldsets = [
        (None, {"fields": ["facility", "service", "visited_on", "channel", "submitted_at", "entered_by"]}),
        (_("Scores (1 worst to 4 best)"), {"fields": SCORE_FIELDS}),
        (_("Respondent"), {"fields": ["age_group", "sex", "education", "occupation", "comment"]}),
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: SurveyResponse | None = None) -> list[str]:
        return [name for fieldset in self.fieldsets for name in fieldset[1]["fields"]]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # through the public survey, or the staff's paper entry and import

    @admin.display(description=_("U1–U9"))
    def scores(self, obj: SurveyResponse) -> str:
        return " ".join("-" if score is None else str(score) for _element, score in obj.scores())


@admin.register(SurveyDay)
class SurveyDayAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Derived from the responses and kept with them: never edited by hand (`rebuild_survey_days`)."""

    list_display = ["visited_on", "facility", "service", "respondents"]
    list_filter = ["facility"]
    search_fields = ["facility__name", "service__name"]
    list_select_related = ["facility", "service"]
    date_hierarchy = "visited_on"


@admin.register(SurveyPeriod)
class SurveyPeriodAdmin(admin.ModelAdmin):
    list_display = ["name", "facility", "start", "end", "population"]
    list_filter = ["facility"]
    search_fields = ["name", "facility__name"]
    list_select_related = ["facility"]
    autocomplete_fields = ["facility"]
    ordering = ["-start"]


@admin.register(SurveyAction)
class SurveyActionAdmin(admin.ModelAdmin):
    list_display = ["element", "facility", "action", "responsible", "due_date", "done_on"]
    list_filter = ["element", "facility"]
    search_fields = ["action", "responsible", "result", "facility__name"]
    list_select_related = ["facility"]
    autocomplete_fields = ["facility"]
    raw_id_fields = ["created_by"]
    readonly_fields = ["created_at"]
    date_hierarchy = "due_date"


# --- E-mails in the task queue -----------------------------------------------------------------

SEND_EMAIL_PATH = f"{send_email.func.__module__}.{send_email.func.__name__}"


@dataclass(frozen=True)
class QueuedEmail:
    subject: str
    body: str
    recipients: list[str]
    attempt: int


def queued_email(result: DBTaskResult) -> QueuedEmail | None:
    """The e-mail a `send_email` task carries; None for any other task."""
    if result.task_path != SEND_EMAIL_PATH:
        return None
    names = ["subject", "body", "recipients", "attempt"]
    values = {
        **dict(zip(names, result.args_kwargs.get("args", []), strict=False)),
        **result.args_kwargs.get("kwargs", {}),
    }
    return QueuedEmail(
        subject=str(values.get("subject", "")),
        body=str(values.get("body", "")),
        recipients=list(values.get("recipients", [])),
        attempt=int(values.get("attempt", 1)),
    )


class EmailOutcomeFilter(admin.SimpleListFilter):
    title = _("e-mail")
    parameter_name = "email"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            ("failed", _("Failed attempts")),
            ("given_up", _("Given up after %(n)s attempts") % {"n": MAX_ATTEMPTS}),
            ("waiting", _("Waiting to be sent")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[DBTaskResult]) -> QuerySet[DBTaskResult] | None:
        emails = queryset.filter(task_path=SEND_EMAIL_PATH)
        if self.value() == "failed":
            return emails.failed()  # type: ignore[attr-defined]
        if self.value() == "given_up":
            return emails.failed().filter(args_kwargs__args__3__gte=MAX_ATTEMPTS)  # type: ignore[attr-defined]
        if self.value() == "waiting":
            return emails.filter(status=TaskResultStatus.READY)
        return None


class TaskResultAdmin(DBTaskResultAdmin):
    """django_tasks_db's list, with what an admin needs to see about each e-mail."""

    # Task name, times and the next run are on each result's page; the list is about e-mails.
    list_display = ["enqueued_at", "status", "email_subject", "email_recipients", "email_attempt", "error"]
    list_filter = [EmailOutcomeFilter, "status", "queue_name"]
    search_fields = ["args_kwargs", "exception_class_path"]
    actions = ["send_again"]

    def get_readonly_fields(self, request: HttpRequest, obj: DBTaskResult | None = None) -> list[str]:
        return ["email_subject", "email_recipients", "email_attempt", *super().get_readonly_fields(request, obj)]

    @admin.display(description=_("subject"))
    def email_subject(self, obj: DBTaskResult) -> str:
        email = queued_email(obj)
        return email.subject if email else "-"

    @admin.display(description=_("recipients"))
    def email_recipients(self, obj: DBTaskResult) -> str:
        email = queued_email(obj)
        return ", ".join(email.recipients) if email else "-"

    @admin.display(description=_("attempt"))
    def email_attempt(self, obj: DBTaskResult) -> str:
        email = queued_email(obj)
        return f"{email.attempt} / {MAX_ATTEMPTS}" if email else "-"

    @admin.display(description=_("error"), ordering="exception_class_path")
    def error(self, obj: DBTaskResult) -> str:
        if not obj.exception_class_path:
            return "-"
        last_line = obj.traceback.strip().splitlines()[-1] if obj.traceback.strip() else ""
        return last_line[:120] or obj.exception_class_path

    @admin.action(description=_("Send the selected e-mails again (those given up on)"))
    def send_again(self, request: HttpRequest, queryset: QuerySet[DBTaskResult]) -> None:
        count = 0
        for result in queryset.filter(task_path=SEND_EMAIL_PATH, status=TaskResultStatus.FAILED):
            email = queued_email(result)
            if email is None or email.attempt < MAX_ATTEMPTS:
                continue  # a failed attempt before the last has its retry queued already
            send_email.enqueue(email.subject, email.body, email.recipients)
            count += 1
        if count:
            self.message_user(
                request,
                ngettext("%(n)d e-mail queued again.", "%(n)d e-mails queued again.", count) % {"n": count},
                messages.SUCCESS,
            )
        else:
            self.message_user(
                request,
                _("Only e-mails given up on after %(n)s attempts can be sent again.") % {"n": MAX_ATTEMPTS},
                messages.WARNING,
            )


admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, TaskResultAdmin)
