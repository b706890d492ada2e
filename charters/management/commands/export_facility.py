"""Write one facility, with everything that belongs to it, as one JSON document.

    python manage.py export_facility pkm-soko > pkm-soko.json

Files (scans of the forum's minutes, cases' attachments) are inside, in base64; warnings (a file
missing from storage) go to standard error. `import_facility` reads the document in another
installation (charters/transfer/).
"""

from __future__ import annotations

import json
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from charters import transfer


class Command(BaseCommand):
    help = "Write one facility with its charter versions, forum records, cases and surveys as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("slug", help="the facility's web address name, e.g. pkm-soko")
        parser.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of standard output")

    def handle(self, *args: Any, slug: str, output: str | None = None, **options: Any) -> None:
        warnings: list[str] = []
        try:
            document = transfer.export_facility(slug, warnings=warnings)
        except transfer.TransferError as exc:
            raise CommandError(str(exc)) from exc
        for warning in warnings:
            self.stderr.write(warning)
        text = json.dumps(document, ensure_ascii=False, indent=1)
        if output:
            # It holds citizens' names, numbers and files: readable by its owner only, and never
            # written over another file.
            try:
                descriptor = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError as exc:
                raise CommandError(_("%(path)s exists already; choose another file name.") % {"path": output}) from exc
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
        else:
            self.stdout.write(text)
