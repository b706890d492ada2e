"""`make bench`: the pages under load in the production configuration, beside two baselines in the
same run.

    make bench                      # or: .venv/bin/python bench/load.py [--seconds 10]

- Production configuration: DEBUG=0, PostgreSQL (`BENCH_DATABASE_URL`, default the database
  `maklumat_bench` on 127.0.0.1), Redis (`BENCH_CACHE_URL`), gunicorn with 2 sync workers as
  docs/deployment.md recommends, static files collected and served by WhiteNoise.
- Data: `bench/data.py` loads it when missing (the demo, then `generate_load_data`: 2,000
  facilities with 40 services, 1,000,000 survey answers and 200,000 cases; `load-0001` has 200,000
  of the answers and 150,000 of the cases).
- Baselines: a minimal Django view returning a constant 20 KB page (`/bench/baseline/`, mounted
  only under BENCHMARK_BASELINE) and the same bytes as a static file from nginx.
- Load: `wrk` (Debian; installed if missing, as nginx is) from a separate process, at 1 and 16
  connections, after a warm-up, with `Accept-Encoding: gzip` as browsers send it.
- For each page: requests/s, p50 and p99 latency, the ratio of its requests/s to the Django
  baseline's (same connections), queries per request (measured apart with Django's test client
  against the same database and cache), bytes on the wire per response, and the peak resident
  memory of the gunicorn workers. Prints a table and writes bench/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
APP_PORT, NGINX_PORT = 8200, 8201
WORKERS = 2
PASSWORD = os.environ.get("BENCH_PASSWORD", "bench-password-2026")

# (label, path, user signed in or None)
PAGES = [
    ("baseline: Django 20 KB view", "/bench/baseline/", None),
    ("baseline: nginx static 20 KB", "nginx", None),
    ("public charter (40 services)", "/f/load-0001/", None),
    ("service page", "SERVICE", None),
    ("home with a search", "/?q=soko", None),
    ("results.json (200,000 answers)", "/f/load-0001/survey/results.json", None),
    ("staff inbox (150,000 cases)", "/manage/load-0001/feedback/", "load-0001-head"),
    ("district dashboard (signed in)", "/manage/district/kabupaten-tuban/", "tuban-supervisor"),
]


@dataclass
class Row:
    page: str
    connections: int
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    ratio_to_django: float | None
    queries: int | None
    bytes_per_response: int
    errors: int


def environment() -> dict[str, str]:
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "bench-" + "x" * 60,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/maklumat_bench"),
        "CACHE_URL": os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/2"),
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "BENCHMARK_BASELINE": "1",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


def ensure_tools() -> None:
    missing = [tool for tool in ("wrk", "nginx") if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists()]
    if missing:
        print(f"installing {', '.join(missing)} (Debian packages)")
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", *missing],
            check=True,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def wait_for(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit(f"nothing answers on port {port}")


def start_gunicorn(env: dict[str, str], port: int = APP_PORT) -> subprocess.Popen[bytes]:
    command = [
        str(ROOT / ".venv/bin/gunicorn"), "charter_site.wsgi", "--workers", str(WORKERS),
        "--worker-class", "sync", "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    wait_for(port)
    return process


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        process.send_signal(signal.SIGTERM)
    for process in processes:
        process.wait(timeout=30)


def start_nginx(folder: Path, upstream: list[int] | None = None) -> subprocess.Popen[bytes]:
    """nginx on NGINX_PORT: the static baseline page, or a proxy over the app nodes on `upstream`
    (round robin, naming the node that answered in `X-Upstream`)."""
    sys.path.insert(0, str(ROOT))
    from charter_site.benchmark import BASELINE_PAGE

    (folder / "baseline.html").write_bytes(BASELINE_PAGE)
    if upstream:
        nodes = "".join(f"server 127.0.0.1:{port}; " for port in upstream)
        server = (
            f"upstream nodes {{ {nodes}}} server {{ listen 127.0.0.1:{NGINX_PORT}; location / {{ "
            "proxy_pass http://nodes; proxy_set_header Host $host; "
            "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for; "
            "add_header X-Upstream $upstream_addr always; } }"
        )
    else:
        server = f"server {{ listen 127.0.0.1:{NGINX_PORT}; root {folder}; }}"
    (folder / "nginx.conf").write_text(
        f"""worker_processes {WORKERS};
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  include /etc/nginx/mime.types;
  gzip on;
  client_body_temp_path {folder}; proxy_temp_path {folder}; fastcgi_temp_path {folder};
  uwsgi_temp_path {folder}; scgi_temp_path {folder};
  {server}
}}
"""
    )
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    process = subprocess.Popen([nginx, "-c", str(folder / "nginx.conf"), "-p", str(folder)])
    wait_for(NGINX_PORT)
    return process


def _cookies(response: Any, cookies: dict[str, str]) -> dict[str, str]:
    # The cookies are Secure under DEBUG=0 (behind TLS in production); the benchmark talks plain
    # HTTP to gunicorn, so it keeps them itself.
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _sep, value = header.split(";", 1)[0].partition("=")
        cookies[name.strip()] = value.strip()
    return cookies


def sign_in(username: str, base: str = f"http://127.0.0.1:{APP_PORT}") -> str:
    """The Cookie header of a signed-in session, by the login form as a browser sends it."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: Any) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirect)
    with opener.open(f"{base}/accounts/login/") as response:
        cookies = _cookies(response, {})
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.read().decode()).group(1)
    data = urllib.parse.urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token})
    header = "; ".join(f"{name}={value}" for name, value in cookies.items())
    request = urllib.request.Request(f"{base}/accounts/login/", data.encode(), headers={"Cookie": header})
    try:
        opener.open(request)
    except urllib.error.HTTPError as redirect:  # 302 to the dashboard: signed in
        cookies = _cookies(redirect, cookies)
    if "sessionid" not in cookies:
        raise SystemExit(f"could not sign in as {username}")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def wrk(url: str, connections: int, seconds: int, cookie: str | None) -> dict[str, Any]:
    headers = ["-H", "Accept-Encoding: gzip"] + (["-H", f"Cookie: {cookie}"] if cookie else [])
    threads = min(connections, 2)
    command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--latency", *headers, url]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    try:
        return parse_wrk(output)
    except (AttributeError, ValueError) as exc:
        raise SystemExit(f"could not read wrk's output for {url}:\n{output}") from exc


def _ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def _bytes(value: str) -> float:
    number, unit = re.match(r"([\d.]+)([KMG]?B)", value).groups()
    return float(number) * {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}[unit]


def parse_wrk(output: str) -> dict[str, Any]:
    requests, read = re.search(r"(\d+) requests in [\d.]+\w+, ([\d.]+\w+) read", output).groups()
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1)),
        "p99": _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1)),
        "bytes": int(_bytes(read) / max(1, int(requests))),
        "errors": (int(errors.group(1)) if errors else 0)
        + (sum(map(int, socket_errors.groups())) if socket_errors else 0),
    }


def count_queries(env: dict[str, str], paths: list[tuple[str, str | None]]) -> dict[str, int]:
    """Queries of the second request of each page (the first fills the caches)."""
    script = """
import json, sys
import django
django.setup()
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
counts = {}
for path, username in json.loads(sys.argv[1]):
    client = Client(HTTP_ACCEPT_ENCODING="gzip")
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    counts[path] = len(queries)
print(json.dumps(counts))
"""
    env = {**env, "DJANGO_SETTINGS_MODULE": "charter_site.settings"}
    output = subprocess.run(
        [PYTHON, "-c", script, json.dumps(paths)], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def worker_peak_memory_mb(master: subprocess.Popen[bytes]) -> float:
    """The highest peak resident memory (VmHWM) of the gunicorn workers."""
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
    peaks = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        peaks.append(int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024)
    return max(peaks)


def first_service_path(env: dict[str, str]) -> str:
    script = (
        "import django; django.setup(); from charters.models import ServiceStandard as S; "
        "print(S.objects.filter(charter__facility__slug='load-0001', charter__status='published')"
        ".order_by('position').values_list('slug', flat=True).first())"
    )
    env = {**env, "DJANGO_SETTINGS_MODULE": "charter_site.settings"}
    slug = subprocess.run([PYTHON, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return f"/f/load-0001/services/{slug.stdout.strip()}/"


def table(rows: list[Row], memory: float) -> str:
    lines = [
        f"{'page':<32} {'conn':>4} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'× Django':>8} {'queries':>7} "
        f"{'bytes':>7} {'errors':>6}"
    ]
    for row in rows:
        ratio = f"{row.ratio_to_django:.2f}" if row.ratio_to_django is not None else "—"
        queries = str(row.queries) if row.queries is not None else "—"
        lines.append(
            f"{row.page:<32} {row.connections:>4} {row.requests_per_s:>8.0f} {row.p50_ms:>7.1f} {row.p99_ms:>7.1f} "
            f"{ratio:>8} {queries:>7} {row.bytes_per_response:>7} {row.errors:>6}"
        )
    lines.append(f"peak resident memory of a gunicorn worker: {memory:.0f} MB")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark the pages against baselines in one run.")
    parser.add_argument("--seconds", type=int, default=10, help="load per page and connection count")
    parser.add_argument("--connections", type=int, nargs="+", default=[1, 16])
    args = parser.parse_args()
    ensure_tools()
    env = environment()
    database = env["DATABASE_URL"].rsplit("/", 1)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", database[1]], capture_output=True)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    subprocess.run([PYTHON, "bench/data.py"], cwd=ROOT, env=env, check=True)
    subprocess.run(["redis-cli", "-n", env["CACHE_URL"].rsplit("/", 1)[1], "flushdb"], capture_output=True)

    service = first_service_path(env)
    pages = [(label, service if path == "SERVICE" else path, user) for label, path, user in PAGES]
    queries = count_queries(env, [(path, user) for _label, path, user in pages if path != "nginx"])
    folder = Path(tempfile.mkdtemp(prefix="maklumat-nginx-"))
    processes: list[subprocess.Popen[bytes]] = []
    rows: list[Row] = []
    try:
        processes.append(app := start_gunicorn(env))
        processes.append(start_nginx(folder))
        cookies = {user: sign_in(user) for _label, _path, user in pages if user}
        for connections in args.connections:
            django_rps = None
            for label, path, user in pages:
                url = (
                    f"http://127.0.0.1:{NGINX_PORT}/baseline.html"
                    if path == "nginx"
                    else f"http://127.0.0.1:{APP_PORT}{path}"
                )
                wrk(url, connections, 2, cookies.get(user))  # warm-up
                result = wrk(url, connections, args.seconds, cookies.get(user))
                if path == "/bench/baseline/":
                    django_rps = result["rps"]
                rows.append(
                    Row(
                        page=label,
                        connections=connections,
                        requests_per_s=result["rps"],
                        p50_ms=result["p50"],
                        p99_ms=result["p99"],
                        ratio_to_django=result["rps"] / django_rps if django_rps else None,
                        queries=queries.get(path),
                        bytes_per_response=result["bytes"],
                        errors=result["errors"],
                    )
                )
        memory = worker_peak_memory_mb(app)
    finally:
        stop(processes)
        shutil.rmtree(folder, ignore_errors=True)
    print(table(rows, memory))
    results = {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "machine": f"{platform.node()}, {os.cpu_count()} cores, {platform.platform()}",
        "workers": WORKERS,
        "seconds": args.seconds,
        "peak_worker_memory_mb": round(memory, 1),
        "rows": [asdict(row) for row in rows],
    }
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    print("written: bench/results.json")


if __name__ == "__main__":
    main()
