"""Reading a queue machine's CSV file of service times: every row checked, all of them or none.

`parse_observations` is pure: it takes the file's bytes and the facility's services and gives
back either the observations (`ObservationRow`, ready for `services.record_observations`) or the
errors, each with its line in the file and its column, as a spreadsheet user finds them. Nothing
is saved here. `charter_site.csvimport` reads the file, with the survey import's limits (size,
rows, errors listed).

The file: UTF-8 with or without a byte-order mark, comma or semicolon separated, a header line
with the column names of `COLUMNS` in any order. `service` and `arrived_at` must be there, and
`completed_at` or `duration_minutes` (a row fills exactly one of them); `method` (the queue
machine when empty) and `note` may be left out. A column with another name is refused rather
than ignored, as in the survey import: a misspelt `completed_at` would otherwise turn every
completion into a missing value.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from charter_site.csvimport import MAX_IMPORT_ROWS, CheckedFile, CsvFile, LineError, Refused, Row, key
from charter_site.spreadsheets import csv_bytes
from feedback.models.survey import EARLIEST_DATE, LATEST_DATE
from feedback.survey.imports import EXAMPLE_COMMENT, is_example, service_lookup

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
class ParsedFile(CheckedFile):
    rows: list[ObservationRow] = field(default_factory=list)

    def day_span(self) -> tuple[datetime.date, datetime.date] | None:
        """The first and the last local day of arrival in the file."""
        days = [timezone.localdate(row.arrived_at) for row in self.rows]
        return (min(days), max(days)) if days else None


# --- Values ------------------------------------------------------------------------------------


def method_values() -> dict[str, str]:
    """What may be written for each method: its code, or its label in English or in Bahasa
    Indonesia, case-insensitively."""
    accepted: dict[str, str] = {}
    for code, label in ObservationMethod.choices:
        accepted[key(code)] = code
        for language in LABEL_LANGUAGES:
            with translation.override(language):
                accepted.setdefault(key(str(label)), code)
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


def _service(row: Row, services: Mapping[str, Any]) -> Any:
    text = row.text("service")
    if not text:
        row.error("service", _("Enter the service: its slug or its name as the charter shows it."))
        return None
    service = services.get(key(text))
    if service is None:
        row.error(
            "service", _("“%(value)s” is not a service of the charter: write its slug or its name.") % {"value": text}
        )
    return service


def _moment(row: Row, column: str, *, required: bool) -> datetime.datetime | None:
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


def _minutes(row: Row) -> int | None:
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


def _method(row: Row, accepted: Mapping[str, str]) -> str:
    text = row.text("method")
    if not text:
        return DEFAULT_METHOD
    method = accepted.get(key(text))
    if method is None:
        row.error(
            "method",
            _("“%(value)s” is not a method: write %(methods)s, or leave it empty for the queue machine.")
            % {"value": text, "methods": ", ".join(ObservationMethod.values)},
        )
        return DEFAULT_METHOD
    return method


def _note(row: Row) -> str:
    note = " ".join(row.text("note").split())
    if is_example(note):
        row.error("note", _("this is an example row of the template: delete it before importing."))
    elif len(note) > NOTE_MAX:
        row.error(
            "note",
            _("The note has %(length)s characters; at most %(limit)s are allowed.")
            % {"length": len(note), "limit": NOTE_MAX},
        )
    return note


def _observation(
    row: Row, lookup: Mapping[str, Any], methods: Mapping[str, str], now: datetime.datetime
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


def parse_observations(content: bytes, services: Iterable[Any], *, now: datetime.datetime | None = None) -> ParsedFile:
    """The observations of a CSV file, or every error found in it; nothing may be later than
    `now` (default: the current time)."""
    now = now or timezone.now()
    try:
        file = CsvFile(content)
        columns, errors = file.header(COLUMNS, REQUIRED_COLUMNS)
        if not any(name in columns for name in END_COLUMNS):
            errors.append(LineError(file.header_line, "", _("missing column: completed_at or duration_minutes.")))
        if errors:
            return ParsedFile(errors=errors)
        lookup = service_lookup(services)
        methods = method_values()
        result = ParsedFile()
        for line, cells in file.records(
            result.errors,
            max_rows=MAX_IMPORT_ROWS,
            too_many=_("The file has more than %(limit)s observations: split it into smaller files.")
            % {"limit": formats.number_format(MAX_IMPORT_ROWS, force_grouping=True)},
            too_wide=_("more values than columns (a note with a comma or semicolon must be in quotes)."),
            none=_("The file has no observation under its header line."),
        ):
            row = Row(line, dict(zip(columns, cells, strict=False)))
            observation = _observation(row, lookup, methods, now)
            if row.errors:
                result.errors.extend(row.errors)
            elif not result.errors:  # once the file is refused, only the errors matter
                result.rows.append(observation)
    except Refused as refused:
        return ParsedFile(errors=refused.errors)
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
