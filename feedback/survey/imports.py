"""Reading a CSV file of paper questionnaires: every row checked, all of them or none.

`parse_questionnaires` is pure: it takes the file's bytes and the facility's services and gives
back either the questionnaires (`Answers`, ready for `record_paper_responses`) or the errors,
each with its line in the file and its column, as a spreadsheet user finds them. Nothing is
saved here.

The file: UTF-8 with or without a byte-order mark (Excel's "CSV UTF-8"), comma or semicolon
separated (Excel set to Indonesian writes semicolons), a header line with the column names of
`COLUMNS` in any order. `service`, `visited_on` and `u1`…`u9` must be there; the profile columns
and `comment` may be left out. A column with another name is refused rather than ignored: a
misspelt `educaton` would otherwise drop every respondent's education without a word.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _, gettext_lazy

# The limits are the CSV reader's; the import page and its form read them here.
from charter_site.csvimport import (
    MAX_ERRORS_SHOWN as MAX_ERRORS_SHOWN,
    MAX_IMPORT_BYTES as MAX_IMPORT_BYTES,
    MAX_IMPORT_ROWS,
    CheckedFile,
    CsvFile,
    Refused,
    Row,
    key,
)
from charter_site.spreadsheets import csv_bytes

from ..forms.public import COMMENT_MAX
from ..forms.survey import check_visit_date
from ..models import PROFILE_FIELDS
from ..services.surveys import Answers
from .ikm import ELEMENTS, SCALE_MAX, SCALE_MIN

SCORE_COLUMNS = tuple(element.field for element in ELEMENTS)
PROFILE_COLUMNS = tuple(name for name, _choices in PROFILE_FIELDS)
REQUIRED_COLUMNS = ("service", "visited_on", *SCORE_COLUMNS)
COLUMNS = (*REQUIRED_COLUMNS, *PROFILE_COLUMNS, "comment")
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")  # ISO, and the day first as Indonesians write it
LABEL_LANGUAGES = ("en", "id")


@dataclass
class ParsedFile(CheckedFile):
    answers: list[Answers] = field(default_factory=list)

    def visit_span(self) -> tuple[datetime.date, datetime.date] | None:
        """The first and the last day of the visits in the file."""
        days = [answers.visited_on for answers in self.answers]
        return (min(days), max(days)) if days else None


# --- Values ------------------------------------------------------------------------------------


def profile_values() -> dict[str, dict[str, str]]:
    """For each profile column, what may be written for each answer: its code, and its label in
    English and in Bahasa Indonesia, case-insensitively."""
    accepted: dict[str, dict[str, str]] = {}
    for name, choices in PROFILE_FIELDS:
        values: dict[str, str] = {}
        for code, label in choices.choices:
            values[key(code)] = code
            for language in LABEL_LANGUAGES:
                with translation.override(language):
                    values.setdefault(key(str(label)), code)
        for language in LABEL_LANGUAGES:  # written out instead of leaving the cell empty
            with translation.override(language):
                values.setdefault(key(_("Not given")), "")
        accepted[name] = values
    return accepted


def legend() -> list[tuple[str, list[tuple[str, str, str]]]]:
    """The allowed values of each profile column for the import page: (column, [(code, English,
    Indonesian)])."""
    rows = []
    for name, choices in PROFILE_FIELDS:
        values = []
        for code, label in choices.choices:
            with translation.override("en"):
                english = str(label)
            with translation.override("id"):
                indonesian = str(label)
            values.append((code, english, indonesian))
        rows.append((name, values))
    return rows


def _parse_date(text: str) -> datetime.date | None:
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _service(row: Row, services: Mapping[str, Any]) -> Any:
    text = row.text("service")
    if not text:
        return None
    service = services.get(key(text))
    if service is None:
        row.error(
            "service", _("“%(value)s” is not a service of the charter: write its slug or its name.") % {"value": text}
        )
    return service


def _visit(row: Row) -> datetime.date | None:
    text = row.text("visited_on")
    if not text:
        row.error("visited_on", _("Enter the date of the visit."))
        return None
    day = _parse_date(text)
    if day is None:
        row.error("visited_on", _("“%(value)s” is not a date: write 2026-03-17 or 17/03/2026.") % {"value": text})
        return None
    try:
        return check_visit_date(day)
    except ValidationError as error:
        row.error("visited_on", " ".join(error.messages))
        return None


def _scores(row: Row) -> dict[str, int | None]:
    scores: dict[str, int | None] = {}
    for element in ELEMENTS:
        text = row.text(element.field)
        score: int | None = None
        if text:
            # Spreadsheets may write a whole number as "4.0" or "4,0".
            whole = text[:-2] if text.endswith((".0", ",0")) else text
            if whole.isascii() and whole.isdigit() and SCALE_MIN <= int(whole) <= SCALE_MAX:
                score = int(whole)
            else:
                row.error(
                    element.field,
                    _("“%(value)s” is not a score: write 1, 2, 3 or 4, or leave it empty if skipped.")
                    % {"value": text},
                )
        scores[element.field] = score
    if all(score is None for score in scores.values()) and not row.has_error(*SCORE_COLUMNS):
        row.error(SCORE_COLUMNS[0], _("No answer at all: enter at least one score from u1 to u9."))
    return scores


def _profile(row: Row, accepted: Mapping[str, Mapping[str, str]]) -> dict[str, str]:
    profile: dict[str, str] = {}
    for name in PROFILE_COLUMNS:
        text = row.text(name)
        if not text:
            profile[name] = ""
            continue
        code = accepted[name].get(key(text))
        if code is None:
            row.error(name, _("“%(value)s” is not one of the allowed values (see the list).") % {"value": text})
            code = ""
        profile[name] = code
    return profile


# The comment of the template's example rows: a file imported as downloaded, or with its
# examples left above the real rows, would otherwise add two made-up respondents to the index.
EXAMPLE_COMMENT = gettext_lazy("Example: delete this row before importing.")


def is_example(text: str) -> bool:
    """Whether a cell holds `EXAMPLE_COMMENT`, in English or in Bahasa Indonesia."""
    written = {str(EXAMPLE_COMMENT)}
    for language in LABEL_LANGUAGES:
        with translation.override(language):
            written.add(str(EXAMPLE_COMMENT))
    return text.strip() in written


def _comment(row: Row) -> str:
    comment = row.text("comment").replace("\r\n", "\n")
    if is_example(comment):
        row.error("comment", _("this is an example row of the template: delete it before importing."))
    elif len(comment) > COMMENT_MAX:
        row.error(
            "comment",
            _("The comment has %(length)s characters; at most %(limit)s are allowed.")
            % {"length": len(comment), "limit": COMMENT_MAX},
        )
    return comment


# --- The file ----------------------------------------------------------------------------------


def service_lookup(services: Iterable[Any]) -> dict[str, Any]:
    """A service by its slug or its exact name, case-insensitively (the slug wins a clash)."""
    lookup: dict[str, Any] = {}
    services = list(services)
    for service in services:
        lookup.setdefault(key(service.name), service)
    for service in services:
        lookup[key(service.slug)] = service
    return lookup


def parse_questionnaires(content: bytes, services: Iterable[Any]) -> ParsedFile:
    """The questionnaires of a CSV file, or every error found in it."""
    try:
        file = CsvFile(content)
        columns, errors = file.header(COLUMNS, REQUIRED_COLUMNS)
        if errors:
            return ParsedFile(errors=errors)
        lookup = service_lookup(services)
        accepted = profile_values()
        result = ParsedFile()
        for line, cells in file.records(
            result.errors,
            max_rows=MAX_IMPORT_ROWS,
            too_many=_("The file has more than 10,000 questionnaires: split it into smaller files."),
            too_wide=_("more values than columns (a comment with a comma or semicolon must be in quotes)."),
            none=_("The file has no questionnaire under its header line."),
        ):
            row = Row(line, dict(zip(columns, cells, strict=False)))
            service = _service(row, lookup)
            visited_on = _visit(row)
            scores = _scores(row)
            profile = _profile(row, accepted)
            comment = _comment(row)
            if row.errors:
                result.errors.extend(row.errors)
            elif not result.errors:  # once the file is refused, only the errors matter
                result.answers.append(
                    Answers(service=service, visited_on=visited_on, scores=scores, profile=profile, comment=comment)
                )
    except Refused as refused:
        return ParsedFile(errors=refused.errors)
    if result.errors:
        result.answers = []
    return result


# --- The template ------------------------------------------------------------------------------


def template_csv(services: list[Any], *, delimiter: str = ",", today: datetime.date) -> bytes:
    """The header and two example rows: one with codes and the slug, one with labels and the
    name, so that staff see both ways of writing a value."""
    first = services[0] if services else None
    second = services[1] if len(services) > 1 else first
    yesterday = today - datetime.timedelta(days=1)
    with translation.override("id"):
        labels = {name: dict(choices.choices) for name, choices in PROFILE_FIELDS}
        example_labels = [
            str(labels["age_group"]["40_49"]),
            str(labels["sex"]["male"]),
            str(labels["education"]["primary"]),
            str(labels["occupation"]["farmer"]),
        ]
    example = str(EXAMPLE_COMMENT)
    rows = [
        list(COLUMNS),
        [
            first.slug if first else "",
            today.isoformat(),
            *["4", "3", "4", "4", "3", "4", "4", "3", "3"],
            "30_39",
            "female",
            "senior",
            "homemaker",
            example,
        ],
        [
            second.name if second else "",
            yesterday.strftime("%d/%m/%Y"),
            *["3", "3", "2", "4", "3", "", "3", "2", "3"],
            *example_labels,
            example,
        ],
    ]
    # Not guarded against formulas: the cells are read back by this import, which would not
    # know a service whose name starts with "=" behind a quote.
    return csv_bytes(rows, delimiter=delimiter)
