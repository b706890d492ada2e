"""Reading a CSV file that staff made in a spreadsheet, for the imports that check every row.

`CsvFile` reads what every such import reads the same way: UTF-8 with or without a byte-order
mark (Excel's "CSV UTF-8"), comma or semicolon separated (Excel set to Indonesian writes
semicolons), blank lines before the header line and between the rows, and a quoted value that
spans several lines. Its errors are `LineError`s, each with its line in the file and its column,
as a spreadsheet user finds them. What the columns are and what a row becomes is the import's.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

MAX_IMPORT_BYTES = 2 * 1024 * 1024
MAX_IMPORT_ROWS = 10_000
MAX_ERRORS_SHOWN = 50


@dataclass(frozen=True)
class LineError:
    """A problem in the file: `line` is the file's line (the header is line 1), `column` a name
    of the import's columns or "" for the whole line or file."""

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.line and self.column:
            return _("line %(line)s, column %(column)s: %(message)s") % {
                "line": self.line,
                "column": self.column,
                "message": self.message,
            }
        if self.line:
            return _("line %(line)s: %(message)s") % {"line": self.line, "message": self.message}
        return self.message


@dataclass
class CheckedFile:
    """The errors of a file; an import's result adds what the file gives when it has none."""

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


class Refused(Exception):
    """The file is refused as a whole; `errors` say why."""

    def __init__(self, *errors: LineError) -> None:
        super().__init__(*errors)
        self.errors = list(errors)


def key(text: str) -> str:
    """A name as a spreadsheet user means it: spaces collapsed, case ignored."""
    return " ".join(text.split()).casefold()


def decode(content: bytes) -> str | None:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def delimiter(header_line: str) -> str:
    """Semicolon when the header has more semicolons than commas (Excel set to Indonesian)."""
    return ";" if header_line.count(";") > header_line.count(",") else ","


def _blank(cells: Sequence[str]) -> bool:
    return not any(cell.strip() for cell in cells)


class Row:
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


class CsvFile:
    """The header line of a file's bytes, then its records; `Refused` when the file is too large,
    not UTF-8, empty or without a header line."""

    def __init__(self, content: bytes) -> None:
        if len(content) > MAX_IMPORT_BYTES:
            raise Refused(LineError(0, "", _("The file is larger than 2 MB: split it into smaller files.")))
        text = decode(content)
        if text is None:
            raise Refused(
                LineError(0, "", _("The file is not UTF-8 text. In Excel, save it as “CSV UTF-8 (comma delimited)”."))
            )
        if not text.strip():
            raise Refused(LineError(0, "", _("The file is empty.")))
        if "\x00" in text:
            # No spreadsheet writes NUL in a CSV file, and PostgreSQL refuses it in any text
            # column: saving the row would fail with a server error (found by tests/fuzz).
            line = text.count("\n", 0, text.index("\x00")) + 1
            message = _("the line holds a NUL character, which spreadsheets never write: save it as CSV again.")
            raise Refused(LineError(line, "", message))
        first_line = text.lstrip("\r\n").splitlines()[0]
        self._reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(first_line))
        try:
            names = next(self._reader)
            while _blank(names):  # blank lines before the header
                names = next(self._reader)
        except (StopIteration, csv.Error):
            raise Refused(LineError(0, "", _("The file has no header line."))) from None
        self.names = names
        self.header_line = self._reader.line_num

    def header(self, known: Sequence[str], required: Sequence[str]) -> tuple[list[str], list[LineError]]:
        """The header's column names as `key` writes them, and the errors of a column not in
        `known`, one given twice, or one of `required` left out."""
        columns = [key(name) for name in self.names]
        errors = []
        unknown = [name for name in columns if name and name not in known]
        if unknown:
            errors.append(
                LineError(
                    self.header_line,
                    "",
                    _("unknown columns: %(unknown)s. The columns are: %(columns)s.")
                    % {"unknown": ", ".join(unknown), "columns": ", ".join(known)},
                )
            )
        twice = sorted({name for name in columns if name and columns.count(name) > 1})
        if twice:
            errors.append(
                LineError(self.header_line, "", _("columns given twice: %(columns)s.") % {"columns": ", ".join(twice)})
            )
        missing = [name for name in required if name not in columns]
        if missing:
            errors.append(
                LineError(self.header_line, "", _("missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
            )
        return columns, errors

    def records(
        self, errors: list[LineError], *, max_rows: int, too_many: str, too_wide: str, none: str
    ) -> Iterator[tuple[int, list[str]]]:
        """Each record under the header that is not blank, with the line where it starts (a
        quoted value may span several lines). A record with more values than the header has
        columns, and one whose quote is not closed (the last read), are not given: their errors
        are added to `errors`, where the import adds its rows' so that they stay in the file's
        order. `Refused` with `too_many` past `max_rows` records, and with `none` when there
        was no record and no error."""
        rows = 0
        line = self.header_line
        while True:
            start = line + 1
            try:
                cells = next(self._reader)
            except StopIteration:
                break
            except csv.Error:
                errors.append(LineError(start, "", _("the line cannot be read (a quote is not closed).")))
                break
            line = self._reader.line_num
            if _blank(cells):
                continue  # blank lines, and the empty rows spreadsheets leave at the end
            rows += 1
            if rows > max_rows:
                raise Refused(LineError(0, "", too_many))
            if len(cells) > len(self.names) and not _blank(cells[len(self.names) :]):
                errors.append(LineError(start, "", too_wide))
                continue
            yield start, cells
        if rows == 0 and not errors:
            raise Refused(LineError(0, "", none))
