"""Access helpers: each staff view calls one of these on its first line.

Another facility's object is a 404 (its existence is not revealed); a missing role or a
charter that can no longer change is a 403 with a message that says why. Whether someone is the
head is `user_is_head`, for the views and the services alike. A supervisor of the regency reads
every page of its facilities, and any request that could change something (every method but
GET and HEAD) is refused here, before a view runs: one place for "supervisors change nothing".
The district pages of a regency are its supervisors' (and a superuser's): for anyone else,
a facility's own staff included, the regency does not exist (404).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Value
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.text import slugify
from django.utils.translation import gettext as _, gettext_lazy

from .models import (
    FROZEN_VERSION_MESSAGE,
    Charter,
    Facility,
    Membership,
    ServiceStandard,
    Supervision,
    user_is_head,
)

READ_ONLY_MESSAGE = gettext_lazy(
    "As a supervisor you can read this facility's pages, but only its own staff can change anything."
)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _works_here(user: Any, facility_field: str) -> Exists | Value:
    """Whether the user is on the facility's staff, as a column of the same query."""
    if user.is_superuser:
        return Value(True)
    return Exists(Membership.objects.filter(user=user, facility_id=OuterRef(facility_field)))


def _refuse_readers_writing(request: HttpRequest, works_here: bool) -> None:
    if request.method not in SAFE_METHODS and not works_here:
        raise PermissionDenied(READ_ONLY_MESSAGE)


def get_facility_for_user(request: HttpRequest, slug: str, *, head: bool = False) -> Facility:
    facility = get_object_or_404(
        Facility.objects.for_user(request.user).annotate(works_here=_works_here(request.user, "pk")), slug=slug
    )
    _refuse_readers_writing(request, facility.works_here)
    if head and not user_is_head(request.user, facility.pk):
        raise PermissionDenied(_("Only the head of the facility may do this."))
    return facility


def get_regency_for_user(request: HttpRequest, slug: str) -> list[str]:
    """The regency whose address name is `slug` (`kabupaten-tuban`), as the facilities' profiles
    spell it (a superuser may find two spellings of one name): one query. For a supervisor of the
    regency, who only reads, and a superuser; 404 for anyone else."""
    user = request.user
    if not user.is_authenticated or not user.is_active:
        raise Http404
    if user.is_superuser:
        spellings = Facility.objects.order_by().values_list("regency", flat=True).distinct()
    else:
        spellings = Supervision.objects.filter(user=user).values_list("regency", flat=True)
    names = sorted({name for name in spellings if slugify(name) == slug})
    if not names:
        raise Http404
    _refuse_readers_writing(request, user.is_superuser)
    return names


def get_charter_for_user(request: HttpRequest, slug: str, version: int, *, write: bool = False) -> Charter:
    charter = get_object_or_404(
        Charter.objects.select_related("facility")
        .filter(facility__in=Facility.objects.for_user(request.user))
        .annotate(works_here=_works_here(request.user, "facility_id")),
        facility__slug=slug,
        version=version,
    )
    _refuse_readers_writing(request, charter.works_here)
    if write and not charter.is_editable:
        raise PermissionDenied(FROZEN_VERSION_MESSAGE)
    return charter


def get_service_for_user(
    request: HttpRequest, slug: str, version: int, service_slug: str, *, write: bool = False
) -> ServiceStandard:
    charter = get_charter_for_user(request, slug, version, write=write)
    service = get_object_or_404(charter.services.all(), slug=service_slug)
    service.charter = charter  # reuse the loaded charter and facility
    return service
