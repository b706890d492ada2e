"""Read a facility written by `export_facility` into this installation, all or nothing.

    python manage.py import_facility pkm-soko.json
    python manage.py import_facility < pkm-soko.json

Refused, with nothing written and a non-zero exit, when the facility's web address name or one of
its cases' tracking codes already exists here. Staff are matched by username and e-mail address;
the ones not found are named on standard error (charters/transfer/).
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils.translation import gettext as _

from charters import transfer


class Command(BaseCommand):
    help = "Import one facility exported by export_facility (refused when its address or a tracking code exists)."
    # call_command(..., stdin=StringIO(...)) in the tests, as `< file.json` on the command line.
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", default="-", help="the exported JSON file; - or nothing: standard input")

    def handle(self, *args: Any, file: str = "-", **options: Any) -> None:
        try:
            if file == "-":
                document = json.load(options.get("stdin") or sys.stdin)
            else:
                with open(file, encoding="utf-8") as handle:
                    document = json.load(handle)
        except (OSError, ValueError) as exc:
            raise CommandError(f"{file}: {exc}") from exc
        try:
            result = transfer.import_facility(document)
        except transfer.TransferError as exc:
            raise CommandError(str(exc)) from exc
        except DatabaseError as exc:
            # A clash the checks could not foresee (say, a survey device key): rolled back whole.
            raise CommandError(_("Nothing was imported: %(error)s") % {"error": exc}) from exc
        for warning in result.warnings:
            self.stderr.write(warning)
        for line in transfer.summary(result):
            self.stdout.write(line)
