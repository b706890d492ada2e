"""The criteria as the page shows them: their rules and weights, and what a facility scored."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from charters.models import (
    Charter,
    CharterStatus,
    Facility,
)

from ..models import EvaluationRound

MAX_SCORE = 5
# The weakest elements a survey's findings name: the survey report's priorities
# (`feedback.views.survey_manage.PRIORITIES`; a test keeps the two equal).
WEAKEST_ELEMENTS = 3
# The lowest share answered within the norm that earns each score, best first.
COMPLAINT_THRESHOLDS = ((Fraction(9, 10), 5), (Fraction(8, 10), 4), (Fraction(7, 10), 3), (Fraction(6, 10), 2))
COMPLAINT_THRESHOLDS += ((Fraction(5, 10), 1),)
# Months since the latest review, and the score they still earn.
REVIEW_MONTHS = ((12, 5), (18, 3), (24, 2))
REVIEW_OVERDUE_CAP = 3
PUBLISHED_SCORES = {
    CharterStatus.PUBLISHED: 5,
    CharterStatus.APPROVED: 3,
    CharterStatus.AGREED: 2,
    CharterStatus.CONSULTATION: 1,
    CharterStatus.DRAFT: 1,
}
GROUP_SCORES = {3: 5, 2: 3, 1: 1, 0: 0}


# --- What the page shows ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class Rule:
    """A criterion as the ministry names it, its weight and how it is scored here."""

    key: str
    title: Promise
    weight: int
    rule: Promise


RULES: tuple[Rule, ...] = (
    Rule(
        "components",
        gettext_lazy("Every service states all 14 components"),
        15,
        gettext_lazy(
            "The share of the 14 components (PermenPANRB 15/2014) stated by the services of the charter in "
            "force, times 5, rounded down: 5 only when nothing is missing."
        ),
    ),
    Rule(
        "participation",
        gettext_lazy("Providers, users and other stakeholders took part"),
        10,
        gettext_lazy(
            "The forum's groups with someone who signed the minutes of a meeting on the charter in force: "
            "three groups 5, two 3, one 1."
        ),
    ),
    Rule(
        "published",
        gettext_lazy("The service standard is published"),
        15,
        gettext_lazy(
            "A charter in force 5; approved and waiting for its effective date 3; agreed with stakeholders 2; "
            "drafted or in consultation 1."
        ),
    ),
    Rule(
        "reviewed",
        gettext_lazy("The standard was reviewed within a year"),
        10,
        gettext_lazy(
            "The latest review (the charter in force took effect, the head confirmed it needs no change, or an "
            "evaluation round ended): within 12 months 5, 18 months 3, 24 months 2, longer 1; at most 3 while "
            "the review date has passed."
        ),
    ),
    Rule(
        "pledge",
        gettext_lazy("The pledge (maklumat) exists"),
        10,
        gettext_lazy("Stated in the charter in force 5; only in a version in progress 2."),
    ),
    Rule(
        "survey_sample",
        gettext_lazy("The satisfaction survey follows the regulation"),
        10,
        gettext_lazy(
            "A survey period in the last 12 months with the sample Krejcie and Morgan's table asks for the "
            "people served: 5; fewer respondents, their share of the sample times 5, rounded down (at least 1); "
            "answers without a survey period 1."
        ),
    ),
    Rule(
        "survey_published",
        gettext_lazy("The survey results are published"),
        5,
        gettext_lazy(
            "The public results of that period show the index (every element answered) 5; answers but no index 2."
        ),
    ),
    Rule(
        "survey_followed_up",
        gettext_lazy("The survey's findings are followed up"),
        10,
        gettext_lazy(
            "The share of the three weakest elements of those results with a follow-up action, times 5, rounded down."
        ),
    ),
    Rule(
        "survey_follow_up_speed",
        gettext_lazy("Follow-up actions are done on time"),
        5,
        gettext_lazy(
            "Of the actions done in the last 12 months or still open past their due date, the share done by "
            "the due date, times 5, rounded down."
        ),
    ),
    Rule(
        "complaints",
        gettext_lazy("Complaints are answered within the norm"),
        10,
        gettext_lazy(
            "Of the cases received in the last 12 months, the share answered within the norm: 90% 5, 80% 4, "
            "70% 3, 60% 2, 50% 1."
        ),
    ),
)
RULES_BY_KEY = {rule.key: rule for rule in RULES}
TOTAL_WEIGHT = sum(rule.weight for rule in RULES)
assert TOTAL_WEIGHT == 100, "the weights are percentages"


@dataclass(frozen=True)
class Criterion:
    """One criterion's result: its score (0–5), what the data says, and what is missing for a 5."""

    rule: Rule
    score: int
    evidence: tuple[str, ...]
    to_do: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()

    @property
    def key(self) -> str:
        return self.rule.key

    @property
    def weight(self) -> int:
        return self.rule.weight

    @property
    def is_met(self) -> bool:
        return self.score == MAX_SCORE

    @property
    def points(self) -> Fraction:
        """The criterion's part of the total, in percent."""
        return Fraction(self.score * self.weight * 100, MAX_SCORE * TOTAL_WEIGHT)


@dataclass(frozen=True)
class Assessment:
    """A facility's self-assessment on `today`."""

    facility: Facility
    today: datetime.date
    criteria: tuple[Criterion, ...]
    charter: Charter | None  # the version in force
    last_evaluation: EvaluationRound | None  # the facility's latest evaluation round

    @property
    def total(self) -> int:
        """The weighted total in percent (whole, since the weights sum to 100)."""
        return round(sum((criterion.points for criterion in self.criteria), Fraction(0)))

    @property
    def met(self) -> int:
        return sum(1 for criterion in self.criteria if criterion.is_met)

    @property
    def last_evaluation_url(self) -> str:
        """The latest round's report, once the evaluation pages exist; "" otherwise."""
        if self.last_evaluation is None:
            return ""
        return _url("manage:evaluation", self.facility.slug, self.last_evaluation.pk)

    def criterion(self, key: str) -> Criterion:
        return next(criterion for criterion in self.criteria if criterion.key == key)


def _url(name: str, *args: Any, query: str = "") -> str:
    """The page's address, "" when the page does not exist (yet)."""
    try:
        return reverse(name, args=args) + query
    except NoReverseMatch:
        return ""
