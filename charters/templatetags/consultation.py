"""Template tags for the public consultation: what pages not built for it need to know."""

from __future__ import annotations

from django import template

from ..models import Charter, CharterStatus, Facility
from ..services.consultation import CommentCounts, comment_counts

register = template.Library()


@register.simple_tag
def consultation_is_open(facility: Facility) -> bool:
    """Whether a version of the facility's charter is in public consultation (one query)."""
    return facility.charters.filter(status=CharterStatus.CONSULTATION).exists()


@register.simple_tag
def consultation_comment_counts(charter: Charter) -> CommentCounts:
    """How many comments the version received and how many are not yet addressed (one query)."""
    return comment_counts(charter)
