"""Time the staff's inbox, a case page and the figures over 200,000 cases, per page: queries, p50, p99.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/maklumat_cases .venv/bin/python bench/cases.py
        [--cases 200000] [--requests 200] [--budget 20] [--only inbox] [--explain]

Builds a throw-away test database on DATABASE_URL's server (PostgreSQL: the fill uses
generate_series), publishes charters for five facilities and fills them with one INSERT … SELECT:
three quarters of the cases at one facility, the rest spread over four others, received over three
years, with kinds, channels, services, assignees, statuses that follow the case's age (a backlog of
old open cases makes the "overdue" filter real), anonymous citizens, and three to five timeline
events each. Then a facility editor signs in with Django's test client and requests each page
`--requests` times (fewer when a page takes longer than `--budget` seconds in all, at least 20).

`--explain` prints `EXPLAIN (ANALYZE, BUFFERS)` of every query of each page that reads the cases or
their events, as the page ran it (docs/performance.md quotes them).
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "charter_site.settings")
# As in production: templates and settings without the debug conveniences.
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django

django.setup()

from django.core.signals import request_finished, request_started  # noqa: E402
from django.db import DatabaseError, close_old_connections, connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from demo import loadgen  # noqa: E402
from feedback import codes  # noqa: E402
from feedback.models import Case, CaseEvent, FeedbackSettings  # noqa: E402
from tests.factories import FacilityFactory, MembershipFactory, make_published_charter  # noqa: E402

CASES = Case._meta.db_table
EVENTS = CaseEvent._meta.db_table
YEARS_DAYS = 3 * 365
DESCRIPTIONS = loadgen.COMPLAINTS  # the same citizens write in both
NAMES = loadgen.NAMES


def fill(facility_id: int, prefix: str, service_ids: list[int], staff_ids: list[int], rows: int, first: int) -> None:
    """`rows` cases numbered from `first` (the number makes the tracking code, unique), then their events.

    Statuses follow the age: recent cases are still waiting, most older ones are closed and a few
    per cent are still open long past their due date.
    """
    if connection.vendor != "postgresql":
        raise SystemExit("bench/cases.py fills the cases with generate_series: set DATABASE_URL to PostgreSQL.")
    # Tracking codes: i times an odd number modulo 2^40 is a bijection, written in the code's alphabet.
    symbols = " || ".join(
        f"substr('{codes.ALPHABET}', (((i * 765432109877) & 1099511627775) >> {5 * k} & 31)::int + 1, 1)"
        + (" || '-'" if k == 4 else "")
        for k in range(7, -1, -1)
    )
    sql = f"""
        INSERT INTO {CASES} (facility_id, code, kind, complaint_class, status, channel, service_id, description,
                             occurred_on, anonymous, name, phone, email, language, received_at, due_date,
                             first_reply_at, closed_at, assignee_id, entered_by_id, rating, rating_comment,
                             rated_at, reopened_at, rejection_reason, submission_key, updated_at)
        SELECT %(facility)s, %(prefix)s || '-' || {symbols}, kind,
               CASE WHEN kind IN ('complaint', 'suggestion') THEN 'normative' ELSE 'light' END,
               status, channel, service_id, description, received::date - 1, anonymous,
               CASE WHEN anonymous THEN '' ELSE (%(names)s::text[])[1 + i %% {len(NAMES)}] END,
               CASE WHEN anonymous THEN '' ELSE '0812' || lpad((i * 7919 %% 100000000)::text, 8, '0') END,
               CASE WHEN anonymous OR i %% 3 > 0 THEN '' ELSE 'warga' || i || '@example.org' END,
               'id', received, due_date, first_reply_at,
               CASE WHEN status IN ('closed', 'rejected')
                    THEN coalesce(first_reply_at, received) + interval '2 days' END,
               CASE WHEN status <> 'received' THEN (%(staff)s::bigint[])[1 + i %% {len(staff_ids)}] END,
               NULL, CASE WHEN status = 'closed' AND r3 < 0.3 THEN 'satisfied' ELSE '' END, '',
               CASE WHEN status = 'closed' AND r3 < 0.3 THEN first_reply_at + interval '1 day' END,
               CASE WHEN status = 'reopened' THEN first_reply_at + interval '1 day' END,
               CASE WHEN status = 'rejected' THEN 'Bukan wewenang puskesmas.' ELSE '' END,
               '', now()
        FROM (
            SELECT *, CASE WHEN status IN ('answered', 'closed', 'reopened')
                           THEN received + (due_date - received::date) * r3 * interval '1.2 days' END AS first_reply_at
            FROM (
                SELECT i, r3, received, kind, channel, description, anonymous,
                       received::date + 5 + (i %% 10) AS due_date,
                       CASE WHEN r4 < 0.1 THEN NULL ELSE (%(services)s::bigint[])[1 + i %% {len(service_ids)}] END
                           AS service_id,
                       CASE
                           WHEN received > now() - interval '3 days' THEN
                               CASE WHEN r2 < 0.6 THEN 'received' WHEN r2 < 0.9 THEN 'in_progress' ELSE 'answered' END
                           WHEN received > now() - interval '20 days' THEN
                               CASE WHEN r2 < 0.15 THEN 'received' WHEN r2 < 0.4 THEN 'in_progress'
                                    WHEN r2 < 0.7 THEN 'answered' WHEN r2 < 0.95 THEN 'closed' ELSE 'rejected' END
                           ELSE
                               CASE WHEN r2 < 0.01 THEN 'received' WHEN r2 < 0.02 THEN 'in_progress'
                                    WHEN r2 < 0.025 THEN 'reopened' WHEN r2 < 0.1 THEN 'answered'
                                    WHEN r2 < 0.97 THEN 'closed' ELSE 'rejected' END
                       END AS status
                FROM (
                    SELECT i, random() AS r2, random() AS r3, random() AS r4,
                           now() - random() * interval '{YEARS_DAYS} days' AS received,
                           CASE WHEN r1 < 0.7 THEN 'complaint' WHEN r1 < 0.85 THEN 'suggestion'
                                WHEN r1 < 0.95 THEN 'compliment' ELSE 'question' END AS kind,
                           CASE WHEN r5 < 0.55 THEN 'web' WHEN r5 < 0.75 THEN 'walk_in'
                                WHEN r5 < 0.9 THEN 'whatsapp' ELSE 'phone' END AS channel,
                           (%(descriptions)s::text[])[1 + (i * 31) %% {len(DESCRIPTIONS)}] AS description,
                           r5 < 0.15 AS anonymous
                    FROM (SELECT i, random() AS r1, random() AS r5
                          FROM generate_series(%(first)s, %(last)s) AS i) AS numbers
                ) AS drawn
            ) AS aged
        ) AS replied
    """
    params = {
        "facility": facility_id,
        "prefix": prefix,
        "names": NAMES,
        "staff": staff_ids,
        "services": service_ids,
        "descriptions": DESCRIPTIONS,
        "first": first,
        "last": first + rows - 1,
    }
    events = f"""
        INSERT INTO {EVENTS} (case_id, kind, public, by_citizen, author_id, text, from_status, to_status, created_at)
        SELECT id, 'received', true, true, NULL, '', '', 'received', received_at
            FROM {CASES} WHERE facility_id = %(facility)s
        UNION ALL
        SELECT id, 'status', true, false, assignee_id, '', 'received', 'in_progress', received_at + interval '3 hours'
            FROM {CASES} WHERE facility_id = %(facility)s AND status <> 'received'
        UNION ALL
        SELECT id, 'note', false, false, assignee_id, 'Sudah dikonfirmasi ke penanggung jawab layanan.', '', '',
               received_at + interval '5 hours'
            FROM {CASES} WHERE facility_id = %(facility)s AND status <> 'received' AND id %% 3 = 0
        UNION ALL
        SELECT id, 'reply', true, false, assignee_id, 'Terima kasih atas masukannya. Kami sudah menindaklanjuti.',
               'in_progress', 'answered', first_reply_at
            FROM {CASES} WHERE facility_id = %(facility)s AND first_reply_at IS NOT NULL
        UNION ALL
        SELECT id, 'status', true, false, assignee_id, '', 'answered', status, closed_at
            FROM {CASES} WHERE facility_id = %(facility)s AND closed_at IS NOT NULL
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        cursor.execute(events, {"facility": facility_id})


def percentile(times: list[float], share: float) -> float:
    """The nearest-rank percentile: with 200 requests the p99 is the second slowest."""
    ordered = sorted(times)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered)) - 1))]


def explain(queries: list[dict[str, str]]) -> None:
    for query in queries:
        sql = query["sql"]
        if not sql.startswith("SELECT") or (CASES not in sql and EVENTS not in sql):
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        print(f"\n    -- {float(query['time']) * 1000:.1f} ms in the page\n    {sql}\n")
        print("    " + plan.replace("\n", "\n    "))
    print()


def measure(client: Client, url: str, requests: int, budget: float) -> tuple[int, int, list[float], list]:
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, secure=True)
    assert response.status_code == 200, (url, response.status_code)
    times: list[float] = []
    started = time.perf_counter()
    while len(times) < requests and (len(times) < 20 or time.perf_counter() - started < budget):
        before = time.perf_counter()
        client.get(url, secure=True)
        times.append((time.perf_counter() - before) * 1000)
    return len(queries), len(response.content), times, queries.captured_queries


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--budget", type=float, default=10, help="seconds per page at most (20 requests at least)")
    parser.add_argument("--only", default="", help="only the pages whose label contains this")
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--keep", action="store_true", help="leave the test database for psql afterwards")
    parser.add_argument("--profile", action="store_true", help="print where one request of each page spends its time")
    args = parser.parse_args()
    # Not `setup_test_environment()`: it instruments every template render so that the test client
    # can keep a copy of each context, which doubles the time of a page of 25 rows; production
    # renders without it.
    # As Django's TestCase does: keep the connection and its query log across requests.
    request_started.disconnect(reset_queries)
    request_finished.disconnect(close_old_connections)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        big = args.cases * 3 // 4
        sizes = [big] + [(args.cases - big) // 4] * 4
        facilities = []
        first = 1
        for number, rows in enumerate(sizes):
            facility = FacilityFactory(name=f"Puskesmas Bench {number}", slug=f"bench-{number}")
            head = MembershipFactory(facility=facility, head=True).user
            charter = make_published_charter(facility, services=12 if number == 0 else 4, head=head)
            editors = [MembershipFactory(facility=facility).user for _ in range(3)]
            prefix = FeedbackSettings.for_facility(facility).code_prefix
            service_ids = list(charter.services.order_by("position").values_list("pk", flat=True))
            fill(facility.pk, prefix, service_ids, [head.pk, *(e.pk for e in editors)], rows, first)
            first += rows
            facilities.append((facility, editors[0], charter))
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {CASES}")
            cursor.execute(f"VACUUM ANALYZE {EVENTS}")
            with contextlib.suppress(DatabaseError):  # write the fill out now, not while measuring (superuser)
                cursor.execute("CHECKPOINT")
        events = CaseEvent.objects.count()
        seconds = time.perf_counter() - started
        print(f"database: {connection.vendor}; {Case.objects.count():,} cases ({big:,} at one facility) and")
        print(f"{events:,} events in {seconds:.1f} s\n")

        facility, editor, charter = facilities[0]
        client = Client()
        client.force_login(editor)
        inbox = f"/manage/{facility.slug}/feedback/"
        oldest = Case.objects.filter(facility=facility).order_by("received_at").first()
        recent = Case.objects.filter(facility=facility, status="in_progress").order_by("-received_at").first()
        service_name = charter.services.order_by("position").values_list("name", flat=True)[3]
        last_page = -(-big // 25)
        pages = [
            ("inbox, default (newest first)", inbox),
            ("inbox, status=open", inbox + "?status=open"),
            ("inbox, status=closed", inbox + "?status=closed"),
            ("inbox, kind=question", inbox + "?kind=question"),
            ("inbox, deadline=overdue", inbox + "?deadline=overdue"),
            ("inbox, deadline=due_soon", inbox + "?deadline=due_soon"),
            ("inbox, service", inbox + "?" + f"service={service_name}".replace(" ", "+")),
            ("inbox, assignee=me", inbox + "?assignee=me"),
            ("inbox, q=tracking code", inbox + f"?q={oldest.code}"),
            ("inbox, q=code typed lower, no dash", inbox + f"?q={oldest.code.replace('-', '').lower()}"),
            ("inbox, q=word (parkir)", inbox + "?q=parkir"),
            ("inbox, q=rare word (none)", inbox + "?q=kebakaran"),
            ("inbox, q=name", inbox + "?q=Dewi+Lestari"),
            ("inbox, sort=due", inbox + "?sort=due"),
            ("inbox, sort=status", inbox + "?sort=status"),
            ("inbox, sort=oldest", inbox + "?sort=oldest"),
            ("inbox, page 100", inbox + "?page=100"),
            (f"inbox, last page ({last_page:,})", inbox + f"?page={last_page}"),
            ("inbox, status=closed, page 2000", inbox + "?status=closed&page=2000"),
            ("case page (in progress)", f"{inbox}{recent.code}/"),
            ("case page (oldest, closed)", f"{inbox}{oldest.code}/"),
            ("figures, last 90 days", inbox + "figures/"),
            ("figures, one year", inbox + "figures/?from=2025-01-01&to=2025-12-31"),
        ]
        print(f"load average before: {' '.join(f'{n:.2f}' for n in os.getloadavg())} ({os.cpu_count()} CPUs)")
        print(f"{'page':<38} {'queries':>7} {'KB':>5} {'n':>4} {'p50 ms':>7} {'p99 ms':>7}")
        for label, url in pages:
            if args.only not in label:
                continue
            count, size, times, captured = measure(client, url, args.requests, args.budget)
            p50, p99 = statistics.median(times), percentile(times, 0.99)
            print(f"{label:<38} {count:>7} {size / 1024:>5.0f} {len(times):>4} {p50:>7.1f} {p99:>7.1f}", flush=True)
            if args.explain:
                explain(captured)
            if args.profile:
                profiler = cProfile.Profile()
                profiler.runcall(client.get, url, secure=True)
                pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        print(f"load average after: {' '.join(f'{n:.2f}' for n in os.getloadavg())}")
    finally:
        if args.keep:
            print(f"kept the database {connection.settings_dict['NAME']}")
        else:
            connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
