"""Sign-ins, sign-outs, failed sign-ins and the pauses after them, in the audit trail.

A failed sign-in names the person whose username was typed, if there is one, so that their head
sees it; the username typed is kept as it was typed either way."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from .services import record


def _person(username: str) -> Any:
    return get_user_model().objects.filter(**{get_user_model().USERNAME_FIELD: username}).first()


@receiver(user_logged_in, dispatch_uid="audit_sign_in")
def signed_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    record(request, "sign_in", actor=user)


@receiver(user_logged_out, dispatch_uid="audit_sign_out")
def signed_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:  # signing out with no session
        record(request, "sign_out", actor=user)


@receiver(user_login_failed, dispatch_uid="audit_sign_in_failed")
def sign_in_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any) -> None:
    username = str(credentials.get("username") or "")
    record(request, "sign_in_failed", actor=_person(username) if username else None, actor_name=username)


@receiver(user_locked_out, dispatch_uid="audit_sign_in_paused")
def sign_in_paused(sender: Any, request: HttpRequest | None, username: str | None = None, **kwargs: Any) -> None:
    username = username or ""
    record(request, "sign_in_paused", actor=_person(username) if username else None, actor_name=username)
