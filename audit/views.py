"""A facility's audit trail, for its head: who did what, when, on what, from where; filtered
by person, kind and days, and exported as a spreadsheet (itself an audited read)."""

from __future__ import annotations

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from charter_site import spreadsheets
from charters.access import get_facility_for_user
from charters.models import Facility, Membership

from .forms import TrailFilterForm
from .models import Entry, Kind

PAGE_SIZE = 50


def facility_trail(facility: Facility) -> QuerySet[Entry]:
    """The facility's entries, and the sign-in entries of the people on its staff."""
    staff = Membership.objects.filter(facility=facility).values("user_id")
    return Entry.objects.filter(Q(facility=facility) | Q(facility__isnull=True, kind=Kind.SIGN_IN, actor__in=staff))


def _people(facility: Facility) -> list[tuple[int, str]]:
    """The facility's staff and anyone else who acted on it (an admin), by name."""
    acted = Entry.objects.filter(facility=facility, actor__isnull=False).values("actor_id")
    users = get_user_model().objects.filter(Q(memberships__facility=facility) | Q(pk__in=acted)).distinct()
    return sorted(((user.pk, user.get_full_name() or user.get_username()) for user in users), key=lambda p: p[1])


def _selected(request: HttpRequest, facility: Facility) -> tuple[TrailFilterForm, QuerySet[Entry]]:
    form = TrailFilterForm(request.GET, people=_people(facility))
    filters = form.filters()
    entries = facility_trail(facility)
    if "person" in filters:
        entries = entries.filter(actor_id=filters["person"])
    if "kind" in filters:
        entries = entries.filter(kind=filters["kind"])
    zone = timezone.get_current_timezone()
    if "from" in filters:
        entries = entries.filter(created_at__gte=datetime.datetime.combine(filters["from"], datetime.time(), zone))
    if "to" in filters:
        after = filters["to"] + datetime.timedelta(days=1)
        entries = entries.filter(created_at__lt=datetime.datetime.combine(after, datetime.time(), zone))
    return form, entries


@login_required
def trail(request: HttpRequest, slug: str) -> HttpResponse:
    facility = get_facility_for_user(request, slug, head=True)
    form, entries = _selected(request, facility)
    page = Paginator(entries.select_related("actor"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/trail.html",
        {
            "facility": facility,
            "form": form,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            "filtered": bool(form.filters()),
        },
    )


def export_sheet(entries: list[Entry]) -> spreadsheets.Sheet:
    sheet = spreadsheets.Sheet(title=_("Audit trail"))
    sheet.heading([_("When"), _("Username"), _("Kind"), _("What"), _("On what"), _("Detail"), _("Address"), _("Page")])
    zone = timezone.get_current_timezone()
    for entry in entries:
        sheet.rows.append(
            [
                timezone.localtime(entry.created_at, zone).replace(tzinfo=None),
                entry.actor_name,
                entry.get_kind_display(),
                entry.description,
                entry.target_text,
                entry.detail,
                entry.address or "",
                entry.path,
            ]
        )
    sheet.fit_widths()
    return sheet


@login_required
def trail_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """The trail as filtered, every page."""
    if fmt not in spreadsheets.CONTENT_TYPES:
        raise Http404
    facility = get_facility_for_user(request, slug, head=True)
    _form, entries = _selected(request, facility)
    today = timezone.localdate()
    return spreadsheets.download(export_sheet(list(entries)), fmt, f"audit-{facility.slug}-{today:%Y-%m-%d}")
