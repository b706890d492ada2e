"""The public pages of a facility's charter, rendered once and served from the cache.

A published version never changes, so the charter page, a service's page, the list of versions,
an old version and the changes between two versions are rendered once per *key* and then served
from Django's cache (`django.core.cache.cache`, Redis in production) without a query for the body.
The key is built from a small fixed lookup (`public_facility`: the facility with the version in
force, and `take_effect`, which publishes a scheduled version on its day):

- the release (`release()`: templates, code, translations and static file names of this deployment),
- the facility and the version in force today,
- the facility's *generation*, a value in the cache that `bump()` replaces whenever something the
  pages show changes without a new version: a revision opened for or closed from consultation,
  a review or an evaluation moving the next review date (any save of a `Charter`), the facility's
  profile (any save of the `Facility`), an evaluation round recorded, edited or deleted (the
  monitoring app connects its model with `invalidate_on_change`),
- the language, the day (the review-overdue notice and the promise summary of the last three months
  follow the date) and the address with its query string (`?print=1` opens every part).

Bumps run on commit: a rolled-back publish bumps nothing, and a page rendered from the data before
the commit is stored under the generation that the commit replaces, so it is never served again.
With a per-process cache (LocMemCache, the default of `make run`) a bump reaches only its own
process, so its pages live `LOCAL_PAGE_TTL` seconds only; production shares Redis.

What is not the same for every visitor is left out of the stored page: the language switcher's CSRF
token is stored as `CSRF_SLOT` and filled in per request, and the session's messages are not shown
(they wait for the next page that is not cached). Pages are cached only at their own address, with
no query string or one the view names, because `base.html` writes the full path into the switcher.

HTTP: an `ETag` (the key and the visitor's CSRF secret, so a token rotated at login is never reused)
and `Last-Modified` (the generation's time, or midnight when the day changed the key); a matching
`If-None-Match` or `If-Modified-Since` answers 304 after the key lookup alone. `Cache-Control:
private, no-cache`: private because each copy carries its visitor's CSRF token, which a shared proxy
must not hand to others; no-cache because a publication must show at once, and asking again costs
the visitor a 304 of a few hundred bytes and the server the key lookup only. The language comes from
the switcher's cookie (`charter_site.middleware.LanguageMiddleware`), hence `Vary: Cookie`.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import os
import time
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import models, transaction
from django.db.models import OuterRef, Subquery
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, quote_etag

from charter_site import lastcopy

from .models import Charter, CharterStatus, Facility
from .services import take_effect

PAGE_TTL = 3600  # seconds: bounds the memory of rarely read pages; a busy page is rendered once an hour
LOCAL_PAGE_TTL = 60  # seconds, with a cache of its own in each process (see the module docstring)
# Stands for the CSRF token in a stored page; filled in for each visitor (`_fill`).
CSRF_SLOT = lastcopy.CSRF_SLOT
# Rendered in the stored page instead of the request's own values (see the module docstring).
UNSHARED_CONTEXT = {"csrf_token": CSRF_SLOT, "messages": ()}

Body = Callable[[], tuple[str, dict[str, Any]]]


# --- The key -------------------------------------------------------------------------------------


def public_facility(slug: str) -> Facility:
    """The facility of a public page, with `version_in_force` (None before its first publication),
    after publishing a scheduled version whose day has come. Two queries (more on that day)."""
    in_force = Charter.objects.filter(facility=OuterRef("pk"), status=CharterStatus.PUBLISHED).values("version")
    facility = get_object_or_404(Facility.objects.annotate(version_in_force=Subquery(in_force[:1])), slug=slug)
    published = take_effect(facility)
    if published is not None:
        facility.version_in_force = published.version
    return facility


def _generation_key(facility_id: int) -> str:
    return f"pagecache:generation:{facility_id}"


def generation(facility_id: int) -> int:
    """The facility's current generation: the time, in nanoseconds, of its last bump (or of the
    first page read after the cache lost it)."""
    key = _generation_key(facility_id)
    value = cache.get(key)
    if value is None:
        cache.add(key, time.time_ns(), timeout=None)
        value = cache.get(key, time.time_ns())
    return value


def bump(facility_id: int) -> None:
    """Switch every cached public page of the facility at once: their keys name the old generation."""
    cache.set(_generation_key(facility_id), time.time_ns(), timeout=None)


def bump_on_commit(facility_id: int) -> None:
    transaction.on_commit(functools.partial(bump, facility_id))


def invalidate_on_change(model: type[models.Model], facility_of: Callable[[Any], int]) -> None:
    """Bump the facility's generation on commit whenever a row of `model` is saved or deleted:
    for what the public pages show that changes without a new version. `facility_of(row)` gives
    the facility's id. Apps built on `charters` call it for their own models in `ready()`."""

    def changed(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
        bump_on_commit(facility_of(instance))

    uid = f"pagecache:{model._meta.label}"
    post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(changed, sender=model, weak=False, dispatch_uid=uid)


def _is_ours(path: Path, base: Path) -> bool:
    """An app of this project, not an installed package (a virtualenv may live in the project)."""
    return path.is_relative_to(base) and "site-packages" not in path.relative_to(base).parts


@functools.cache
def release() -> str:
    """What a rendered page depends on besides the data: this deployment's code, templates and
    translations of the project's own apps, and the static files' hashed names. A deployment
    changes it, so no page rendered by the previous one is served (its links may name static files
    that are gone). Content, not times: the nodes of one release agree."""
    base = Path(settings.BASE_DIR)
    roots = [Path(config.path) for config in apps.get_app_configs() if _is_ours(Path(config.path), base)]
    roots += [Path(folder) for engine in settings.TEMPLATES for folder in engine.get("DIRS", [])]
    roots += [Path(folder) for folder in settings.LOCALE_PATHS]
    files = {
        os.path.join(folder, name)
        for root in roots
        for folder, _dirs, names in os.walk(root)
        for name in names
        if name.endswith((".py", ".html", ".mo"))
    }
    files.add(os.path.join(settings.STATIC_ROOT or base, "staticfiles.json"))
    prefix = f"{base}{os.sep}"
    digest = hashlib.sha256()
    for path in sorted(files):
        if os.path.isfile(path):
            digest.update(path.removeprefix(prefix).encode())
            with open(path, "rb") as file:
                digest.update(file.read())
    return digest.hexdigest()[:16]


def page_key(request: HttpRequest, facility: Facility, today: datetime.date) -> tuple[str, int]:
    """The cache key of the page `request` asks for, and the facility's generation."""
    current = generation(facility.pk)
    parts = [
        release(),
        str(facility.pk),
        str(current),
        str(facility.version_in_force),
        translation.get_language(),
        today.isoformat(),
        request.get_full_path(),
    ]
    return "pagecache:page:" + hashlib.sha256("\n".join(parts).encode()).hexdigest(), current


# --- Serving ------------------------------------------------------------------------------------


def _page_ttl() -> int:
    return LOCAL_PAGE_TTL if isinstance(caches["default"], LocMemCache) else PAGE_TTL


def _etag(key: str, request: HttpRequest) -> str:
    secret = request.META.get("CSRF_COOKIE", "")
    return quote_etag(hashlib.sha256(f"{key}\n{secret}".encode()).hexdigest()[:32])


def _last_modified(current: int, today: datetime.date) -> float:
    midnight = timezone.make_aware(datetime.datetime.combine(today, datetime.time()))
    return max(current / 1e9, midnight.timestamp())


def _validators(response: HttpResponse, etag: str, last_modified: float) -> HttpResponse:
    response.headers["ETag"] = etag
    response.headers["Last-Modified"] = http_date(last_modified)
    patch_cache_control(response, private=True, no_cache=True)
    patch_vary_headers(response, ("Cookie",))
    return response


def _fill(html: str, request: HttpRequest) -> str:
    return html.replace(CSRF_SLOT, get_token(request)) if CSRF_SLOT in html else html


def serve(request: HttpRequest, facility: Facility, body: Body, *, queries: Collection[str] = ()) -> HttpResponse:
    """The page from the cache, or `body()` (template name and context, every query in it)
    rendered and stored. `queries`: the query strings, besides none, that the page is cached for."""
    query = request.META.get("QUERY_STRING", "")
    if request.method not in ("GET", "HEAD") or (query and query not in queries):
        template, context = body()
        response = HttpResponse(render_to_string(template, context, request))
        patch_cache_control(response, private=True, no_cache=True)
        return response
    today = timezone.localdate()
    key, current = page_key(request, facility, today)
    last_modified = _last_modified(current, today)
    etag = _etag(key, request)
    # None, or the 304 (412) that a matching If-None-Match or If-Modified-Since (If-Match) asks for.
    conditional = get_conditional_response(request, etag=etag, last_modified=int(last_modified))
    if conditional is not None:
        return _validators(conditional, etag, last_modified)
    html = cache.get(key)
    if html is None:
        template, context = body()
        html = render_to_string(template, {**context, **UNSHARED_CONTEXT}, request)
        cache.set(key, html, _page_ttl())
    lastcopy.remember(request, key)  # served while the database is away (charter_site.faults)
    html = _fill(html, request)  # before the ETag: a first visit gets its CSRF secret here
    return _validators(HttpResponse(html), _etag(key, request), last_modified)
