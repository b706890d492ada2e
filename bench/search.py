"""Time the home page's search over data from `generate_load_data` (`make bench` loads 2,000
facilities and 80,000 services, bench/data.py; the figures in the README are over 20,000 and
800,000), per query: facilities found, queries, p50 and p99.

    createdb maklumat_search && export DATABASE_URL=postgres://postgres@127.0.0.1:5432/maklumat_search
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py generate_load_data \
        --facilities 20000 --responses 2000 --busiest-responses 500 --cases 2000   # 13 minutes
    .venv/bin/python bench/search.py [--requests 50]

Renders through Django's test client with production settings (DEBUG=0), as bench/cases.py does.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "charter_site.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from charters import search  # noqa: E402

QUERIES = ["soko", "surat sehat", "vaksin", "imunisasi bayi", "kabupaten tuban", "gigi", "tidak ada kata ini"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    call_command("collectstatic", "--noinput", verbosity=0)  # the pages link hashed file names
    client = Client()
    print(f"{'query':<22} {'found':>6} {'queries':>7} {'p50 ms':>7} {'p99 ms':>7}")
    for query in QUERIES:
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/", {"q": query}, secure=True)
        count = len(queries)  # now: every request clears the log
        times = []
        for _ in range(args.requests):
            started = time.perf_counter()
            client.get("/", {"q": query}, secure=True)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        p99 = times[max(0, round(0.99 * len(times)) - 1)]
        assert response.status_code == 200, response.status_code
        found = search.facilities(query).count()
        print(f"{query:<22} {found:>6} {count:>7} {statistics.median(times):>7.1f} {p99:>7.1f}")


if __name__ == "__main__":
    main()
