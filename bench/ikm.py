"""Print how long the satisfaction index takes on a million survey responses.

    .venv/bin/python bench/ikm.py [--rows 1000000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/maklumat .venv/bin/python bench/ikm.py

Builds a throw-away test database (SQLite, or DATABASE_URL's server), fills it with random
responses over one year at one facility (plus a second facility, so the filter matters) with
one INSERT … SELECT and their daily aggregates with `rebuild_survey_days`, then times, as the
median of 5 runs, over the responses ("raw") and over the daily aggregates ("days"): the index of
the whole year, of one quarter, of one service, by service, the monthly trend, the results page
and its JSON (raw: as before the aggregates, the same code reading the responses).
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "charter_site.settings")

import django

django.setup()

from django.core.signals import request_finished, request_started  # noqa: E402
from django.db import close_old_connections, connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from feedback.models import SurveyDay, SurveyResponse  # noqa: E402
from feedback.survey import days, ikm, results  # noqa: E402
from tests.factories import make_published_charter  # noqa: E402

START = datetime.date(2025, 1, 1)
DAYS = 365
TABLE = SurveyResponse._meta.db_table
SCORES = ", ".join(f"u{n}" for n in range(1, 10))


def fill(facility_id: int, service_ids: list[int], rows: int) -> None:
    """`rows` responses spread over the year and the services; scores mostly 3 and 4."""
    services = len(service_ids)
    if connection.vendor == "postgresql":
        score = "(CASE WHEN random() < 0.55 THEN 3 WHEN random() < 0.75 THEN 4 ELSE 1 + floor(random() * 4)::int END)"
        sql = f"""
            INSERT INTO {TABLE} (facility_id, service_id, visited_on, {SCORES}, age_group, sex, education,
                                 occupation, comment, channel, device, device_answer, submitted_at)
            SELECT %s, (%s::int[])[1 + i %% %s], %s::date + (i %% {DAYS}), {", ".join([score] * 9)},
                   '30_39', CASE WHEN i %% 2 = 0 THEN 'female' ELSE 'male' END, 'senior', 'homemaker', '',
                   'web', '', '', now()
            FROM generate_series(1, %s) AS i
        """
        with connection.cursor() as cursor:
            cursor.execute(sql, [facility_id, service_ids, services, START, rows])
        return
    score = (
        "(CASE WHEN abs(random()) %% 100 < 55 THEN 3 WHEN abs(random()) %% 100 < 45 THEN 4"
        " ELSE 1 + abs(random()) %% 4 END)"
    )
    cases = " ".join(f"WHEN {position} THEN {pk}" for position, pk in enumerate(service_ids))
    sql = f"""
        WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < %s)
        INSERT INTO {TABLE} (facility_id, service_id, visited_on, {SCORES}, age_group, sex, education,
                             occupation, comment, channel, device, device_answer, submitted_at)
        SELECT %s, CASE i %% {services} {cases} END, date(%s, '+' || (i %% {DAYS}) || ' days'),
               {", ".join([score] * 9)}, '30_39', CASE WHEN i %% 2 = 0 THEN 'female' ELSE 'male' END,
               'senior', 'homemaker', '', 'web', '', '', datetime('now')
        FROM seq
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [rows, facility_id, START.isoformat()])


def median_ms(action: Callable[[], Any], repeat: int = 5) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    rows = parser.parse_args().rows
    setup_test_environment()
    # As Django's TestCase does: keep the connection and its query log across requests.
    request_started.disconnect(reset_queries)
    request_finished.disconnect(close_old_connections)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        charter = make_published_charter(services=8)
        facility = charter.facility
        services = list(charter.services.order_by("position"))
        other = make_published_charter(services=2)
        started = time.perf_counter()
        fill(facility.pk, [service.pk for service in services], rows)
        fill(other.facility.pk, list(other.services.values_list("pk", flat=True)), rows // 10)
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {TABLE}")
        seconds = time.perf_counter() - started
        print(f"database: {connection.vendor}; filled {rows:,} + {rows // 10:,} responses in {seconds:.1f} s")
        started = time.perf_counter()
        written = days.rebuild(SurveyResponse, SurveyDay)
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {SurveyDay._meta.db_table}")
        print(f"rebuild_survey_days: {written:,} day rows in {time.perf_counter() - started:.1f} s")

        end = START + datetime.timedelta(days=DAYS - 1)
        sources = {
            "raw": SurveyResponse.objects.filter(facility=facility),
            "days": SurveyDay.objects.filter(facility=facility),
        }
        print(f"{'what':<40} {'raw ms':>8} {'days ms':>8}  result (the same from both)")
        for label, compute in (
            ("index, whole year", lambda rows: ikm.index_of(rows.visited_between(START, end))),
            ("index, one quarter", lambda rows: ikm.index_of(rows.visited_between(START, datetime.date(2025, 3, 31)))),
            ("index, one service, year", lambda rows: ikm.index_of(rows.for_service(services[0].slug))),
            ("index by service, year", lambda rows: ikm.indexes_by_service(rows.visited_between(START, end))),
            ("index and monthly trend, year", lambda rows: ikm.index_and_months(rows.visited_between(START, end))),
        ):
            timed = {name: median_ms(lambda q=rows, compute=compute: compute(q)) for name, rows in sources.items()}
            (raw_ms, raw), (days_ms, summed) = timed["raw"], timed["days"]
            assert raw == summed, label
            if isinstance(raw, ikm.SurveyIndex):
                grade = raw.grade.letter if raw.grade else "-"
                shown = f"{raw.respondents:,} respondents, IKM {raw.ikm} {grade}"
            elif label.startswith("index by service"):
                shown = f"{len(raw)} services"
            else:
                shown = f"{len(raw[1])} months"
            print(f"{label:<40} {raw_ms:>8.1f} {days_ms:>8.1f}  {shown}")

        client = Client()
        slug = facility.slug
        for label, url in (
            ("results page /survey/results/", f"/f/{slug}/survey/results/?from=2025-01-01&to=2025-12-31"),
            ("results.json", f"/f/{slug}/survey/results.json?from=2025-01-01&to=2025-12-31"),
        ):
            timed = {}
            reading_days = results.facility_days
            for name, source in (("raw", results.facility_responses), ("days", reading_days)):
                results.facility_days = source  # raw: the results read the responses, as before
                try:
                    with CaptureQueriesContext(connection) as queries:
                        response = client.get(url)
                    assert response.status_code == 200, (url, response.status_code)
                    ms, _response = median_ms(lambda url=url: client.get(url))
                finally:
                    results.facility_days = reading_days
                shown = response.context["results"] if response.context else response.content
                timed[name] = (ms, len(queries), (shown.index, shown.monthly) if response.context else shown)
            assert timed["raw"][2] == timed["days"][2], f"{label}: not the same figures"
            raw_ms, days_ms, count = timed["raw"][0], timed["days"][0], timed["days"][1]
            print(f"{label:<40} {raw_ms:>8.1f} {days_ms:>8.1f}  {count} queries, the same figures")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
