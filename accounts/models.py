"""Who must sign in with a second factor: one row, edited by a superuser in the admin."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from charters.models import Membership, MembershipRole

POLICY_PK = 1


class TwoFactorPolicy(models.Model):
    """A singleton (always primary key 1). It is read when someone signs in, so that staff pages
    cost no query for it: a change applies from each person's next sign-in."""

    heads_required = models.BooleanField(
        _("required for heads of facilities"),
        default=False,
        help_text=_("Heads must set up an authenticator app before they can open any staff page."),
    )
    admins_required = models.BooleanField(
        _("required for administrators"),
        default=False,
        help_text=_("Users with staff status or superuser status (who can open the admin)."),
    )

    class Meta:
        verbose_name = _("two-factor policy")
        verbose_name_plural = _("two-factor policy")

    def __str__(self) -> str:
        return str(_("Two-factor policy"))

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.pk = POLICY_PK
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> TwoFactorPolicy:
        """The saved policy, or the default (nothing required) while none was saved."""
        return cls.objects.filter(pk=POLICY_PK).first() or cls(pk=POLICY_PK)

    def requires(self, user: Any) -> bool:
        if self.admins_required and (user.is_staff or user.is_superuser):
            return True
        return self.heads_required and Membership.objects.filter(user=user, role=MembershipRole.HEAD).exists()
