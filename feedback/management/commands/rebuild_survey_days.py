"""Recompute the survey's daily aggregates (`SurveyDay`) from the responses.

The aggregates follow every write made through the ORM; run this after responses were written
behind its back (raw SQL, a restored dump), or to tidy the rows of deleted services. It is one
transaction: the public results read the old rows until it commits, and their cached pages are
retired once it has.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from charters import pagecache
from charters.models import Facility
from feedback.models import SurveyDay, SurveyResponse
from feedback.survey import days


class Command(BaseCommand):
    help = "Recompute the survey's daily aggregates from the responses (all facilities, or those named)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--facility", action="append", default=[], metavar="SLUG", help="only this facility")

    def handle(self, *args: Any, **options: Any) -> None:
        slugs: list[str] = options["facility"]
        facility_ids = None
        if slugs:
            found = dict(Facility.objects.filter(slug__in=slugs).values_list("slug", "pk"))
            missing = sorted(set(slugs) - set(found))
            if missing:
                raise CommandError(f"no such facility: {', '.join(missing)}")
            facility_ids = list(found.values())
        written = days.rebuild(SurveyResponse, SurveyDay, facility_ids)
        for slug in slugs or Facility.objects.values_list("slug", flat=True):
            pagecache.bump(slug, pagecache.SURVEY)
        scope = f"{len(facility_ids)} facilities" if facility_ids is not None else "all facilities"
        self.stdout.write(f"{written} survey days written for {scope}.")
