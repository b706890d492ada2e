"""Background tasks (Django's tasks framework; the database backend keeps them until the
`db_worker` command runs them).

A failed e-mail fails its task, so the admin's task results list it with its error, and queues
the next attempt with a growing pause (1, 4, 16, 64 minutes): a mail server that is down for
an hour loses nothing. After `MAX_ATTEMPTS` the e-mail is given up and logged as an error.
"""

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
    """Pause after failed attempt `attempt` before the next one: 1, 4, 16, 64 minutes."""
    return datetime.timedelta(minutes=4 ** (attempt - 1))


@task
def send_email(subject: str, body: str, recipients: list[str], attempt: int = 1, case_id: int | None = None) -> int:
    """Send one e-mail; on failure, queue the next attempt and fail this one (so it shows). An
    e-mail to a citizen (`case_id`) given up is said on the case, for its staff to see."""
    try:
        return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, recipients).send()
    except Exception as error:
        if attempt >= MAX_ATTEMPTS:
            logger.error("E-mail %r failed %s times, giving up", subject, attempt, exc_info=True)
        elif not send_email.get_backend().supports_defer:
            # E.g. the immediate backend of tests: a retry would run at once, not later.
            logger.error("E-mail %r failed; this task backend cannot retry later", subject, exc_info=True)
        else:
            _retry_later(subject, body, recipients, attempt, case_id)
            raise
        if case_id is not None:
            from .services import record_email_failure

            record_email_failure(case_id, subject, recipients, attempt, error)
        raise


def _retry_later(subject: str, body: str, recipients: list[str], attempt: int, case_id: int | None) -> None:
    run_after = timezone.now() + retry_delay(attempt)
    try:
        send_email.using(run_after=run_after).enqueue(subject, body, recipients, attempt + 1, case_id)
    except Exception:
        # The failure of this attempt is what the admin must see; log the lost retry beside it.
        logger.exception("E-mail %r failed and its retry could not be queued", subject)
    else:
        logger.warning(
            "E-mail %r failed (attempt %s of %s), next attempt after %s",
            subject,
            attempt,
            MAX_ATTEMPTS,
            run_after.isoformat(timespec="seconds"),
            exc_info=True,
        )
