"""Write one archive with the database and the uploaded files (docs/operations.md).

`manage.py backup` writes backups/maklumat-<date>-<time>.tar.gz; `--dir` chooses the directory,
`--file` the whole name. Run it from cron every night and before every upgrade.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext

from operations.backups import archive_name, create_backup
from operations.errors import BackupError


class Command(BaseCommand):
    # In English, as Django's own commands: argparse cannot format a lazy translation.
    help = "Write one archive with the database and the uploaded files."

    def add_arguments(self, parser: CommandParser) -> None:
        where = parser.add_mutually_exclusive_group()
        where.add_argument("--dir", type=Path, help="directory of the archive (default: backups/ of the project)")
        where.add_argument("--file", type=Path, help="the archive's path (a new file)")

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        target: Path = options["file"] or (options["dir"] or Path(settings.BASE_DIR) / "backups") / archive_name(now)
        try:
            manifest = create_backup(target, now=now)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if options["verbosity"] < 1:
            return  # cron: silent unless it fails
        self.stdout.write(
            gettext("Backup written to %(path)s (%(size)s): the %(vendor)s database and %(files)s uploaded files.")
            % {
                "path": target,
                "size": filesizeformat(target.stat().st_size),
                "vendor": manifest.vendor,
                "files": manifest.media_files,
            }
        )
        for line in manifest.describe_counts():
            self.stdout.write(f"  {line}")
