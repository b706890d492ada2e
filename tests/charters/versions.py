"""Versions of a charter in each status of its lifecycle, reached through the service functions,
for the model and lifecycle tests."""

from __future__ import annotations

from typing import Any

from charters import services
from charters.models import Charter, CharterStatus, Facility
from tests.factories import make_complete_draft, record_agreement


def charter_in(status: str, facility: Facility, head: Any) -> Charter:
    """A complete version of the facility in `status`, reached through the service functions."""
    if status == CharterStatus.DRAFT:
        return make_complete_draft(facility)
    if status == CharterStatus.CONSULTATION:
        return services.open_consultation(make_complete_draft(facility), head)
    if status == CharterStatus.AGREED:
        charter = charter_in(CharterStatus.CONSULTATION, facility, head)
        record_agreement(charter)
        return services.mark_agreed(charter, head)
    if status == CharterStatus.APPROVED:
        return services.approve_charter(charter_in(CharterStatus.AGREED, facility, head), head)
    if status == CharterStatus.PUBLISHED:
        return services.publish_charter(charter_in(CharterStatus.APPROVED, facility, head), head)
    assert status == CharterStatus.SUPERSEDED
    first = charter_in(CharterStatus.PUBLISHED, facility, head)
    charter_in(CharterStatus.PUBLISHED, facility, head)
    first.refresh_from_db()
    return first


FROZEN_STATUSES = [CharterStatus.AGREED, CharterStatus.APPROVED, CharterStatus.PUBLISHED, CharterStatus.SUPERSEDED]
