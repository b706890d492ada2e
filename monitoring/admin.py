"""The admin is a support tool for observations and evaluation rounds: they are recorded on the
staff pages (an observation one at a time, as a sheet, or from a queue machine's file; a round on
its own page); here an admin finds one, corrects a mistyped time or text, or deletes it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import EvaluationFinding, EvaluationParticipant, EvaluationRound, FollowUpAction, ServiceObservation


class ServiceObservationAdminForm(forms.ModelForm):
    class Meta:
        model = ServiceObservation
        fields = [
            "facility",
            "service",
            "arrived_at",
            "completed_at",
            "duration_minutes",
            "method",
            "note",
            "recorded_by",
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        facility, service = cleaned.get("facility"), cleaned.get("service")
        if facility and service and service.charter.facility_id != facility.pk:
            self.add_error("service", ValidationError(_("This service is not one of the facility's."), code="other"))
        return cleaned


@admin.register(ServiceObservation)
class ServiceObservationAdmin(admin.ModelAdmin):
    form = ServiceObservationAdminForm
    list_display = ["arrived_at", "facility", "service", "duration_minutes", "method", "recorded_by", "created_at"]
    list_filter = ["method", "facility"]
    search_fields = ["note", "facility__name", "service__name", "service__slug"]
    list_select_related = ["facility", "service", "recorded_by"]
    raw_id_fields = ["facility", "service", "recorded_by"]
    readonly_fields = ["arrived_on", "created_at"]
    date_hierarchy = "arrived_on"
    ordering = ["-arrived_at", "-id"]
    fields = [
        "facility",
        "service",
        "arrived_at",
        "arrived_on",
        "completed_at",
        "duration_minutes",
        "method",
        "note",
        "recorded_by",
        "created_at",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # on the staff pages, for the services of the charter in force


# --- Evaluation rounds -----------------------------------------------------------------------------
# Recorded on the staff pages, where the forms and services check them and move the charter's
# review date; here an admin finds a round, reads it whole, and corrects a mistyped text.


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ParticipantInline(_ReadOnlyInline):
    model = EvaluationParticipant
    fields = ["name", "group", "organisation", "position"]


class FindingInline(_ReadOnlyInline):
    model = EvaluationFinding
    fields = ["service", "result", "evidence", "notes", "revision"]


class ActionInline(_ReadOnlyInline):
    model = FollowUpAction
    fk_name = "round"
    fields = ["what", "who", "due_date", "finding", "status", "done_on"]


@admin.register(EvaluationRound)
class EvaluationRoundAdmin(admin.ModelAdmin):
    list_display = ["title", "facility", "charter", "facilitator", "organisation", "method", "recorded_by"]
    list_filter = ["method", "facility"]
    list_select_related = ["facility", "charter__facility", "recorded_by"]
    search_fields = ["facility__name", "facilitator", "organisation", "public_summary", "notes"]
    raw_id_fields = ["facility", "charter", "recorded_by"]
    readonly_fields = ["facility", "charter", "recorded_by", "created_at", "updated_at"]
    date_hierarchy = "ended_on"
    inlines = [ParticipantInline, FindingInline, ActionInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # on the staff pages, which move the charter's review date


@admin.register(EvaluationParticipant)
class EvaluationParticipantAdmin(admin.ModelAdmin):
    list_display = ["name", "group", "organisation", "round"]
    list_filter = ["group"]
    list_select_related = ["round"]
    search_fields = ["name", "organisation", "round__facility__name"]
    raw_id_fields = ["round"]


@admin.register(EvaluationFinding)
class EvaluationFindingAdmin(admin.ModelAdmin):
    list_display = ["service", "result", "round", "revision"]
    list_filter = ["result"]
    list_select_related = ["service", "round", "revision__facility"]
    search_fields = ["service__name", "evidence", "notes", "round__facility__name"]
    raw_id_fields = ["round", "service", "revision"]
    readonly_fields = ["round", "service", "revision"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(FollowUpAction)
class FollowUpActionAdmin(admin.ModelAdmin):
    list_display = ["what", "who", "due_date", "status", "done_on", "round"]
    list_filter = ["status"]
    list_select_related = ["round"]
    search_fields = ["what", "who", "result", "round__facility__name"]
    raw_id_fields = ["round", "finding"]
    date_hierarchy = "due_date"
