"""Reading a queue machine's CSV file of service times: every row checked, all of them or none.

`parse_observations` is pure: it takes the file's bytes and the facility's services and gives
back either the observations (`ObservationRow`, ready for `services.record_observations`) or the
errors, each with its line in the file and its column, as a spreadsheet user finds them. Nothing
is saved here. The limits (size, rows, errors listed) are the survey import's.

The file: UTF-8 with or without a byte-order mark, comma or semicolon separated, a header line
with the column names of `COLUMNS` in any order. `service` and `arrived_at` must be there, and
`completed_at` or `duration_minutes` (a row fills exactly one of them); `method` (the queue
machine when empty) and `note` may be left out. A column with another name is refused rather
than ignored, as in the survey import: a misspelt `completed_at` would otherwise turn every
completion into a missing value.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from charter_site.spreadsheets import csv_bytes
from feedback.models.survey import EARLIEST_DATE, LATEST_DATE
from feedback.survey.imports import (
    EXAMPLE_COMMENT,
    MAX_ERRORS_SHOWN,
    MAX_IMPORT_BYTES,
    MAX_IMPORT_ROWS,
    LineError,
    service_lookup,
)

from .models import MAX_OBSERVED_MINUTES, ObservationMethod, ServiceObservation
from .services import ObservationRow, check_row, duration_range_message

REQUIRED_COLUMNS = ("service", "arrived_at")
END_COLUMNS = ("completed_at", "duration_minutes")  # the header needs one of them at least
COLUMNS = (*REQUIRED_COLUMNS, *END_COLUMNS, "method", "note")
DEFAULT_METHOD = ObservationMethod.QUEUE_MACHINE
# Besides ISO 8601 (`2026-11-02 08:15`, `2026-11-02T08:15:00`, with or without an offset): the
# day first, as Excel set to Indonesian writes a date and time back into a CSV file.
DAY_FIRST_FORMATS = ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H.%M", "%d-%m-%Y %H:%M", "%d-%m-%Y %H:%M:%S")
NOTE_MAX = ServiceObservation._meta.get_field("note").max_length
LABEL_LANGUAGES = ("en", "id")

# Which column a broken rule of `check_row` is reported in.
RULE_COLUMNS = {
    "no_end": "completed_at",
    "two_ends": "duration_minutes",
    "arrived_future": "arrived_at",
    "reversed": "completed_at",
    "completed_future": "completed_at",
    "duration_range": "duration_minutes",
    "too_long": "completed_at",
    "method": "method",
}


@dataclass
class ParsedFile:
    rows: list[ObservationRow] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors

    @property
    def shown_errors(self) -> list[LineError]:
        return self.errors[:MAX_ERRORS_SHOWN]

    @property
    def error_count(self) -> int:
        return len(self.errors)

    def day_span(self) -> tuple[datetime.date, datetime.date] | None:
        """The first and the last local day of arrival in the file."""
        days = [timezone.localdate(row.arrived_at) for row in self.rows]
        return (min(days), max(days)) if days else None


def _refused(message: str, line: int = 0, column: str = "") -> ParsedFile:
    return ParsedFile(errors=[LineError(line, column, message)])


# --- Values ------------------------------------------------------------------------------------


def _key(text: str) -> str:
    """As the survey import compares names: spaces collapsed, case ignored."""
    return " ".join(text.split()).casefold()


def method_values() -> dict[str, str]:
    """What may be written for each method: its code, or its label in English or in Bahasa
    Indonesia, case-insensitively."""
    accepted: dict[str, str] = {}
    for code, label in ObservationMethod.choices:
        accepted[_key(code)] = code
        for language in LABEL_LANGUAGES:
            with translation.override(language):
                accepted.setdefault(_key(str(label)), code)
    return accepted


def parse_moment(text: str) -> datetime.datetime | None:
    """A date and a time in the site's time zone (converted to it when the text has an offset);
    None when the text is not one, or is a date without a time."""
    text = text.strip()
    moment = None
    if len(text) > len("2026-11-02"):  # a day alone is no moment of arrival
        try:
            moment = datetime.datetime.fromisoformat(text)
        except ValueError:
            for pattern in DAY_FIRST_FORMATS:
                try:
                    moment = datetime.datetime.strptime(text, pattern)
                    break
                except ValueError:
                    continue
    if moment is None:
        return None
    if moment.tzinfo is None:
        return timezone.make_aware(moment)
    return timezone.localtime(moment)


class _Row:
    """The checks of one line; `errors` collects what is wrong, column by column."""

    def __init__(self, line: int, values: Mapping[str, str]) -> None:
        self.line = line
        self.values = values
        self.errors: list[LineError] = []

    def error(self, column: str, message: str) -> None:
        self.errors.append(LineError(self.line, column, message))

    def text(self, column: str) -> str:
        return (self.values.get(column) or "").strip()

    def has_error(self, *columns: str) -> bool:
        return any(error.column in columns for error in self.errors)


def _service(row: _Row, services: Mapping[str, Any]) -> Any:
    text = row.text("service")
    if not text:
        row.error("service", _("Enter the service: its slug or its name as the charter shows it."))
        return None
    service = services.get(_key(text))
    if service is None:
        row.error(
            "service", _("“%(value)s” is not a service of the charter: write its slug or its name.") % {"value": text}
        )
    return service


def _moment(row: _Row, column: str, *, required: bool) -> datetime.datetime | None:
    text = row.text(column)
    if not text:
        if required:
            row.error(column, _("Enter the date and time, e.g. 2026-11-02 08:15."))
        return None
    try:
        moment = parse_moment(text)
    except (OverflowError, ValueError):  # a year 1 with an offset east of Greenwich
        moment = None
    if moment is None:
        row.error(
            column,
            _("“%(value)s” is not a date and time: write 2026-11-02 08:15 or 2026-11-02T08:15.") % {"value": text},
        )
        return None
    if not EARLIEST_DATE <= moment.date() <= LATEST_DATE:
        row.error(
            column,
            _("Enter a date from %(earliest)s to %(latest)s.")
            % {"earliest": EARLIEST_DATE.year, "latest": LATEST_DATE.year},
        )
        return None
    return moment


def _minutes(row: _Row) -> int | None:
    text = row.text("duration_minutes")
    if not text:
        return None
    # Spreadsheets may write a whole number as "25.0" or "25,0".
    whole = text[:-2] if text.endswith((".0", ",0")) else text
    if not (whole.isascii() and whole.isdigit()):
        row.error(
            "duration_minutes",
            _("“%(value)s” is not a number of minutes: write a whole number, e.g. 25.") % {"value": text},
        )
        return None
    if len(whole) > len(str(MAX_OBSERVED_MINUTES)) or int(whole) > MAX_OBSERVED_MINUTES:
        row.error("duration_minutes", duration_range_message())
        return None
    return int(whole)


def _method(row: _Row, accepted: Mapping[str, str]) -> str:
    text = row.text("method")
    if not text:
        return DEFAULT_METHOD
    method = accepted.get(_key(text))
    if method is None:
        row.error(
            "method",
            _("“%(value)s” is not a method: write %(methods)s, or leave it empty for the queue machine.")
            % {"value": text, "methods": ", ".join(ObservationMethod.values)},
        )
        return DEFAULT_METHOD
    return method


def _is_example(note: str) -> bool:
    written = {str(EXAMPLE_COMMENT)}
    for language in LABEL_LANGUAGES:
        with translation.override(language):
            written.add(str(EXAMPLE_COMMENT))
    return note.strip() in written


def _note(row: _Row) -> str:
    note = " ".join(row.text("note").split())
    if _is_example(note):
        row.error("note", _("this is an example row of the template: delete it before importing."))
    elif len(note) > NOTE_MAX:
        row.error(
            "note",
            _("The note has %(length)s characters; at most %(limit)s are allowed.")
            % {"length": len(note), "limit": NOTE_MAX},
        )
    return note


def _observation(
    row: _Row, lookup: Mapping[str, Any], methods: Mapping[str, str], now: datetime.datetime
) -> ObservationRow | None:
    """The line's observation, or None with its errors in `row.errors`."""
    service = _service(row, lookup)
    arrived_at = _moment(row, "arrived_at", required=True)
    completed_at = _moment(row, "completed_at", required=False)
    minutes = _minutes(row)
    method = _method(row, methods)
    note = _note(row)
    if row.errors:
        return None
    observation = ObservationRow(
        service=service,
        arrived_at=arrived_at,
        completed_at=completed_at,
        duration_minutes=minutes,
        method=method,
        note=note,
    )
    try:
        check_row(observation, now)
    except ValidationError as error:
        row.error(RULE_COLUMNS.get(error.code or "", ""), " ".join(error.messages))
        return None
    return observation


# --- The file ----------------------------------------------------------------------------------


def _decode(content: bytes) -> str | None:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _delimiter(header_line: str) -> str:
    """Semicolon when the header has more semicolons than commas (Excel set to Indonesian)."""
    return ";" if header_line.count(";") > header_line.count(",") else ","


def _header(names: list[str]) -> tuple[list[str], list[LineError]]:
    columns = [_key(name) for name in names]
    errors = []
    unknown = [name for name in columns if name and name not in COLUMNS]
    if unknown:
        errors.append(
            LineError(
                1,
                "",
                _("unknown columns: %(unknown)s. The columns are: %(columns)s.")
                % {"unknown": ", ".join(unknown), "columns": ", ".join(COLUMNS)},
            )
        )
    twice = sorted({name for name in columns if name and columns.count(name) > 1})
    if twice:
        errors.append(LineError(1, "", _("columns given twice: %(columns)s.") % {"columns": ", ".join(twice)}))
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        errors.append(LineError(1, "", _("missing columns: %(columns)s.") % {"columns": ", ".join(missing)}))
    if not any(name in columns for name in END_COLUMNS):
        errors.append(LineError(1, "", _("missing column: completed_at or duration_minutes.")))
    return columns, errors


def parse_observations(content: bytes, services: Iterable[Any], *, now: datetime.datetime | None = None) -> ParsedFile:
    """The observations of a CSV file, or every error found in it; nothing may be later than
    `now` (default: the current time)."""
    now = now or timezone.now()
    if len(content) > MAX_IMPORT_BYTES:
        return _refused(_("The file is larger than 2 MB: split it into smaller files."))
    text = _decode(content)
    if text is None:
        return _refused(_("The file is not UTF-8 text. In Excel, save it as “CSV UTF-8 (comma delimited)”."))
    if not text.strip():
        return _refused(_("The file is empty."))
    first_line = text.lstrip("\r\n").splitlines()[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(first_line))
    try:
        header = next(reader)
        while not any(cell.strip() for cell in header):  # blank lines before the header
            header = next(reader)
    except (StopIteration, csv.Error):
        return _refused(_("The file has no header line."))
    header_line = reader.line_num
    columns, errors = _header(header)
    if errors:
        return ParsedFile(errors=[LineError(header_line, e.column, e.message) for e in errors])

    lookup = service_lookup(services)
    methods = method_values()
    result = ParsedFile()
    rows = 0
    line = header_line
    while True:
        start = line + 1  # where this record begins (a quoted note may span several lines)
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error:
            result.errors.append(LineError(start, "", _("the line cannot be read (a quote is not closed).")))
            break
        line = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue  # blank lines, and the empty rows spreadsheets leave at the end
        rows += 1
        if rows > MAX_IMPORT_ROWS:
            return _refused(
                _("The file has more than %(limit)s observations: split it into smaller files.")
                % {"limit": formats.number_format(MAX_IMPORT_ROWS, force_grouping=True)}
            )
        if len(cells) > len(columns) and any(cell.strip() for cell in cells[len(columns) :]):
            result.errors.append(
                LineError(
                    start, "", _("more values than columns (a note with a comma or semicolon must be in quotes).")
                )
            )
            continue
        row = _Row(start, dict(zip(columns, cells, strict=False)))
        observation = _observation(row, lookup, methods, now)
        if row.errors:
            result.errors.extend(row.errors)
        elif not result.errors:  # once the file is refused, only the errors matter
            result.rows.append(observation)
    if rows == 0 and not result.errors:
        return _refused(_("The file has no observation under its header line."))
    if result.errors:
        result.rows = []
    return result


# --- The template ------------------------------------------------------------------------------


def template_csv(services: list[Any], *, delimiter: str = ",", today: datetime.date) -> bytes:
    """The header and two example rows, both marked as examples in their note so that the
    template cannot be imported as it is: one with the slug and a completion time, one with the
    name, the `T` form of ISO 8601 and a duration in minutes."""
    first = services[0] if services else None
    second = services[1] if len(services) > 1 else first
    day = (today - datetime.timedelta(days=1)).isoformat()
    example = str(EXAMPLE_COMMENT)
    rows = [
        list(COLUMNS),
        [first.slug if first else "", f"{day} 08:15", f"{day} 08:47", "", "", example],
        [second.name if second else "", f"{day}T09:02", "", "25", ObservationMethod.QUEUE_MACHINE.value, example],
    ]
    # Not guarded against formulas: the cells are read back by this import (see the survey's).
    return csv_bytes(rows, delimiter=delimiter)
