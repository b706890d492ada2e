"""The index exactly as PermenPANRB 14/2017 computes it, against cases worked out by hand."""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from django.utils import translation

from charters.services import start_draft
from feedback.models import SurveyResponse
from feedback.survey import ikm
from tests.factories import SurveyResponseFactory, make_published_charter, publish_draft

pytestmark = pytest.mark.django_db


def index(facility: Any) -> ikm.SurveyIndex:
    return ikm.index_of(SurveyResponse.objects.filter(facility=facility))


# --- The table --------------------------------------------------------------------------------


def test_the_nine_elements_are_named_by_code_with_their_regulation_names() -> None:
    assert [element.code for element in ikm.ELEMENTS] == [f"U{n}" for n in range(1, 10)]
    assert [element.field for element in ikm.ELEMENTS] == [f"u{n}" for n in range(1, 10)]
    with translation.override("en"):
        assert str(ikm.ELEMENTS_BY_CODE["U4"].name) == "Fee / tariff"
        assert str(ikm.ELEMENTS_BY_CODE["U9"].name) == "Handling of complaints, suggestions and input"
        assert [str(label) for label in ikm.ELEMENTS_BY_CODE["U4"].answers] == [
            "Very expensive",
            "Fairly expensive",
            "Cheap",
            "Free",
        ]
    with translation.override("id"):  # the regulation's own words
        assert str(ikm.ELEMENTS_BY_CODE["U4"].name) == "Biaya/Tarif"
        assert [str(label) for label in ikm.ELEMENTS_BY_CODE["U4"].answers] == [
            "Sangat mahal",
            "Cukup mahal",
            "Murah",
            "Gratis",
        ]


def test_the_weights_are_exactly_one_ninth_and_sum_to_one() -> None:
    assert all(element.weight == Fraction(1, 9) for element in ikm.ELEMENTS)
    assert sum(element.weight for element in ikm.ELEMENTS) == 1


def test_the_grades_cover_25_to_100_without_gaps() -> None:
    bounds = sorted((grade.lowest, grade.highest) for grade in ikm.GRADES)
    assert bounds[0][0] == Decimal("25.00") and bounds[-1][1] == Decimal("100.00")
    for (_low, high), (next_low, _high) in itertools.pairwise(bounds):
        assert next_low - high == Decimal("0.01")
    assert [(grade.letter, grade.term) for grade in ikm.GRADES] == [
        ("A", "Sangat Baik"),
        ("B", "Baik"),
        ("C", "Kurang Baik"),
        ("D", "Tidak Baik"),
    ]


# --- The formula ------------------------------------------------------------------------------


def test_one_respondent_answering_4_everywhere_gives_exactly_100_a(facility: Any) -> None:
    SurveyResponseFactory(facility=facility, scores=[4, 4, 4, 4, 4, 4, 4, 4, 4])

    result = index(facility)

    assert result.respondents == 1
    assert all(score.nrr == 4 for score in result.scores)
    assert result.ikm_exact == 4
    assert result.ikm == Decimal("100.00")
    assert (result.grade.letter, result.grade.term) == ("A", "Sangat Baik")


def test_all_answers_1_give_25_d(facility: Any) -> None:
    SurveyResponseFactory(facility=facility, scores=[1, 1, 1, 1, 1, 1, 1, 1, 1])

    result = index(facility)

    assert result.ikm == Decimal("25.00")
    assert result.grade.letter == "D"


def test_a_mixed_set_gives_the_hand_computed_index(facility: Any) -> None:
    # Three respondents. Per element (sum / 3):
    #   U1 3,4,3 = 10/3   U2 3,3,3 = 3   U3 2,3,2 = 7/3   U4 4,4,4 = 4   U5 3,3,4 = 10/3
    #   U6 3,4,4 = 11/3   U7 4,4,3 = 11/3   U8 3,2,3 = 8/3   U9 2,3,3 = 8/3
    # Σ NRR = 10/3 + 9/3 + 7/3 + 12/3 + 10/3 + 11/3 + 11/3 + 8/3 + 8/3 = 86/3
    # IKM = 1/9 * 86/3 = 86/27 = 3.185185…; * 25 = 2150/27 = 79.6296… → 79.63, B (Baik).
    SurveyResponseFactory(facility=facility, scores=[3, 3, 2, 4, 3, 3, 4, 3, 2])
    SurveyResponseFactory(facility=facility, scores=[4, 3, 3, 4, 3, 4, 4, 2, 3])
    SurveyResponseFactory(facility=facility, scores=[3, 3, 2, 4, 4, 4, 3, 3, 3])

    result = index(facility)

    assert result.respondents == 3
    assert result.score("U1").nrr == Fraction(10, 3)
    assert result.score("U3").nrr == Fraction(7, 3)
    assert result.score("U8").nrr == Fraction(8, 3)
    assert result.score("U1").nrr_rounded() == Decimal("3.33")
    assert result.score("U1").weighted == Fraction(10, 27)
    assert result.score("U1").weighted_rounded() == Decimal("0.370")
    assert result.ikm_exact == Fraction(86, 27)
    assert result.ikm_unit == Decimal("3.185")
    assert result.ikm == Decimal("79.63")
    assert (result.grade.letter, result.grade.term) == ("B", "Baik")
    assert [score.element.code for score in result.lowest(3)] == ["U3", "U8", "U9"]


def test_a_skipped_question_counts_only_the_respondents_who_answered_it(facility: Any) -> None:
    SurveyResponseFactory(facility=facility, scores=[4, 4, 4, 4, 4, 4, 4, 4, 2])
    SurveyResponseFactory(facility=facility, scores=[2, 4, 4, 4, 4, 4, 4, 4, None])

    result = index(facility)

    assert result.respondents == 2
    assert (result.score("U9").answered, result.score("U9").nrr) == (1, 2)
    assert result.score("U1").nrr == 3
    # Σ NRR = 3 + 4*7 + 2 = 33; 33/9 * 25 = 91.666… → 91.67
    assert result.ikm == Decimal("91.67")


def test_no_response_gives_no_index(facility: Any) -> None:
    result = index(facility)

    assert result.respondents == 0
    assert result.ikm is None and result.grade is None and result.ikm_unit is None
    assert all(score.nrr is None for score in result.scores)
    assert result.as_json() == {
        "respondents": 0,
        "elements": {f"U{n}": None for n in range(1, 10)},
        "ikm": None,
        "grade": None,
        "label": None,
    }


def test_an_element_nobody_answered_leaves_the_index_undefined(facility: Any) -> None:
    SurveyResponseFactory(facility=facility, scores=[4, 4, 4, 4, 4, 4, 4, 4, None])

    result = index(facility)

    assert result.respondents == 1 and result.score("U9").nrr is None
    assert result.ikm is None and result.grade is None


def test_the_json_rounds_nrr_to_4_and_ikm_to_2_decimals(facility: Any) -> None:
    SurveyResponseFactory(facility=facility, scores=[3, 3, 2, 4, 3, 3, 4, 3, 2])
    SurveyResponseFactory(facility=facility, scores=[4, 3, 3, 4, 3, 4, 4, 2, 3])
    SurveyResponseFactory(facility=facility, scores=[3, 3, 2, 4, 4, 4, 3, 3, 3])

    data = index(facility).as_json()

    assert data["elements"] == {
        "U1": 3.3333,
        "U2": 3.0,
        "U3": 2.3333,
        "U4": 4.0,
        "U5": 3.3333,
        "U6": 3.6667,
        "U7": 3.6667,
        "U8": 2.6667,
        "U9": 2.6667,
    }
    assert (data["ikm"], data["grade"], data["label"], data["respondents"]) == (79.63, "B", "Baik", 3)


def test_the_index_is_one_query(facility: Any, django_assert_num_queries: Any) -> None:
    for _ in range(20):
        SurveyResponseFactory(facility=facility, scores=[4, 3, 3, 4, 3, 4, 4, 2, 3])

    with django_assert_num_queries(1):
        result = index(facility)

    assert result.respondents == 20


# --- Grades at their boundaries ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("converted", "letter"),
    [
        ("100.00", "A"),
        ("88.31", "A"),
        ("88.30", "B"),
        ("76.61", "B"),
        ("76.60", "C"),
        ("65.00", "C"),
        ("64.99", "D"),
        ("25.00", "D"),
    ],
)
def test_each_grade_boundary(converted: str, letter: str) -> None:
    assert ikm.grade_for(Decimal(converted)).letter == letter


@pytest.mark.parametrize(
    ("exact", "rounded", "letter"),
    [
        # Values just under a boundary that round onto it earn the higher grade …
        (Fraction(88305, 1000), "88.31", "A"),
        (Fraction(76605, 1000), "76.61", "B"),
        (Fraction(649950, 10000), "65.00", "C"),
        # … and values just over the top of a grade that round down stay in it.
        (Fraction(883049, 10000), "88.30", "B"),
        (Fraction(766049, 10000), "76.60", "C"),
        (Fraction(649949, 10000), "64.99", "D"),
    ],
)
def test_the_grade_comes_from_the_index_rounded_half_up_to_2_decimals(
    exact: Fraction, rounded: str, letter: str
) -> None:
    # A converted IKM of `exact` comes from an IKM of exact / 25 on the 1 to 4 scale.
    result = ikm.SurveyIndex(
        respondents=1,
        scores=tuple(
            ikm.ElementScore(element, answered=int((exact / 25).denominator), total=int((exact / 25).numerator))
            for element in ikm.ELEMENTS
        ),
    )
    assert result.ikm_exact * 25 == exact
    assert result.ikm == Decimal(rounded)
    assert result.grade.letter == letter


def test_rounding_is_half_up_from_the_exact_fraction() -> None:
    assert ikm.round_half_up(Fraction(1, 8), 2) == Decimal("0.13")  # 0.125
    assert ikm.round_half_up(Fraction(2, 3), 4) == Decimal("0.6667")
    assert ikm.round_half_up(Fraction(2150, 27), 2) == Decimal("79.63")


# --- By month and by service ------------------------------------------------------------------


def test_index_and_months_come_from_one_query_by_the_month_of_the_visit(
    facility: Any, django_assert_num_queries: Any
) -> None:
    SurveyResponseFactory(facility=facility, scores=[4, 4, 4, 4, 4, 4, 4, 4, 4], visited_on=datetime.date(2026, 9, 30))
    SurveyResponseFactory(facility=facility, scores=[2, 2, 2, 2, 2, 2, 2, 2, 2], visited_on=datetime.date(2026, 10, 1))
    SurveyResponseFactory(facility=facility, scores=[4, 4, 4, 4, 4, 4, 4, 4, 4], visited_on=datetime.date(2026, 10, 31))

    with django_assert_num_queries(1):
        total, months = ikm.index_and_months(SurveyResponse.objects.filter(facility=facility))

    assert (total.respondents, total.ikm) == (3, ikm.index_of(SurveyResponse.objects.all()).ikm)
    assert total.ikm == Decimal("83.33")
    assert [(month, result.respondents, result.ikm) for month, result in months] == [
        (datetime.date(2026, 9, 1), 1, Decimal("100.00")),
        (datetime.date(2026, 10, 1), 2, Decimal("75.00")),
    ]


def test_indexes_by_service_join_the_versions_of_a_service_by_slug(
    facility: Any, head: Any, django_assert_num_queries: Any
) -> None:
    first = make_published_charter(facility, services=2, head=head)
    second = publish_draft(start_draft(facility, head), head)  # a revision: the same slugs, new rows
    old, new = first.services.order_by("position")[0], second.services.order_by("position")[0]
    other = second.services.order_by("position")[1]
    assert old.slug == new.slug and old.pk != new.pk
    SurveyResponseFactory(facility=facility, scores=[4, 4, 4, 4, 4, 4, 4, 4, 4], service=old)
    SurveyResponseFactory(facility=facility, scores=[2, 2, 2, 2, 2, 2, 2, 2, 2], service=new)
    SurveyResponseFactory(facility=facility, scores=[3, 3, 3, 3, 3, 3, 3, 3, 3], service=other)
    SurveyResponseFactory(facility=facility, scores=[1, 1, 1, 1, 1, 1, 1, 1, 1])

    with django_assert_num_queries(2):  # the aggregate, then the services' names
        rows = ikm.indexes_by_service(SurveyResponse.objects.filter(facility=facility))

    by_slug = {slug: result for slug, _name, result in rows}
    assert (by_slug[new.slug].respondents, by_slug[new.slug].ikm) == (2, Decimal("75.00"))
    assert by_slug[other.slug].ikm == Decimal("75.00")
    assert rows[-1][0] == "" and rows[-1][2].ikm == Decimal("25.00")  # no service given, last


# --- Sample size ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("population", "sample"),
    [
        (50, 44),
        (100, 80),
        (300, 169),
        (500, 217),
        (1000, 278),
        (2000, 322),
        (10000, 370),
        (100000, 384),
        (5000000, 384),
    ],
)
def test_krejcie_morgan_rows(population: int, sample: int) -> None:
    assert ikm.required_sample(population) == sample


def test_krejcie_morgan_between_rows_takes_the_larger_population() -> None:
    assert ikm.required_sample(51) == ikm.required_sample(55) == 48
    assert ikm.required_sample(1001) == 285


def test_krejcie_morgan_small_populations_ask_for_everyone() -> None:
    assert [ikm.required_sample(n) for n in (0, 1, 9, 10)] == [0, 1, 9, 10]


def test_krejcie_morgan_table_grows_steadily() -> None:
    populations = [population for population, _sample in ikm.KREJCIE_MORGAN]
    samples = [sample for _population, sample in ikm.KREJCIE_MORGAN]
    assert populations == sorted(populations) and samples == sorted(samples)
    assert all(sample <= population for population, sample in ikm.KREJCIE_MORGAN)
