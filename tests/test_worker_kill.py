"""A worker killed in the middle of a request leaves nothing half-written (issue 11).

Each test starts a separate Python process on the test database that handles one POST as a gunicorn
worker would (Django's WSGI handler, through every middleware) and kills itself with SIGKILL, the
signal a timed-out or out-of-memory worker gets, at the worst moment: after the first rows of the
request are written, before the rest. The transaction never commits, so the database holds none of
it; and the form sent again afterwards (its idempotency key) is stored once.

PostgreSQL only: the test database of SQLite lives in the test process's memory.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from feedback.models import Case, CaseEvent, SurveyDay, SurveyResponse
from tests.factories import make_published_charter

ROOT = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="a second process needs a shared database"),
]

# Runs in the worker: `KILL_AFTER` names the write after which the process dies.
WORKER = textwrap.dedent(
    """
    import os, signal, sys
    import django
    django.setup()
    from django.db.models.signals import post_save
    from django.test import Client
    from feedback.models import CaseEvent
    from feedback.survey import days

    def die(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGKILL)

    if os.environ["KILL_AFTER"] == "case":  # the case is in, its "received" event is not
        post_save.connect(die, sender=CaseEvent)
    else:  # the answer is in, the survey's daily sums are not
        days.add = die
    url, *pairs = sys.argv[1:]
    response = Client().post(url, dict(pair.split("=", 1) for pair in pairs))
    print("survived", response.status_code)
    """
)


def database_url() -> str:
    settings = connection.settings_dict
    user, host, port = settings["USER"] or "postgres", settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    return f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"


def post_and_die(url: str, data: dict[str, str], kill_after: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "charter_site.settings",
        "KILL_AFTER": kill_after,
        "PYTHONPATH": str(ROOT),
        "ALLOWED_HOSTS": "testserver",
    }
    arguments = [f"{name}={value}" for name, value in data.items()]
    return subprocess.run(
        [sys.executable, "-c", WORKER, url, *arguments], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_a_complaint_cut_off_by_a_killed_worker_leaves_nothing_and_is_stored_once_when_sent_again(
    published_charter: Any,
) -> None:
    url = reverse("public:feedback", args=[published_charter.facility.slug])
    data = {"kind": "complaint", "description": "Antrean loket lebih dari satu jam.", "submission": "k" * 32}

    worker = post_and_die(url, data, "case")

    assert worker.returncode == -signal.SIGKILL, worker.stdout + worker.stderr
    assert Case.objects.count() == 0 and CaseEvent.objects.count() == 0
    client = Client()
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # the answer was lost again: still one case
    case = Case.objects.get()
    assert list(case.events.values_list("kind", flat=True)) == ["received"]


def test_a_survey_answer_cut_off_by_a_killed_worker_leaves_the_sums_exact() -> None:
    charter = make_published_charter()
    facility = charter.facility
    url = reverse("public:survey", args=[facility.slug])
    data = {
        "service": charter.services.first().slug,
        "visited_on": timezone.localdate().isoformat(),
        **{f"u{n}": "3" for n in range(1, 10)},
        "submission": "s" * 32,
    }

    worker = post_and_die(url, data, "survey")

    assert worker.returncode == -signal.SIGKILL, worker.stdout + worker.stderr
    assert SurveyResponse.objects.count() == 0 and SurveyDay.objects.count() == 0
    assert Client().post(url, data).status_code == 302
    assert SurveyResponse.objects.count() == 1
    assert SurveyDay.objects.get(service__isnull=False).respondents == 1
