"""Spreadsheets for staff to download, as CSV or as an Excel workbook, from the same rows.

A spreadsheet runs a cell that starts like a formula (CSV injection), so CSV text that starts so
gets a leading `'` and the workbook writes text as text, never as a formula. Numbers and dates
stay numbers and dates in both. CSV is UTF-8 with a byte-order mark, so that Excel reads the
Indonesian and other letters right.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

# Spreadsheets run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
AFTER_SEPARATOR = re.compile(r"([;,])([=+\-@\t\r])")

MAX_COLUMN_WIDTH = 50  # characters; longer text wraps out of sight rather than widen the sheet


@dataclass
class Sheet:
    """Rows of cells (text, numbers, dates, None for empty), which rows are headings, and the
    columns' widths in characters (the workbook only)."""

    title: str
    rows: list[list[Any]] = field(default_factory=list)
    headings: set[int] = field(default_factory=set)
    widths: list[int] = field(default_factory=list)

    def heading(self, cells: list[Any]) -> None:
        self.headings.add(len(self.rows))
        self.rows.append(cells)

    def fit_widths(self) -> None:
        """Each column as wide as its longest cell, with a margin, up to MAX_COLUMN_WIDTH."""
        widths: list[int] = []
        for row in self.rows:
            for column, value in enumerate(row):
                if column == len(widths):
                    widths.append(0)
                widths[column] = max(widths[column], _text_width(value))
        self.widths = [min(width + 2, MAX_COLUMN_WIDTH) for width in widths]


def _text_width(value: Any) -> int:
    if isinstance(value, datetime.datetime):
        return 16  # yyyy-mm-dd hh:mm
    if isinstance(value, datetime.date):
        return 10  # yyyy-mm-dd
    if value is None or value == "":
        return 0
    return len(str(value))


# --- CSV ---------------------------------------------------------------------------------------


def safe_cell(value: Any) -> str:
    """A cell's text for CSV, with a leading `'` where a spreadsheet would see a formula."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    # A spreadsheet reading another separator (`;` in Indonesian Excel) starts a cell after each
    # `;` or `,` inside the text: "ok;=cmd…" would give a formula cell "=cmd…", so it gets "'" too.
    text = AFTER_SEPARATOR.sub(r"\1'\2", str(value))
    # A lone "-" (not answered yet) is no formula; anything longer that starts like one may be.
    return "'" + text if text.startswith(FORMULA_STARTS) and text != "-" else text


def csv_cell(value: Any) -> str:
    """`safe_cell`, except that a number, even a negative one, stays a number, and a boolean
    reads yes or no."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | Decimal | float):
        return str(value)
    return safe_cell(value)


def csv_bytes(rows: Iterable[Iterable[str]], *, delimiter: str = ",") -> bytes:
    """Rows of text as CSV, UTF-8 with a byte-order mark, every cell quoted: a spreadsheet set to
    another separator (`;` in Indonesian Excel) then cannot split "ok;=cmd…" into a formula."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, quoting=csv.QUOTE_ALL).writerows(rows)
    return "\ufeff".encode() + buffer.getvalue().encode()


def to_csv(sheet: Sheet) -> bytes:
    return csv_bytes([csv_cell(value) for value in row] for row in sheet.rows)


# --- Excel -------------------------------------------------------------------------------------


def to_xlsx(sheet: Sheet) -> bytes:
    """One worksheet; headings in bold. A sheet with one heading on top gets it frozen and a filter."""
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        output,
        {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
    )
    worksheet = workbook.add_worksheet(sheet.title[:31])  # Excel's limit
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
    """The sheet as `fmt`, one of CONTENT_TYPES."""
    return to_csv(sheet) if fmt == "csv" else to_xlsx(sheet)


def download(sheet: Sheet, fmt: str, name: str) -> HttpResponse:
    """The sheet as a file to save, `name.fmt`; staff data: kept by no cache, not even the browser's."""
    response = HttpResponse(export(sheet, fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    patch_cache_control(response, private=True, no_store=True)
    return response
