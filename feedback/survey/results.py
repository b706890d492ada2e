"""The survey's results for a facility, a period and optionally one service: what the public
results page, its JSON and the staff report all show.

`results_for` costs a fixed number of queries whatever the number of responses: the index with its monthly trend
(one aggregate grouped by day) and the survey periods. It reads the exact daily aggregates
(`SurveyDay`, see `feedback.survey.days`), a row per service and day however many responses
there are, and gives the same figures as the responses themselves.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from charters.models import Facility

from ..forms.dates import DateRangeForm
from ..models import SurveyAction, SurveyDay, SurveyPeriod, SurveyResponse
from . import ikm

DEFAULT_MONTHS = 12


def twelve_months_before(day: datetime.date) -> datetime.date:
    """The first day of the 12 months that end on `day` (e.g. 2026-12-01 → 2025-12-02)."""
    try:
        return day.replace(year=day.year - 1) + datetime.timedelta(days=1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28) + datetime.timedelta(days=1)


class ResultsForm(DateRangeForm):
    """`?from=YYYY-MM-DD&to=YYYY-MM-DD&service=<slug>`, all optional. Wrong values are reported
    next to their field and the default period is shown."""

    service = forms.ChoiceField(label=_("Service"), required=False)

    def __init__(self, *args: Any, services: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [("", _("All services")), *services]


@dataclass(frozen=True)
class Sample:
    """The respondents against the sample Krejcie & Morgan's table asks for the population served."""

    period: SurveyPeriod
    respondents: int

    @property
    def population(self) -> int:
        return self.period.population

    @property
    def required(self) -> int:
        return ikm.required_sample(self.population)

    @property
    def is_enough(self) -> bool:
        return self.respondents >= self.required

    @property
    def missing(self) -> int:
        return max(self.required - self.respondents, 0)


# Fewer respondents than this and their figures would show one person's answers as such.
FEWEST_SHOWN = 5


@dataclass(frozen=True)
class SurveyResults:
    facility: Facility
    start: datetime.date
    end: datetime.date
    service_slug: str
    service_name: str
    index: ikm.SurveyIndex
    monthly: list[tuple[datetime.date, ikm.SurveyIndex]]
    period: SurveyPeriod | None  # the facility's survey period with exactly these dates
    periods: list[SurveyPeriod]

    @property
    def too_few(self) -> bool:
        """Whether the element figures would show a handful of people's own answers: fewer than
        `FEWEST_SHOWN` respondents (and at least one)."""
        return 0 < self.index.respondents < FEWEST_SHOWN

    @property
    def index_hidden(self) -> bool:
        """A service's index over so few respondents is theirs too; the facility's, over all its
        services, may be shown."""
        return self.too_few and bool(self.service_slug)

    @property
    def sample(self) -> Sample | None:
        """Only for a whole period of the facility (its population is for all services)."""
        if self.period is None or self.service_slug:
            return None
        return Sample(self.period, self.index.respondents)

    def as_json(self) -> dict[str, Any]:
        """The documented keys (see the README), the same with or without a service filter; with
        too few respondents the element values are null (and a service's index too)."""
        figures = self.index.as_json()
        if self.too_few:
            figures["elements"] = dict.fromkeys(figures["elements"])
        if self.index_hidden:
            figures.update(ikm=None, grade=None, label=None)
        return {
            "facility": self.facility.slug,
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            **figures,
        }


def public_actions(facility: Facility, today: datetime.date | None = None) -> list[SurveyAction]:
    """What the facility does about its weak elements, as the public results show it: every action
    not done yet and those done in the last 12 months, the latest findings first (one query)."""
    since = twelve_months_before(today or timezone.localdate())
    actions = facility.survey_actions.filter(Q(done_on__isnull=True) | Q(done_on__gte=since))
    return list(actions.order_by("-finding_end", "element", "id"))


def facility_responses(facility: Facility) -> Any:
    return SurveyResponse.objects.filter(facility=facility)


def facility_days(facility: Facility) -> Any:
    """The facility's daily aggregates: they filter as its responses do (`visited_between`,
    `for_service`) and `ikm` sums them into the same index."""
    return SurveyDay.objects.filter(facility=facility)


def default_period(
    periods: list[SurveyPeriod], today: datetime.date | None = None
) -> tuple[datetime.date, datetime.date]:
    """The latest survey period that has begun; without one, the last 12 months."""
    today = today or timezone.localdate()
    started = [period for period in periods if period.start <= today]
    if started:
        latest = max(started, key=lambda period: (period.start, period.end))
        return latest.start, latest.end
    return twelve_months_before(today), today


def chosen_period(
    form: ResultsForm, periods: list[SurveyPeriod], today: datetime.date | None = None
) -> tuple[datetime.date, datetime.date]:
    """The period the form asks for, completed from the default; the default when it is wrong."""
    default_start, default_end = default_period(periods, today)
    if not form.is_bound:
        return default_start, default_end
    form.is_valid()  # a wrong service alone does not drop the dates
    if "from" in form.errors or "to" in form.errors:
        return default_start, default_end
    start, end = form.cleaned_data.get("from"), form.cleaned_data.get("to")
    if start and not end:
        end = max(start, min(default_end, timezone.localdate()))
    if end and not start:
        start = twelve_months_before(end)
    return start or default_start, end or default_end


def previous_period(
    start: datetime.date, end: datetime.date, periods: list[SurveyPeriod]
) -> tuple[datetime.date, datetime.date]:
    """The period to compare with: the facility's survey period just before this one when these
    are a period's dates, otherwise as many days just before."""
    earlier = [period for period in periods if period.end < start]
    if any(period.start == start and period.end == end for period in periods) and earlier:
        latest = max(earlier, key=lambda period: (period.end, period.start))
        return latest.start, latest.end
    length = end - start
    previous_end = start - datetime.timedelta(days=1)
    return previous_end - length, previous_end


def results_for(
    facility: Facility,
    start: datetime.date,
    end: datetime.date,
    *,
    service_slug: str = "",
    service_name: str = "",
    periods: list[SurveyPeriod] | None = None,
) -> SurveyResults:
    if periods is None:
        periods = list(facility.survey_periods.all())
    days = facility_days(facility).visited_between(start, end)
    if service_slug:
        days = days.for_service(service_slug)
    index, monthly = ikm.index_and_months(days)
    return SurveyResults(
        facility=facility,
        start=start,
        end=end,
        service_slug=service_slug,
        service_name=service_name,
        index=index,
        monthly=monthly,
        period=next((p for p in periods if p.start == start and p.end == end), None),
        periods=periods,
    )
