"""Response headers that pages of both apps share."""

from __future__ import annotations

from django.http import HttpResponse

# Pages only whoever has the link should find (a draft in consultation, a tracked case).
NOINDEX = "noindex, nofollow"


def noindex(response: HttpResponse) -> HttpResponse:
    """Ask search engines not to index the page nor follow its links."""
    response["X-Robots-Tag"] = NOINDEX
    return response
