"""The public pages of a facility, rendered once and served from the cache before any query.

A published version never changes, so the charter page, a service's page, the list of versions,
an old version, the changes between two versions and the survey's results are rendered once and
then served by `PageCacheMiddleware` from Django's cache (`django.core.cache.cache`, Redis in
production): no session, no user, no query, one cache read. A stored `Page` is found by its
*address key*, built without the database:

- the release (`release()`: templates, code, translations and static file names of this deployment),
- the language, the day (the review-overdue notice and the promise summary of the last three months
  follow the date; a version scheduled for a day is published by the first request of that day,
  `public_facility`) and the address with its host and query string (`?print=1` opens every
  part).

A page also names the *generations* it was rendered under: values in the cache, named by the
facility's slug, that `bump()` replaces when something it shows changes. `PAGES`, for every page
of the facility: a version published or scheduled, a revision opened for or closed from consultation, a review or an
evaluation moving the next review date (any save of a `Charter`), the facility's profile (any save
of the `Facility`), an evaluation round (the monitoring app connects its model with
`invalidate_on_change`). `SURVEY`, for the survey's results: any answer stored, changed or deleted,
and the survey periods. The middleware serves a page only while every generation it names is
still current (the page and the generations of the slug in its address come in one read), so a
bump switches the facility's pages at once, on every node sharing the cache; a facility given a
new address retires the pages of the old one.

Bumps run on commit: a rolled-back publish bumps nothing, and a page rendered from the data before
the commit names the generation that the commit replaces, so it is never served again. With a
per-process cache (LocMemCache, the default of `make run`) a bump reaches only its own process, so
its pages live `LOCAL_PAGE_TTL` seconds only; production shares Redis.

The stored page is the same for every visitor: nothing in the public pages depends on who asks
(the language switcher is a pair of links, not a form with a CSRF token) and the session's messages
are not shown (they wait for the next page that is not cached). It is stored gzip-compressed, once:
a client that accepts gzip gets those bytes as they are, one that does not gets them inflated.
Compressing is safe here, as no secret sits beside text a visitor can choose (BREACH, README).

HTTP: a weak `ETag` (the key and the generations) and `Last-Modified` (the latest generation's
time, or midnight when the day changed the key); a matching `If-None-Match` or `If-Modified-Since`
answers 304. `Cache-Control: public, no-cache` unless the view says otherwise: a proxy may keep the
page but must ask again, because a publication must show at once; asking costs a 304 of a few
hundred bytes. The language comes from the switcher's cookie (`charter_site.language`), hence
`Vary: Cookie`.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import gzip
import hashlib
import os
import re
import time
from collections.abc import Callable, Collection, Iterable
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db import models, transaction
from django.db.models import OuterRef, Subquery
from django.db.models.signals import post_delete, post_save, pre_save
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from charter_site import language, lastcopy

from .models import Charter, CharterStatus, Facility
from .services import take_effect

PAGE_TTL = 3600  # seconds: bounds the memory of rarely read pages; a busy page is rendered once an hour
LOCAL_PAGE_TTL = 60  # seconds, with a cache of its own in each process (see the module docstring)
PAGES = "pages"  # the generation every public page of a facility names
SURVEY = "survey"  # the generation the survey's results name besides
PUBLIC_CACHE_CONTROL: dict[str, Any] = {"public": True, "no_cache": True}
# Headers of the rendered response that are not the page's: set anew on every response.
PER_RESPONSE_HEADERS = {"content-length", "content-encoding", "set-cookie"}
ACCEPTS_GZIP = re.compile(r"\bgzip\b")

Render = Callable[[], HttpResponse]
Body = Callable[[], tuple[str, dict[str, Any]]]


# --- Generations ---------------------------------------------------------------------------------


def generation_key(slug: str, scope: str = PAGES) -> str:
    return f"pagecache:generation:{scope}:{slug}"


def generation(slug: str, scope: str = PAGES) -> int:
    """The facility's current generation in `scope`: the time, in nanoseconds, of its last bump
    (or of the first page rendered after the cache lost it). Named by the slug, the part of the
    address the middleware reads, so that the page and its generations come in one cache read."""
    key = generation_key(slug, scope)
    value = cache.get(key)
    if value is None:
        cache.add(key, time.time_ns(), timeout=None)
        value = cache.get(key, time.time_ns())
    return value


def bump(slug: str, scope: str = PAGES) -> None:
    """Retire every cached page of the facility that names this generation."""
    cache.set(generation_key(slug, scope), time.time_ns(), timeout=None)


def _bump_facility(facility_id: int, scope: str) -> None:
    for slug in Facility.objects.filter(pk=facility_id).values_list("slug", flat=True):
        bump(slug, scope)


def bump_on_commit(facility_id: int, scope: str = PAGES) -> None:
    transaction.on_commit(functools.partial(_bump_facility, facility_id, scope))


def invalidate_on_change(model: type[models.Model], facility_of: Callable[[Any], int], scope: str = PAGES) -> None:
    """Bump the facility's generation on commit whenever a row of `model` is saved or deleted:
    for what the public pages show that changes without a new version. `facility_of(row)` gives
    the facility's id. Apps built on `charters` call it for their own models in `ready()`."""

    def changed(sender: type[models.Model], instance: Any, **kwargs: Any) -> None:
        bump_on_commit(facility_of(instance), scope)

    uid = f"pagecache:{scope}:{model._meta.label}"
    post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid)
    post_delete.connect(changed, sender=model, weak=False, dispatch_uid=uid)


def _renamed(sender: type[Facility], instance: Facility, raw: bool = False, **kwargs: Any) -> None:
    """A facility's new web address: its pages at the old one are retired too (post_save bumps
    the new one)."""
    if raw or instance.pk is None:
        return
    old = Facility.objects.filter(pk=instance.pk).values_list("slug", flat=True).first()
    if old and old != instance.slug:
        for scope in (PAGES, SURVEY):
            transaction.on_commit(functools.partial(bump, old, scope))


pre_save.connect(_renamed, sender=Facility, dispatch_uid="pagecache:renamed")


# --- The address key -----------------------------------------------------------------------------


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


def address_key(request: HttpRequest, today: datetime.date | None = None) -> str:
    """Where the page `request` asks for is stored: the release, the language, the day, the address
    (with the host and scheme: a page may print its own absolute address, as a QR code does)."""
    day = today or timezone.localdate()
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    parts = [release(), language.chosen(request), day.isoformat(), address]
    return "pagecache:page:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


@functools.cache
def public_prefix() -> str:
    """The start of every cached address: the facilities' public pages."""
    return reverse("public:charter", args=["slug"]).removesuffix("slug/")


# --- The stored page -----------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Page:
    """A rendered public page as the cache keeps it."""

    compressed: bytes  # the body, gzip
    headers: tuple[tuple[str, str], ...]
    generations: tuple[tuple[str, int], ...]  # (generation key, value) it was rendered under
    etag: str
    last_modified: float

    def is_current(self, current: dict[str, Any]) -> bool:
        """Whether every generation it names has the value it was rendered under in `current`."""
        return all(current.get(key) == value for key, value in self.generations)

    def response(self, request: HttpRequest) -> HttpResponse:
        """The page for `request`: a 304 when the client has it, compressed when it may be."""
        conditional = get_conditional_response(request, etag=self.etag, last_modified=int(self.last_modified))
        if conditional is not None:
            response: HttpResponse = conditional
        else:
            compressed = bool(ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")))
            body = self.compressed if compressed else gzip.decompress(self.compressed)
            response = HttpResponse(b"" if request.method == "HEAD" else body)
            response["Content-Length"] = str(len(body))
            if compressed:
                response["Content-Encoding"] = "gzip"
        for name, value in self.headers:
            if conditional is None or name.lower() not in ("content-type", "content-language"):
                response[name] = value
        return response


@dataclasses.dataclass(frozen=True)
class Pending:
    """What a view's cacheable response carries until the middleware stores it."""

    key: str
    generations: tuple[tuple[str, int], ...]
    etag: str
    last_modified: float


def _page_ttl() -> int:
    return LOCAL_PAGE_TTL if isinstance(caches["default"], LocMemCache) else PAGE_TTL


def _storable(response: HttpResponseBase) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not response.has_header("Content-Encoding")
    )


def store(request: HttpRequest, response: HttpResponse, pending: Pending) -> None:
    patch_vary_headers(response, ("Accept-Encoding",))  # the page is served compressed when accepted
    headers = tuple((name, value) for name, value in response.items() if name.lower() not in PER_RESPONSE_HEADERS)
    page = Page(
        compressed=gzip.compress(response.content, mtime=0),
        headers=headers,
        generations=pending.generations,
        etag=pending.etag,
        last_modified=pending.last_modified,
    )
    cache.set(pending.key, page, _page_ttl())
    lastcopy.remember(request, pending.key)  # served while the database is away (charter_site.faults)


def lookup(request: HttpRequest) -> Page | None:
    """The stored page for `request`, if every generation it names is still current: one read of
    the page with the generations of the facility its address names."""
    slug = request.path.removeprefix(public_prefix()).partition("/")[0]
    key = address_key(request)
    found = cache.get_many([key, *(generation_key(slug, scope) for scope in (PAGES, SURVEY))])
    page = found.get(key)
    return page if isinstance(page, Page) and page.is_current(found) else None


class PageCacheMiddleware:
    """Serve a stored public page before sessions, users and the database; store what a view
    marked as cacheable (`serve`), with every header the middleware below it added.

    Placed before everything that reads the session, the language or the user, so that a stored
    page costs one cache read; the language of the key is read from the switcher's cookie."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method in ("GET", "HEAD") and request.path.startswith(public_prefix()):
            page = lookup(request)
            if page is not None:
                return page.response(request)
        response = self.get_response(request)
        pending = getattr(response, "pagecache", None)
        if isinstance(pending, Pending) and isinstance(response, HttpResponse) and _storable(response):
            store(request, response, pending)
        return response


# --- Views ---------------------------------------------------------------------------------------


def public_facility(slug: str) -> Facility:
    """The facility of a public page, with `version_in_force` (None before its first publication),
    after publishing a scheduled version whose day has come. Two queries (more on that day)."""
    in_force = Charter.objects.filter(facility=OuterRef("pk"), status=CharterStatus.PUBLISHED).values("version")
    facility = get_object_or_404(Facility.objects.annotate(version_in_force=Subquery(in_force[:1])), slug=slug)
    published = take_effect(facility)
    if published is not None:
        facility.version_in_force = published.version
    return facility


def _last_modified(values: Iterable[int], today: datetime.date) -> float:
    midnight = timezone.make_aware(datetime.datetime.combine(today, datetime.time()))
    return max(max(values) / 1e9, midnight.timestamp())


def _validators(response: HttpResponseBase, pending: Pending, cache_control: dict[str, Any]) -> None:
    response.headers["ETag"] = pending.etag
    response.headers["Last-Modified"] = http_date(pending.last_modified)
    if not response.has_header("Cache-Control"):
        patch_cache_control(response, **cache_control)


def serve_response(
    request: HttpRequest,
    facility: Facility,
    render: Render,
    *,
    queries: Collection[str] | None = (),
    scopes: Collection[str] = (PAGES,),
    cache_control: dict[str, Any] = PUBLIC_CACHE_CONTROL,
) -> HttpResponse:
    """`render()`'s response, marked for the middleware to store: the page is rendered once per
    address key and generations. `queries`: the query strings, besides none, that the page is cached
    for (None: any, for a view that refuses what it does not know). `scopes`: the generations the
    page depends on."""
    query = request.META.get("QUERY_STRING", "")
    if request.method not in ("GET", "HEAD") or (query and queries is not None and query not in queries):
        response = render()
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, **cache_control)
        return response
    today = timezone.localdate()
    generations = tuple((generation_key(facility.slug, scope), generation(facility.slug, scope)) for scope in scopes)
    key = address_key(request, today)
    tag = hashlib.sha256(repr((key, generations)).encode()).hexdigest()[:32]
    pending = Pending(
        key=key,
        generations=generations,
        etag=f'W/"{tag}"',
        last_modified=_last_modified((value for _key, value in generations), today),
    )
    # None, or the 304 (412) that a matching If-None-Match or If-Modified-Since (If-Match) asks for.
    conditional = get_conditional_response(request, etag=pending.etag, last_modified=int(pending.last_modified))
    if conditional is not None:
        _validators(conditional, pending, cache_control)
        return conditional
    response = render()
    _validators(response, pending, cache_control)
    if response.status_code == 200:
        response.pagecache = pending  # type: ignore[attr-defined]
    return response


def serve(request: HttpRequest, facility: Facility, body: Body, *, queries: Collection[str] = ()) -> HttpResponse:
    """The page that `body()` names (template name and context, every query in it), through the
    page cache. The session's messages are left for a page that is not cached."""

    def render() -> HttpResponse:
        template, context = body()
        return HttpResponse(render_to_string(template, {**context, "messages": ()}, request))

    return serve_response(request, facility, render, queries=queries)
