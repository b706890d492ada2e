"""Language choice: Bahasa Indonesia unless the visitor picked another language.

The switcher in every page's header is a pair of links to `switch`, which sets the language cookie
and returns to the page. Links, not a form: a page then carries nothing of its visitor (no CSRF
token), so the public pages are stored once and served to everyone (`charters.pagecache`). The
cost is that another site can switch a visitor's language with a link, which changes nothing but
the language.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_safe


def supported() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


def chosen(request: HttpRequest) -> str:
    """The language the visitor chose with the switcher (its cookie), else LANGUAGE_CODE."""
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
    return language if language in supported() else settings.LANGUAGE_CODE


class LanguageMiddleware:
    """Activate the language from the switcher's cookie, else LANGUAGE_CODE.

    Django's LocaleMiddleware would follow the browser's Accept-Language header; most
    phones and shared computers here are set to English while their users read Bahasa
    Indonesia, so the default is the site's language and English is one click away.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = chosen(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


@require_safe
def switch(request: HttpRequest, language: str) -> HttpResponseRedirect:
    """Remember `language` in the cookie and go back to `?next=` (an address of this site only)."""
    if language not in supported():
        raise Http404("No such language")
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    add_never_cache_headers(response)
    return response
