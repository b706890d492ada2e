"""Open data: each published charter as JSON, and the national catalogue as JSON pages and CSV
(`charters/opendata.py` builds the records; `docs/charter.schema.json` documents them). Anyone may
read them from any site (CORS); they are cached like the pages they mirror."""

from __future__ import annotations

from django.core.cache import cache
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from .. import opendata, pagecache
from ..models import CharterStatus
from .public import charter_with_content, published_charter_or_none

CATALOGUE_PAGE = 100  # charters per page of the catalogue
CATALOGUE_SECONDS = 600  # how long a page of the catalogue may be served as it was


def _open(response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def charter_json(request: HttpRequest, slug: str) -> HttpResponse:
    """The facility's charter in force, with its 14 components per service; 404 before one."""
    facility = pagecache.public_facility(slug)

    def record() -> HttpResponse:
        charter = published_charter_or_none(facility)
        if charter is None:
            return _open(JsonResponse({"error": "no published charter"}, status=404))
        charter.facility = facility
        return _open(JsonResponse(opendata.charter_record(charter, request.build_absolute_uri)))

    return pagecache.serve_response(request, facility, record)


def _catalogue() -> Paginator:
    charters = charter_with_content(public=True).filter(status=CharterStatus.PUBLISHED)
    return Paginator(charters.order_by("facility__slug"), CATALOGUE_PAGE)


@require_safe
def catalogue_json(request: HttpRequest) -> HttpResponse:
    """Every published charter, `CATALOGUE_PAGE` a page (`?page=`), with links to the next."""
    key = f"opendata:catalogue:{pagecache.release()}:{request.get_host()}:{request.GET.get('page', '1')}"
    body = cache.get(key)
    if body is None:
        try:
            page = _catalogue().page(request.GET.get("page", 1))
        except (EmptyPage, PageNotAnInteger):
            return _open(JsonResponse({"error": "no such page"}, status=404))
        here = request.build_absolute_uri(reverse("public:open_charters_json"))
        body = {
            "schema_version": opendata.SCHEMA_VERSION,
            "count": page.paginator.count,
            "page": page.number,
            "pages": page.paginator.num_pages,
            "next": f"{here}?page={page.next_page_number()}" if page.has_next() else None,
            "previous": f"{here}?page={page.previous_page_number()}" if page.has_previous() else None,
            "charters": [opendata.charter_record(charter, request.build_absolute_uri) for charter in page],
        }
        cache.set(key, body, CATALOGUE_SECONDS)
    response = _open(JsonResponse(body))
    patch_cache_control(response, public=True, max_age=CATALOGUE_SECONDS)
    return response


@require_safe
def catalogue_csv(request: HttpRequest) -> StreamingHttpResponse:
    """Every service of every published charter, one row each, streamed as it is read."""
    charters = charter_with_content(public=True).filter(status=CharterStatus.PUBLISHED).order_by("facility__slug")
    records = opendata.published(charters, request.build_absolute_uri)
    response = StreamingHttpResponse(opendata.csv_lines(records), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="charters.csv"'
    patch_cache_control(response, public=True, max_age=CATALOGUE_SECONDS)
    return _open(response)
