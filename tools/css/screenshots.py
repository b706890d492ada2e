"""Screenshot every page type at phone and desktop width, to compare before and after a CSS build.

    .venv/bin/python tools/css/screenshots.py http://127.0.0.1:8000 test-artifacts/css-before

Expects the demo data (`manage.py seed_demo --password demo12345`) on the server it is given.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

PUBLIC = {
    "home": "/",
    "charter": "/f/pkm-soko/",
    "versions": "/f/pkm-soko/versions/",
    "feedback-form": "/f/pkm-soko/feedback/",
    "survey": "/f/pkm-soko/survey/",
    "survey-results": "/f/pkm-soko/survey/results/",
    "track": "/track/",
    "track-not-found": "/track/?code=ABCD-EFGH",
    "login": "/accounts/login/",
}


def shoot(page: Page, out: Path, name: str) -> None:
    page.screenshot(path=str(out / f"{name}.png"), full_page=True)


def login(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "demo12345")
    page.click("form [type=submit]:not([name=language])")


def crawl_staff(page: Page, base: str, out: Path, prefix: str, width: int, limit: int = 45) -> None:
    """Every staff page reachable by links from the dashboard (GET only, no exports), breadth first."""
    queue, seen = ["/manage/"], set()
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        page.goto(base + path)
        if "html" not in (page.evaluate("document.contentType") or ""):
            continue
        name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "root"
        shoot(page, out, f"{prefix}-{name}-{width}")
        for href in page.eval_on_selector_all("a[href^='/manage/']", "els => els.map(e => e.getAttribute('href'))"):
            href = href.split("#")[0]
            if re.search(r"export|download|files|attachments/\d|\.(csv|xlsx|pdf|json)", href) or href in seen:
                continue
            queue.append(href)


def main() -> None:
    base, out = sys.argv[1].rstrip("/"), Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for width, height in ((390, 844), (1280, 900)):
            page = browser.new_page(viewport={"width": width, "height": height})
            for name, path in PUBLIC.items():
                page.goto(base + path)
                shoot(page, out, f"{name}-{width}")
            page.goto(base + "/f/pkm-soko/")
            page.click("a[href*='/services/']")
            shoot(page, out, f"service-{width}")
            page.goto(base + "/f/pkm-soko/feedback/")
            page.click("main form [type=submit]")
            shoot(page, out, f"feedback-errors-{width}")
            page.goto(base + "/f/pkm-soko/survey/")
            page.click("main form [type=submit]")
            shoot(page, out, f"survey-errors-{width}")
            for username in ("soko-editor", "tuban-supervisor"):
                login(page, base, username)
                crawl_staff(page, base, out, f"{username}", width)
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
