from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from .models import POLICY_PK, TwoFactorPolicy


@admin.register(TwoFactorPolicy)
class TwoFactorPolicyAdmin(admin.ModelAdmin):
    """One row: the list goes straight to it (or to adding it, the first time). Only a superuser
    may change who must use two-factor sign-in, and the row is never deleted."""

    fields = ("heads_required", "admins_required")

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        if TwoFactorPolicy.objects.filter(pk=POLICY_PK).exists():
            return HttpResponseRedirect(reverse("admin:accounts_twofactorpolicy_change", args=[POLICY_PK]))
        return HttpResponseRedirect(reverse("admin:accounts_twofactorpolicy_add"))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser and not TwoFactorPolicy.objects.filter(pk=POLICY_PK).exists()

    def has_change_permission(self, request: HttpRequest, obj: TwoFactorPolicy | None = None) -> bool:
        return request.user.is_superuser

    def has_delete_permission(self, request: HttpRequest, obj: TwoFactorPolicy | None = None) -> bool:
        return False
