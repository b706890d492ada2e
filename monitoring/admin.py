"""The admin is a support tool for observations: they are recorded on the staff pages (one, a
sheet, or a queue machine's file); here an admin finds one, corrects a mistyped time or note,
or deletes it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import ServiceObservation


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
