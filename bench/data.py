"""The data `make bench` measures, loaded once into the benchmark's database (DATABASE_URL).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/maklumat_bench .venv/bin/python bench/data.py

The demo (Soko and the other Puskesmas of Tuban, their staff and the supervisor), then
`generate_load_data` with its defaults: 2,000 facilities with 40 services each, 1,000,000 survey
answers (200,000 at `load-0001`) and 200,000 cases (three quarters at `load-0001`). The head of
`load-0001`, whose inbox the benchmark reads, gets the benchmark's password. Does nothing when the
load data is there.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "charter_site.settings")

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from charters.models import Facility  # noqa: E402
from demo import loadgen  # noqa: E402

PASSWORD = os.environ.get("BENCH_PASSWORD", "bench-password-2026")
HEAD = loadgen.head_username(loadgen.busiest_slug())


def main() -> None:
    if connection.vendor != "postgresql":
        raise SystemExit("The benchmark runs on PostgreSQL: set DATABASE_URL.")
    if loadgen.exists():
        print(f"bench data: {loadgen.busiest_slug()} is there already")
        return
    if not Facility.objects.exists():
        call_command("seed_demo", password=PASSWORD, verbosity=0)
    call_command("generate_load_data")
    head = get_user_model().objects.get(username=HEAD)
    head.set_password(PASSWORD)
    head.save()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"bench data: loaded; {HEAD} signs in with the benchmark's password")


if __name__ == "__main__":
    main()
