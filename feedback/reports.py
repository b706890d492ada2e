"""The staff's view of a facility's cases: the inbox's filtered list, its deadlines, the figures
and the exports.

Nothing here changes a case. Counts are aggregated in the database; only medians (which SQLite
cannot compute) and working-day spans (which depend on the holiday calendar) are worked out in
Python, from one bounded query each.
"""

from __future__ import annotations

import datetime
import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from charter_site.spreadsheets import Sheet
from charters import pagecache
from charters.models import Facility, ServiceStandard

from . import codes
from .models import OPEN_CASE_STATUSES, Case, CaseStatus, FeedbackKind
from .models.cases import STATUS_ORDER
from .workdays import WorkingCalendar, calendar_for

PAGE_SIZE = 25
CASES = "cases"  # the generation (charters.pagecache) that every write of a facility's cases bumps
COUNTS_TTL = 24 * 3600  # seconds; a busy facility's counts change sooner
OPEN = "open"  # the status filter's value for every status still waiting for the facility


class Deadline(StrEnum):
    """Where a case stands against its due date, as the inbox marks it; the values are the filter's."""

    NOT_PRESSING = ""  # finished, answered, or not yet near its deadline
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"

    @property
    def is_overdue(self) -> bool:
        return self is Deadline.OVERDUE

    @property
    def is_due_soon(self) -> bool:
        return self is Deadline.DUE_SOON


OVERDUE, DUE_SOON = Deadline.OVERDUE, Deadline.DUE_SOON
ME, NOBODY = "me", "none"

# The inbox's orders, each served by an index of `Case` (`status`: see `STATUS_ORDER`).
SORTS: dict[str, tuple[Any, ...]] = {
    "newest": ("-received_at", "-id"),
    "oldest": ("received_at", "id"),
    "due": ("due_date", "-received_at", "-id"),
    "status": (STATUS_ORDER.asc(), "due_date", "-id"),
}
DEFAULT_SORT = "newest"


# --- Deadlines ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadlines:
    """Today and the next working day, by which the inbox marks cases as overdue or due soon."""

    today: datetime.date
    soon_until: datetime.date
    calendar: WorkingCalendar

    def state(self, case: Case) -> Deadline:
        if not case.is_open:
            return Deadline.NOT_PRESSING
        if case.due_date < self.today:
            return Deadline.OVERDUE
        if case.due_date <= self.soon_until:
            return Deadline.DUE_SOON
        return Deadline.NOT_PRESSING

    def working_days_left(self, case: Case) -> int:
        """Working days from today to the deadline; negative once it has passed."""
        if case.due_date >= self.today:
            return self.calendar.working_days_between(self.today, case.due_date)
        return -self.calendar.working_days_between(case.due_date, self.today)


def deadlines_for(facility: Facility, today: datetime.date | None = None) -> Deadlines:
    """One query: the facility's own holidays."""
    today = today or timezone.localdate()
    calendar = calendar_for(facility.pk)
    return Deadlines(today=today, soon_until=calendar.add_working_days(today, 1), calendar=calendar)


def national_soon_until(today: datetime.date) -> datetime.date:
    """The next working day by the national calendar alone, for counts across facilities."""
    return WorkingCalendar().add_working_days(today, 1)


# --- The inbox ---------------------------------------------------------------------------------


def facility_cases(facility: Facility) -> QuerySet[Case]:
    return Case.objects.filter(facility=facility).select_related("service", "assignee")


def filter_cases(
    cases: QuerySet[Case], filters: Mapping[str, Any], *, user: Any, deadlines: Deadlines
) -> QuerySet[Case]:
    """The inbox's list: `filters` are the cleaned values of `CaseFilterForm` (invalid ones left out)."""
    status = filters.get("status")
    if status == OPEN:
        cases = cases.filter(status__in=OPEN_CASE_STATUSES)
    elif status:
        cases = cases.filter(status=status)
    if filters.get("kind"):
        cases = cases.filter(kind=filters["kind"])
    if filters.get("service"):
        # Each charter version has its own rows for the same service: the name joins them.
        cases = cases.filter(service__name=filters["service"])
    deadline = filters.get("deadline")
    if deadline == OVERDUE:
        cases = cases.overdue(deadlines.today)
    elif deadline == DUE_SOON:
        cases = cases.due_by(deadlines.soon_until, deadlines.today)
    assignee = filters.get("assignee")
    if assignee == ME:
        cases = cases.filter(assignee=user)
    elif assignee == NOBODY:
        cases = cases.filter(assignee__isnull=True)
    elif assignee:
        cases = cases.filter(assignee_id=int(assignee))
    query = (filters.get("q") or "").strip()
    if query:
        matches = Q(code__icontains=query) | Q(description__icontains=query) | Q(name__icontains=query)
        found = codes.candidates(query)
        if found:  # typed without dashes, in small letters or with look-alikes
            matches |= Q(code__in=found)
        cases = cases.filter(matches)
    return cases.order_by(*SORTS.get(filters.get("sort") or DEFAULT_SORT, SORTS[DEFAULT_SORT]))


def status_counts(facility: Facility) -> dict[str, int]:
    """{"all": …, OPEN: …, status: number of cases, …}, in one query grouped by status (read from
    the index on facility, status and due date alone), kept in the cache until a case of the
    facility is written: every save or deletion of a `Case` bumps the facility's `CASES`
    generation on commit (`feedback/apps.py`), and the counts are stored under the generation read
    before they were counted, so counts that missed a write are never read again."""
    key = f"inbox:status-counts:{facility.slug}:{pagecache.generation(facility.slug, CASES)}"
    counts = cache.get(key)
    if counts is not None:
        return counts
    by_status = {status.value: 0 for status in CaseStatus}
    rows = Case.objects.filter(facility=facility).order_by().values_list("status").annotate(number=Count("*"))
    for status, number in rows:
        by_status[status] = number
    counts = {
        "all": sum(by_status.values()),
        OPEN: sum(by_status[status] for status in OPEN_CASE_STATUSES),
        **by_status,
    }
    cache.set(key, counts, COUNTS_TTL)
    return counts


def known_count(filters: Mapping[str, Any], counts: Mapping[str, int]) -> int | None:
    """The number of cases `filters` select when `status_counts` already says it (no filter, or
    the status alone), so that the inbox does not count them a second time."""
    narrowing = {name for name in filters if name != "sort"}
    if not narrowing:
        return counts["all"]
    if narrowing == {"status"}:
        return counts.get(filters["status"])
    return None


class InboxPaginator(Paginator):
    """The inbox's pages, with two shortcuts for a facility with a great many cases.

    A page's rows are fetched by the ids of its slice ("deferred join"): the database finds the ids
    of page 6,000 in an index alone, then reads 25 rows, instead of reading and throwing away the
    150,000 rows before them. And a `count` already known (see `known_count`) is not asked again.
    """

    def __init__(self, object_list: QuerySet[Case], per_page: int, *, count: int | None = None) -> None:
        super().__init__(object_list, per_page)
        if count is not None:
            self.count = count  # replaces the cached property, and its COUNT query

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = self.object_list.values("pk")[bottom:top]
        return self._get_page(self.object_list.filter(pk__in=ids), number, self)


def service_names(facility: Facility) -> list[str]:
    """The names of the services the facility's cases are about, for the inbox's filter.

    Asked of the facility's services (a few dozen, over all its charter versions), each probing
    the cases' index for one case, rather than of its cases (all of them, joined).
    """
    used = Case.objects.filter(facility=facility, service=OuterRef("pk"))
    return list(
        ServiceStandard.objects.filter(Exists(used), charter__facility=facility)
        .order_by("name")
        .values_list("name", flat=True)
        .distinct()
    )


def with_case_counts(facilities: QuerySet[Facility], today: datetime.date) -> QuerySet[Facility]:
    """Each facility with `open_cases`, `overdue_cases` and `due_soon_cases`, counted in the
    facilities' own query.

    "Due soon" uses the national calendar: a facility's own day off falling on the next working
    day is not known here (the inbox, which knows it, may then list a few more cases).
    """
    is_open = Q(cases__status__in=OPEN_CASE_STATUSES)
    return facilities.annotate(
        open_cases=Count("cases", filter=is_open, distinct=True),
        overdue_cases=Count("cases", filter=is_open & Q(cases__due_date__lt=today), distinct=True),
        due_soon_cases=Count(
            "cases",
            filter=is_open & Q(cases__due_date__gte=today, cases__due_date__lte=national_soon_until(today)),
            distinct=True,
        ),
    )


# --- Figures -----------------------------------------------------------------------------------


def _period(start: datetime.date, end: datetime.date) -> Q:
    """Cases received from `start` to `end`, both days included, in the site's time zone."""
    tz = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return Q(received_at__gte=since, received_at__lt=until)


@dataclass
class FigureRow:
    """The figures of one group of cases (all of them, a kind or a service)."""

    label: str
    received: int = 0
    open_now: int = 0
    overdue_now: int = 0
    answered_in_time: int = 0
    answered_late: int = 0
    unanswered_late: int = 0
    reply_days: list[int] = field(default_factory=list)
    reply_hours: list[float] = field(default_factory=list)

    @property
    def answered(self) -> int:
        return self.answered_in_time + self.answered_late

    @property
    def judged(self) -> int:
        """Cases whose punctuality is known: answered, or past their deadline unanswered."""
        return self.answered + self.unanswered_late

    @property
    def share_in_time(self) -> float | None:
        """Answered on or before the due date, as a share of `judged` (None when there is none)."""
        return self.answered_in_time / self.judged if self.judged else None

    @property
    def percent_in_time(self) -> int | None:
        share = self.share_in_time
        return None if share is None else round(share * 100)

    @property
    def median_reply_days(self) -> float | None:
        return statistics.median(self.reply_days) if self.reply_days else None

    @property
    def median_reply_hours(self) -> float | None:
        return round(statistics.median(self.reply_hours), 1) if self.reply_hours else None


@dataclass
class Figures:
    start: datetime.date
    end: datetime.date
    total: FigureRow
    by_kind: list[FigureRow]
    by_service: list[FigureRow]


def _counts(today: datetime.date, period: Q) -> dict[str, Count]:
    is_open = Q(status__in=OPEN_CASE_STATUSES)
    replied = Q(first_reply_at__isnull=False)
    return {
        "received": Count("pk", filter=period),
        "open_now": Count("pk", filter=is_open),
        "overdue_now": Count("pk", filter=is_open & Q(due_date__lt=today)),
        "answered_in_time": Count("pk", filter=period & replied & Q(reply_date__lte=F("due_date"))),
        "answered_late": Count("pk", filter=period & replied & Q(reply_date__gt=F("due_date"))),
        "unanswered_late": Count("pk", filter=period & is_open & Q(first_reply_at__isnull=True, due_date__lt=today)),
    }


COUNTED = ("received", "open_now", "overdue_now", "answered_in_time", "answered_late", "unanswered_late")


def _fill(row: FigureRow, values: Mapping[str, Any]) -> FigureRow:
    for name in COUNTED:
        setattr(row, name, values[name])
    return row


def _add(row: FigureRow, values: Mapping[str, Any]) -> None:
    for name in COUNTED:
        setattr(row, name, getattr(row, name) + values[name])


def figures(
    facility: Facility, start: datetime.date, end: datetime.date, today: datetime.date | None = None
) -> Figures:
    """The facility's figures for cases received from `start` to `end`; open and overdue are now.

    Two queries: one aggregate grouped by kind and service (read from the period's and the open
    cases only), and the reply times of the period's answered cases (for the medians), plus the
    facility's holidays.
    """
    today = today or timezone.localdate()
    period = _period(start, end)
    # Every count is of the period's cases or of the open ones: the others need not be read.
    cases = (
        Case.objects.filter(facility=facility)
        .filter(period | Q(status__in=OPEN_CASE_STATUSES))
        .annotate(reply_date=TruncDate("first_reply_at"))
    )
    counts = _counts(today, period)

    # One aggregate grouped by kind and service; the totals, the kinds and the services are its sums.
    kind_labels = dict(FeedbackKind.choices)
    total = FigureRow(_("All cases"))
    by_kind: dict[str, FigureRow] = {}
    by_service: dict[str | None, FigureRow] = {}
    for values in cases.order_by().values("kind", "service__name").annotate(**counts):
        kind, name = values["kind"], values["service__name"]
        if kind not in by_kind:
            by_kind[kind] = FigureRow(str(kind_labels.get(kind, kind)))
        if name not in by_service:
            by_service[name] = FigureRow(name or _("No service given"))
        for row in (total, by_kind[kind], by_service[name]):
            _add(row, values)

    calendar = calendar_for(facility.pk)
    spans: dict[tuple[datetime.date, datetime.date], int] = {}  # a year of answers has few distinct spans
    replies = (
        cases.filter(period, first_reply_at__isnull=False)
        .order_by()
        .values_list("kind", "service__name", "received_at", "first_reply_at")
    )
    for kind, service_name, received_at, first_reply_at in replies:
        span = (timezone.localdate(received_at), timezone.localdate(first_reply_at))
        days = spans.get(span)
        if days is None:
            days = spans[span] = calendar.working_days_between(*span)
        hours = (first_reply_at - received_at).total_seconds() / 3600
        for row in (total, by_kind[kind], by_service[service_name]):
            row.reply_days.append(days)
            row.reply_hours.append(hours)

    def shown(rows: Iterable[FigureRow]) -> list[FigureRow]:
        return [row for row in rows if row.received or row.open_now]

    kinds_in_order = [by_kind[kind] for kind in FeedbackKind if kind in by_kind]
    services_by_name = sorted(
        by_service.items(), key=lambda item: (item[0] is None, (item[0] or "").casefold())
    )  # "no service" last
    return Figures(
        start=start,
        end=end,
        total=total,
        by_kind=shown(kinds_in_order),
        by_service=shown(row for _name, row in services_by_name),
    )


def totals_by_facility(
    facility_ids: Iterable[int], start: datetime.date, end: datetime.date, today: datetime.date | None = None
) -> dict[int, FigureRow]:
    """The `total` row of `figures` (without the reply times) of each facility, in one aggregate
    query grouped by facility: the same counts, so the same share answered within the norm, as each
    facility's own figures page. A facility without a case is left out."""
    today = today or timezone.localdate()
    rows = (
        Case.objects.filter(facility_id__in=list(facility_ids))
        .annotate(reply_date=TruncDate("first_reply_at"))
        .order_by()
        .values("facility_id")
        .annotate(**_counts(today, _period(start, end)))
    )
    return {values["facility_id"]: _fill(FigureRow(_("All cases")), values) for values in rows}


# --- Exports -----------------------------------------------------------------------------------


def export_header() -> list[str]:
    return [
        _("Tracking code"),
        _("Received"),
        _("Kind"),
        _("Class"),
        _("Channel"),
        _("Service"),
        _("Status"),
        _("Answer due"),
        _("First answer"),
        _("Answered within the norm"),
        _("Closed"),
        _("Assigned to"),
        _("Citizen's rating"),
    ]


def _local(moment: datetime.datetime | None) -> datetime.datetime | None:
    """Local time without a zone: spreadsheets know no time zones."""
    return timezone.localtime(moment).replace(tzinfo=None, microsecond=0) if moment else None


def _yes_no(value: bool | None) -> str:
    return "-" if value is None else (_("yes") if value else _("no"))


def export_rows(cases: Iterable[Case]) -> list[list[Any]]:
    """One row per case, without the citizen's contact details; dates as `date`/`datetime`.

    The cases must carry their `service` and `assignee` (see `facility_cases`).
    """
    rows = []
    for case in cases:
        assignee = case.assignee
        rows.append(
            [
                case.code,
                _local(case.received_at),
                case.get_kind_display(),
                case.get_complaint_class_display(),
                case.get_channel_display(),
                case.service.name if case.service else "",
                case.get_status_display(),
                case.due_date,
                _local(case.first_reply_at),
                _yes_no(case.answered_within_norm),
                _local(case.closed_at),
                (assignee.get_full_name() or assignee.get_username()) if assignee else "",
                case.get_rating_display() if case.rating else "",
            ]
        )
    return rows


def export_sheet(cases: Iterable[Case], sheet_name: str) -> Sheet:
    """The header and one row per case, each column as wide as its longest cell."""
    sheet = Sheet(sheet_name)
    sheet.heading(export_header())
    sheet.rows.extend(export_rows(cases))
    sheet.fit_widths()
    return sheet
