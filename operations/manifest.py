"""The manifest of a backup: what the archive holds, read before anything in it is trusted.

It says which format the archive is in (so that a later Maklumat refuses what it cannot read rather
than guess), which database made it (a PostgreSQL dump cannot go into SQLite), the migrations
applied to that database (a backup taken by a newer release cannot go under an older one), and the
counts of the rows that matter, taken in the same snapshot as the dump, so that a restore can say
what it brought back and notice when it did not bring back everything.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any, Protocol

from django.apps import apps
from django.utils.translation import gettext

from operations.errors import BackupError

FORMAT = "maklumat-backup"
FORMAT_VERSION = 1
SUPPORTED_FORMAT_VERSIONS = frozenset({1})
MANIFEST_NAME = "manifest.json"
MEDIA_PREFIX = "media/"

# The rows an operator recognises: counted into the manifest and again after a restore.
COUNTED_MODELS = (
    "charters.Facility",
    "charters.Charter",
    "charters.ServiceStandard",
    "charters.MeetingAttachment",
    "feedback.Case",
    "feedback.CaseAttachment",
    "feedback.SurveyResponse",
    "monitoring.ServiceObservation",
    "monitoring.EvaluationRound",
    "auth.User",
)


class Cursor(Protocol):
    """A DB-API cursor: Django's, or sqlite3's on the copy of a SQLite database."""

    def execute(self, sql: str, /) -> Any: ...

    def fetchall(self) -> list[Any]: ...


@dataclass(frozen=True)
class DatabaseState:
    migrations: dict[str, list[str]]
    counts: dict[str, int]


@dataclass(frozen=True)
class Manifest:
    created_at: str  # ISO 8601 with the offset
    vendor: str  # Django's connection.vendor: "postgresql" or "sqlite"
    database_file: str  # the dump's name inside the archive
    database_sha256: str
    dump_tool: str  # "pg_dump 15.20", "sqlite 3.40.1": the reader must be as new
    server_version: str
    migrations: dict[str, list[str]]
    counts: dict[str, int]
    media_files: int
    media_bytes: int
    format: str = FORMAT
    format_version: int = FORMAT_VERSION

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), indent=2, sort_keys=True).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        """The manifest, or BackupError when this is not one Maklumat knows how to read."""
        try:
            data = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise BackupError(gettext("The archive's manifest is not valid JSON.")) from exc
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise BackupError(gettext("This archive is not a Maklumat backup (its manifest names no known format)."))
        if data.get("format_version") not in SUPPORTED_FORMAT_VERSIONS:
            raise BackupError(
                gettext(
                    "This backup is in format version %(found)s; this release of Maklumat reads version %(known)s "
                    "only. Restore it with the release that made it."
                )
                % {"found": data.get("format_version"), "known": ", ".join(map(str, sorted(SUPPORTED_FORMAT_VERSIONS)))}
            )
        expected = [field.name for field in fields(cls)]
        missing = [name for name in expected if name not in data]
        if missing:
            raise BackupError(gettext("The archive's manifest lacks %(fields)s.") % {"fields": ", ".join(missing)})
        manifest = cls(**{name: data[name] for name in expected})
        if not (
            isinstance(manifest.migrations, dict)
            and isinstance(manifest.counts, dict)
            and isinstance(manifest.media_files, int)
            and isinstance(manifest.media_bytes, int)
        ):
            raise BackupError(gettext("The archive's manifest is damaged (a field has the wrong type)."))
        return manifest

    def describe_counts(self) -> list[str]:
        return describe_counts(self.counts)


def read_state(cursor: Cursor, quote_name: Callable[[str], str], tables: Collection[str]) -> DatabaseState:
    """The applied migrations and the counted rows, read with plain SQL so that the same function
    reads Django's connection (inside pg_dump's snapshot) and a copy of a SQLite file. A counted
    model without its table in `tables` (a backup taken before `migrate` created it) counts nothing."""
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    migrations: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        migrations.setdefault(app, []).append(name)
    counts = {}
    for label in COUNTED_MODELS:
        table = apps.get_model(label)._meta.db_table
        if table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {quote_name(table)}")  # a model's table name, quoted
            counts[label] = cursor.fetchall()[0][0]
    return DatabaseState(migrations=migrations, counts=counts)


def describe_counts(counts: dict[str, int]) -> list[str]:
    """'2 facilities', '14 cases', … in the order of COUNTED_MODELS, named as the admin names them."""
    lines = []
    for label in COUNTED_MODELS:
        if label in counts:
            lines.append(f"{counts[label]} {apps.get_model(label)._meta.verbose_name_plural}")
    return lines


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return digest.hexdigest()
