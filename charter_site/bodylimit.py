"""Request bodies: refused above `MAX_REQUEST_BODY` before a byte is read, and an upload the
multipart parser cannot read gives the form back with an error next to its file field.

- Django caps the text of a form (`DATA_UPLOAD_MAX_MEMORY_SIZE`) but not its files: a 2 GB body
  would be streamed to a temporary file before any form looked at it. The cap is checked on the
  declared `Content-Length`; WSGI servers give Django no more than that length (Django wraps
  `wsgi.input` in a `LimitedStream` of it), and a body sent without one (chunked) is read as
  empty, so the declared length is the most that is ever read. nginx refuses larger bodies too
  (`client_max_body_size` in deploy/nginx.conf, the same number) and passes the refused request
  on without its bytes, declaring a length over any cap, so that this page answers it. (Under
  ASGI, Django reads the whole body before any middleware runs: the cap is for WSGI, as deployed.)
- A refused body cannot be shown back (it was not read), but the browser still holds the form:
  the 413 page says the limit and that the Back button returns to the form with what was typed.
  Rendering the form instead would need the view and would show it empty, which is worse.
- Django's parser refuses a part whose headers exceed 1,024 bytes (a file name of several hundred
  characters, e.g. in a script of three bytes a letter) and too many files or fields, with a bare
  400. `ForgivingMultiPartParser` keeps the fields read before the part that failed and gives
  every file field a `RefusedUpload`, which the form reports as the field's error; the view goes
  on as for any invalid form (status 200, the form with what was typed).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, NoReturn

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.multipartparser import MultiPartParser, MultiPartParserError
from django.shortcuts import render
from django.utils.datastructures import MultiValueDict
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

NAME_TOO_LONG = _(
    "This file could not be received, most likely because its name is too long. Rename it with a short "
    "name (e.g. “photo.jpg”) and choose it again."
)
FORM_TOO_LARGE = _("The form could not be read in full (too many files or fields). Choose the file again and send.")


def declared_length(request: HttpRequest) -> int:
    """The body's length as the client declared it; 0 when absent or not a number, as Django
    reads it (and then reads nothing)."""
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


class RequestBodyLimitMiddleware:
    """Refuse a body over `MAX_REQUEST_BODY` with the 413 page, and read multipart forms with
    `ForgivingMultiPartParser`.

    It only looks at headers, so it may sit anywhere before the first reader of `request.POST`:
    Django runs every middleware's request side before any `process_view` (CSRF reads the POST
    there) and before the view. It sits after the middleware whose headers and language the 413
    page needs.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if declared_length(request) > settings.MAX_REQUEST_BODY:
            return too_large(request)
        request.multipart_parser_class = ForgivingMultiPartParser
        return self.get_response(request)


def megabytes(size: int) -> int:
    return max(size // (1024 * 1024), 1)  # rounded down: whatever is under the number shown passes


def too_large(request: HttpRequest) -> HttpResponse:
    logger.info("Request body of %s bytes refused on %s", declared_length(request), request.path)
    # The Back button keeps what was typed; a link can only open the form afresh.
    referer = request.headers.get("Referer", "")
    safe = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    context = {"limit_mb": megabytes(settings.MAX_REQUEST_BODY), "back_url": referer if safe else ""}
    response = render(request, "413.html", context, status=413)
    response["Cache-Control"] = "no-store"
    return response


class RefusedUpload:
    """What a file field receives when the multipart body could not be read: reading its name,
    as Django's FileField does first, raises the error the form shows next to the field."""

    def __init__(self, message: str | Promise) -> None:
        self.message = message

    def __bool__(self) -> bool:  # a file was sent, so an optional field does not pass as empty
        return True

    @property
    def name(self) -> NoReturn:
        raise ValidationError(self.message, code="unreadable_upload")

    size = name


class RefusedFiles(MultiValueDict):
    """`request.FILES` after a refusal: every file field of the form gets the `RefusedUpload`
    (the part that failed does not say which field it belonged to)."""

    def __init__(self, upload: RefusedUpload) -> None:
        super().__init__()
        self.upload = upload

    def __bool__(self) -> bool:  # `request.FILES or None` must not drop the refusal
        return True

    def __contains__(self, key: object) -> bool:
        return True

    def __getitem__(self, key: str) -> Any:
        return self.upload

    def get(self, key: str, default: Any = None) -> Any:
        return self.upload

    def getlist(self, key: str, default: Any = None) -> list[Any]:
        return [self.upload]


class ForgivingMultiPartParser(MultiPartParser):
    """Django's parser, except that a part it refuses becomes a form error instead of a 400."""

    def parse(self) -> tuple[QueryDict, MultiValueDict]:
        try:
            return super().parse()
        except MultiPartParserError as exc:
            return self._refused(exc, NAME_TOO_LONG)
        except (TooManyFilesSent, TooManyFieldsSent, RequestDataTooBig) as exc:
            return self._refused(exc, FORM_TOO_LARGE)

    def _refused(self, exc: Exception, message: str | Promise) -> tuple[QueryDict, MultiValueDict]:
        logger.info("Multipart form refused: %s", exc)
        # The fields read before the part that failed: the CSRF token and the text typed above
        # the file field (our forms put the file last). Django's parser fills `_post` as it
        # reads; tests/test_request_limits.py notices if a Django upgrade changes that.
        post = getattr(self, "_post", None)
        if not isinstance(post, QueryDict):
            post = QueryDict(mutable=True)
        post._mutable = False
        return post, RefusedFiles(RefusedUpload(message))
