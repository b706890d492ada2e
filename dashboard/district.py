"""The district dashboard: every facility of a regency side by side, for the supervisors of the
regency's health office (Dinas Kesehatan), over one period.

Each figure is the one the facility's own pages show for the same period, from the same functions:

- the charter: the version in force (a scheduled version counts from its effective date, as
  `charters.services.take_effect` will publish it for the facility's first visitor), otherwise
  the version in progress; its review is overdue by `Charter.is_review_overdue`;
- IKM, grade and respondents: the survey responses about visits in the period, through
  `feedback.survey.ikm` (`aggregates` and `index_from`), as the public survey results and their
  JSON compute them;
- open and overdue cases (now) and the share answered within the norm (cases received in the
  period): `feedback.reports.totals_by_facility`, the counts of the facility's figures page;
- promise kept: each service of the charter in force measured by `monitoring.promises.figures_for`
  against its own promised duration, with the observations of every charter version of the
  service (by its slug), then summed as the facility's promise-against-reality page sums them
  (`monitoring.figures.facility_total`): the observations of the services that promise a
  duration, each counting once, so a busy service weighs more than a quiet one. Services that
  promise no duration, and services no longer in the charter, are left out;
- last evaluation: the day the facility's latest evaluation round ended (linked to its report), and
  self-assessment: the weighted total of the facility's self-assessment page, both from
  `monitoring.selfassessment.assess_many` as of today (the self-assessment reads the last 12
  months whatever the period chosen here).

The period is `?from=&to=`; by default, as on the public survey results, the latest survey period
that has begun (here, of any facility of the regency), otherwise the last 12 months. The rows can be
filtered by charter status, overdue review, no evaluation round in the last 12 months and the band
of the self-assessment score, and sorted by any column.

`district_board` costs a fixed number of queries whatever the number of facilities: the
facilities, their charters, their survey periods, the survey's sums grouped by facility, the case
counts grouped by facility, the services of the charters in force, the period's observations,
when a promise in working days was observed the facilities' calendars, and the fixed number of
queries of `assess_many`.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import F
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _

from charter_site.spreadsheets import Sheet
from charters.models import (
    OPEN_CHARTER_STATUSES,
    AgreementDecision,
    Charter,
    CharterStatus,
    DurationUnit,
    Facility,
    ServiceStandard,
)
from feedback.models import SurveyDay, SurveyPeriod
from feedback.reports import FigureRow, totals_by_facility
from feedback.survey import ikm, results as survey_results
from feedback.workdays import WorkingCalendar, calendars_for
from monitoring.figures import FacilityTotal, ServiceRow, facility_total
from monitoring.models import ServiceObservation
from monitoring.promises import figures_for
from monitoring.selfassessment import Assessment, assess_many

from .forms import DEFAULT_SORT, NO_CHARTER, NOT_EVALUATED, REVIEW_OVERDUE, SCORE_BANDS, SORT_NAMES, DistrictForm

# The export's columns, named for machines; the page's headings are translated.
EXPORT_COLUMNS = (
    "facility",
    "slug",
    "charter_version",
    "charter_status",
    "effective_date",
    "review_due",
    "review_overdue",
    "ikm",
    "grade",
    "respondents",
    "open_cases",
    "overdue_cases",
    "answered_within_norm_pct",
    "last_evaluation",
    "self_assessment_score",
    "promise_kept_pct",
)

# How far along its lifecycle a facility's charter is, for sorting: in force first.
CHARTER_RANK = {
    CharterStatus.PUBLISHED: 0,
    CharterStatus.APPROVED: 1,
    CharterStatus.AGREED: 2,
    CharterStatus.CONSULTATION: 3,
    CharterStatus.DRAFT: 4,
}


# --- One facility ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FacilityRow:
    """A facility's line of the district table."""

    facility: Facility
    charter: Charter | None  # the version in force, otherwise the version in progress
    in_progress: Charter | None  # a version in progress beside the one in force
    survey: ikm.SurveyIndex
    cases: FigureRow
    promise: FacilityTotal
    assessment: Assessment

    @property
    def status(self) -> str:
        """The charter's status (`published` for the version in force), NO_CHARTER without one."""
        return self.charter.status if self.charter else NO_CHARTER

    @property
    def effective_date(self) -> datetime.date | None:
        return self.charter.effective_date if self.charter else None

    @property
    def review_due(self) -> datetime.date | None:
        return self.charter.review_due_date if self.charter else None

    @property
    def review_overdue(self) -> bool:
        return bool(self.charter and self.charter.is_review_overdue)

    @property
    def ikm(self) -> Decimal | None:
        return self.survey.ikm

    @property
    def grade(self) -> ikm.Grade | None:
        return self.survey.grade

    @property
    def respondents(self) -> int:
        return self.survey.respondents

    @property
    def open_cases(self) -> int:
        return self.cases.open_now

    @property
    def overdue_cases(self) -> int:
        return self.cases.overdue_now

    @property
    def answered_within_norm(self) -> int | None:
        """Percent of the period's cases answered on or before their due date (see `FigureRow`)."""
        return self.cases.percent_in_time

    @property
    def last_evaluation(self) -> datetime.date | None:
        """The day the facility's latest evaluation round ended."""
        evaluation = self.assessment.last_evaluation
        return evaluation.ended_on if evaluation else None

    @property
    def evaluated_recently(self) -> bool:
        """An evaluation round ended in the 12 months up to the assessment's day."""
        last = self.last_evaluation
        return last is not None and last >= survey_results.twelve_months_before(self.assessment.today)

    @property
    def self_assessment_score(self) -> int:
        """The self-assessment's weighted total, in percent."""
        return self.assessment.total

    @property
    def promise_kept(self) -> Decimal | None:
        return self.promise.promise_kept


def _charter_rank(row: FacilityRow) -> int | None:
    return CHARTER_RANK.get(row.charter.status) if row.charter else None


# The value each column sorts by; None sorts last whichever the direction.
SORT_KEYS: dict[str, Callable[[FacilityRow], Any]] = {
    "facility": lambda row: row.facility.name.casefold(),
    "charter": _charter_rank,
    "effective": lambda row: row.effective_date,
    "review": lambda row: row.review_due,
    "ikm": lambda row: row.ikm,
    "respondents": lambda row: row.respondents,
    "open": lambda row: row.open_cases,
    "overdue": lambda row: row.overdue_cases,
    "answered": lambda row: row.answered_within_norm,
    "evaluation": lambda row: row.last_evaluation,
    "assessment": lambda row: row.self_assessment_score,
    "promise": lambda row: row.promise_kept,
}
assert set(SORT_KEYS) == SORT_NAMES, "every column of the form sorts"


def sort_rows(rows: Iterable[FacilityRow], sort: str) -> list[FacilityRow]:
    """`rows` by `sort` (a column's name, `-name` for descending); ties and unknown values (last)
    by the facility's name."""
    descending = sort.startswith("-")
    key = SORT_KEYS.get(sort.lstrip("-"), SORT_KEYS[DEFAULT_SORT])
    by_name = sorted(rows, key=SORT_KEYS["facility"])
    known = [row for row in by_name if key(row) is not None]
    unknown = [row for row in by_name if key(row) is None]
    return sorted(known, key=key, reverse=descending) + unknown  # a stable sort keeps the names' order


def filter_rows(
    rows: Iterable[FacilityRow], *, status: str = "", review: str = "", evaluation: str = "", score: str = ""
) -> list[FacilityRow]:
    """The rows whose charter has `status` (NO_CHARTER: none), whose review is overdue when `review`
    is REVIEW_OVERDUE, without an evaluation round in the last 12 months when `evaluation` is
    NOT_EVALUATED, and whose self-assessment total falls in the band `score` (SCORE_BANDS); every
    row for empty values."""
    lowest, above = SCORE_BANDS.get(score, (0, 101))
    return [
        row
        for row in rows
        if (not status or row.status == status)
        and (review != REVIEW_OVERDUE or row.review_overdue)
        and (evaluation != NOT_EVALUATED or not row.evaluated_recently)
        and lowest <= row.self_assessment_score < above
    ]


# --- The regency's figures, in bulk ------------------------------------------------------------


def _charters(facility_ids: list[int], today: datetime.date) -> dict[int, tuple[Charter | None, Charter | None]]:
    """{facility id: (the version in force, the version in progress)}, in one query."""
    published: dict[int, Charter] = {}
    open_versions: dict[int, Charter] = {}
    statuses = [*OPEN_CHARTER_STATUSES, CharterStatus.PUBLISHED]
    for charter in Charter.objects.filter(facility_id__in=facility_ids, status__in=statuses):
        (published if charter.is_published else open_versions)[charter.facility_id] = charter
    found: dict[int, tuple[Charter | None, Charter | None]] = {}
    for facility_id in facility_ids:
        in_force, in_progress = published.get(facility_id), open_versions.get(facility_id)
        if in_progress and in_progress.is_scheduled and in_progress.effective_date <= today:
            # In force from its effective date: as `take_effect` stores it when the facility's
            # pages are next opened (this page only reads; nothing is saved).
            in_progress.status = CharterStatus.PUBLISHED
            in_force, in_progress = in_progress, None
        found[facility_id] = (in_force, in_progress)
    return found


def _surveys(facility_ids: list[int], start: datetime.date, end: datetime.date) -> dict[int, ikm.SurveyIndex]:
    """Each facility's index for visits from `start` to `end`, from one aggregate of the daily sums
    grouped by facility."""
    rows = (
        SurveyDay.objects.filter(facility_id__in=facility_ids)
        .visited_between(start, end)
        .order_by()
        .values("facility_id")
        .annotate(**ikm.summed_aggregates())
    )
    return {values["facility_id"]: ikm.index_from(values) for values in rows}


NO_RESPONSES = ikm.index_from(dict.fromkeys(ikm.aggregates(), 0))


def _promises(in_force: dict[int, Charter], start: datetime.date, end: datetime.date) -> dict[int, FacilityTotal]:
    """Each facility's promise kept over the services of its charter in force: the services in
    one query, the period's observations of every facility in one more, grouped here."""
    facility_of = {charter.pk: facility_id for facility_id, charter in in_force.items()}
    services: dict[int, list[ServiceStandard]] = {}
    for service in (
        ServiceStandard.objects.filter(charter_id__in=list(facility_of))
        .exclude(agreement=AgreementDecision.DEFERRED)
        .order_by("position", "id")
        .only("charter_id", "name", "slug", "duration_value", "duration_unit")  # what the promise reads
    ):
        services.setdefault(facility_of[service.charter_id], []).append(service)

    observed: dict[tuple[int, str], list[ServiceObservation]] = {}
    observations = (
        ServiceObservation.objects.filter(facility_id__in=list(services))
        .between(start, end)
        .order_by()
        .only("facility_id", "arrived_at", "completed_at", "duration_minutes")
        .annotate(service_slug=F("service__slug"))
    )
    for observation in observations:
        observed.setdefault((observation.facility_id, observation.service_slug), []).append(observation)

    def counts_working_days(facility_id: int) -> bool:
        return any(
            service.duration_unit == DurationUnit.WORKING_DAYS and (facility_id, service.slug) in observed
            for service in services[facility_id]
        )

    needing_calendar = [facility_id for facility_id in services if counts_working_days(facility_id)]
    calendars = calendars_for(needing_calendar) if needing_calendar else {}
    totals = {}
    for facility_id, offered in services.items():
        calendar = calendars.get(facility_id, WorkingCalendar())
        # Only the promise matters here: the figures page's rows without their complaints and survey.
        rows = [
            ServiceRow(
                service=service,
                promise=figures_for(service, observed.get((facility_id, service.slug), []), calendar),
                complaints={},
                survey=None,
            )
            for service in offered
        ]
        totals[facility_id] = facility_total(rows)
    return totals


def facility_rows(
    facilities: list[Facility], start: datetime.date, end: datetime.date, today: datetime.date | None = None
) -> list[FacilityRow]:
    """A row per facility, in the order given, for `start` to `end` (both days included)."""
    today = today or timezone.localdate()
    ids = [facility.pk for facility in facilities]
    charters = _charters(ids, today)
    surveys = _surveys(ids, start, end)
    cases = totals_by_facility(ids, start, end, today)
    in_force = {facility_id: pair[0] for facility_id, pair in charters.items() if pair[0] is not None}
    promises = _promises(in_force, start, end)
    assessments = assess_many(facilities, today)
    rows = []
    for facility in facilities:
        in_force_charter, in_progress = charters[facility.pk]
        rows.append(
            FacilityRow(
                facility=facility,
                charter=in_force_charter or in_progress,
                in_progress=in_progress if in_force_charter else None,
                survey=surveys.get(facility.pk, NO_RESPONSES),
                cases=cases.get(facility.pk) or FigureRow(_("All cases")),
                promise=promises.get(facility.pk, FacilityTotal()),
                assessment=assessments[facility.pk],
            )
        )
    return rows


# --- The page ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DistrictBoard:
    """The district page's content: the regency, the period, the rows shown (filtered and
    sorted) and how many facilities the regency has."""

    regency: str
    slug: str
    start: datetime.date
    end: datetime.date
    sort: str
    rows: list[FacilityRow] = field(default_factory=list)
    facility_count: int = 0

    @property
    def is_filtered(self) -> bool:
        return len(self.rows) != self.facility_count

    @property
    def period_query(self) -> str:
        """`?from=…&to=…`: the facility's own pages for the same period."""
        return "?" + urlencode({"from": self.start.isoformat(), "to": self.end.isoformat()})


def regency_facilities(user: Any, regency_names: list[str]) -> list[Facility]:
    """The facilities of the regency the user may read, by name, in one query."""
    return list(Facility.objects.for_user(user).filter(regency__in=regency_names).order_by("name", "pk"))


def district_board(
    user: Any, regency_names: list[str], form: DistrictForm, today: datetime.date | None = None
) -> DistrictBoard:
    """The regency's facilities for the period, the filters and the sort order the form asks;
    the defaults in place of wrong values (the form shows the errors)."""
    today = today or timezone.localdate()
    facilities = regency_facilities(user, regency_names)
    periods = list(SurveyPeriod.objects.filter(facility__in=[facility.pk for facility in facilities]))
    start, end = survey_results.chosen_period(form, periods, today)
    rows = facility_rows(facilities, start, end, today)
    sort = form.choice("sort", DEFAULT_SORT)
    filters = {name: form.choice(name) for name in ("status", "review", "evaluation", "score")}
    shown = sort_rows(filter_rows(rows, **filters), sort)
    return DistrictBoard(
        regency=regency_names[0],
        slug=slugify(regency_names[0]),
        start=start,
        end=end,
        sort=sort,
        rows=shown,
        facility_count=len(rows),
    )


# --- The export --------------------------------------------------------------------------------


def export_row(row: FacilityRow) -> list[Any]:
    """The row in EXPORT_COLUMNS' order: dates as dates (ISO in CSV), numbers as numbers, booleans
    as `true`/`false`, None (an empty cell) for what is unknown."""
    charter = row.charter
    grade = row.grade
    return [
        row.facility.name,
        row.facility.slug,
        charter.version if charter else None,
        charter.status if charter else None,
        row.effective_date,
        row.review_due,
        ("true" if row.review_overdue else "false") if charter else None,
        row.ikm,
        grade.letter if grade else None,
        row.respondents,
        row.open_cases,
        row.overdue_cases,
        row.answered_within_norm,
        row.last_evaluation,
        row.self_assessment_score,
        row.promise_kept,
    ]


def export_sheet(board: DistrictBoard) -> Sheet:
    """The rows the page shows, in its order, under the machine-readable header."""
    sheet = Sheet(board.regency)
    sheet.heading(list(EXPORT_COLUMNS))
    sheet.rows.extend(export_row(row) for row in board.rows)
    sheet.fit_widths()
    return sheet
