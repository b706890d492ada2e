"""Someone whose account requires two-factor sign-in (`TwoFactorPolicy`) and who has not set it
up reaches no staff or admin page until they do: they are sent to the setup page. Their account
pages (setting up, the password, signing out) stay open. The need was noted in the session at
sign-in (`two_factor.remember_setup_required`), so other requests cost no query here."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .two_factor import SETUP_REQUIRED

GUARDED_PREFIXES = ("/manage/", "/admin/")


class TwoFactorRequiredMiddleware:
    """After the session, authentication and messages middleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path.startswith(GUARDED_PREFIXES) and request.session.get(SETUP_REQUIRED):
            messages.warning(
                request,
                _(
                    "Your account requires two-factor sign-in. Set it up with an authenticator app "
                    "on your phone before opening the staff pages."
                ),
            )
            return redirect("two_factor")
        return self.get_response(request)
