"""Template tag for the evaluation rounds on the public charter, which the monitoring app does not
own: the charter page loads it, so that `charters` never imports `monitoring`."""

from __future__ import annotations

from django import template

from charters.models import Facility

from ..models import EvaluationRound

register = template.Library()

PUBLIC_ROUNDS = 5  # the latest rounds a citizen reads; the staff pages keep them all


@register.simple_tag
def public_evaluation_rounds(facility: Facility) -> list[EvaluationRound]:
    """The facility's latest rounds, newest first, with what citizens read of them: when each was
    held, who facilitated it, its summary for citizens. One query; the page shows the last one's
    date near the top and the summaries in `monitoring/includes/_evaluation_summary.html`."""
    return list(
        EvaluationRound.objects.filter(facility=facility)
        .only("facility_id", "started_on", "ended_on", "organisation", "facilitator", "public_summary")
        .order_by("-ended_on", "-id")[:PUBLIC_ROUNDS]
    )
