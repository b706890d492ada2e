"""Send one fuzzed form and check the three promises of issue 13 on what comes back.

1. No server error: the test client raises the view's exception, so Hypothesis shrinks it.
2. No unescaped output: `MARKER` never appears raw, neither in the answer nor, after a save, on
   the page the answer redirects to (where what was stored is shown).
3. A refused form keeps what was typed: when a form on the page has errors, every text, number,
   date or time field that was changed shows its value again (escaped). Password and file fields
   cannot be shown again; a hidden field changed by hand (browsers never do) is no typing.

Each example runs in a savepoint that is rolled back, with an empty cache (the rate limits and
the page cache live there): examples do not see one another, so a failure replays alone.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.forms import BaseForm, BaseFormSet
from django.test import Client
from django.utils.html import escape
from hypothesis import HealthCheck, event, settings
from hypothesis.database import DirectoryBasedExampleDatabase

from .pages import Form, find_form, forms_of
from .strategies import MARKER, OMIT

EXAMPLES = 16  # for a form of weight 8; FUZZ_EXAMPLES changes it


def fuzz_settings(weight: int = 8) -> settings:
    """Hypothesis's settings for a fuzz test: `weight` × FUZZ_EXAMPLES / 8 examples (FUZZ_EXAMPLES
    is 16 unless set: FUZZ_EXAMPLES=400 for a long local hunt), larger forms weighing more.

    In CI (`CI` set) the examples are derandomized: the same ones on every run, so a red build is
    the code's doing and replays on a laptop with `CI=1`; no example database is read or written.
    Locally each run draws new examples, and failures are kept outside the work tree (in the
    temporary directory) to be tried first next time."""
    wanted = int(os.environ.get("FUZZ_EXAMPLES") or EXAMPLES)
    common: dict[str, Any] = {
        "max_examples": max(1, weight * wanted // 8),
        "deadline": None,
        "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        "print_blob": True,
    }
    if os.environ.get("CI"):
        return settings(derandomize=True, database=None, **common)
    database = DirectoryBasedExampleDatabase(Path(tempfile.gettempdir()) / "maklumat-hypothesis")
    return settings(database=database, **common)


class PageForms:
    """The forms of the pages, read once per test: every example is rolled back, so the page
    stays as it was."""

    def __init__(self) -> None:
        self._forms: dict[tuple[int, str, str, str | None], Form] = {}
        self._seeded: set[str] = set()
        self._all: dict[tuple[int, str, str, str | None], list[Form]] = {}

    def get(self, client: Client, page: str, action: str | None = None, *, having: str | None = None) -> Form:
        key = (id(client), page, action or page, having)
        if key not in self._forms:
            response = client.get(page)
            assert response.status_code == 200, (page, response.status_code)
            self._forms[key] = find_form(response.content.decode(), page, action or page.split("?")[0], having=having)
        return self._forms[key]

    def all(self, client: Client, page: str) -> list[Form]:
        """Every form of the page (filters have no action of their own to find them by)."""
        key = (id(client), page, "*", None)
        if key not in self._all:
            response = client.get(page)
            assert response.status_code == 200, (page, response.status_code)
            self._all[key] = forms_of(response.content.decode(), page)
        return self._all[key]

    def seed(self, client: Client, form: Form, valid: dict[str, Any], extra: dict[str, Any] | None = None) -> dict:
        """`valid`, once checked to be accepted as it is (a redirect): the examples replace fields
        of a form that would otherwise pass, so they reach the rules past the first check."""
        if form.action not in self._seeded:
            with transaction.atomic():
                cache.clear()
                response = client.post(form.action, request_data(form, valid, extra))
                transaction.set_rollback(True)
            assert response.status_code in (301, 302, 303), f"the valid form to {form.action} was refused"
            self._seeded.add(form.action)
        return valid


def request_data(form: Form, changed: dict[str, Any], extra: dict[str, Any] | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {**form.data(), **(extra or {})}
    for name, value in changed.items():
        if value is OMIT:
            data.pop(name, None)
        else:
            data[name] = value
    return data


def _body(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def _contexts(response: Any) -> Iterable[Any]:
    contexts = response.context
    if contexts is None:
        return []
    return contexts if isinstance(contexts, list) else [contexts]


def _has_errors(value: Any, depth: int = 0) -> bool:
    if isinstance(value, BaseFormSet):
        return value.is_bound and (bool(value.non_form_errors()) or any(f.errors for f in value.forms))
    if isinstance(value, BaseForm):
        return value.is_bound and bool(value.errors)
    if depth < 2 and isinstance(value, (list, tuple)):
        return any(_has_errors(item, depth + 1) for item in value)
    if depth < 2 and hasattr(value, "forms") and isinstance(value.forms, list):  # e.g. FindingForms
        return any(_has_errors(item, depth + 1) for item in value.forms)
    return False


def refused(response: Any) -> bool:
    """The page came back with a form that has errors (not a redirect, not a success page)."""
    if response.status_code in (301, 302, 303) or response.status_code >= 500:
        return False
    return any(_has_errors(value) for context in _contexts(response) for d in context.dicts for value in d.values())


def submit(
    client: Client,
    form: Form,
    changed: dict[str, Any],
    *,
    base: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
    keeps_typing: bool = True,
) -> Any:
    """Send `form` filled with `base` (the valid values the page leaves empty), then `changed`
    (the example's), and `extra` (e.g. the button pressed); check the answer. `keeps_typing=False`
    for a form whose refusal is a different page by design (say why)."""
    sent = {**(base or {}), **changed}
    data = request_data(form, sent, extra)
    with transaction.atomic():
        cache.clear()
        send = client.post if form.method == "post" else client.get
        response = send(form.action, data)
        body = _body(response)
        event(f"answered {response.status_code}")  # --hypothesis-show-statistics: how deep examples go
        assert response.status_code < 500, response.status_code
        assert MARKER not in body, f"unescaped markup in the answer to {form.action}"
        if response.status_code in (301, 302, 303) and response["Location"].startswith("/"):
            shown = client.get(response["Location"])
            assert shown.status_code < 500, shown.status_code
            assert MARKER not in _body(shown), f"unescaped markup on {response['Location']}"
        elif keeps_typing and refused(response) and not _hidden_changed(form, changed):
            for name, value in sent.items():
                # Whitespace alone is nothing typed: a required field refuses it and shows it empty.
                if isinstance(value, str) and value.strip() and form.fields[name].typed:
                    assert escape(value) in body, f"{name!r} not shown again on the refused form ({form.action})"
        transaction.set_rollback(True)
    return response


def _hidden_changed(form: Form, changed: dict[str, Any]) -> bool:
    return any(form.fields[name].kind == "hidden" for name in changed)
