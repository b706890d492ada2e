"""Running `seed_demo` from the tests of the demo."""

from __future__ import annotations

from io import StringIO

from django.core.cache import cache
from django.core.management import call_command

# The command sets four passwords a run; the default hasher would make each seed take seconds more.
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def seed(*args: str) -> str:
    # The demo's citizens comment through the consultation's rate limit, which lives in the cache:
    # it outlives the rolled-back seeds of earlier tests.
    cache.clear()
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()
