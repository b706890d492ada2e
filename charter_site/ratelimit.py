"""Rate limits kept in Django's cache, and the page that refuses a request past one.

`take_slot` is a fixed-window count per sender address (the password reset and wrong tracking
codes use it as it is). `add` starts the window and `incr` is atomic in the cache backends, so
two requests at once cannot both take the last slot. With several server processes or nodes, the
cache must be shared (`CACHE_URL=redis://…`); the default local-memory cache counts per process.

The everyday limits (survey answers, complaints, comments on a draft: `admit`) cannot be per
address alone. A Puskesmas's free Wi-Fi and the mobile carriers' shared addresses (CGNAT) put many
citizens behind one address, and a limit per address would refuse the fortieth phone in a
waiting room that answers the survey from a QR code. So every post counts in up to three buckets:

- **per browser**: the address together with a random id in a signed, long-lived, HttpOnly,
  SameSite=Lax cookie (`BROWSER_COOKIE`). The everyday limit (`FEEDBACK_SUBMIT_RATE`, …) is this
  one; a script that keeps its cookie meets it like a phone does.
- **without a token**, per address and small (`TOKENLESS_SUBMIT_LIMIT`): a post whose cookie is
  missing or forged (the signature is checked) counts here. A script that drops its cookies gets
  a fresh token with every answer, so a fresh token alone buys nothing: the post that earns a
  token counts in the bucket of that token too, and a browser that keeps it carries on from there.
- **the ceiling**, per address and large (`…_ADDRESS_CEILING`): every post admitted by the buckets
  above, whatever its token, so that a script fetching a fresh cookie before each post is still
  stopped. A post refused above does not count here: one phone pressing "send" again and again
  does not lock its neighbours on the same Wi-Fi out. A facility's head may mark its own public
  address as the waiting-room network (feedback settings); its own forms then pass the higher
  `WAITING_ROOM_CEILING` from inside it, and the two buckets above stay as they are.

IPv6 addresses count by their /64: one subscriber (one phone, one home router) gets a /64 and may
use any address in it, so counting single addresses would give a script 2^64 fresh windows.

The cookie is issued on the form pages (never cached: they carry a CSRF token) and on the answer
to a post, never on a page that `charters.pagecache` stores: a response that gives a browser its
token says `Cache-Control: private`, and the page cache refuses responses with cookies.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import ipaddress
import re
import secrets
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.cache import patch_cache_control

from .proxies import Network, client_address

BROWSER_COOKIE = "maklumat_browser"
BROWSER_SALT = "charter_site.ratelimit.browser"
BROWSER_COOKIE_AGE = 400 * 24 * 3600  # the longest browsers keep a cookie
BROWSER_TOKEN_BYTES = 24  # 32 characters of token_urlsafe
BROWSER_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")
IPV6_SUBSCRIBER_PREFIX = 64
_SENDER = "_ratelimit_sender"  # the request's Sender, so that a post counts and is answered with one token


def client_ip(request: HttpRequest) -> str:
    """REMOTE_ADDR, or behind our own proxies (`TRUSTED_PROXIES`) the address they received the
    request from: a forwarded-for header from anyone else is the sender's to choose, and would let
    one sender escape the limit."""
    return client_address(request)


def take_slot(scope: str, address: str, limit: int, window: int) -> bool:
    """Count one request of `scope` from `address`; False once the window's `limit` is used up."""
    key = _counter(scope, address)
    cache.add(key, 0, timeout=window)
    try:
        used = cache.incr(key)
    except ValueError:  # the window expired between add and incr: start a new one
        cache.add(key, 1, timeout=window)
        used = 1
    return used <= limit


def is_limited(scope: str, address: str, limit: int) -> bool:
    """Whether `address` already used up its window for `scope`, without counting a request."""
    return (cache.get(_counter(scope, address)) or 0) >= limit


def _counter(scope: str, address: str) -> str:
    """The cache key of `scope`'s count for `address`; an IPv6 sender counts by its whole /64
    (`address_key`), whatever part of it each request comes from. Keys that are no address (an
    e-mail, a browser's bucket) are kept as they are."""
    return f"ratelimit:{scope}:{address_key(address)}"


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


# --- Addresses and networks ----------------------------------------------------------------------


def _parsed(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        parsed = ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return None
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is not None:
        return parsed.ipv4_mapped  # ::ffff:36.90.12.7 is 36.90.12.7 (a dual-stack server's view)
    return parsed


def address_key(address: str) -> str:
    """What the limits count an address as: an IPv4 address itself, an IPv6 address by its /64."""
    parsed = _parsed(address)
    if parsed is None:
        return address or "unknown"
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((parsed, IPV6_SUBSCRIBER_PREFIX), strict=False))
    return str(parsed)


def in_networks(address: str, networks: Iterable[Network]) -> bool:
    """Whether `address` lies in one of `networks` (False for an address that does not parse)."""
    parsed = _parsed(address)
    return parsed is not None and any(parsed in network for network in networks)


# --- The browser's token -------------------------------------------------------------------------


def _cookie_signer() -> signing.TimestampSigner:
    # The signer of `request.get_signed_cookie` / `response.set_signed_cookie`.
    return signing.get_cookie_signer(salt=BROWSER_COOKIE + BROWSER_SALT)


def unsign_token(value: str) -> str:
    """The token in a cookie value, "" when the value is not one we signed (forged, altered,
    older than `BROWSER_COOKIE_AGE`) or not a token."""
    try:
        token = _cookie_signer().unsign(value, max_age=BROWSER_COOKIE_AGE)
    except signing.BadSignature:
        return ""
    return token if BROWSER_TOKEN.fullmatch(token) else ""


@dataclasses.dataclass(frozen=True)
class Sender:
    """Who sent a request, as the limits see it: the address, and the browser's token from its
    signed cookie ("" when it came without a valid one); `issued`, the token its answer gives it
    then."""

    address: str
    token: str = ""
    issued: str = ""


def sender(request: HttpRequest) -> Sender:
    """The request's sender; the same object (and new token) for the whole request."""
    found = getattr(request, _SENDER, None)
    if found is None:
        token = unsign_token(request.COOKIES.get(BROWSER_COOKIE, ""))
        issued = "" if token else secrets.token_urlsafe(BROWSER_TOKEN_BYTES)
        found = Sender(address=client_ip(request), token=token, issued=issued)
        setattr(request, _SENDER, found)
    return found


def remember_browser(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
    """Give the browser its token when it came without one. The response is then this browser's
    alone: no proxy, browser cache or page cache may keep it for anyone else."""
    issued = sender(request).issued
    if issued:
        response.set_cookie(
            BROWSER_COOKIE,
            _cookie_signer().sign(issued),
            max_age=BROWSER_COOKIE_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
        # Private (no shared cache keeps it), but not no-store: the page holds nothing of the
        # visitor's, so it is still compressed (charter_site/compression.py) for a slow phone.
        patch_cache_control(response, private=True)
    return response


def gives_browser_token(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Decorate a view whose page holds a form under the everyday limits (or takes its post):
    its response gives the browser its token when it has none (`remember_browser`). Never for
    a page that `charters.pagecache` stores."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return remember_browser(request, view(request, *args, **kwargs))

    return wrapped


# --- The everyday limits -------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class EverydayLimit:
    """One kind of post's limits within one window: per browser (`rate`: posts, seconds), per
    address without a token (`tokenless`), per address whatever the token (`ceiling`), and the
    same from inside a facility's waiting-room network (`waiting_room`)."""

    rate: tuple[int, int]
    ceiling: int
    tokenless: int
    waiting_room: int

    @classmethod
    def of(cls, rate: tuple[int, int], ceiling: int) -> EverydayLimit:
        """From the settings: `rate` per browser and `ceiling` per address; the tokenless limit
        (`TOKENLESS_SUBMIT_LIMIT`) never gives more than a browser with a token gets, and the
        waiting room (`WAITING_ROOM_CEILING`) never less than anywhere else."""
        per_browser, window = int(rate[0]), int(rate[1])
        return cls(
            rate=(per_browser, window),
            ceiling=int(ceiling),
            tokenless=min(int(settings.TOKENLESS_SUBMIT_LIMIT), per_browser),
            waiting_room=max(int(settings.WAITING_ROOM_CEILING), int(ceiling)),
        )


def _browser_key(address: str, token: str) -> str:
    # Hashed: the cache need not hold tokens that would let their reader pose as a browser.
    return hashlib.sha256(f"{address}|{token}".encode()).hexdigest()[:32]


def admit(scope: str, who: Sender, limit: EverydayLimit, *, waiting_room: bool = False) -> bool:
    """Count one post of `scope` from `who`; False when it is past a limit (module docstring).
    `waiting_room`: the post is for a facility from inside the network its head marked as the
    facility's waiting room, and gets that ceiling."""
    per_browser, window = limit.rate
    address = address_key(who.address)
    if who.token:
        personal = take_slot(f"{scope}:browser", _browser_key(address, who.token), per_browser, window)
    else:
        personal = take_slot(f"{scope}:tokenless", address, limit.tokenless, window)
        if personal and who.issued:  # the post counts for the token it earns
            personal = take_slot(f"{scope}:browser", _browser_key(address, who.issued), per_browser, window)
    if not personal:
        return False
    return take_slot(f"{scope}:address", address, limit.waiting_room if waiting_room else limit.ceiling, window)
