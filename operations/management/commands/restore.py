"""Bring a backup back into an empty database and an empty MEDIA_ROOT (docs/operations.md).

Refuses, changing nothing, a database with any table or a MEDIA_ROOT with any file, an archive of
another database (PostgreSQL into SQLite), of an unknown format or of a newer release. Checks the
whole archive first, as `verify_backup` does; then prints what it restored, and exits with status 1
if a counted row or file did not come back.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils.translation import gettext

from operations.backups import RestoreReport, restore_backup
from operations.errors import BackupError
from operations.manifest import describe_counts


class Command(BaseCommand):
    help = "Restore a backup archive into an empty database and an empty MEDIA_ROOT."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="the archive (.tar.gz) made by manage.py backup")

    def handle(self, *args: Any, **options: Any) -> None:
        archive: Path = options["archive"]
        try:
            report = restore_backup(archive)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if options["verbosity"] >= 1:
            self.report(archive, report)
        if report.differences:
            raise CommandError(
                gettext("These did not come back as the backup counted them: %(names)s.")
                % {"names": ", ".join(report.differences)}
            )

    def report(self, archive: Path, report: RestoreReport) -> None:
        self.stdout.write(
            gettext("Restored %(path)s (made %(created)s) into %(database)s, with %(files)s uploaded files:")
            % {
                "path": archive,
                "created": report.manifest.created_at,
                "database": connection.settings_dict["NAME"],
                "files": report.media_files,
            }
        )
        for line in describe_counts(report.counts):
            self.stdout.write(f"  {line}")
        if report.pending_migrations:
            self.stdout.write(
                gettext("The backup is older than this release: run manage.py migrate (%(count)s migrations).")
                % {"count": len(report.pending_migrations)}
            )
