"""The data `make bench` measures, loaded once into the benchmark's database (DATABASE_URL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/maklumat_bench .venv/bin/python bench/data.py

The demo (Soko and the other Puskesmas of Tuban, their staff and the supervisor) and a facility
`pkm-bench` in the same regency whose charter in force has 40 services and whose survey has
200,000 responses over the last year. Does nothing when `pkm-bench` exists.
"""

from __future__ import annotations

import datetime
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "charter_site.settings")

import django

django.setup()

from django.core.management import call_command, get_commands  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from charters.models import Facility  # noqa: E402
from feedback.models import SurveyPeriod, SurveyResponse  # noqa: E402
from tests.factories import FacilityFactory, MembershipFactory, make_published_charter  # noqa: E402

SLUG = "pkm-bench"
SERVICES = 40
RESPONSES = 200_000
PASSWORD = os.environ.get("BENCH_PASSWORD", "bench-password-2026")
TABLE = SurveyResponse._meta.db_table


def fill_responses(facility_id: int, service_ids: list[int], rows: int, start: datetime.date) -> None:
    """`rows` responses over the 365 days from `start`, spread over the services (PostgreSQL)."""
    score = "(CASE WHEN random() < 0.55 THEN 3 WHEN random() < 0.75 THEN 4 ELSE 1 + floor(random() * 4)::int END)"
    scores = ", ".join(f"u{n}" for n in range(1, 10))
    sql = f"""
        INSERT INTO {TABLE} (facility_id, service_id, visited_on, {scores}, age_group, sex, education,
                             occupation, comment, channel, device, device_answer, submitted_at)
        SELECT %s, (%s::int[])[1 + i %% %s], %s::date + (i %% 365), {", ".join([score] * 9)},
               '30_39', CASE WHEN i %% 2 = 0 THEN 'female' ELSE 'male' END, 'senior', 'homemaker',
               CASE WHEN i %% 50 = 0 THEN 'Pelayanan cepat dan ramah.' ELSE '' END, 'web', '', '', now()
        FROM generate_series(1, %s) AS i
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [facility_id, service_ids, len(service_ids), start, rows])


def main() -> None:
    if connection.vendor != "postgresql":
        raise SystemExit("The benchmark runs on PostgreSQL: set DATABASE_URL.")
    if Facility.objects.filter(slug=SLUG).exists():
        print(f"bench data: {SLUG} is there already")
        return
    if not Facility.objects.exists():
        call_command("seed_demo", password=PASSWORD, verbosity=0)
    facility = FacilityFactory(name="Puskesmas Bench", slug=SLUG, regency="Kabupaten Tuban", district="Bench")
    head = MembershipFactory(facility=facility, head=True, user__username="bench-head").user
    head.set_password(PASSWORD)
    head.save()
    charter = make_published_charter(facility, services=SERVICES, head=head)
    today = timezone.localdate()
    start = today - datetime.timedelta(days=365)
    SurveyPeriod.objects.create(facility=facility, name="Setahun", start=start, end=today, population=20_000)
    fill_responses(facility.pk, list(charter.services.values_list("pk", flat=True)), RESPONSES, start)
    if "rebuild_survey_days" in get_commands():  # the survey's daily sums, when the app keeps them
        call_command("rebuild_survey_days", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"bench data: {SLUG} with {SERVICES} services and {RESPONSES:,} survey responses")


if __name__ == "__main__":
    main()
