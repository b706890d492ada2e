"""What both apps' admins share: the rule for records that are evidence and never change."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest


class ReadOnlyAdminMixin:
    """Append-only records (a charter's history, a case's timeline and files): the admin shows
    them but never adds, changes or deletes one. They go only with what they belong to."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyTabularInline(ReadOnlyAdminMixin, admin.TabularInline):
    """Such records as a table under the object they belong to, without empty rows to fill."""

    extra = 0
    can_delete = False
