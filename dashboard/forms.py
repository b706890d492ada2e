"""What the district page asks by GET: the period (`?from=&to=`), the filters and the sort order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from charters.models import CharterStatus
from feedback.forms.dates import DateRangeForm

NO_CHARTER = "none"  # the status filter's value for a facility without any charter
REVIEW_OVERDUE = "overdue"
NOT_EVALUATED = "stale"  # the evaluation filter's value: no round ended in the last 12 months
# The self-assessment filter's bands, each from its lowest total (percent) to the next one's.
SCORE_BANDS = {"low": (0, 50), "middle": (50, 80), "high": (80, 101)}
DEFAULT_SORT = "facility"


@dataclass(frozen=True)
class Column:
    """A sortable column of the district table: `?sort=<name>` ascending, `?sort=-<name>` descending."""

    name: str
    label: Promise


COLUMNS: tuple[Column, ...] = (
    Column("facility", _("Facility")),
    Column("charter", _("Charter")),
    Column("effective", _("In force since")),
    Column("review", _("Review due")),
    Column("ikm", _("IKM")),
    Column("respondents", _("Respondents")),
    Column("open", _("Open now")),
    Column("overdue", _("Overdue now")),
    Column("answered", _("Answered within the norm")),
    Column("evaluation", _("Last evaluation")),
    Column("assessment", _("Self-assessment")),
    Column("promise", _("Promise kept")),
)
SORT_NAMES = frozenset(column.name for column in COLUMNS)


def _sort_choices() -> list[tuple[str, Any]]:
    choices: list[tuple[str, Any]] = []
    for column in COLUMNS:
        choices.append((column.name, _("%(column)s, ascending") % {"column": column.label}))
        choices.append((f"-{column.name}", _("%(column)s, descending") % {"column": column.label}))
    return choices


# A version in progress counts only for a facility without a charter in force (see `FacilityRow`).
STATUS_CHOICES = [
    ("", _("Any status")),
    *[(status.value, status.label) for status in CharterStatus if status != CharterStatus.SUPERSEDED],
    (NO_CHARTER, _("No charter yet")),
]
REVIEW_CHOICES = [("", _("Any")), (REVIEW_OVERDUE, _("Review overdue"))]
EVALUATION_CHOICES = [("", _("Any")), (NOT_EVALUATED, _("None in the last 12 months"))]
SCORE_CHOICES = [
    ("", _("Any score")),
    ("low", _("Under 50%")),
    ("middle", _("50% to 79%")),
    ("high", _("At least 80%")),
]
assert [value for value, _label in SCORE_CHOICES[1:]] == list(SCORE_BANDS), "a choice for each band"


class DistrictForm(DateRangeForm):
    """`?from=&to=&status=&review=&evaluation=&score=&sort=`, all optional; a wrong value is
    reported next to its field, and the page then shows the default in its place."""

    status = forms.ChoiceField(label=_("Charter"), required=False, choices=STATUS_CHOICES)
    review = forms.ChoiceField(label=_("Yearly review"), required=False, choices=REVIEW_CHOICES)
    evaluation = forms.ChoiceField(label=_("Evaluation round"), required=False, choices=EVALUATION_CHOICES)
    score = forms.ChoiceField(label=_("Self-assessment"), required=False, choices=SCORE_CHOICES)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=_sort_choices)

    def choice(self, name: str, default: str = "") -> str:
        """A filter's or the sort's valid value, `default` when it is missing or wrong."""
        if not self.is_bound:
            return default
        self.is_valid()  # a wrong value is left out of cleaned_data
        return self.cleaned_data.get(name) or default


@dataclass(frozen=True)
class SortHeader:
    """A column heading: the sort its link asks for, and `aria-sort` when the table is sorted by it."""

    column: Column
    next_sort: str
    aria_sort: str  # "ascending", "descending" or ""


def sort_headers(current: str) -> dict[str, SortHeader]:
    """Each column's heading by name; its link sorts by it ascending, or descending when the
    table is already sorted by it ascending."""
    headers = {}
    for column in COLUMNS:
        if current == column.name:
            headers[column.name] = SortHeader(column, f"-{column.name}", "ascending")
        elif current == f"-{column.name}":
            headers[column.name] = SortHeader(column, column.name, "descending")
        else:
            headers[column.name] = SortHeader(column, column.name, "")
    return headers
