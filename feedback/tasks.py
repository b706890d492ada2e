"""Background tasks (Django's tasks framework; the database backend keeps them until the
`db_worker` command runs them). A failed e-mail is tried again later, with growing pauses;
each failed attempt stays visible in the admin's task results with its error."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.tasks import task
from django.utils import timezone

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


def retry_delay(attempt: int) -> datetime.timedelta:
    """Pause before attempt `attempt + 1`: 1, 4, 16, 64 minutes."""
    return datetime.timedelta(minutes=4 ** (attempt - 1))


@task
def send_email(subject: str, body: str, recipients: list[str], attempt: int = 1) -> int:
    """Send one e-mail; on failure, queue the next attempt and fail this one (so it shows)."""
    try:
        return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, recipients).send()
    except Exception:
        if attempt < MAX_ATTEMPTS:
            send_email.using(run_after=timezone.now() + retry_delay(attempt)).enqueue(
                subject, body, recipients, attempt + 1
            )
            logger.warning("E-mail %r failed (attempt %s), retrying later", subject, attempt, exc_info=True)
        else:
            logger.error("E-mail %r failed %s times, giving up", subject, attempt, exc_info=True)
        raise
