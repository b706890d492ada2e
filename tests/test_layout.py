"""Rules of the code's layout that no single feature test would notice breaking."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("charter_site", "charters", "dashboard", "demo", "feedback")
MAX_MODULE_LINES = 600


def python_modules(*folders: str) -> list[Path]:
    return sorted(
        path for folder in folders for path in (ROOT / folder).rglob("*.py") if "migrations" not in path.parts
    )


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", python_modules("charters"), ids=lambda p: str(p.relative_to(ROOT)))
def test_charters_imports_nothing_of_the_apps_built_on_it(path: Path) -> None:
    """`feedback` and the dashboards build on `charters`, never the other way round."""
    above = {name for name in imported_modules(path) if name.split(".")[0] in {"feedback", "dashboard", "demo"}}
    assert not above


def test_no_module_outside_the_tests_is_longer_than_600_lines() -> None:
    long = {
        str(path.relative_to(ROOT)): lines
        for path in python_modules(*APPS, "bench")
        if (lines := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


def test_no_template_compares_a_raw_status_string() -> None:
    """Templates ask the model (`charter.is_in_consultation`, `case.is_reopened`) instead."""
    raw = re.compile(r"""status\s*(==|!=)\s*["']""")
    offending = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if raw.search(line)
    ]
    assert offending == []
