"""Rules of the code's layout that no single feature test would notice breaking."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("accounts", "audit", "charter_site", "charters", "dashboard", "demo", "feedback", "monitoring", "operations")
MAX_MODULE_LINES = 600


def python_modules(*folders: str) -> list[Path]:
    return sorted(
        path for folder in folders for path in (ROOT / folder).rglob("*.py") if "migrations" not in path.parts
    )


def imported_modules(path: Path) -> set[str]:
    """Every absolute module a file imports, and `module.name` for each `from module import name`."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def imports_mock(path: Path) -> bool:
    return any(name == "unittest.mock" or name.startswith("unittest.mock.") for name in imported_modules(path))


# Each app imports only the apps before it: charters ← feedback ← monitoring ← audit ← accounts,
# dashboard, demo, operations. The audit trail is written from outside the apps it records (its
# middleware and sign-in signals), so that none of them needs to know of it.
LATER = {"audit", "accounts", "dashboard", "demo", "operations"}
BUILT_ON = {
    "charters": {"feedback", "monitoring", *LATER},
    "feedback": {"monitoring", *LATER},
    "monitoring": LATER,
    "audit": LATER - {"audit"},
}


@pytest.mark.parametrize(
    ("app", "path"),
    [(app, path) for app in BUILT_ON for path in python_modules(app)],
    ids=lambda value: str(value.relative_to(ROOT)) if isinstance(value, Path) else value,
)
def test_an_app_imports_nothing_of_the_apps_built_on_it(app: str, path: Path) -> None:
    above = {name for name in imported_modules(path) if name.split(".")[0] in BUILT_ON[app]}
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


def test_no_module_outside_the_tests_imports_unittest_mock() -> None:
    """History is replayed through the services' `now`, never by patching the clock."""
    modules = [*python_modules(*APPS, "bench"), ROOT / "manage.py"]
    assert ROOT / "demo" / "replay" / "charters.py" in modules
    assert [str(path.relative_to(ROOT)) for path in modules if imports_mock(path)] == []


@pytest.mark.parametrize(
    "source", ["from unittest import mock", "import unittest.mock", "from unittest.mock import patch"]
)
def test_the_mock_check_sees_every_way_of_importing_it(tmp_path: Path, source: str) -> None:
    module = tmp_path / "module.py"
    module.write_text(f"{source}\n")
    assert imports_mock(module)
    module.write_text("import unittest\nfrom unittest import TestCase\n")
    assert not imports_mock(module)
