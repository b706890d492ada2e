"""The survey's exports for staff: the raw responses (one row per questionnaire) and the summary
table (the nine elements, the index, the respondents and the period), as CSV or Excel.

The rows are built once here and written by `charter_site.spreadsheets`, which guards them
against formula injection. The device hash of a web answer is never exported.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from charter_site.spreadsheets import Sheet

from ..models import PROFILE_FIELDS, SurveyResponse
from . import ikm
from .ikm import ELEMENTS
from .results import SurveyResults

TABLES = ("responses", "summary")


def performance(grade: ikm.Grade) -> str:
    """The performance label, with the regulation's own word when the language words it otherwise."""
    label = str(grade.label)
    return label if label == grade.term else f"{label} ({grade.term})"


def _local(moment: datetime.datetime) -> datetime.datetime:
    """Local time without a zone: spreadsheets know no time zones."""
    return timezone.localtime(moment).replace(tzinfo=None, microsecond=0)


# --- Raw responses -----------------------------------------------------------------------------


def responses_header() -> list[str]:
    return [
        _("Date of the visit"),
        _("Service"),
        _("Channel"),
        *(element.code for element in ELEMENTS),
        _("Age"),
        _("Sex"),
        _("Education"),
        _("Occupation"),
        _("Comment"),
        _("Submitted at"),
    ]


def response_row(response: SurveyResponse) -> list[Any]:
    """One questionnaire; a skipped question and an unanswered profile question are empty."""
    profile = [
        getattr(response, f"get_{name}_display")() if getattr(response, name) else "" for name, _c in PROFILE_FIELDS
    ]
    return [
        response.visited_on,
        response.service.name if response.service else "",
        response.get_channel_display(),
        *(getattr(response, element.field) for element in ELEMENTS),
        *profile,
        response.comment,
        _local(response.submitted_at),
    ]


def responses_sheet(responses: Iterable[SurveyResponse]) -> Sheet:
    """`responses` must carry their `service` (select_related)."""
    sheet = Sheet(_("Responses"), widths=[12, 30, 16, *([4] * len(ELEMENTS)), 14, 12, 22, 22, 50, 16])
    sheet.heading(responses_header())
    sheet.rows.extend(response_row(response) for response in responses)
    return sheet


# --- The summary table -------------------------------------------------------------------------


def summary_sheet(results: SurveyResults) -> Sheet:
    """The regulation's table: per element the answers, the sum, NRR and weighted NRR; then the
    index on both scales with its grade, for the period, the service and the respondents."""
    index = results.index
    grade = index.grade
    sheet = Sheet(_("Summary"), widths=[26, 44, 12, 14, 10, 14])
    sheet.rows.extend(
        [
            [_("Facility"), results.facility.name],
            [_("From"), results.start],
            [_("To"), results.end],
            [_("Service"), results.service_name or results.service_slug or _("All services")],
            [_("Respondents"), index.respondents],
            [],
        ]
    )
    sheet.heading([_("Element"), _("Name"), _("Answers"), _("Sum of scores"), _("NRR"), _("Weighted NRR")])
    for score in index.scores:
        sheet.rows.append(
            [
                score.element.code,
                str(score.element.name),
                score.answered,
                score.total,
                score.nrr_rounded(2),
                score.weighted_rounded(3),
            ]
        )
    sheet.rows.extend(
        [
            [],
            [_("IKM (1–4 scale)"), index.ikm_unit],
            [_("IKM of the unit (× 25)"), index.ikm],
            [_("Grade"), grade.letter if grade else None],
            [_("Performance"), performance(grade) if grade else None],
        ]
    )
    return sheet
