"""Print the SQL queries and time of the district dashboard, its export, and a facility's
self-assessment and evaluation pages, for regencies of growing size.

    .venv/bin/python bench/district_queries.py [--sizes 3 30 100]

Builds a throw-away test database (SQLite, or DATABASE_URL's server) and, for each size, a
regency whose every facility has a charter in force with 16 services, service-time observations,
survey responses, cases, a survey period with a follow-up action, and two evaluation rounds with
findings and actions; then requests the pages as the regency's supervisor with Django's test
client. The query count must not grow with the facilities (nor, on the facility's pages, with
the rounds).
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "charter_site.settings")

import django

django.setup()

from django.core.signals import request_finished, request_started  # noqa: E402
from django.db import close_old_connections, connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.text import slugify  # noqa: E402

from charters.models import ParticipantGroup, Supervision  # noqa: E402
from feedback.models import SurveyAction, SurveyPeriod  # noqa: E402
from monitoring.evaluations import (  # noqa: E402
    ActionContent,
    FindingContent,
    Person,
    RoundContent,
    record_round,
    save_actions,
)
from monitoring.models import EvaluationRound  # noqa: E402
from tests.factories import (  # noqa: E402
    CaseFactory,
    FacilityFactory,
    MembershipFactory,
    ObservationFactory,
    SurveyResponseFactory,
    UserFactory,
    make_published_charter,
)

REGENCY = "Kabupaten Bench"
SERVICES = 16


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def build_facility(number: int, offset: int) -> str:
    facility = FacilityFactory(
        name=f"Puskesmas {offset + number:03d}", slug=f"pkm-{offset + number:03d}", regency=REGENCY
    )
    head = MembershipFactory(facility=facility, head=True).user
    charter = make_published_charter(facility, services=SERVICES, head=head)
    services = list(charter.services.order_by("position"))
    for service in services[:4]:
        ObservationFactory.create_batch(5, service=service)
    SurveyResponseFactory.create_batch(5, facility=facility, service=services[0])
    CaseFactory.create_batch(3, facility=facility, service=services[1])
    period = SurveyPeriod.objects.create(
        facility=facility, name="Tahun", start=days_ago(300), end=days_ago(-60), population=500
    )
    SurveyAction.objects.create(
        facility=facility, element="U3", finding_start=period.start, finding_end=period.end,
        action="Jadwal dokter", responsible="Kepala", due_date=days_ago(5),
    )  # fmt: skip
    people = [Person(f"Peserta {group}", group) for group in ParticipantGroup.values]
    for days in (200, 20):
        day = days_ago(days)
        content = RoundContent(
            charter=charter,
            started_on=day,
            ended_on=day,
            period_start=day - datetime.timedelta(days=90),
            period_end=day - datetime.timedelta(days=1),
            method="mixed",
            public_summary="Janji sebagian besar ditepati.",
        )
        findings = [FindingContent(s, "kept" if i % 4 else "partly", evidence="Bukti.") for i, s in enumerate(services)]
        evaluation = record_round(facility, head, content, people, findings)
        save_actions(evaluation, [ActionContent("Tambah petugas", "Kepala", day + datetime.timedelta(days=60))])
    return facility.slug


def measure(client: Client, url: str, repeat: int = 3) -> tuple[int, float]:
    reset_queries()  # the log keeps 9,000 queries: building a large regency fills it
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    started = time.perf_counter()
    for _ in range(repeat):
        client.get(url)
    return len(queries), (time.perf_counter() - started) / repeat * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[3, 30, 100])
    sizes = sorted(parser.parse_args().sizes)
    setup_test_environment()
    # As Django's TestCase does: keep the connection and its query log across requests.
    request_started.disconnect(reset_queries)
    request_finished.disconnect(close_old_connections)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        supervisor = UserFactory(username="bench-supervisor")
        Supervision.objects.create(user=supervisor, regency=REGENCY)
        client = Client()
        client.force_login(supervisor)
        district = f"/manage/district/{slugify(REGENCY)}/"
        built: list[str] = []
        print(f"{'facilities':>10}  {'page':<32} {'queries':>7}  {'ms/request':>10}")
        for size in sizes:
            built += [build_facility(number, len(built)) for number in range(size - len(built))]
            slug = built[0]
            latest = EvaluationRound.objects.filter(facility__slug=slug).order_by("-ended_on").first()
            for label, url in (
                ("district page", district),
                ("district export.csv", district + "export.csv"),
                ("district export.xlsx", district + "export.xlsx"),
                ("self-assessment (one facility)", f"/manage/{slug}/self-assessment/"),
                ("evaluation rounds (one facility)", f"/manage/{slug}/evaluations/"),
                ("evaluation report (16 findings)", f"/manage/{slug}/evaluations/{latest.pk}/"),
            ):
                count, ms = measure(client, url)
                print(f"{size:>10}  {label:<32} {count:>7}  {ms:>10.1f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
