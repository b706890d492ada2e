"""Production code never patches itself: history is replayed through the services' `now`
argument, not by mocking the clock (`unittest.mock` belongs to the tests)."""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

SKIPPED_DIRS = {".venv", "tests", "node_modules", "__pycache__"}


def project_modules() -> list[Path]:
    """Every .py file of the project outside the tests, the virtualenv and hidden folders."""
    root = Path(settings.BASE_DIR)
    return [
        path
        for path in sorted(root.rglob("*.py"))
        if not any(part in SKIPPED_DIRS or part.startswith(".") for part in path.relative_to(root).parts[:-1])
    ]


def imports_mock(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import) and any(
            alias.name == "unittest.mock" or alias.name.startswith("unittest.mock.") for alias in node.names
        ):
            return True
        if isinstance(node, ast.ImportFrom) and node.module is not None:
            if node.module == "unittest.mock" or node.module.startswith("unittest.mock."):
                return True
            if node.module == "unittest" and any(alias.name == "mock" for alias in node.names):
                return True
    return False


def test_the_walk_finds_the_project_and_skips_the_tests() -> None:
    modules = {path.relative_to(settings.BASE_DIR).as_posix() for path in project_modules()}

    assert {"manage.py", "demo/replay/charters.py", "feedback/services/cases.py"} <= modules
    assert not any(name.startswith(("tests/", ".venv/")) for name in modules)


def test_no_module_outside_the_tests_imports_unittest_mock() -> None:
    offenders = [path.relative_to(settings.BASE_DIR).as_posix() for path in project_modules() if imports_mock(path)]

    assert offenders == []


def test_the_check_sees_every_way_of_importing_mock(tmp_path: Path) -> None:
    for source in ("from unittest import mock", "import unittest.mock", "from unittest.mock import patch"):
        module = tmp_path / "module.py"
        module.write_text(f"{source}\n")
        assert imports_mock(module), source
    module.write_text("import unittest\nfrom unittest import TestCase\n")
    assert not imports_mock(module)
