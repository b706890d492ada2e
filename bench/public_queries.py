"""Print the SQL queries and time of the public pages for charters of growing size.

    .venv/bin/python bench/public_queries.py

Builds throw-away test databases (SQLite, or DATABASE_URL's server), publishes a charter with
5, 50 and 200 services, and requests the public pages with Django's test client.
"""

from __future__ import annotations

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

from tests.factories import make_published_charter  # noqa: E402


def measure(client: Client, url: str, repeat: int = 5) -> tuple[int, float]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    started = time.perf_counter()
    for _ in range(repeat):
        client.get(url)
    return len(queries), (time.perf_counter() - started) / repeat * 1000


def main() -> None:
    setup_test_environment()
    # As Django's TestCase does: keep the connection and its query log across requests.
    request_started.disconnect(reset_queries)
    request_finished.disconnect(close_old_connections)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        client = Client()
        print(f"{'services':>8}  {'page':<22} {'queries':>7}  {'ms/request':>10}")
        for size in (5, 50, 200):
            charter = make_published_charter(services=size)
            slug = charter.facility.slug
            service = charter.services.first().slug
            for label, url in (
                ("charter /f/<slug>/", f"/f/{slug}/"),
                ("service page", f"/f/{slug}/services/{service}/"),
                ("home /", "/"),
            ):
                count, ms = measure(client, url)
                print(f"{size:>8}  {label:<22} {count:>7}  {ms:>10.1f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
