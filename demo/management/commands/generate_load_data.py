"""Fill the database with data at national scale, for benchmarks (demo/loadgen.py).

    python manage.py generate_load_data [--facilities 2000] [--services 40] [--responses 1000000]
        [--busiest-responses 200000] [--cases 200000] [--seed 2026]

The facilities are named `load-0001` …; `load-0001` is the busiest. Does nothing when they exist.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo import loadgen


class Command(BaseCommand):
    help = "Fill the database with facilities, charters, survey answers and cases at national scale."

    def add_arguments(self, parser: CommandParser) -> None:
        defaults = loadgen.Plan()
        parser.add_argument("--facilities", type=int, default=defaults.facilities)
        parser.add_argument("--services", type=int, default=defaults.services, help="per facility")
        parser.add_argument("--responses", type=int, default=defaults.responses, help="survey answers in all")
        parser.add_argument(
            "--busiest-responses", type=int, default=defaults.busiest_responses, help="of them at load-0001"
        )
        parser.add_argument("--cases", type=int, default=defaults.cases, help="three quarters at load-0001")
        parser.add_argument("--seed", type=int, default=defaults.seed)

    def handle(self, *args: Any, **options: Any) -> None:
        if loadgen.exists():
            self.stdout.write(f"{loadgen.busiest_slug()} exists: the load data is there already.")
            return
        try:
            plan = loadgen.Plan(
                facilities=options["facilities"],
                services=options["services"],
                responses=options["responses"],
                busiest_responses=min(options["busiest_responses"], options["responses"]),
                cases=options["cases"],
                seed=options["seed"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        loadgen.generate(plan, self.stdout.write)
