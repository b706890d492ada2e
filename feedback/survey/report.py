"""What the staff's survey report shows beyond the public results: the comparison with the
previous period, the respondents' profile and the follow-up of weak elements.

Nothing here renders or saves; `feedback.views.survey_manage` builds the report from these.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import formats
from django.utils.translation import gettext as _

from ..forms.survey import PROFILE_LABELS
from ..models import PROFILE_FIELDS, SurveyAction, SurveyResponse
from . import ikm


def signed(value: Decimal | None) -> str:
    """A difference as staff read it: +0.25, −0.10 or 0.00, with the language's decimal mark."""
    if value is None:
        return "—"
    text = formats.number_format(abs(value), decimal_pos=2, use_l10n=True)
    if value > 0:
        return f"+{text}"
    if value < 0:
        return f"−{text}"
    return text


def direction(value: Decimal | None) -> str:
    if value is None or value == 0:
        return "same"
    return "up" if value > 0 else "down"


@dataclass(frozen=True)
class ElementChange:
    before: ikm.ElementScore
    now: ikm.ElementScore

    @property
    def element(self) -> ikm.Element:
        return self.now.element

    @property
    def change(self) -> Decimal | None:
        if self.before.nrr is None or self.now.nrr is None:
            return None
        return ikm.round_half_up(self.now.nrr - self.before.nrr, 2)

    @property
    def change_text(self) -> str:
        return signed(self.change)

    @property
    def direction(self) -> str:
        return direction(self.change)


@dataclass(frozen=True)
class Comparison:
    """This period against the previous one (the facility's survey period before it, or as many
    days just before): per element NRR then and now, and the index then and now."""

    start: datetime.date
    end: datetime.date
    before: ikm.SurveyIndex
    now: ikm.SurveyIndex

    @property
    def elements(self) -> list[ElementChange]:
        return [ElementChange(self.before.score(e.code), self.now.score(e.code)) for e in ikm.ELEMENTS]

    @property
    def ikm_change(self) -> Decimal | None:
        before, now = self.before.ikm_exact, self.now.ikm_exact
        if before is None or now is None:
            return None
        return ikm.round_half_up((now - before) * ikm.CONVERSION, 2)

    @property
    def ikm_change_text(self) -> str:
        return signed(self.ikm_change)

    @property
    def ikm_direction(self) -> str:
        return direction(self.ikm_change)


@dataclass(frozen=True)
class ProfileShare:
    value: str
    label: str
    count: int
    share: Decimal | None  # percent of the respondents, 1 decimal


@dataclass(frozen=True)
class ProfileQuestion:
    name: str
    label: str
    shares: list[ProfileShare]


def profile_and_comments(responses: QuerySet[SurveyResponse]) -> tuple[list[ProfileQuestion], int, int]:
    """The respondents' answers to the four profile questions, each answer (including "prefer
    not to say" and "not given") with its count and share, the respondents and the number of
    comments: one aggregate query."""
    aliases: dict[str, tuple[str, str]] = {}
    counts: dict[str, Any] = {"respondents": Count("pk"), "comments": Count("pk", filter=~Q(comment=""))}
    for name, choices in PROFILE_FIELDS:
        for position, value in enumerate([*choices.values, ""]):
            alias = f"profile_{name}_{position}"
            aliases[alias] = (name, value)
            counts[alias] = Count("pk", filter=Q(**{name: value}))
    totals = responses.aggregate(**counts)
    respondents = totals["respondents"] or 0
    questions = []
    for name, choices in PROFILE_FIELDS:
        labels = {**dict(choices.choices), "": _("Not given")}
        shares = []
        for alias, (field_name, value) in aliases.items():
            if field_name != name:
                continue
            count = totals[alias] or 0
            share = ikm.round_half_up(Fraction(count * 100, respondents), 1) if respondents else None
            shares.append(ProfileShare(value, str(labels[value]), count, share))
        questions.append(ProfileQuestion(name, str(PROFILE_LABELS[name]), shares))
    return questions, respondents, totals["comments"] or 0


@dataclass
class FollowUp:
    """The facility's follow-up actions as an evaluation reads them: those on this period's
    findings, those on earlier findings (done or not: what the next evaluation asks about),
    and any other action still open."""

    this_period: list[SurveyAction] = field(default_factory=list)
    earlier: list[SurveyAction] = field(default_factory=list)
    other_open: list[SurveyAction] = field(default_factory=list)

    @property
    def earlier_done(self) -> int:
        return sum(1 for action in self.earlier if action.is_done)

    @property
    def earlier_in_time(self) -> int:
        return sum(1 for action in self.earlier if action.is_done and action.done_on <= action.due_date)

    def all(self) -> list[SurveyAction]:
        return [*self.this_period, *self.earlier, *self.other_open]
