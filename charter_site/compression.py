"""Gzip for the pages anyone may see; nothing private is compressed (BREACH, see the README)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware


def is_private(request: HttpRequest, response: HttpResponseBase) -> bool:
    """Whether the response may carry something one person must not learn about another.

    A signed-in user's pages show complainants' names and case text beside search boxes that
    echo what is typed: the setting BREACH needs. A citizen's own pages (a tracking code, what was
    typed into a form) say `Cache-Control: no-store` for the same reason. The cached public pages,
    the same for everyone, arrive compressed already (`charters.pagecache`).
    """
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    return "no-store" in response.get("Cache-Control", "").lower()


class PublicGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware (with its random gzip header length) for public responses only."""

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if is_private(request, response):
            return response
        return super().process_response(request, response)
