"""The whole audit trail for superusers: read only, as no one may edit or delete an entry."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Entry


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "actor_name", "facility_name", "kind", "description", "target_text", "address")
    list_filter = ("kind", "created_at")
    search_fields = ("actor_name", "facility_name", "action", "detail", "address")
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in Entry._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
