"""Fill the database with a demo: two Puskesmas in Kabupaten Tuban with the history of their charters,
staff users, and (unless `--without-activity`) three months of feedback and the satisfaction survey.

Puskesmas Soko gets the history of a real citizen charter: version 1 agreed with its users and
stakeholders in 2013 (now superseded), the two monitoring and evaluation rounds of version 1
facilitated by IDFoS Indonesia (June 2014, August 2015), version 2 started from the second round's
findings (the published one), and version 3 in public consultation with comments. Puskesmas Rengel gets one
published version. Every step goes through the service functions the staff pages use, on the day
it happened (see `demo.replay`).

Safe to run again: facilities, users and memberships are updated in place, and a facility that
already has charters, cases or survey responses keeps them (agreed and published versions are
immutable anyway). Passwords are set on every run, so the ones printed at the end always work.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from charters.models import Charter, Facility, MembershipRole
from demo.data.facilities import FACILITIES, USERS, UserSeed
from demo.replay import build_history, seed_activity, seed_facility, seed_survey, seed_user
from demo.replay.monitoring import seed_observations


class Command(BaseCommand):
    help = "Create demo facilities with the history of their charters, and staff users (safe to run again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", help="Password for every demo user (default: a new random one each).")
        parser.add_argument(
            "--without-activity",
            action="store_true",
            help="Only facilities, charters and users: no complaints or survey answers.",
        )

    def handle(self, *args: Any, password: str | None = None, without_activity: bool = False, **options: Any) -> None:
        passwords = {seed.username: password or secrets.token_urlsafe(9) for seed in USERS}
        report: list[str] = []
        now = timezone.now()  # the run's one clock: "today" and "n days ago" of the whole demo
        with transaction.atomic():
            facilities = {seed.slug: seed_facility(seed) for seed in FACILITIES}
            users = {seed.username: seed_user(seed, passwords[seed.username], facilities) for seed in USERS}
            for seed in FACILITIES:
                facility = facilities[seed.slug]
                existing = list(facility.charters.order_by("version"))
                if existing:
                    report.append(f"{facility.name}: kept charter {describe_versions(existing)}")
                    continue
                build_history(seed, facility, users, now)
                built = list(facility.charters.order_by("version"))
                report.append(f"{facility.name}: built charter {describe_versions(built)}")
                if rounds := facility.evaluation_rounds.count():
                    report.append(f"{facility.name}: {rounds} evaluation rounds with their follow-up actions")
            if not without_activity:
                report.extend(seed_activity(list(facilities.values()), users, now))
                report.extend(seed_survey(facilities, users, now))
                report.extend(seed_observations(facilities, users, now))

        for line in report:
            self.stdout.write(line)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Demo users:"))
        rows = [("USERNAME", "ROLE", "PASSWORD")]
        for seed in USERS:
            rows.append((seed.username, describe_role(seed, facilities), passwords[seed.username]))
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        for row in rows:
            self.stdout.write("  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        self.stdout.write("")
        site = settings.SITE_URL.rstrip("/")
        self.stdout.write(f"Open {site}/ (staff sign in at {site}{reverse('login')}).")


def describe_versions(charters: list[Charter]) -> str:
    """E.g. "versions 1 (Superseded), 2 (Published), 3 (In public consultation)"."""
    with translation.override("en"):  # the command reports in English
        versions = ", ".join(f"{c.version} ({c.get_status_display()})" for c in charters)
    return f"version {versions}" if len(charters) == 1 else f"versions {versions}"


def describe_role(seed: UserSeed, facilities: dict[str, Facility]) -> str:
    if seed.superuser:
        return "superuser (admin site, every facility)"
    if seed.supervises:
        return f"supervisor: reads every facility of {seed.supervises}"
    if seed.facility is None or seed.role is None:
        return "no facility"
    role = "head (may publish)" if seed.role == MembershipRole.HEAD else "editor"
    return f"{role} at {facilities[seed.facility].name}"
