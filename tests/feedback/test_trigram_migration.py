"""Migration feedback.0007 goes on without the trigram indexes when the migrating role may not
create the pg_trgm extension, instead of failing the deployment."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.db import ProgrammingError, connection

migration = importlib.import_module("feedback.migrations.0007_case_inbox_indexes")


class Editor:
    """A schema editor on PostgreSQL with pg_trgm available, recording what it is asked to run."""

    def __init__(self, refuse_extension: bool) -> None:
        self.refuse_extension = refuse_extension
        self.executed: list[str] = []
        self.connection = connection

    def execute(self, sql: str) -> None:
        if "EXTENSION" in sql and self.refuse_extension:
            raise ProgrammingError('permission denied to create extension "pg_trgm"')
        self.executed.append(sql)


@pytest.fixture
def available(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(migration, "_has_pg_trgm", lambda editor: True)


@pytest.mark.django_db
def test_without_the_right_to_create_the_extension_it_goes_on_without_the_indexes(available: None, capsys: Any) -> None:
    editor = Editor(refuse_extension=True)

    migration.add_trigram_indexes(None, editor)

    assert editor.executed == []
    assert "pg_trgm not created" in capsys.readouterr().out


@pytest.mark.django_db
def test_with_the_right_it_creates_the_extension_and_the_three_indexes(available: None) -> None:
    editor = Editor(refuse_extension=False)

    migration.add_trigram_indexes(None, editor)

    assert "CREATE EXTENSION IF NOT EXISTS pg_trgm" in editor.executed[0]
    assert sum("CREATE INDEX" in sql for sql in editor.executed) == len(migration.TRIGRAM_INDEXES) == 3
