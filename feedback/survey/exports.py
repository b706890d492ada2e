"""The survey's exports for staff: the raw responses (one row per questionnaire) and the summary
table (the nine elements, the index, the respondents and the period), as CSV or Excel.

The rows are built once and written by either writer. CSV is UTF-8 with a byte-order mark (so
Excel reads the letters right) and guards every text cell against formula injection with
`feedback.reports.safe_cell`; the workbook writes text as text, never as a formula. Numbers stay
numbers in both. The device hash of a web answer is never exported.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import PROFILE_FIELDS, SurveyResponse
from ..reports import safe_cell
from . import ikm
from .ikm import ELEMENTS
from .results import SurveyResults

TABLES = ("responses", "summary")
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass
class Sheet:
    """Rows of cells (text, numbers, dates, None for empty) and which rows are headings."""

    title: str
    rows: list[list[Any]] = field(default_factory=list)
    headings: set[int] = field(default_factory=set)
    widths: list[int] = field(default_factory=list)

    def heading(self, cells: list[Any]) -> None:
        self.headings.add(len(self.rows))
        self.rows.append(cells)


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


# --- Writers -----------------------------------------------------------------------------------


def _csv_cell(value: Any) -> str:
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | Decimal | float):
        return str(value)  # a number, even a negative one, is no formula
    return safe_cell(value)


def to_csv(sheet: Sheet) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in sheet.rows:
        writer.writerow([_csv_cell(value) for value in row])
    return "\ufeff".encode() + buffer.getvalue().encode()


def to_xlsx(sheet: Sheet) -> bytes:
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        output,
        {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
    )
    worksheet = workbook.add_worksheet(sheet.title[:31])
    bold = workbook.add_format({"bold": True})
    day_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    moment_format = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    for line, row in enumerate(sheet.rows):
        style = bold if line in sheet.headings else None
        for column, value in enumerate(row):
            if value is None or value == "":
                worksheet.write_blank(line, column, None, style)
            elif isinstance(value, datetime.datetime):
                worksheet.write_datetime(line, column, value, moment_format)
            elif isinstance(value, datetime.date):
                worksheet.write_datetime(line, column, value, day_format)
            elif isinstance(value, int | Decimal | float) and not isinstance(value, bool):
                worksheet.write_number(line, column, float(value), style)
            else:
                worksheet.write_string(line, column, str(value), style)
    for column, width in enumerate(sheet.widths):
        worksheet.set_column(column, column, width)
    if sheet.headings == {0}:
        worksheet.freeze_panes(1, 0)
        worksheet.autofilter(0, 0, max(len(sheet.rows) - 1, 1), len(sheet.rows[0]) - 1)
    workbook.close()
    return output.getvalue()


def export(sheet: Sheet, fmt: str) -> bytes:
    return to_csv(sheet) if fmt == "csv" else to_xlsx(sheet)
