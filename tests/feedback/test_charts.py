"""The geometry of the survey's charts: plain numbers, computed without a database."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from feedback.survey import charts, ikm


def index_of(totals: list[tuple[int, int]], respondents: int | None = None) -> ikm.SurveyIndex:
    """An index from (answered, sum of scores) per element, U1 to U9."""
    scores = tuple(
        ikm.ElementScore(element, answered, total)
        for element, (answered, total) in zip(ikm.ELEMENTS, totals, strict=True)
    )
    return ikm.SurveyIndex(respondents if respondents is not None else max(a for a, _t in totals), scores)


def uniform(score: int, respondents: int = 1) -> ikm.SurveyIndex:
    return index_of([(respondents, score * respondents)] * 9)


# --- The nine elements -------------------------------------------------------------------------


def test_a_bar_is_as_long_as_its_value_on_the_25_to_100_scale() -> None:
    # U1 answered 4 (100), U2 1 (25), U3 3 (75), U4 10/3 (83.33), the others 2 (50).
    index = index_of([(1, 4), (1, 1), (1, 3), (3, 10), *[(1, 2)] * 5])
    chart = charts.element_chart(index)
    plot = chart.right - chart.left
    u1, u2, u3, u4, u5 = chart.bars[:5]
    assert [bar.code for bar in chart.bars] == [f"U{n}" for n in range(1, 10)]
    assert (u1.value, u1.x, u1.width) == (Decimal("100.00"), chart.left, plot)
    assert u2.value == Decimal("25.00") and u2.width == charts.BAR_MIN_WIDTH  # the lowest score still shows
    assert u3.width == pytest.approx(plot * 50 / 75, abs=0.1)
    assert u4.value == Decimal("83.33") and u4.width == pytest.approx(plot * 58.33 / 75, abs=0.1)
    assert u5.width == pytest.approx(plot / 3, abs=0.1)
    assert [bar.grade for bar in chart.bars[:5]] == ["a", "d", "c", "b", "d"]
    assert u1.inside and u1.value_x == pytest.approx(u1.x + u1.width - 4)  # its end, inside the bar
    assert not u2.inside and u2.value_x == pytest.approx(u2.x + u2.width + 4)  # too short: after it


def test_a_value_label_never_crosses_a_grade_line() -> None:
    """Issue 12: the labels overlapped the grade lines. A label inside its bar lies over the lines
    the bar covers; one after a short bar ends before the first line."""
    for nrr in range(10, 41):  # every value from 25 to 100, in steps of 2.5
        chart = charts.element_chart(index_of([(10, nrr)] * 9))  # NRR 1.0 to 4.0
        bar = chart.bars[0]
        if bar.inside:
            assert bar.value_x - charts.VALUE_LABEL_WIDTH + 8 >= bar.x and bar.value_x <= bar.x + bar.width
        else:
            start, end = bar.value_x, bar.value_x + charts.VALUE_LABEL_WIDTH - 8
            assert not any(start <= threshold.x <= end for threshold in chart.thresholds), (nrr, start, end)


def test_bars_are_stacked_one_row_each_inside_the_chart() -> None:
    chart = charts.element_chart(uniform(3))
    assert [bar.y for bar in chart.bars] == [chart.top + 5 + row * charts.BAR_ROW for row in range(9)]
    assert all(bar.height == charts.BAR_THICKNESS for bar in chart.bars)
    assert chart.bottom == chart.top + 9 * charts.BAR_ROW
    assert chart.height == chart.bottom + charts.BAR_BOTTOM
    assert chart.bars[-1].y + charts.BAR_THICKNESS < chart.bottom
    assert all(bar.value_x + 48 <= chart.width for bar in charts.element_chart(uniform(4)).bars)  # "100,00" fits


def test_the_grade_thresholds_are_reference_lines_on_the_scale() -> None:
    chart = charts.element_chart(uniform(3))
    plot = chart.right - chart.left
    assert [(t.letter, t.value) for t in chart.thresholds] == [
        ("A", Decimal("88.31")),
        ("B", Decimal("76.61")),
        ("C", Decimal("65.00")),
    ]
    for threshold in chart.thresholds:
        assert threshold.x == pytest.approx(chart.left + plot * float(threshold.value - 25) / 75, abs=0.1)
    assert [zone.letter for zone in chart.zones] == ["A", "B", "C", "D"]
    a_zone, _b, _c, d_zone = chart.zones
    assert chart.thresholds[0].x < a_zone.x < chart.right
    assert chart.left < d_zone.x < chart.thresholds[2].x
    assert [(tick.value, tick.x) for tick in chart.ticks] == [
        (Decimal(25), chart.left),
        (Decimal(50), pytest.approx(chart.left + plot / 3, abs=0.1)),
        (Decimal(75), pytest.approx(chart.left + plot * 2 / 3, abs=0.1)),
        (Decimal(100), chart.right),
    ]


def test_on_the_1_to_4_scale_bars_show_the_nrr_and_the_thresholds_are_divided_by_25() -> None:
    index = index_of([(3, 10), *[(1, 4)] * 8])
    chart = charts.element_chart(index, scale="unit")
    plot = chart.right - chart.left
    assert chart.scale == "unit"
    assert chart.bars[0].value == Decimal("3.33") and chart.bars[0].grade == "b"
    assert chart.bars[0].width == pytest.approx(plot * (3.33 - 1) / 3, abs=0.1)  # the value shown
    assert chart.bars[1].value == Decimal("4.00") and chart.bars[1].width == plot
    assert [t.value for t in chart.thresholds] == [Decimal("3.5324"), Decimal("3.0644"), Decimal("2.6")]
    assert [tick.value for tick in chart.ticks] == [1, 2, 3, 4]


def test_an_element_nobody_answered_has_no_bar() -> None:
    index = index_of([(0, 0), *[(2, 7)] * 8], respondents=2)
    chart = charts.element_chart(index)
    assert chart.bars[0].value is None and chart.bars[0].grade == "" and chart.bars[0].width == 0
    assert chart.has_values
    assert chart.lowest is not None and chart.lowest.code == "U2"
    assert not charts.element_chart(index_of([(0, 0)] * 9, respondents=0)).has_values


def test_highest_and_lowest_bars() -> None:
    chart = charts.element_chart(index_of([(1, 2), (1, 4), *[(1, 3)] * 7]))
    assert chart.highest is not None and chart.highest.code == "U2"
    assert chart.lowest is not None and chart.lowest.code == "U1"


# --- The monthly trend -------------------------------------------------------------------------

JAN, FEB, MAR, APR = (datetime.date(2026, month, 1) for month in (1, 2, 3, 4))


def test_months_run_from_the_start_s_month_to_the_end_s_across_a_year() -> None:
    months = charts.month_starts(datetime.date(2025, 11, 17), datetime.date(2026, 2, 3))
    assert months == [datetime.date(2025, 11, 1), datetime.date(2025, 12, 1), JAN, FEB]
    assert charts.month_starts(datetime.date(2026, 1, 31), datetime.date(2026, 1, 31)) == [JAN]


def test_each_month_is_a_column_and_its_point_sits_at_its_value() -> None:
    monthly = [(JAN, uniform(4)), (FEB, uniform(3)), (MAR, uniform(2))]
    chart = charts.trend_chart(monthly, JAN, datetime.date(2026, 3, 31))
    column = (chart.right - chart.left) / 3
    assert chart.months == (JAN, FEB, MAR)
    assert [point.x for point in chart.points] == [
        pytest.approx(chart.left + column * (n + 0.5), abs=0.1) for n in range(3)
    ]
    # All 2s give 50: the axis starts at 45, 5 below the lowest value.
    assert (chart.low, chart.high) == (Decimal(45), Decimal(100))
    height = chart.bottom - chart.top
    assert [point.y for point in chart.points] == [
        chart.top,
        pytest.approx(chart.bottom - height * 30 / 55, abs=0.1),
        pytest.approx(chart.bottom - height * 5 / 55, abs=0.1),
    ]
    assert [(p.value, p.respondents) for p in chart.points] == [
        (Decimal("100.00"), 1),
        (Decimal("75.00"), 1),
        (Decimal("50.00"), 1),
    ]
    assert chart.lines == (" ".join(f"{p.x:g},{p.y:g}" for p in chart.points),)
    assert all(point.labelled for point in chart.points)  # few months: every value is written


def test_a_month_without_a_complete_index_breaks_the_line() -> None:
    incomplete = index_of([(0, 0), *[(1, 3)] * 8])
    monthly = [(JAN, uniform(3)), (FEB, incomplete), (MAR, uniform(3)), (APR, uniform(4))]
    chart = charts.trend_chart(monthly, JAN, datetime.date(2026, 4, 30))
    assert [point.month for point in chart.points] == [JAN, MAR, APR]
    assert len(chart.lines) == 1  # January stands alone; March to April is a line
    march, april = chart.points[1:]
    assert chart.lines[0] == f"{march.x:g},{march.y:g} {april.x:g},{april.y:g}"
    assert chart.has_points


def test_no_month_with_answers_has_no_points() -> None:
    chart = charts.trend_chart([], JAN, datetime.date(2026, 6, 30))
    assert not chart.has_points and chart.lines == () and len(chart.months) == 6
    assert chart.low == Decimal(60)  # grade C's threshold still shows


def test_the_axis_starts_5_below_the_lowest_value_at_a_multiple_of_5_never_below_25() -> None:
    assert charts.trend_low([Decimal("82.35")]) == Decimal(60)  # below 65, grade C's threshold
    assert charts.trend_low([Decimal("58.10")]) == Decimal(50)
    assert charts.trend_low([Decimal("55.00")]) == Decimal(50)
    assert charts.trend_low([Decimal("27.00")]) == Decimal(25)


def test_thresholds_bands_and_gridlines_of_the_trend() -> None:
    chart = charts.trend_chart([(JAN, uniform(3))], JAN, datetime.date(2026, 1, 31))
    assert chart.low == Decimal(60)
    assert [level.value for level in chart.gridlines] == [60, 70, 80, 90, 100]
    assert chart.gridlines[0].y == chart.bottom and chart.gridlines[-1].y == chart.top
    assert [(level.letter, level.value) for level in chart.thresholds] == [
        ("A", Decimal("88.31")),
        ("B", Decimal("76.61")),
        ("C", Decimal("65.00")),
    ]
    assert [band.letter for band in chart.bands] == ["A", "B", "C", "D"]
    a_line, b_line, _c_line = chart.thresholds
    assert chart.top < chart.bands[0].y - 4 < a_line.y
    assert a_line.y < chart.bands[1].y - 4 < b_line.y
    # One month: its point in the middle.
    assert chart.points[0].x == pytest.approx((chart.left + chart.right) / 2)


def test_value_labels_stay_inside_the_plot() -> None:
    monthly = [(datetime.date(2025, month, 1), uniform(3)) for month in range(1, 13)]
    chart = charts.trend_chart(monthly, datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    assert [point.labelled for point in chart.points] == [False] * 11 + [True]  # many months: the latest only
    last = chart.points[-1]
    assert (last.label_anchor, last.label_x) == ("end", chart.right)
    few = charts.trend_chart([(JAN, uniform(3)), (FEB, uniform(3))], JAN, datetime.date(2026, 2, 28))
    assert [point.label_anchor for point in few.points] == ["middle", "middle"]


def test_month_labels_thin_out_and_carry_the_year_where_it_fits() -> None:
    start, end = datetime.date(2024, 7, 1), datetime.date(2026, 6, 30)  # 24 months
    chart = charts.trend_chart([], start, end)
    assert len(chart.labels) == 12 and chart.labels[1].month == datetime.date(2024, 9, 1)
    assert [label.month for label in chart.labels if label.show_year] == [
        datetime.date(2024, 7, 1),
        datetime.date(2025, 1, 1),
        datetime.date(2026, 1, 1),
    ]
    # December then January: both years would collide, January keeps its own.
    close = charts.trend_chart([], datetime.date(2025, 12, 1), datetime.date(2026, 5, 31))
    assert [label.month for label in close.labels if label.show_year] == [JAN]
    plain = charts.trend_chart([], FEB, datetime.date(2026, 7, 31))
    assert [label.month for label in plain.labels if label.show_year] == [FEB]


def test_survey_charts_gives_both_charts_under_the_partials_names() -> None:
    class Results:
        index = uniform(4)
        monthly = [(JAN, uniform(4))]
        start, end = JAN, datetime.date(2026, 1, 31)

    both = charts.survey_charts(Results())
    assert set(both) == {"element_chart", "trend_chart"}
    assert both["element_chart"].bars[0].value == Decimal("100.00")
    assert both["trend_chart"].points[0].value == Decimal("100.00")
