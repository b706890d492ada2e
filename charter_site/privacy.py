"""Staff sessions and pages on a shared Puskesmas computer.

- Pages with personal data are never kept by a browser or a proxy: every staff page, the admin,
  the sign-in pages and every uploaded file answer `Cache-Control: no-store` (with Django's other
  never-cache headers), so the back button or the disk cache shows no complainant's name or case
  once the staff member has signed out.
- A session ends after `SESSION_COOKIE_AGE` (a working day) without a request: a request moves
  the end on, saving the session at most every `RENEW_EVERY` seconds rather than on every request.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import add_never_cache_headers

PRIVATE_PREFIXES = ("/manage/", "/admin/", "/accounts/")


class NoStoreMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if request.path.startswith(PRIVATE_PREFIXES):
            add_never_cache_headers(response)
        return response


RENEW_EVERY = 15 * 60
RENEWED = "_renewed"  # when the session's end was last moved on (seconds since the epoch)


class IdleSessionMiddleware:
    """After SessionMiddleware: renew a non-empty session's expiry as it is used."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        session = request.session
        if not session.is_empty() and time.time() - session.get(RENEWED, 0) > RENEW_EVERY:
            session[RENEWED] = int(time.time())  # modified: saved with a new expiry date
        return self.get_response(request)


@receiver(user_logged_in, dispatch_uid="privacy:renewed-at-login")
def _renewed_at_login(sender: object, request: HttpRequest, **kwargs: object) -> None:
    """A new session starts its day (and is saved at sign-in anyway)."""
    if request is not None and hasattr(request, "session"):
        request.session[RENEWED] = int(time.time())
