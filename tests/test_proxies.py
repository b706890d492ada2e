"""Which address a request comes from, and which scheme, behind our own proxies and only those."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from charter_site.proxies import TrustedProxyMiddleware, client_address
from charter_site.ratelimit import client_ip


def request(remote: str, forwarded_for: str = "", proto: str = "") -> HttpRequest:
    meta = {"REMOTE_ADDR": remote}
    if forwarded_for:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded_for
    if proto:
        meta["HTTP_X_FORWARDED_PROTO"] = proto
    return RequestFactory().get("/", **meta)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings: Any) -> None:
    settings.TRUSTED_PROXIES = []
    assert client_ip(request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


@pytest.mark.parametrize(
    ("remote", "forwarded_for", "expected"),
    [
        ("10.0.0.1", "198.51.100.1", "198.51.100.1"),  # nginx in front: the address it received from
        ("10.0.0.1", "1.2.3.4, 198.51.100.1", "198.51.100.1"),  # the sender wrote 1.2.3.4 itself
        ("10.0.0.1", "198.51.100.1, 10.0.0.2", "198.51.100.1"),  # two of our proxies in a row
        ("10.0.0.1", "", "10.0.0.1"),  # a request of the proxy's own
        ("10.0.0.1", "not-an-address", "10.0.0.1"),
        ("10.0.0.1", "1.2.3.4, nonsense, 198.51.100.1", "198.51.100.1"),
        ("203.0.113.7", "198.51.100.1", "203.0.113.7"),  # not our proxy: its header counts for nothing
        ("10.0.0.1", "2001:db8::1", "2001:db8::1"),
    ],
)
def test_behind_a_trusted_proxy_the_right_most_untrusted_address_is_the_client(
    settings: Any, remote: str, forwarded_for: str, expected: str
) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert client_address(request(remote, forwarded_for)) == expected


def test_forwarded_proto_counts_only_from_a_trusted_proxy(settings: Any) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    seen: list[bool] = []

    def view(req: HttpRequest) -> HttpResponse:
        seen.append(req.is_secure())
        return HttpResponse()

    middleware = TrustedProxyMiddleware(view)
    middleware(request("10.0.0.1", "198.51.100.1", proto="https"))
    forged = request("203.0.113.7", "198.51.100.1", proto="https")
    middleware(forged)
    assert seen == [True, False]
    assert "HTTP_X_FORWARDED_FOR" not in forged.META


def test_the_complaint_limit_counts_the_address_the_proxy_vouches_for(
    settings: Any, client: Any, facility: Any, published_charter: Any
) -> None:
    """Through our proxy, five complaints from one citizen fill the limit; another citizen
    behind the same proxy still gets through, and a forged header changes nothing."""
    from django.core.cache import cache
    from django.urls import reverse

    cache.clear()
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    settings.FEEDBACK_SUBMIT_RATE = (2, 600)
    url = reverse("public:feedback", args=[facility.slug])
    data = {"kind": "complaint", "description": "Antrean terlalu lama di loket pendaftaran."}

    def post(forwarded_for: str) -> int:
        return client.post(url, data, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded_for).status_code

    assert [post("198.51.100.1") for _ in range(3)][-1] == 429
    assert post("6.6.6.6, 198.51.100.1") == 429  # the sender's own entry is not believed
    assert post("198.51.100.2") != 429
