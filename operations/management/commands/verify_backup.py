"""Check a backup without touching the database: the manifest, every byte of the archive, and the
dump by its own tool (`pg_restore` reads it through; SQLite's `PRAGMA integrity_check` on a copy).

Exits with status 1 and says why when the archive cannot be restored by this release.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext

from operations.backups import opened_backup, refuse_newer_migrations
from operations.errors import BackupError


class Command(BaseCommand):
    help = "Check a backup archive without touching the database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="the archive (.tar.gz) to check")

    def handle(self, *args: Any, **options: Any) -> None:
        archive: Path = options["archive"]
        try:
            with opened_backup(archive) as backup:
                manifest = backup.manifest
                pending = refuse_newer_migrations(manifest)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if options["verbosity"] < 1:
            return  # cron: silent unless it fails
        self.stdout.write(
            gettext(
                "%(path)s is sound: made %(created)s from a %(vendor)s database (%(tool)s), with %(files)s "
                "uploaded files (%(size)s)."
            )
            % {
                "path": archive,
                "created": manifest.created_at,
                "vendor": manifest.vendor,
                "tool": manifest.dump_tool,
                "files": manifest.media_files,
                "size": filesizeformat(manifest.media_bytes),
            }
        )
        for line in manifest.describe_counts():
            self.stdout.write(f"  {line}")
        if pending:
            self.stdout.write(
                gettext("Restored under this release, it needs %(count)s migrations (manage.py migrate).")
                % {"count": len(pending)}
            )
