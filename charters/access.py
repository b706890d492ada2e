"""Access helpers: each staff view calls one of these on its first line.

Another facility's object is a 404 (its existence is not revealed); a missing role or a
charter that can no longer change is a 403 with a message that says why. Whether someone is the
head is `user_is_head`, for the views and the services alike.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from .models import FROZEN_VERSION_MESSAGE, Charter, Facility, ServiceStandard, user_is_head


def get_facility_for_user(request: HttpRequest, slug: str, *, head: bool = False) -> Facility:
    facility = get_object_or_404(Facility.objects.for_user(request.user), slug=slug)
    if head and not user_is_head(request.user, facility.pk):
        raise PermissionDenied(_("Only the head of the facility may do this."))
    return facility


def get_charter_for_user(request: HttpRequest, slug: str, version: int, *, write: bool = False) -> Charter:
    charter = get_object_or_404(
        Charter.objects.select_related("facility").filter(facility__in=Facility.objects.for_user(request.user)),
        facility__slug=slug,
        version=version,
    )
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
