"""Access helpers: each staff view calls one of these on its first line.

Another facility's object is a 404 (its existence is not revealed); a missing role or a
charter that can no longer change is a 403 with a message that says why.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from .models import Charter, Facility, Membership, MembershipRole, ServiceStandard


def get_facility_for_user(request: HttpRequest, slug: str, *, head: bool = False) -> Facility:
    facility = get_object_or_404(Facility.objects.for_user(request.user), slug=slug)
    if head and not request.user.is_superuser:
        is_head = Membership.objects.filter(user=request.user, facility=facility, role=MembershipRole.HEAD).exists()
        if not is_head:
            raise PermissionDenied(_("Only the head of the facility may do this."))
    return facility


def get_charter_for_user(request: HttpRequest, slug: str, version: int, *, write: bool = False) -> Charter:
    charter = get_object_or_404(
        Charter.objects.select_related("facility").filter(facility__in=Facility.objects.for_user(request.user)),
        facility__slug=slug,
        version=version,
    )
    if write and not charter.is_editable:
        raise PermissionDenied(_("This charter version is no longer a draft and cannot be changed."))
    return charter


def get_service_for_user(
    request: HttpRequest, slug: str, version: int, service_slug: str, *, write: bool = False
) -> ServiceStandard:
    charter = get_charter_for_user(request, slug, version, write=write)
    service = get_object_or_404(charter.services.all(), slug=service_slug)
    service.charter = charter  # reuse the loaded charter and facility
    return service
