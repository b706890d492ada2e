"""What the evaluation round's page sends, for the view tests and the permission matrix."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from charters.models import ParticipantGroup
from monitoring.evaluations import default_period
from monitoring.models import FindingResult


def round_post_data(charter: Any, results: dict[str, str] | None = None, **fields: str) -> dict[str, str]:
    """The round held today over the period since the last one (three months before the first),
    one participant of each group, and a finding per service of `charter` (`results` by service
    address name, "kept" by default; "" for a service not evaluated). `fields` replace the
    round's own (without the form's prefix)."""
    today = timezone.localdate()
    start, end = default_period(charter.facility, today)
    data = {
        "round-charter": str(charter.pk),
        "round-shown_version": str(charter.pk),
        "round-started_on": today.isoformat(),
        "round-ended_on": today.isoformat(),
        "round-period_start": start.isoformat(),
        "round-period_end": end.isoformat(),
        "round-facilitator": "Nur Hidayah",
        "round-organisation": "IDFoS Indonesia",
        "round-method": "forum",
        "round-method_note": "",
        "round-notes": "",
        "round-public_summary": "Pendaftaran masih lambat; loket kedua dibuka.",
        "participants-TOTAL_FORMS": "3",
        "participants-INITIAL_FORMS": "0",
    }
    for index, group in enumerate(ParticipantGroup.values):
        data[f"participants-{index}-name"] = f"Peserta {group}"
        data[f"participants-{index}-group"] = group
    results = results or {}
    for service in charter.services.order_by("position", "id"):
        prefix = f"finding-{service.slug}"
        data[f"{prefix}-result"] = results.get(service.slug, FindingResult.KEPT)
        data[f"{prefix}-evidence"] = "Bukti dari lapangan."
        data[f"{prefix}-notes"] = ""
    data.update({f"round-{name}": value for name, value in fields.items()})
    return data
