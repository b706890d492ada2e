"""The admin is a support tool: it shows everything and edits drafts only.

A charter that is not a draft (and everything belonging to it) is shown read-only, as the
models would refuse the change anyway. Charters are created through `start_draft` and
published only through the managers' workflow, so `status` and `version` are never edited here.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from charter_site.admin import ReadOnlyAdminMixin, ReadOnlyTabularInline

from . import services
from .models import (
    FROZEN_VERSION_MESSAGE,
    TEXT_COMPONENTS,
    Charter,
    CharterEvent,
    CharterStatus,
    Clause,
    Facility,
    Membership,
    ProcedureStep,
    Requirement,
    ScheduleSlot,
    ServiceMethod,
    ServiceStandard,
    Supervision,
)


def is_frozen(obj: Any) -> bool:
    """True when `obj` (a charter or anything belonging to one) may no longer change."""
    return obj is not None and not obj.get_charter().is_editable


class FrozenUnlessDraftMixin:
    """Read-only once the charter of `obj` is published or superseded.

    On a ModelAdmin `obj` is the row itself; on an inline it is the parent row, so the same
    checks make the inlines of a frozen charter or service read-only too.
    """

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if isinstance(self, admin.options.InlineModelAdmin):
            return not is_frozen(obj) and super().has_add_permission(request, obj)  # type: ignore[misc]
        return super().has_add_permission(request)  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not is_frozen(obj) and super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not is_frozen(obj) and super().has_delete_permission(request, obj)  # type: ignore[misc]


def draft_charters() -> QuerySet[Charter]:
    return Charter.objects.filter(status=CharterStatus.DRAFT).select_related("facility")


def draft_services() -> QuerySet[ServiceStandard]:
    return ServiceStandard.objects.filter(charter__status=CharterStatus.DRAFT).select_related("charter__facility")


def service_label(service: ServiceStandard) -> str:
    return f"{service.charter} — {service.name}"


# --- Forms -----------------------------------------------------------------------------


class CharterChildForm(forms.ModelForm):
    """Refuses to attach a clause or service to a charter that is not a draft."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        charter = cleaned.get("charter")
        if isinstance(charter, Charter) and charter.pk is not None and not charter.is_editable:
            raise ValidationError(
                {"charter": FROZEN_VERSION_MESSAGE} if "charter" in self.fields else FROZEN_VERSION_MESSAGE
            )
        return cleaned


class ServiceChildForm(forms.ModelForm):
    """Refuses to attach a requirement, step or slot to a service of a charter that is not a draft."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        service = cleaned.get("service")
        # A service being added on the same page has no charter check of its own here:
        # its form refuses a non-draft charter.
        if isinstance(service, ServiceStandard) and service.pk is not None and is_frozen(service):
            raise ValidationError(
                {"service": FROZEN_VERSION_MESSAGE} if "service" in self.fields else FROZEN_VERSION_MESSAGE
            )
        return cleaned


class ServiceStandardForm(CharterChildForm):
    methods = forms.MultipleChoiceField(
        label=_("how the service is delivered"),
        choices=ServiceMethod.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = ServiceStandard
        fields = ["charter", "methods"]  # The admin and the inline pass their own field lists.


class CharterAddForm(forms.ModelForm):
    class Meta:
        model = Charter
        fields = ["facility"]

    def clean_facility(self) -> Facility:
        facility: Facility = self.cleaned_data["facility"]
        if facility.charters.filter(status=CharterStatus.DRAFT).exists():
            raise ValidationError(_("This facility already has a draft charter: edit that one."))
        return facility


# --- Facilities ------------------------------------------------------------------------


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ["user", "role", "created_at"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["user"]
    extra = 0


@admin.register(Facility)
class FacilityAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind", "district", "regency", "province", "updated_at"]
    list_filter = ["kind", "province", "regency"]
    search_fields = ["name", "slug", "village", "district", "regency"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind"]}),
        (_("Location"), {"fields": ["address", "village", "district", "regency", "province"]}),
        (_("Contact"), {"fields": ["phone", "email", "website"]}),
        (_("Vision, mission and head"), {"fields": ["vision", "mission", "head_name", "head_title"]}),
        (_("History"), {"fields": ["created_at", "updated_at"]}),
    ]
    inlines = [MembershipInline]

    # A facility's address is printed on posters and QR codes: once created it never changes.
    def get_readonly_fields(self, request: HttpRequest, obj: Facility | None = None) -> list[str]:
        return [*self.readonly_fields, "slug"] if obj else list(self.readonly_fields)

    def get_prepopulated_fields(self, request: HttpRequest, obj: Facility | None = None) -> dict[str, Any]:
        return {} if obj else self.prepopulated_fields


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "facility", "role", "created_at"]
    list_filter = ["role", "facility"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email", "facility__name"]
    list_select_related = ["user", "facility"]
    autocomplete_fields = ["user", "facility"]
    readonly_fields = ["created_at"]


@admin.register(Supervision)
class SupervisionAdmin(admin.ModelAdmin):
    list_display = ["user", "regency", "created_at"]
    list_filter = ["regency"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email", "regency"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]
    readonly_fields = ["created_at"]


# --- Charters --------------------------------------------------------------------------


class ServiceStandardInline(FrozenUnlessDraftMixin, admin.TabularInline):
    model = ServiceStandard
    form = ServiceStandardForm
    fields = [
        "position",
        "name",
        "slug",
        "category",
        "duration_value",
        "duration_unit",
        "fee_is_free",
        "fee_amount",
        "methods",
    ]
    prepopulated_fields = {"slug": ["name"]}
    show_change_link = True
    extra = 0


class ClauseInline(FrozenUnlessDraftMixin, admin.TabularInline):
    model = Clause
    form = CharterChildForm
    fields = ["position", "party", "kind", "text"]
    extra = 0


class CharterEventInline(ReadOnlyTabularInline):
    model = CharterEvent
    fields = ["created_at", "action", "user", "comment"]
    readonly_fields = fields


@admin.register(Charter)
class CharterAdmin(FrozenUnlessDraftMixin, admin.ModelAdmin):
    list_display = [
        "__str__",
        "facility",
        "version",
        "status",
        "service_count",
        "effective_date",
        "review_due_date",
        "published_at",
    ]
    list_display_links = ["__str__"]
    list_filter = ["status", "facility"]
    search_fields = ["facility__name", "facility__slug", "facility__regency"]
    list_select_related = ["facility"]
    date_hierarchy = "effective_date"
    autocomplete_fields = ["facility"]
    inlines = [ClauseInline, ServiceStandardInline, CharterEventInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Charter]:
        return super().get_queryset(request).annotate(service_count=Count("services"))

    @admin.display(description=_("services"), ordering="service_count")
    def service_count(self, obj: Charter) -> int:
        return obj.service_count  # type: ignore[attr-defined]

    def get_form(self, request: HttpRequest, obj: Charter | None = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = CharterAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Charter | None = None) -> list[str]:
        if obj is None:
            return ["facility"]
        return [
            "facility",
            "version",
            "status",
            "pledge",
            "complaint_info",
            "light_days",
            "normative_days",
            "simple_days",
            "investigative_days",
            "effective_date",
            "review_due_date",
            "published_at",
            "published_by",
            "created_by",
            "created_at",
            "updated_by",
            "updated_at",
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Charter | None = None) -> list[str]:
        if obj is None:
            return []
        return [
            "facility",
            "version",
            "status",
            "published_at",
            "published_by",
            "created_by",
            "created_at",
            "updated_by",
            "updated_at",
        ]

    def get_inlines(self, request: HttpRequest, obj: Charter | None) -> list[Any]:
        # A new draft starts as a copy of the published charter; its content is edited afterwards.
        return self.inlines if obj is not None else []

    def save_model(self, request: HttpRequest, obj: Charter, form: Any, change: bool) -> None:
        if change:
            obj.updated_by = request.user
            super().save_model(request, obj, form, change)
            return
        draft = services.start_draft(obj.facility, request.user)
        # The admin goes on with `obj` (logging, redirect), so it takes over the new draft's row.
        for field in Charter._meta.concrete_fields:
            setattr(obj, field.attname, getattr(draft, field.attname))
        obj._state.adding = False
        obj._state.db = draft._state.db

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> tuple[Any, Any, set[str], list[Any]]:
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        # Events cannot be deleted one by one, but a discarded draft takes its history along.
        if all(charter.is_editable for charter in objs):
            perms_needed.discard(CharterEvent._meta.verbose_name)
        return deleted, model_count, perms_needed, protected


@admin.register(CharterEvent)
class CharterEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Append-only history: nothing here can be added, changed or deleted."""

    list_display = ["created_at", "charter", "action", "user", "comment"]
    list_filter = ["action", "charter__facility"]
    search_fields = ["charter__facility__name", "user__username", "comment"]
    list_select_related = ["charter__facility", "user"]
    date_hierarchy = "created_at"


class CharterChildAdmin(FrozenUnlessDraftMixin, admin.ModelAdmin):
    """Clauses and services: new ones only on a draft, and they never move to another charter."""

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "charter":
            kwargs["queryset"] = draft_charters()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "charter"] if obj is not None else readonly


@admin.register(Clause)
class ClauseAdmin(CharterChildAdmin):
    form = CharterChildForm
    list_display = ["__str__", "charter", "party", "kind", "position"]
    list_filter = ["party", "kind", "charter__status"]
    search_fields = ["text", "charter__facility__name"]
    list_select_related = ["charter__facility"]
    fields = ["charter", "party", "kind", "text", "position"]


# --- Service standards -----------------------------------------------------------------


class ServiceChildInline(FrozenUnlessDraftMixin, admin.TabularInline):
    form = ServiceChildForm
    extra = 0


class RequirementInline(ServiceChildInline):
    model = Requirement
    fields = ["position", "text"]


class ProcedureStepInline(ServiceChildInline):
    model = ProcedureStep
    fields = ["position", "text"]


class ScheduleSlotInline(ServiceChildInline):
    model = ScheduleSlot
    fields = ["weekday", "opens", "closes"]


@admin.register(ServiceStandard)
class ServiceStandardAdmin(CharterChildAdmin):
    form = ServiceStandardForm
    list_display = ["name", "charter", "category", "position", "duration", "fee", "updated_at"]
    list_filter = ["category", "charter__status", "fee_is_free", "charter__facility"]
    search_fields = ["name", "slug", "charter__facility__name"]
    list_select_related = ["charter__facility"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["charter", "position", "name", "slug", "category", "description"]}),
        (_("Service duration"), {"fields": ["duration_value", "duration_unit", "duration_note"]}),
        (_("Fee / tariff"), {"fields": ["fee_is_free", "fee_amount", "fee_note", "fee_legal_basis"]}),
        (_("Schedule and delivery"), {"fields": ["methods", "schedule_note"]}),
        (_("Product and complaint handling"), {"fields": ["product", "complaint_handling"]}),
        (
            _("Internal management components"),
            {
                "classes": ["collapse"],
                "fields": [c.field for c in TEXT_COMPONENTS if not c.delivery],
            },
        ),
        (_("History"), {"fields": ["created_at", "updated_at"]}),
    ]
    inlines = [RequirementInline, ProcedureStepInline, ScheduleSlotInline]

    @admin.display(description=_("duration"), ordering="duration_value")
    def duration(self, obj: ServiceStandard) -> str:
        return obj.duration_display

    @admin.display(description=_("fee"), ordering="fee_amount")
    def fee(self, obj: ServiceStandard) -> str:
        return obj.fee_display

    def view_on_site(self, obj: ServiceStandard) -> str | None:
        # Only the published version is on the public site; a draft's address would show another.
        return obj.get_absolute_url() if obj.charter.is_published else None


class ServiceChildAdmin(FrozenUnlessDraftMixin, admin.ModelAdmin):
    """Requirements, steps and slots: new ones only on a draft's service, and they never move."""

    form = ServiceChildForm
    list_select_related = ["service__charter__facility"]
    search_fields = ["service__name", "service__charter__facility__name"]
    list_filter = ["service__charter__status", "service__category"]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "service":
            kwargs["queryset"] = draft_services()
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            field.label_from_instance = service_label
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "service"] if obj is not None else readonly

    @admin.display(description=_("charter"), ordering="service__charter")
    def charter(self, obj: Any) -> Charter:
        return obj.service.charter


@admin.register(Requirement)
class RequirementAdmin(ServiceChildAdmin):
    list_display = ["text", "service", "charter", "position"]
    search_fields = ["text", *ServiceChildAdmin.search_fields]
    fields = ["service", "position", "text"]


@admin.register(ProcedureStep)
class ProcedureStepAdmin(ServiceChildAdmin):
    list_display = ["__str__", "service", "charter", "position"]
    search_fields = ["text", *ServiceChildAdmin.search_fields]
    fields = ["service", "position", "text"]


@admin.register(ScheduleSlot)
class ScheduleSlotAdmin(ServiceChildAdmin):
    list_display = ["__str__", "service", "charter", "weekday", "opens", "closes"]
    list_filter = ["weekday", *ServiceChildAdmin.list_filter]
    fields = ["service", "weekday", "opens", "closes"]
