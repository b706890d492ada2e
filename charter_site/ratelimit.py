"""A fixed-window rate limit per sender address, kept in Django's cache, and the page that
refuses a request past it.

`add` starts the window and `incr` is atomic in the cache backends, so two requests at once
cannot both take the last slot. With several server processes or nodes, the cache must be shared
(`CACHE_URL=redis://…`); the default local-memory cache counts per process.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .proxies import client_address


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR, or behind our own proxies (`TRUSTED_PROXIES`) the address they received the
    request from: a forwarded-for header from anyone else is the sender's to choose, and would let
    one sender escape the limit."""
    return client_address(request)


def take_slot(scope: str, address: str, limit: int, window: int) -> bool:
    """Count one request of `scope` from `address`; False once the window's `limit` is used up."""
    key = f"ratelimit:{scope}:{address or 'unknown'}"
    cache.add(key, 0, timeout=window)
    try:
        used = cache.incr(key)
    except ValueError:  # the window expired between add and incr: start a new one
        cache.add(key, 1, timeout=window)
        used = 1
    return used <= limit


def is_limited(scope: str, address: str, limit: int) -> bool:
    """Whether `address` already used up its window for `scope`, without counting a request."""
    return (cache.get(f"ratelimit:{scope}:{address or 'unknown'}") or 0) >= limit


def too_many_requests(
    request: HttpRequest, template_name: str, context: Mapping[str, Any], rate: tuple[int, int]
) -> HttpResponse:
    """Status 429: the page says how many requests the window of `rate` (limit, seconds)
    allows, as `limit` and `minutes` in its context, and `Retry-After` says when to try again.
    The page should show back what the sender wrote, so that nothing is lost."""
    limit, window = rate
    response = render(request, template_name, {**context, "limit": limit, "minutes": max(1, window // 60)}, status=429)
    response["Retry-After"] = str(window)
    return response
