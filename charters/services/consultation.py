"""The public consultation of a draft: citizens' comments and the staff's replies.

Comments are the public's, not the charter's content, so they are not audited as charter
events and staff may reply to them in every status (see `ConsultationComment`).

Comments count per browser and per address (`charter_site.ratelimit`: neighbours on one Wi-Fi or
behind one carrier address comment each within their own limit). The waiting-room network that a
facility's head may mark (feedback settings) does not raise this ceiling: it belongs to the
feedback app, built on this one, and a draft is read at home as much as in the waiting room.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from charter_site import ratelimit

from ..models import Charter, CharterStatus, ConsultationComment, ServiceStandard
from .base import lock_facility

DEFAULT_COMMENT_RATE = (5, 600)
DEFAULT_COMMENT_CEILING = 50


class CommentRateLimited(Exception):
    """The sender sent more comments than `CONSULTATION_COMMENT_RATE` allows a browser, or its
    address more than `CONSULTATION_ADDRESS_CEILING` allows."""


def comment_rate() -> tuple[int, int]:
    """(comments, seconds): how many comments one browser may send within the window."""
    count, seconds = getattr(settings, "CONSULTATION_COMMENT_RATE", DEFAULT_COMMENT_RATE)
    return int(count), int(seconds)


def comment_limit() -> ratelimit.EverydayLimit:
    ceiling = getattr(settings, "CONSULTATION_ADDRESS_CEILING", DEFAULT_COMMENT_CEILING)
    return ratelimit.EverydayLimit.of(comment_rate(), ceiling)


def take_comment_slot(sender: ratelimit.Sender) -> None:
    """Count one comment against the sender's browser and address; refuse it past a limit."""
    if not ratelimit.admit("consultation-comment", sender, comment_limit()):
        raise CommentRateLimited()


def add_consultation_comment(
    charter: Charter,
    *,
    text: str,
    sender: ratelimit.Sender | None = None,
    client_ip: str = "",
    author_name: str = "",
    service: ServiceStandard | None = None,
    spam: bool = False,
    now: datetime | None = None,
) -> ConsultationComment | None:
    """Save a citizen's comment on a version in consultation, on one service or on the whole.

    `sender`: who sent it, for the rate limits (`charter_site.ratelimit.sender(request)`); an
    address alone (`client_ip`, as the demo's replay gives it) is a sender without a browser token.
    Raises `CommentRateLimited` past the sender's limit, and ValidationError when the version
    is no longer in consultation. Spam (a filled honeypot) counts against the limit but is
    not saved: returns None, and the sender sees the usual thank-you.
    """
    take_comment_slot(sender or ratelimit.Sender(address=client_ip))
    if spam:
        return None
    with transaction.atomic():
        # The race: a comment arrives while staff mark the version as agreed or return it to
        # draft. The lifecycle steps hold the facility row lock; taking it here puts the
        # comment either before the step or after it, where the status check refuses it.
        lock_facility(charter.facility_id)
        if not Charter.objects.filter(pk=charter.pk, status=CharterStatus.CONSULTATION).exists():
            raise ValidationError(_("This draft is no longer open for comments."), code="not_in_consultation")
        if service is not None and service.charter_id != charter.pk:
            raise ValidationError(_("This service is not part of the draft."), code="unknown_service")
        return ConsultationComment.objects.create(
            charter=charter,
            service=service,
            author_name=author_name.strip(),
            text=text.strip(),
            created_at=now or timezone.now(),
        )


def reply_to_comment(
    comment: ConsultationComment, user: Any, reply: str, *, now: datetime | None = None
) -> ConsultationComment:
    """Mark a comment as addressed with the facility's reply at `now` (default: the current time);
    again: the reply is replaced. Under the facility lock, as every write to a version."""
    with transaction.atomic():
        lock_facility(comment.charter.facility_id)
        comment.addressed = True
        comment.reply = reply.strip()
        comment.replied_by = user if user and user.is_authenticated else None
        comment.replied_at = now or timezone.now()
        comment.save(update_fields=["addressed", "reply", "replied_by", "replied_at"])
    return comment


@dataclass(frozen=True)
class CommentCounts:
    total: int
    open: int

    @property
    def addressed(self) -> int:
        return self.total - self.open


def comment_counts(charter: Charter) -> CommentCounts:
    """How many comments a version received and how many await a reply (one query)."""
    counts = charter.consultation_comments.aggregate(total=Count("id"), open=Count("id", filter=Q(addressed=False)))
    return CommentCounts(total=counts["total"], open=counts["open"])


def comment_counts_by_service(charter: Charter) -> dict[int | None, int]:
    """{service id (None: the whole charter): number of comments} (one query)."""
    rows = charter.consultation_comments.values("service_id").annotate(n=Count("id")).order_by()
    return {row["service_id"]: row["n"] for row in rows}
