"""The geometry of the district page's chart, computed here so that the template only draws.

As the survey's charts (`feedback.survey.charts`): plain SVG drawn by the server, no JavaScript,
coordinates in the SVG's own units (its `viewBox`, which scales to the page's width), and a table
of the same figures beside it in the template. One group per facility, in the table's order: its
name, then a bar for its IKM (on its 25–100 scale, coloured by grade) and one for promise kept
(percent), both on one axis from 0 to 100.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from charters.models import Facility

from .district import FacilityRow

CHART_WIDTH = 400
LEFT = 4
RIGHT_ROOM = 84  # room for a value label such as "IKM 100,00" after the longest bar
TOP = 6
GROUP_HEIGHT = 62  # the name, two bars and a gap
NAME_BASELINE = 14
IKM_BAR_TOP = 20
PROMISE_BAR_TOP = 38
BAR_THICKNESS = 14
AXIS_ROOM = 24  # below the plot, for the scale's numbers
MIN_BAR_WIDTH = 2  # a value of 0 still shows as a sliver
TICKS = (0, 25, 50, 75, 100)


def _round(value: float) -> float:
    return round(value, 1)


@dataclass(frozen=True)
class ChartBar:
    """One bar; without a value (`value` None) only its label is drawn."""

    value: Decimal | int | None
    css: str  # the bar's class: grade-a … grade-d for the IKM, "promise" for promise kept
    y: float
    width: float
    height: float
    text_y: float
    value_x: float


@dataclass(frozen=True)
class ChartGroup:
    facility: Facility
    name_y: float
    ikm: ChartBar
    promise: ChartBar


@dataclass(frozen=True)
class Tick:
    value: int
    x: float


@dataclass(frozen=True)
class ComparisonChart:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    tick_y: float
    groups: tuple[ChartGroup, ...]
    ticks: tuple[Tick, ...]

    @property
    def has_values(self) -> bool:
        return any(group.ikm.value is not None or group.promise.value is not None for group in self.groups)


def comparison_chart(rows: Iterable[FacilityRow]) -> ComparisonChart:
    left, right = LEFT, CHART_WIDTH - RIGHT_ROOM

    def x_of(value: Decimal | int) -> float:
        share = min(max(float(value), 0.0), 100.0) / 100
        return left + share * (right - left)

    def bar(value: Decimal | int | None, css: str, y: float) -> ChartBar:
        width = 0.0 if value is None else max(x_of(value) - left, MIN_BAR_WIDTH)
        return ChartBar(
            value=value,
            css=css,
            y=_round(y),
            width=_round(width),
            height=BAR_THICKNESS,
            text_y=_round(y + BAR_THICKNESS / 2 + 4.5),
            value_x=_round(left + width + 4),
        )

    groups = []
    for position, row in enumerate(rows):
        top = TOP + position * GROUP_HEIGHT
        grade = row.grade
        groups.append(
            ChartGroup(
                facility=row.facility,
                name_y=_round(top + NAME_BASELINE),
                ikm=bar(row.ikm, f"grade-{grade.letter.lower()}" if grade else "", top + IKM_BAR_TOP),
                promise=bar(row.promise_kept, "promise", top + PROMISE_BAR_TOP),
            )
        )
    bottom = TOP + len(groups) * GROUP_HEIGHT
    return ComparisonChart(
        width=CHART_WIDTH,
        height=int(bottom + AXIS_ROOM),
        left=left,
        right=right,
        top=TOP,
        bottom=bottom,
        tick_y=bottom + 17,
        groups=tuple(groups),
        ticks=tuple(Tick(value, _round(x_of(value))) for value in TICKS),
    )
