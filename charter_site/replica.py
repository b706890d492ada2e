"""Reads of the public read-only pages from a PostgreSQL read replica (`DATABASE_REPLICA_URL`).

The pages a crowd reads (the home page, a charter, a service, the versions and their comparison,
the survey results and their JSON) never write and tolerate a replica a second behind: they go to
the replica. Everything else reads the primary: staff pages, forms, and the pages a citizen opens
right after writing (a complaint's tracking page, the survey's thanks), which must see that write.

`ReplicaMiddleware` marks a request whose view is one of `REPLICA_VIEWS`; `ReplicaRouter` sends its
reads to the `replica` alias while the mark is set. Without `DATABASE_REPLICA_URL` neither is
installed and every query goes to `default`.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.db import connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
# The read-only public views (namespace "public") whose reads may come from the replica.
REPLICA_VIEWS = frozenset(
    {"home", "charter", "service", "versions", "version", "version_diff", "survey_results", "survey_results_json"}
)

_reading_public_page: ContextVar[bool] = ContextVar("reading_public_page", default=False)


class ReplicaRouter:
    """Reads of a marked request from the replica; every write, and every other read, primary."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        # Inside a transaction on the primary (a scheduled version taking effect on the first
        # visit locks and rereads rows) the reads stay with the writes.
        if not _reading_public_page.get() or connections["default"].in_atomic_block:
            return None
        return REPLICA

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"


class ReplicaMiddleware:
    """Mark the request for the replica when its view is a read-only public page (GET or HEAD)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _reading_public_page.set(False)
        try:
            return self.get_response(request)
        finally:
            _reading_public_page.reset(token)

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> None:
        match = request.resolver_match
        if (
            request.method in {"GET", "HEAD"}
            and match is not None
            and match.namespace == "public"
            and match.url_name in REPLICA_VIEWS
        ):
            _reading_public_page.set(True)
