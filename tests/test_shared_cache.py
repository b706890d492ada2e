"""With `CACHE_URL=redis://…`, a rate limit holds across server processes: two processes taking
slots of one window at the same time get exactly the window's limit between them."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

# Each process: 8 threads released together, 40 attempts in all; prints the slots it got.
WORKER = """
import os, sys, threading
os.environ["DJANGO_SETTINGS_MODULE"] = "charter_site.settings"
import django
django.setup()
from charter_site.ratelimit import take_slot
scope, limit = sys.argv[1], int(sys.argv[2])
barrier = threading.Barrier(8)
got = []
def attempt():
    barrier.wait()
    for _ in range(5):
        got.append(take_slot(scope, "198.51.100.1", limit, 60))
threads = [threading.Thread(target=attempt) for _ in range(8)]
for thread in threads: thread.start()
for thread in threads: thread.join()
print(sum(got))
"""


def redis_answers() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:
        return False


needs_redis = pytest.mark.skipif(
    not redis_answers() and not os.environ.get("REQUIRE_REDIS_TESTS"), reason="Redis is not running"
)


@needs_redis
def test_a_limit_holds_across_two_processes_sharing_redis() -> None:
    scope = f"test-{uuid.uuid4().hex}"
    env = {**os.environ, "CACHE_URL": REDIS_URL, "PYTHONPATH": str(ROOT)}
    env.pop("DATABASE_URL", None)
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, scope, "15"], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    taken = [int(process.communicate(timeout=60)[0].strip()) for process in processes]
    assert all(process.returncode == 0 for process in processes)
    assert sum(taken) == 15  # of 80 attempts, exactly the limit, however they were shared


@needs_redis
def test_the_local_memory_default_counts_per_process_only() -> None:
    """Why production needs the shared cache: with the default, each process has its own count."""
    scope = f"test-{uuid.uuid4().hex}"
    env = {**os.environ, "CACHE_URL": "locmem://", "PYTHONPATH": str(ROOT)}
    env.pop("DATABASE_URL", None)
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, scope, "15"], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    assert [int(process.communicate(timeout=60)[0].strip()) for process in processes] == [15, 15]


def test_cache_url_chooses_the_backend() -> None:
    from django.core.exceptions import ImproperlyConfigured

    from charter_site.settings import cache_from_url

    assert cache_from_url("locmem://")["BACKEND"].endswith("LocMemCache")
    redis = cache_from_url("redis://127.0.0.1:6379/0")
    assert redis["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert redis["LOCATION"] == "redis://127.0.0.1:6379/0"
    with pytest.raises(ImproperlyConfigured):
        cache_from_url("memcached://x")
