"""Template tags for the promise against reality on pages the monitoring app does not own: the
public service page loads them, so that `charters` never imports `monitoring`."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.translation import ngettext

from charters.models import ServiceStandard

from ..figures import format_elapsed, recent_figures

register = template.Library()


@register.inclusion_tag("monitoring/includes/_promise_summary.html")
def promise_summary(service: ServiceStandard) -> dict[str, Any]:
    """The last three months of a service in citizens' words ("Promised: 15 minutes. Last three
    months: half of the users were served within 12 minutes, 84% on time, 143 measurements."),
    or nothing when the service promises no duration or was observed fewer than
    `MIN_PUBLIC_OBSERVATIONS` times. One or two queries (see `recent_figures`)."""
    figures = recent_figures(service)
    if figures is None or not figures.is_public:
        return {"sentence": ""}
    sentence = ngettext(
        "Promised: %(promise)s. Last three months: half of the users were served within %(median)s, "
        "%(kept)s%% on time, %(count)s measurement.",
        "Promised: %(promise)s. Last three months: half of the users were served within %(median)s, "
        "%(kept)s%% on time, %(count)s measurements.",
        figures.count,
    ) % {
        "promise": service.duration_display,
        "median": format_elapsed(figures.median, figures.unit),
        "kept": figures.promise_kept,
        "count": number_format(figures.count, force_grouping=True),
    }
    return {"sentence": sentence, "figures": figures}
