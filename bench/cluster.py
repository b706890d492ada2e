"""`make bench-cluster`: two app nodes behind nginx on this machine, sharing PostgreSQL and Redis,
and what must hold across them.

    make bench-cluster              # or: .venv/bin/python bench/cluster.py

Two separate gunicorn instances (ports 8210 and 8211, 2 workers each, the production settings of
`make bench`) behind nginx (round robin, `X-Upstream` names the node that answered). Through nginx:

1. limits: 10 complaints from one citizen: exactly the limit (5) is accepted, whichever node took
   each request (with the local-memory cache each node would have let 5 through);
2. sessions: a signed-in editor's 10 requests to the staff dashboard, spread over both nodes, are
   all answered signed in;
3. a newly published version: both nodes serve the public charter (and cache it); a new version
   is published; every following request, on either node, shows the new version at once.

Prints each check and exits non-zero when one fails.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

from load import NGINX_PORT, PYTHON, ROOT, _cookies, environment, manage, sign_in, start_gunicorn, start_nginx, stop

NODES = (8210, 8211)
BASE = f"http://127.0.0.1:{NGINX_PORT}"
FACILITY = "load-0001"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any) -> None:
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def fetch(path: str, cookie: str = "", data: dict[str, str] | None = None) -> tuple[int, str, str, Any]:
    """(status, node, body, response) of one request through nginx."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(f"{BASE}{path}", body, headers={"Cookie": cookie} if cookie else {})
    try:
        with OPENER.open(request) as response:
            return response.status, response.headers["X-Upstream"], response.read().decode(), response
    except urllib.error.HTTPError as answer:
        return answer.code, answer.headers["X-Upstream"], answer.read().decode(), answer


def check(name: str, ok: bool, detail: str) -> bool:
    print(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}")
    return ok


def limits_hold() -> bool:
    path = f"/f/{FACILITY}/feedback/"
    _status, _node, page, response = fetch(path)
    cookies = _cookies(response, {})
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
    form = {
        "csrfmiddlewaretoken": token, "kind": "complaint", "service": "", "occurred_on": "", "name": "Uji",
        "phone": "0812 0000 0000", "email": "", "website": "",
        "description": "Antrean di loket pendaftaran terlalu lama (uji batas lintas node).",
    }  # fmt: skip
    answers = [fetch(path, cookie, form)[:2] for _ in range(10)]
    accepted = sum(1 for status, _node in answers if status == 302)
    nodes = Counter(node for _status, node in answers)
    return check(
        "limits across nodes",
        accepted == 5 and len(nodes) == 2,
        f"{accepted} of 10 complaints accepted (limit 5), answered by {dict(nodes)}",
    )


def sessions_hold() -> bool:
    cookie = sign_in("soko-editor", BASE)
    answers = [fetch("/manage/", cookie)[:2] for _ in range(10)]
    signed_in = sum(1 for status, _node in answers if status == 200)
    nodes = Counter(node for _status, node in answers)
    return check(
        "sessions across nodes", signed_in == 10 and len(nodes) == 2, f"{signed_in} of 10 signed in, {dict(nodes)}"
    )


def version_shown() -> set[str]:
    versions = set()
    for _ in range(6):
        status, _node, page, _response = fetch(f"/f/{FACILITY}/")
        found = re.search(r"<dt[^>]*>(?:Versi|Version)</dt><dd[^>]*>(\d+)</dd>", page)
        versions.add(found.group(1) if status == 200 and found else f"status {status}")
    return versions


def publication_switches(env: dict[str, str]) -> bool:
    before = version_shown()  # both nodes render and cache the version in force
    script = (
        "import django; django.setup()\n"
        "from charters.models import Facility\n"
        "from tests.factories import make_published_charter\n"
        f"facility = Facility.objects.get(slug='{FACILITY}')\n"
        "head = facility.memberships.get(role='head').user\n"
        "print(make_published_charter(facility, services=40, head=head).version)\n"
    )
    published = subprocess.run(
        [PYTHON, "-c", script], cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "charter_site.settings"},
        capture_output=True, text=True, check=True,
    ).stdout.strip().splitlines()[-1]  # fmt: skip
    after = version_shown()
    return check(
        "a new version switches on every node",
        after == {published} and published not in before,
        f"before {sorted(before)}, published {published}, after {sorted(after)}",
    )


def main() -> None:
    env = {**environment(), "TRUSTED_PROXIES": "127.0.0.1"}
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    subprocess.run([PYTHON, "bench/data.py"], cwd=ROOT, env=env, check=True)
    subprocess.run(["redis-cli", "-n", env["CACHE_URL"].rsplit("/", 1)[1], "flushdb"], capture_output=True)
    folder = Path(tempfile.mkdtemp(prefix="maklumat-cluster-"))
    processes: list[subprocess.Popen[bytes]] = []
    try:
        processes += [start_gunicorn(env, port) for port in NODES]
        processes.append(start_nginx(folder, upstream=list(NODES)))
        results = [limits_hold(), sessions_hold(), publication_switches(env)]
    finally:
        stop(processes)
        shutil.rmtree(folder, ignore_errors=True)
    sys.exit(0 if all(results) else 1)


if __name__ == "__main__":
    main()
