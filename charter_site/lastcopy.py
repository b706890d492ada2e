"""The last copy of each cached public page, for when the database is away.

The page cache (`charters.pagecache`) serves a stored page only while the generations it names are
current and only on the day it was rendered for; the first request after a change or after
midnight renders the page anew, which needs the database. So the page cache also remembers here,
per address and language, the key of the copy it stored last; while the database cannot be
reached, `charter_site.faults` serves that copy instead of a 503, so a citizen scanning the
charter's QR code still reads it. The copy itself lives as long as the page
cache keeps it (an hour after it was rendered, `charters.pagecache.PAGE_TTL`): memory stays bounded
by the pages read recently, and those are the ones a crowd asks for.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

LAST_COPY_TTL = 24 * 3600  # seconds: the pointer; the copy it names may expire sooner


def _pointer(request: HttpRequest) -> str:
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    # Hashed: the query string is the visitor's to choose, and a key over 250 characters is not
    # portable between cache backends (memcached refuses it).
    address = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"lastcopy:{language}:{address}"


def remember(request: HttpRequest, key: str) -> None:
    """Note that the page at this address and language was last stored under `key`."""
    cache.set(_pointer(request), key, LAST_COPY_TTL)


def recall(request: HttpRequest) -> Any:
    """The last copy served at this address and language (a GET only), if the cache still has it."""
    if request.method not in ("GET", "HEAD"):
        return None
    try:
        key = cache.get(_pointer(request))
        return cache.get(key) if key else None
    except Exception:  # the cache is away too: nothing to serve
        return None
