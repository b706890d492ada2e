"""The benchmark's baseline: a minimal Django view returning a constant 20 KB page, mounted at
`/bench/baseline/` only when `BENCHMARK_BASELINE` is set (the benchmark's settings). `make bench`
compares every page with it, and with the same bytes served as a static file by nginx."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

SIZE = 20 * 1024


def _page() -> bytes:
    """20 KB of plain HTML, the same bytes nginx serves in the benchmark."""
    head = b"<!doctype html><html lang='id'><head><meta charset='utf-8'><title>Baseline</title></head><body><main>"
    tail = b"</main></body></html>\n"
    line = "<p>Baris {:04d}: standar pelayanan, persyaratan, prosedur, waktu penyelesaian, biaya.</p>\n"
    body, number = b"", 0
    while len(head) + len(body) + len(line) + len(tail) < SIZE:
        body += line.format(number).encode()
        number += 1
    return (head + body).ljust(SIZE - len(tail), b" ") + tail


BASELINE_PAGE = _page()


def baseline(request: HttpRequest) -> HttpResponse:
    return HttpResponse(BASELINE_PAGE, content_type="text/html; charset=utf-8")
