"""The community satisfaction index (IKM) exactly as PermenPANRB 14/2017 defines it.

The nine survey elements with their weights, questions and answer labels are one table,
`ELEMENTS`: each element is named by its code (U1…U9), never by its position, since units
print them in different orders. The regulation prints the weight as 0.111; the exact 1/9 is
used so that a respondent answering 4 everywhere gives exactly 100.00.

For a set of responses:

- NRR of an element = sum of its scores / number of respondents who answered it;
- weighted NRR = NRR × weight; IKM (1–4) = Σ weighted NRR; converted IKM = IKM × 25;
- the grade comes from the converted IKM rounded (half up) to 2 decimals (`GRADES`).

Everything is computed with exact fractions; rounding happens only for display and, as the
regulation says, once before grading. The database sums and counts every element in one
aggregate query (`index_of`, `index_and_months`, `indexes_by_service`), over the responses or over
their exact daily aggregates (`feedback.survey.days`), which give the same fractions.
"""

from __future__ import annotations

import datetime
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _, pgettext_lazy

SCALE_MIN, SCALE_MAX = 1, 4
CONVERSION = 25  # the unit's IKM = IKM * 25, on a 25 to 100 scale


@dataclass(frozen=True)
class Element:
    """One element of the questionnaire: `field` is the response's column (u1…u9)."""

    code: str
    name: Promise
    question: Promise
    answers: tuple[Promise, Promise, Promise, Promise]  # the labels of scores 1, 2, 3 and 4
    weight: Fraction

    @property
    def field(self) -> str:
        return self.code.lower()

    def answer_label(self, score: int) -> Promise:
        return self.answers[score - SCALE_MIN]


# The names have a context: some are also names of charter components, worded otherwise.
ELEMENTS: tuple[Element, ...] = (
    Element(
        "U1",
        pgettext_lazy("survey element", "Requirements"),
        _("How well do the requirements match the kind of service?"),
        (_("Not suitable"), _("Somewhat suitable"), _("Suitable"), _("Very suitable")),
        Fraction(1, 9),
    ),
    Element(
        "U2",
        pgettext_lazy("survey element", "System, mechanism and procedure"),
        _("How easy is the service procedure here?"),
        (_("Not easy"), _("Somewhat easy"), _("Easy"), _("Very easy")),
        Fraction(1, 9),
    ),
    Element(
        "U3",
        pgettext_lazy("survey element", "Time to completion"),
        _("How fast was the service delivered?"),
        (_("Not fast"), _("Somewhat fast"), _("Fast"), _("Very fast")),
        Fraction(1, 9),
    ),
    Element(
        "U4",
        pgettext_lazy("survey element", "Fee / tariff"),
        _("How fair is the fee for the service?"),
        (_("Very expensive"), _("Fairly expensive"), _("Cheap"), _("Free")),
        Fraction(1, 9),
    ),
    Element(
        "U5",
        pgettext_lazy("survey element", "Service product"),
        _("How well does what you received match the product promised in the service standard?"),
        (_("Not suitable"), _("Somewhat suitable"), _("Suitable"), _("Very suitable")),
        Fraction(1, 9),
    ),
    Element(
        "U6",
        pgettext_lazy("survey element", "Staff competence"),
        _("How competent were the staff who served you?"),
        (_("Not competent"), _("Somewhat competent"), _("Competent"), _("Very competent")),
        Fraction(1, 9),
    ),
    Element(
        "U7",
        pgettext_lazy("survey element", "Staff behaviour"),
        _("How polite and friendly were the staff?"),
        (
            _("Not polite and friendly"),
            _("Somewhat polite and friendly"),
            _("Polite and friendly"),
            _("Very polite and friendly"),
        ),
        Fraction(1, 9),
    ),
    Element(
        "U8",
        pgettext_lazy("survey element", "Facilities and infrastructure"),
        _("What is the quality of the facilities and infrastructure?"),
        (_("Poor"), _("Fair"), _("Good"), _("Very good")),
        Fraction(1, 9),
    ),
    Element(
        "U9",
        pgettext_lazy("survey element", "Handling of complaints, suggestions and input"),
        _("How are complaints, suggestions and input from service users handled?"),
        (
            _("There is no way to complain"),
            _("There is one, but it does not work"),
            _("It works, but not fully"),
            _("Well managed"),
        ),
        Fraction(1, 9),
    ),
)
ELEMENTS_BY_CODE: dict[str, Element] = {element.code: element for element in ELEMENTS}
FIELDS: tuple[str, ...] = tuple(element.field for element in ELEMENTS)
assert sum(element.weight for element in ELEMENTS) == 1, "the weights must sum to 1"


@dataclass(frozen=True)
class Grade:
    """A grade of the converted IKM; `term` is the regulation's own word, whatever the language."""

    letter: str
    lowest: Decimal  # the lowest rounded converted IKM that earns it
    highest: Decimal
    term: str
    label: Promise


GRADES: tuple[Grade, ...] = (
    # Contexts: "Poor" and "Good" are also answers to U8, translated otherwise (buruk, baik).
    Grade("A", Decimal("88.31"), Decimal("100.00"), "Sangat Baik", pgettext_lazy("satisfaction grade", "Very good")),
    Grade("B", Decimal("76.61"), Decimal("88.30"), "Baik", pgettext_lazy("satisfaction grade", "Good")),
    Grade("C", Decimal("65.00"), Decimal("76.60"), "Kurang Baik", pgettext_lazy("satisfaction grade", "Poor")),
    Grade("D", Decimal("25.00"), Decimal("64.99"), "Tidak Baik", pgettext_lazy("satisfaction grade", "Bad")),
)


def round_half_up(value: Fraction, places: int) -> Decimal:
    """`value` rounded half up to `places` decimals, computed from the exact fraction."""
    with localcontext() as context:
        context.prec = 60
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def grade_for(converted: Decimal) -> Grade:
    """The grade of a converted IKM already rounded to 2 decimals (25.00–100.00)."""
    for grade in GRADES:
        if converted >= grade.lowest:
            return grade
    return GRADES[-1]


@dataclass(frozen=True)
class ElementScore:
    element: Element
    answered: int
    total: int  # the sum of the scores

    @property
    def nrr(self) -> Fraction | None:
        return Fraction(self.total, self.answered) if self.answered else None

    @property
    def weighted(self) -> Fraction | None:
        nrr = self.nrr
        return None if nrr is None else nrr * self.element.weight

    def nrr_rounded(self, places: int = 2) -> Decimal | None:
        nrr = self.nrr
        return None if nrr is None else round_half_up(nrr, places)

    def weighted_rounded(self, places: int = 3) -> Decimal | None:
        weighted = self.weighted
        return None if weighted is None else round_half_up(weighted, places)

    @property
    def converted(self) -> Decimal | None:
        """The element's NRR on the 25–100 scale, rounded to 2 decimals, for charts and comparisons."""
        nrr = self.nrr
        return None if nrr is None else round_half_up(nrr * CONVERSION, 2)


@dataclass(frozen=True)
class SurveyIndex:
    """The index of a set of responses. `ikm` and `grade` are None without a complete set:
    no respondent, or an element nobody answered."""

    respondents: int
    scores: tuple[ElementScore, ...]

    @property
    def is_complete(self) -> bool:
        return self.respondents > 0 and all(score.answered for score in self.scores)

    @property
    def ikm_exact(self) -> Fraction | None:
        """Σ weighted NRR on the 1–4 scale, exact."""
        if not self.is_complete:
            return None
        return sum((score.weighted for score in self.scores), Fraction(0))  # type: ignore[misc]

    @property
    def ikm_unit(self) -> Decimal | None:
        """The IKM on the 1–4 scale, rounded to 3 decimals (as the regulation's tables show it)."""
        exact = self.ikm_exact
        return None if exact is None else round_half_up(exact, 3)

    @property
    def ikm(self) -> Decimal | None:
        """The converted IKM (× 25) rounded to 2 decimals: the figure that is graded and published."""
        exact = self.ikm_exact
        return None if exact is None else round_half_up(exact * CONVERSION, 2)

    @property
    def grade(self) -> Grade | None:
        ikm = self.ikm
        return None if ikm is None else grade_for(ikm)

    def score(self, code: str) -> ElementScore:
        return next(score for score in self.scores if score.element.code == code)

    def lowest(self, count: int = 3) -> list[ElementScore]:
        """The weakest answered elements, lowest NRR first (ties by code): the priorities."""
        answered = [score for score in self.scores if score.nrr is not None]
        return sorted(answered, key=lambda score: (score.nrr, score.element.code))[:count]

    def as_json(self) -> dict[str, Any]:
        nrr = {score.element.code: _float(score.nrr_rounded(4)) for score in self.scores}
        grade = self.grade
        return {
            "respondents": self.respondents,
            "elements": nrr,
            "ikm": _float(self.ikm),
            "grade": grade.letter if grade else None,
            "label": grade.term if grade else None,
        }


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


# --- In the database ---------------------------------------------------------------------------


def aggregates() -> dict[str, Any]:
    """Everything the index needs, as aggregate expressions: the respondents, and each element's
    number of answers and sum of scores."""
    expressions: dict[str, Any] = {"respondents": Count("pk")}
    for field in FIELDS:
        expressions[f"{field}_answered"] = Count(field)
        expressions[f"{field}_total"] = Sum(field)
    return expressions


def summed_aggregates() -> dict[str, Any]:
    """The same figures over daily aggregates (`SurveyDay`, whose columns bear the names of
    `aggregates()`): each one summed."""
    return {name: Sum(name) for name in aggregates()}


def _aggregates_for(rows: QuerySet[Any]) -> dict[str, Any]:
    """Responses are counted; daily aggregates, already counted, are summed."""
    return summed_aggregates() if rows.model._meta.model_name == "surveyday" else aggregates()


def index_from(values: Mapping[str, Any]) -> SurveyIndex:
    """The index from one row of `aggregates()`."""
    return SurveyIndex(
        respondents=values["respondents"] or 0,
        scores=tuple(
            ElementScore(element, values[f"{element.field}_answered"] or 0, values[f"{element.field}_total"] or 0)
            for element in ELEMENTS
        ),
    )


def index_of(responses: QuerySet[Any]) -> SurveyIndex:
    """The index of a queryset of responses (or of their daily aggregates), in one aggregate query."""
    return index_from(responses.aggregate(**_aggregates_for(responses)))


def index_and_months(responses: QuerySet[Any]) -> tuple[SurveyIndex, list[tuple[datetime.date, SurveyIndex]]]:
    """The index of all the responses and of each month with responses (oldest first), from one
    aggregate query grouped by the day of the visit: the database sums and counts; adding up a
    year's days here is cheaper than a second pass over the rows, and truncating every row's date
    to its month is slower in both SQLite and PostgreSQL than grouping by the date as stored.
    `responses` may be daily aggregates (`SurveyDay`): a year is then a few thousand rows."""
    keys = list(aggregates())
    total = dict.fromkeys(keys, 0)
    months: dict[datetime.date, dict[str, int]] = {}
    for row in responses.order_by().values("visited_on").annotate(**_aggregates_for(responses)):
        month = months.setdefault(row["visited_on"].replace(day=1), dict.fromkeys(keys, 0))
        for key in keys:
            value = row[key] or 0
            month[key] += value
            total[key] += value
    return index_from(total), [(month, index_from(values)) for month, values in sorted(months.items())]


def indexes_by_service(responses: QuerySet[Any]) -> list[tuple[str, str, SurveyIndex]]:
    """(service slug, service name, index) per service, by name; two queries (the aggregate, grouped
    by the service's id, then the services' names). A service keeps its slug from one charter
    version to the next, so its versions count together; "" is for responses without a service."""
    from charters.models import ServiceStandard

    rows = list(responses.order_by().values("service_id").annotate(**_aggregates_for(responses)))
    names = {
        pk: (slug, name)
        for pk, slug, name in ServiceStandard.objects.filter(
            pk__in=[row["service_id"] for row in rows if row["service_id"]]
        ).values_list("pk", "slug", "name")
    }
    merged: dict[str, tuple[str, dict[str, Any]]] = {}
    for row in rows:
        slug, name = names.get(row["service_id"], ("", ""))
        totals = {key: row[key] or 0 for key in aggregates()}
        if slug in merged:  # the same service in another charter version
            kept_name, kept = merged[slug]
            merged[slug] = (kept_name, {key: kept[key] + totals[key] for key in totals})
        else:
            merged[slug] = (name, totals)
    result = [(slug, name, index_from(totals)) for slug, (name, totals) in merged.items()]
    return sorted(result, key=lambda item: (item[0] == "", item[1].casefold()))


def _as_date(value: datetime.date | datetime.datetime) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


# --- Sample size -------------------------------------------------------------------------------

# Krejcie & Morgan (1970), "Determining sample size for research activities", Table 1:
# (population N, sample S). The published table, not its formula: no rounding of the formula
# reproduces every row. Between two rows the larger population's sample is taken.
KREJCIE_MORGAN: tuple[tuple[int, int], ...] = (
    (10, 10), (15, 14), (20, 19), (25, 24), (30, 28), (35, 32), (40, 36), (45, 40), (50, 44),
    (55, 48), (60, 52), (65, 56), (70, 59), (75, 63), (80, 66), (85, 70), (90, 73), (95, 76),
    (100, 80), (110, 86), (120, 92), (130, 97), (140, 103), (150, 108), (160, 113), (170, 118),
    (180, 123), (190, 127), (200, 132), (210, 136), (220, 140), (230, 144), (240, 148),
    (250, 152), (260, 155), (270, 159), (280, 162), (290, 165), (300, 169), (320, 175),
    (340, 181), (360, 186), (380, 191), (400, 196), (420, 201), (440, 205), (460, 210),
    (480, 214), (500, 217), (550, 226), (600, 234), (650, 242), (700, 248), (750, 254),
    (800, 260), (850, 265), (900, 269), (950, 274), (1000, 278), (1100, 285), (1200, 291),
    (1300, 297), (1400, 302), (1500, 306), (1600, 310), (1700, 313), (1800, 317), (1900, 320),
    (2000, 322), (2200, 327), (2400, 331), (2600, 335), (2800, 338), (3000, 341), (3500, 346),
    (4000, 351), (4500, 354), (5000, 357), (6000, 361), (7000, 364), (8000, 367), (9000, 368),
    (10000, 370), (15000, 375), (20000, 377), (30000, 379), (40000, 380), (50000, 381),
    (75000, 382), (1000000, 384),
)  # fmt: skip
_POPULATIONS = [population for population, _sample in KREJCIE_MORGAN]
LARGEST_SAMPLE = KREJCIE_MORGAN[-1][1]


def required_sample(population: int) -> int:
    """The number of respondents Krejcie & Morgan's table asks for a population served.

    Below 10, everyone; between two rows of the table, the row of the larger population;
    beyond the table, 384.
    """
    if population <= 0:
        return 0
    if population < KREJCIE_MORGAN[0][0]:
        return population
    position = bisect_left(_POPULATIONS, population)
    if position == len(KREJCIE_MORGAN):
        return LARGEST_SAMPLE
    return KREJCIE_MORGAN[position][1]


def element_choices(element: Element) -> list[tuple[int, Promise]]:
    """The answers of an element as form choices, worst (1) to best (4)."""
    return [(score, element.answer_label(score)) for score in range(SCALE_MIN, SCALE_MAX + 1)]
