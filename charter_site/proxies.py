"""The client's address and scheme behind the proxies we run, and only those.

`X-Forwarded-For` and `X-Forwarded-Proto` are whatever the sender writes, unless our own proxy (a
load balancer, nginx) set them. `TRUSTED_PROXIES` (settings, from the environment) lists the
addresses or networks of those proxies:

- the client's address (`client_address`) is `REMOTE_ADDR`; when the request came from a trusted
  proxy, it is the right-most address of `X-Forwarded-For` that is not itself a trusted proxy
  (each proxy appends the address it received the request from, so the addresses to the left of
  it are the sender's to invent);
- `TrustedProxyMiddleware`, first in the chain, removes the forwarded headers of a request that
  did not come from a trusted proxy, so `SECURE_PROXY_SSL_HEADER` (`X-Forwarded-Proto`) and
  anything else downstream can only read what our proxy wrote.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
FORWARDED_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST", "HTTP_FORWARDED")


@lru_cache(maxsize=8)
def trusted_networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    try:
        return tuple(ipaddress.ip_network(proxy.strip(), strict=False) for proxy in proxies)
    except ValueError as exc:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {exc}") from exc


def _networks() -> tuple[Network, ...]:
    return trusted_networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))


def _parse(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return None


def is_trusted(address: str, networks: Iterable[Network] | None = None) -> bool:
    parsed = _parse(address)
    return parsed is not None and any(parsed in network for network in (networks or _networks()))


def client_address(request: HttpRequest) -> str:
    """The address the request came from, as far as our own proxies vouch for it."""
    remote = request.META.get("REMOTE_ADDR", "")
    networks = _networks()
    if not networks or not is_trusted(remote, networks):
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for address in reversed(forwarded):
        parsed = _parse(address)
        if parsed is None:
            break  # garbage from further left than our proxies: stop at the last good hop
        if not is_trusted(address, networks):
            return str(parsed)
        remote = str(parsed)
    return remote


class TrustedProxyMiddleware:
    """Drop the forwarded headers of requests that did not come from a trusted proxy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_trusted(request.META.get("REMOTE_ADDR", "")):
            for header in FORWARDED_HEADERS:
                request.META.pop(header, None)
        return self.get_response(request)
