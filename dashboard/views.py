"""The staff dashboard (each of the user's facilities with its charter versions and its cases)
and the district pages of a regency's supervisors (its facilities side by side)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Exists, OuterRef, Prefetch, Value
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify

from charter_site import spreadsheets
from charters.access import get_regency_for_user
from charters.models import OPEN_CHARTER_STATUSES, Charter, CharterStatus, Facility, Membership, Supervision
from feedback.reports import with_case_counts

from . import charts, district
from .forms import DistrictForm, sort_headers


@login_required
def staff(request: HttpRequest) -> HttpResponse:
    user = request.user
    supervised = (
        Value(True) if user.is_superuser else Exists(Supervision.objects.filter(user=user, regency=OuterRef("regency")))
    )
    facilities = (
        Facility.objects.for_user(user)
        .annotate(supervised=supervised)  # whether the user may open its regency's district page
        .prefetch_related(
            Prefetch(
                "charters",
                queryset=Charter.objects.filter(status__in=[*OPEN_CHARTER_STATUSES, CharterStatus.PUBLISHED])
                .annotate(service_count=Count("services"))
                .order_by("-version"),
                to_attr="open_charters",
            ),
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(user=user),
                to_attr="my_memberships",
            ),
        )
        .order_by("name")
    )
    today = timezone.localdate()
    facilities = with_case_counts(facilities, today)  # counted in the same query
    regencies = sorted({(slugify(f.regency), f.regency) for f in facilities if f.supervised and slugify(f.regency)})
    return render(request, "dashboard/staff.html", {"facilities": facilities, "regencies": regencies})


def _board(request: HttpRequest, regency: str) -> tuple[DistrictForm, district.DistrictBoard]:
    names = get_regency_for_user(request, regency)
    form = DistrictForm(request.GET or None)
    board = district.district_board(request.user, names, form)
    if not form.is_bound:  # the default period in the date fields
        form = DistrictForm(initial={"from": board.start, "to": board.end})
    return form, board


@login_required
def district_page(request: HttpRequest, regency: str) -> HttpResponse:
    """Every facility of a regency side by side, for its supervisors: read only."""
    form, board = _board(request, regency)
    return render(
        request,
        "dashboard/district.html",
        {
            "form": form,
            "board": board,
            "headers": sort_headers(board.sort),
            "chart": charts.comparison_chart(board.rows),
        },
    )


@login_required
def district_export(request: HttpRequest, regency: str, fmt: str) -> HttpResponse:
    """The page's rows (same period, filters and order) as CSV or Excel, with machine-readable columns."""
    if fmt not in spreadsheets.CONTENT_TYPES:
        raise Http404
    _form, board = _board(request, regency)
    name = f"district-{board.slug}-{board.start:%Y-%m-%d}-{board.end:%Y-%m-%d}"
    return spreadsheets.download(district.export_sheet(board), fmt, name)
