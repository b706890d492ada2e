"""When the database cannot be reached: a bilingual 503 page instead of a 500, what a citizen
posted shown back so that nothing is lost, and `/healthz` for the load balancer.

- `server_error` is the project's `handler500`. Django calls it for any exception no view or
  middleware handled; a database that cannot be reached (`OperationalError`, `InterfaceError`)
  answers 503 with `Retry-After`, every other error the plain 500 page. Both render without the
  database (no session, no user, no context processors).
- The 503 page of a POST shows the text the sender typed (never a password or a file) and a
  button that sends it again as it was, with its CSRF token, once the database is back.
- A public page the page cache served recently is served from its last copy instead
  (`charter_site.lastcopy`): the charter stays readable during an outage.
- Nothing is half-written: each service writes in one transaction, and a connection lost in the
  middle rolls it back. The app recovers by itself: Django opens a new connection on the next
  request (`CONN_HEALTH_CHECKS` drops a broken persistent one first).
"""

from __future__ import annotations

import sys

from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from charter_site import lastcopy

RETRY_AFTER_SECONDS = 30
# Fields never shown back: secrets and what the form machinery adds.
HIDDEN_FIELDS = {"csrfmiddlewaretoken", "password", "password1", "password2", "old_password", "new_password1"}
SHOWN_FIELD_LENGTH = 5000


def database_unreachable(error: BaseException | None) -> bool:
    """Whether `error` (or what caused it) says the database cannot be reached."""
    while error is not None:
        if isinstance(error, (OperationalError, InterfaceError)):
            return True
        error = error.__cause__ or error.__context__
    return False


def typed_fields(request: HttpRequest) -> list[tuple[str, str]]:
    """What the sender typed into a POSTed form, in its order, secrets left out."""
    if request.method != "POST":
        return []
    try:
        items = list(request.POST.lists())
    except Exception:  # a body that cannot be read (too large, cut off): nothing to show back
        return []
    return [
        (name, value[:SHOWN_FIELD_LENGTH])
        for name, values in items
        if name not in HIDDEN_FIELDS and "password" not in name
        for value in values
    ]


def unavailable(request: HttpRequest) -> HttpResponse:
    """503 with `Retry-After`: the bilingual page and, for a POST, what was typed."""
    fields = typed_fields(request)
    context = {
        "fields": fields,
        "shown": [(name, value) for name, value in fields if value.strip()],
        "resend_token": request.POST.get("csrfmiddlewaretoken", "") if fields else "",
        "action": request.get_full_path(),
        "retry_after": RETRY_AFTER_SECONDS,
    }
    response = HttpResponse(loader.render_to_string("503.html", context), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def last_copy(request: HttpRequest) -> HttpResponse | None:
    """The public page's last cached copy (`charter_site.lastcopy`), served while the database is
    away (a `charters.pagecache.Page`)."""
    page = lastcopy.recall(request)
    if page is None:
        return None
    response = page.response(request)
    response["X-Served-From"] = "last-copy"
    return response


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """`handler500`: while the database is unreachable, a public page's last cached copy, else 503;
    otherwise the plain 500 page."""
    if database_unreachable(sys.exc_info()[1]):
        return last_copy(request) or unavailable(request)
    return HttpResponse(loader.render_to_string(template_name), status=500)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """For the load balancer: 200 when the database and the cache answer, 503 otherwise."""
    checks = {"database": "ok", "cache": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        checks["database"] = "unreachable"
    try:
        cache.set("healthz", "ok", timeout=10)
        if cache.get("healthz") != "ok":
            checks["cache"] = "not keeping values"
    except Exception:  # any backend's connection error
        checks["cache"] = "unreachable"
    healthy = all(value == "ok" for value in checks.values())
    response = JsonResponse({"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503)
    if not healthy:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
