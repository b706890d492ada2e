"""Random survey responses for the daily aggregates' tests: several facilities, services in two
charter versions under the same web address name, visits over fifteen months, skipped answers."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from typing import Any

from feedback.models import ResponseChannel, SurveyResponse
from feedback.survey.ikm import ELEMENTS
from tests.factories import CharterFactory, FacilityFactory, ServiceStandardFactory, make_published_charter

FIRST_DAY = datetime.date(2025, 1, 1)
DAYS = 456  # to 2026-04-01

# The queries whose results.json is pinned by `survey_results_before.json`: (facility, from, to,
# position of the service among the published ones or None).
JSON_QUERIES: tuple[tuple[str, str, str, int | None], ...] = (
    ("puskesmas-uji", "2025-01-01", "2025-12-31", None),
    ("puskesmas-uji", "2025-04-01", "2025-06-30", None),
    ("puskesmas-uji", "2025-01-01", "2026-03-31", 0),
    ("puskesmas-uji", "2025-01-01", "2026-03-31", 1),
    ("puskesmas-uji", "2025-01-01", "2026-03-31", 2),
    ("puskesmas-uji", "2025-02-10", "2025-02-10", None),
    ("puskesmas-uji", "2024-01-01", "2024-12-31", None),
    ("puskesmas-lain", "2025-01-01", "2026-03-31", None),
    ("puskesmas-lain", "2025-07-01", "2025-09-30", 0),
)


@dataclass
class Dataset:
    facilities: list[Any]
    published: dict[str, list[Any]]  # the published services of each facility, by position


def random_scores(rng: random.Random) -> dict[str, int | None]:
    return {element.field: None if rng.random() < 0.15 else rng.choice((1, 2, 3, 3, 3, 4, 4)) for element in ELEMENTS}


def make_dataset(rows: int = 600, seed: int = 14) -> Dataset:
    """Two facilities: the first with three published services, a later version reusing two of
    their slugs and a new one; responses without a service too."""
    rng = random.Random(seed)
    dataset = Dataset(facilities=[], published={})
    for slug, count in (("puskesmas-uji", rows), ("puskesmas-lain", rows // 3)):
        facility = FacilityFactory(name=slug.replace("-", " ").title(), slug=slug)
        charter = make_published_charter(facility, services=3 if slug == "puskesmas-uji" else 1)
        published = list(charter.services.order_by("position"))
        services: list[Any] = [*published, None]
        if slug == "puskesmas-uji":
            draft = CharterFactory(facility=facility)
            for service in published[:2]:
                services.append(ServiceStandardFactory(charter=draft, slug=service.slug, name=service.name))
            services.append(ServiceStandardFactory(charter=draft))
        SurveyResponse.objects.bulk_create(
            SurveyResponse(
                facility=facility,
                service=rng.choice(services),
                visited_on=FIRST_DAY + datetime.timedelta(days=rng.randrange(DAYS)),
                channel=rng.choice(list(ResponseChannel)),
                **random_scores(rng),
            )
            for _n in range(count)
        )
        dataset.facilities.append(facility)
        dataset.published[slug] = published
    return dataset


def json_query(dataset: Dataset, facility: str, start: str, end: str, service: int | None) -> dict[str, str]:
    query = {"from": start, "to": end}
    if service is not None:
        query["service"] = dataset.published[facility][service].slug
    return query
