"""Service-time observations, recorded as the monitoring team would through the service."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from charters.models import DurationUnit, Facility
from demo.data.observations import OBSERVED_DAYS, SOKO_TIMINGS
from demo.moments import at_hour, is_office_day
from monitoring.services import ObservationRow, record_observations

TIMINGS = {"pkm-soko": SOKO_TIMINGS}


def seed_observations(facilities: dict[str, Facility], users: dict[str, Any], now: datetime) -> list[str]:
    """Each facility's observations in `TIMINGS`, over the office days of the last three months;
    a facility that already has observations is left alone."""
    report = []
    today = timezone.localdate(now)
    days = [today - timedelta(days=n) for n in range(OBSERVED_DAYS, 0, -1)]
    office_days = [day for day in days if is_office_day(day)]
    for slug, timings in TIMINGS.items():
        facility = facilities[slug]
        existing = facility.service_observations.count()
        if existing:
            report.append(f"{facility.name}: kept {existing} service-time observations")
            continue
        charter = facility.published_charter()
        if charter is None:
            continue
        services = {service.slug: service for service in charter.services.all()}
        rng = random.Random(f"maklumat-demo-observations-{slug}")
        editor = facility.memberships.order_by("role").first().user
        rows = []
        for timing in timings:
            service = services[timing.slug]
            promised = service.duration_value * (60 if service.duration_unit == DurationUnit.HOURS else 1)
            for _n in range(timing.count):
                day = rng.choice(office_days)
                arrived = at_hour(day, rng.uniform(7.5, 11.5))
                share = max(0.1, rng.gauss(timing.typical, timing.spread / 2))
                minutes = max(1, round(promised * share))
                rows.append(
                    ObservationRow(service=service, arrived_at=arrived, duration_minutes=minutes, method=timing.method)
                )
        record_observations(facility, rows, editor, now=now)
        report.append(f"{facility.name}: {len(rows)} service-time observations over the last three months")
    return report
