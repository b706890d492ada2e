"""The geometry of the survey's two charts, computed here so that the templates only draw.

No chart library and no JavaScript: the pages render plain SVG from these numbers, and every
chart comes with a text alternative in its template. Coordinates are in the SVG's own units
(its `viewBox`); the SVG scales to the width of the page. A narrow `viewBox` keeps its text
legible on a phone, where it is drawn at about its own size.

- `element_chart`: one horizontal bar per element (U1…U9), on the converted 25–100 scale or on
  the 1–4 scale of the NRR, with the grade thresholds of PermenPANRB 14/2017 as reference lines.
- `trend_chart`: the converted IKM month by month, as a line through the months that have a
  complete index; a month without one breaks the line rather than being drawn as a fall.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from django.utils.functional import Promise

from . import ikm

Scale = Literal["converted", "unit"]

CHART_WIDTH = 400


def _round(value: float) -> float:
    """Coordinates to a tenth of a unit: precise enough to draw, short enough to read in the HTML."""
    return round(value, 1)


def _scale_bounds(scale: Scale) -> tuple[Decimal, Decimal]:
    if scale == "unit":
        return Decimal(ikm.SCALE_MIN), Decimal(ikm.SCALE_MAX)
    return Decimal(ikm.SCALE_MIN * ikm.CONVERSION), Decimal(ikm.SCALE_MAX * ikm.CONVERSION)


def _on_scale(converted: Decimal, scale: Scale) -> Decimal:
    """A value of the converted scale (25–100) on the chosen scale."""
    return converted if scale == "converted" else converted / ikm.CONVERSION


# --- The nine elements -------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    """One element's bar. Without answers (`value` None) there is no bar, only its label."""

    code: str
    name: Promise
    value: Decimal | None  # on the chart's scale, rounded to 2 decimals
    grade: str  # the letter of the grade its converted value falls in (lower case), "" without answers
    x: float
    y: float
    width: float
    height: float
    text_y: float  # the baseline of the code and value labels, centred on the bar
    value_x: float  # where the value label is anchored: its end inside the bar, or its start after it
    inside: bool  # the label sits inside the bar's end, over the grade lines the bar covers


@dataclass(frozen=True)
class Threshold:
    """A grade's lowest value, drawn as a vertical reference line."""

    letter: str
    value: Decimal  # on the chart's scale
    x: float


@dataclass(frozen=True)
class Zone:
    """Where a grade's letter is written, above the plot, in the middle of its range."""

    letter: str
    x: float


@dataclass(frozen=True)
class Tick:
    value: Decimal
    x: float


@dataclass(frozen=True)
class ElementChart:
    scale: Scale
    width: int
    height: int
    left: float  # the plot's edges: bars start at `left`, the scale's lowest value
    right: float
    top: float
    bottom: float
    code_x: float  # where the element codes end (right-aligned, left of the bars)
    zone_y: float
    tick_y: float
    bars: tuple[Bar, ...]
    thresholds: tuple[Threshold, ...]
    zones: tuple[Zone, ...]
    ticks: tuple[Tick, ...]

    @property
    def line_top(self) -> float:
        """Where the axis and the threshold lines begin, a little above the first bar."""
        return self.top - 4

    @property
    def has_values(self) -> bool:
        return any(bar.value is not None for bar in self.bars)

    @property
    def highest(self) -> Bar | None:
        drawn = [bar for bar in self.bars if bar.value is not None]
        return max(drawn, key=lambda bar: (bar.value, bar.code)) if drawn else None

    @property
    def lowest(self) -> Bar | None:
        drawn = [bar for bar in self.bars if bar.value is not None]
        return min(drawn, key=lambda bar: (bar.value, bar.code)) if drawn else None


BAR_LEFT = 42  # room for "U1"
BAR_RIGHT = 60  # room for "100,00" after the longest bar
BAR_TOP = 24  # room for the grade letters
BAR_ROW = 30
BAR_THICKNESS = 20
BAR_BOTTOM = 26  # room for the scale's numbers
BAR_MIN_WIDTH = 2  # the lowest possible score still shows as a sliver
VALUE_LABEL_WIDTH = 52  # "100,00" in the chart's font, with a margin: a bar this wide holds its label


def element_chart(index: ikm.SurveyIndex, scale: Scale = "converted") -> ElementChart:
    """One bar per element in `ELEMENTS` order, with the grade thresholds as reference lines."""
    low, high = _scale_bounds(scale)
    left, right = BAR_LEFT, CHART_WIDTH - BAR_RIGHT
    top = BAR_TOP
    bottom = top + BAR_ROW * len(index.scores)

    def x_of(value: Decimal) -> float:
        share = (min(max(value, low), high) - low) / (high - low)
        return left + float(share) * (right - left)

    bars = []
    for row, score in enumerate(index.scores):
        y = top + row * BAR_ROW + (BAR_ROW - BAR_THICKNESS) / 2
        converted = score.converted
        if converted is None:
            value, grade, width = None, "", 0.0
        else:
            value = score.converted if scale == "converted" else score.nrr_rounded(2)
            assert value is not None
            grade = ikm.grade_for(converted).letter.lower()
            width = max(x_of(value) - left, BAR_MIN_WIDTH)
        bars.append(
            Bar(
                code=score.element.code,
                name=score.element.name,
                value=value,
                grade=grade,
                x=left,
                y=_round(y),
                width=_round(width),
                height=BAR_THICKNESS,
                text_y=_round(y + BAR_THICKNESS / 2 + 4),
                value_x=_round(left + width - 4 if width >= VALUE_LABEL_WIDTH else left + width + 4),
                inside=width >= VALUE_LABEL_WIDTH,
            )
        )

    thresholds = tuple(
        Threshold(grade.letter, _on_scale(grade.lowest, scale), _round(x_of(_on_scale(grade.lowest, scale))))
        for grade in ikm.GRADES[:-1]  # the lowest grade starts where the scale does
    )
    zones = tuple(
        Zone(
            grade.letter,
            _round((x_of(_on_scale(grade.lowest, scale)) + x_of(_on_scale(grade.highest, scale))) / 2),
        )
        for grade in ikm.GRADES
    )
    step = Decimal(ikm.CONVERSION) if scale == "converted" else Decimal(1)
    ticks = []
    tick = low
    while tick <= high:
        ticks.append(Tick(tick, _round(x_of(tick))))
        tick += step
    return ElementChart(
        scale=scale,
        width=CHART_WIDTH,
        height=int(bottom + BAR_BOTTOM),
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        code_x=left - 6,
        zone_y=top - 8,
        tick_y=bottom + 16,
        bars=tuple(bars),
        thresholds=thresholds,
        zones=zones,
        ticks=tuple(ticks),
    )


# --- The monthly trend -------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    """A month with a complete index."""

    month: datetime.date  # its first day
    value: Decimal  # the converted IKM
    respondents: int
    x: float
    y: float
    label_x: float
    label_y: float
    label_anchor: str  # the label's SVG text-anchor: "middle", or "start"/"end" near the plot's edges
    labelled: bool  # whether its value is written above it (every point when there are few, else the latest)


@dataclass(frozen=True)
class MonthLabel:
    month: datetime.date
    x: float
    show_year: bool  # every January carries the year, and the first label when there is room


@dataclass(frozen=True)
class Level:
    """A horizontal line: a grade threshold or a gridline of the scale."""

    value: Decimal
    y: float
    letter: str = ""  # the grade whose lowest value this is; "" for a gridline

    @property
    def text_y(self) -> float:
        """The baseline of its number, left of the plot, centred on the line."""
        return _round(self.y + 4)


@dataclass(frozen=True)
class TrendChart:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    low: Decimal  # the lowest value of the vertical axis
    high: Decimal
    months: tuple[datetime.date, ...]  # every month of the period, with or without a point
    points: tuple[TrendPoint, ...]
    lines: tuple[str, ...]  # SVG `points` of each run of consecutive months with a point
    labels: tuple[MonthLabel, ...]
    gridlines: tuple[Level, ...]
    thresholds: tuple[Level, ...]
    bands: tuple[Level, ...]  # each grade's letter, its baseline in the middle of its visible band
    tick_x: float  # where the vertical axis' numbers end (right-aligned)
    month_y: float
    year_y: float
    letter_x: float  # where the grade letters of the thresholds are written, right of the plot

    @property
    def has_points(self) -> bool:
        return bool(self.points)


TREND_LEFT = 36
TREND_RIGHT = 22
TREND_TOP = 16
TREND_PLOT_HEIGHT = 160
TREND_BOTTOM = 36
TREND_MONTH_LABELS = 12  # at most this many month labels; beyond, every second, third… month
TREND_VALUE_LABELS = 6  # up to this many months, every point carries its value
YEAR_LABEL_GAP = 3  # labels between two years written under the months
TREND_LABEL_HALF_WIDTH = 26  # half the width of a label such as "100,00" in the chart's font


def month_starts(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """The first day of every month from `start`'s to `end`'s, both included."""
    months = []
    month = start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def trend_low(values: list[Decimal]) -> Decimal:
    """The bottom of the vertical axis: a multiple of 5 at least 5 below the lowest value and
    below grade C's threshold (so that the A, B and C bands always show), never below 25."""
    scale_low = Decimal(ikm.SCALE_MIN * ikm.CONVERSION)
    lowest = min([*values, ikm.GRADES[-2].lowest])
    return max(scale_low, Decimal(math.floor((lowest - 5) / 5) * 5))


def trend_chart(
    monthly: list[tuple[datetime.date, ikm.SurveyIndex]], start: datetime.date, end: datetime.date
) -> TrendChart:
    """The converted IKM per month from `start` to `end`; `monthly` as `ikm.monthly_indexes` gives it."""
    months = month_starts(start, end) or [start.replace(day=1)]
    by_month = {month: index for month, index in monthly if index.ikm is not None}
    values = [index.ikm for index in by_month.values() if index.ikm is not None]
    low, high = trend_low(values), Decimal(ikm.SCALE_MAX * ikm.CONVERSION)
    left, right = TREND_LEFT, CHART_WIDTH - TREND_RIGHT
    top, bottom = TREND_TOP, TREND_TOP + TREND_PLOT_HEIGHT

    def x_of(position: int) -> float:
        """The middle of the month's column: the first and last points keep clear of the axes."""
        return left + (position + 0.5) * (right - left) / len(months)

    def label_at(x: float) -> tuple[float, str]:
        """Where a value label goes and how it is anchored, so that it stays inside the plot."""
        if x + TREND_LABEL_HALF_WIDTH > right:
            return right, "end"
        if x - TREND_LABEL_HALF_WIDTH < left:
            return left, "start"
        return x, "middle"

    def y_of(value: Decimal) -> float:
        return bottom - float((value - low) / (high - low)) * (bottom - top)

    points: list[TrendPoint] = []
    lines: list[str] = []
    run: list[TrendPoint] = []
    few = len(months) <= TREND_VALUE_LABELS
    last_month = max(by_month) if by_month else None
    for position, month in enumerate(months):
        index = by_month.get(month)
        if index is None or index.ikm is None:
            if len(run) > 1:
                lines.append(" ".join(f"{p.x:g},{p.y:g}" for p in run))
            run = []
            continue
        y = y_of(index.ikm)
        x = x_of(position)
        label_x, label_anchor = label_at(x)
        point = TrendPoint(
            month=month,
            value=index.ikm,
            respondents=index.respondents,
            x=_round(x),
            y=_round(y),
            label_x=_round(label_x),
            label_y=_round(y - 9),
            label_anchor=label_anchor,
            labelled=few or month == last_month,
        )
        points.append(point)
        run.append(point)
    if len(run) > 1:
        lines.append(" ".join(f"{p.x:g},{p.y:g}" for p in run))

    every = math.ceil(len(months) / TREND_MONTH_LABELS)
    labelled = [(position, month) for position, month in enumerate(months) if position % every == 0]
    # Every January carries its year; so does the first label, unless a January follows too
    # closely for both years to fit.
    first_january = next((i for i, (_position, month) in enumerate(labelled) if month.month == 1), None)
    first_has_year = first_january is None or first_january == 0 or first_january >= YEAR_LABEL_GAP
    labels = tuple(
        MonthLabel(month, _round(x_of(position)), show_year=month.month == 1 or (i == 0 and first_has_year))
        for i, (position, month) in enumerate(labelled)
    )

    gridlines = tuple(
        Level(Decimal(value), _round(y_of(Decimal(value))))
        for value in range(int(math.ceil(low / 10) * 10), int(high) + 1, 10)
    )
    thresholds = tuple(
        Level(grade.lowest, _round(y_of(grade.lowest)), grade.letter)
        for grade in ikm.GRADES[:-1]
        if grade.lowest >= low
    )
    bands = tuple(
        Level(grade.lowest, _round((y_of(max(grade.lowest, low)) + y_of(grade.highest)) / 2 + 4), grade.letter)
        for grade in ikm.GRADES
        if grade.highest > low
    )
    return TrendChart(
        width=CHART_WIDTH,
        height=bottom + TREND_BOTTOM,
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        low=low,
        high=high,
        months=tuple(months),
        points=tuple(points),
        lines=tuple(lines),
        labels=labels,
        gridlines=gridlines,
        thresholds=thresholds,
        bands=bands,
        tick_x=left - 5,
        month_y=bottom + 15,
        year_y=bottom + 29,
        letter_x=right + 5,
    )


def survey_charts(results: Any) -> dict[str, Any]:
    """Both charts of a `feedback.survey.results.SurveyResults`, under the names the partials
    `_element_chart.html` and `_trend_chart.html` expect."""
    return {
        "element_chart": element_chart(results.index),
        "trend_chart": trend_chart(results.monthly, results.start, results.end),
    }
