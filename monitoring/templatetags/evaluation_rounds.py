"""Template tag for the evaluation rounds on the public charter, which the monitoring app does not
own: the charter page loads it, so that `charters` never imports `monitoring`."""

from __future__ import annotations

from typing import Any

from django import template

from charters.models import Facility

from ..models import EvaluationRound

register = template.Library()

PUBLIC_ROUNDS = 5  # the latest rounds a citizen reads; the staff pages keep them all


@register.inclusion_tag("monitoring/includes/_evaluation_summary.html")
def evaluation_summary(facility: Facility) -> dict[str, Any]:
    """The date of the last evaluation and, per round, when it was held, who facilitated it and
    its summary for citizens, newest first; nothing before the first round. One query."""
    rounds = list(
        EvaluationRound.objects.filter(facility=facility)
        .only("facility_id", "started_on", "ended_on", "organisation", "facilitator", "public_summary")
        .order_by("-ended_on", "-id")[:PUBLIC_ROUNDS]
    )
    return {"rounds": rounds, "last": rounds[0] if rounds else None}
