"""The whole audit trail for superusers: read only, as no one may edit or delete an entry."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from charter_site.admin import ReadOnlyAdminMixin

from .models import Entry


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("created_at", "actor_name", "facility_name", "kind", "what", "on_what", "address")
    list_filter = ("kind", "created_at")
    search_fields = ("actor_name", "facility_name", "action", "detail", "address")
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in Entry._meta.fields]

    @admin.display(description=_("What"))
    def what(self, entry: Entry) -> str:
        return entry.description

    @admin.display(description=_("On what"))
    def on_what(self, entry: Entry) -> str:
        return entry.target_text
