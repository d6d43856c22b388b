"""Chart geometry for the dashboard: numbers in, shapes out, drawn as inline SVG by a template.

No chart library and no script: this module only computes where the bars, lines and labels
go; templates/dashboard_chart.html writes the SVG (autoescaped like every page) together with
a plain table of the same numbers for screen readers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

WIDTH = 640
PLOT_LEFT = 48  # room for the y-axis labels
PLOT_TOP = 12
PLOT_BOTTOM = 30  # room for the x-axis labels
ROW_HEIGHT = 28  # horizontal bars
LABEL_WIDTH = 200  # horizontal bars: the category names on the left
MAX_LABEL = 24


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: str  # the value as text, for the bar's tooltip and the end label


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    anchor: str = "middle"  # SVG text-anchor


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    label: str


@dataclass
class Chart:
    """One chart: its shapes, its accessible title and summary, and its table."""

    id: str
    title: str
    summary: str  # what a screen reader says about the picture (SVG <desc>)
    kind: str  # columns | bars | line
    headers: tuple[str, str]
    rows: list[tuple[str, str]]  # the table: label, value as text
    width: int = WIDTH
    height: int = 220
    bars: list[Bar] = field(default_factory=list)
    y_ticks: list[Text] = field(default_factory=list)
    x_labels: list[Text] = field(default_factory=list)
    grid: list[float] = field(default_factory=list)  # y of the horizontal grid lines
    line: str = ""  # polyline points "x,y x,y ..."
    dots: list[Dot] = field(default_factory=list)
    plot_left: float = PLOT_LEFT
    plot_right: float = WIDTH - 8
    plot_bottom: float = 0.0
    empty: bool = False


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 times a power of ten that is >= value (1 for 0)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return float(step * power)
    return float(10 * power)


def axis_top(value: float, *, whole_steps: bool) -> float:
    """The top of a 4-step y-axis at or above `value`; with whole steps for counts."""
    step = nice_ceiling(value / 4) if value > 0 else 0.25
    if whole_steps:
        step = 3.0 if step == 2.5 else max(1.0, step)
    return 4 * step


def short(label: str, limit: int = MAX_LABEL) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def whole(value: float) -> str:
    return f"{value:,.0f}"


def _y_axis(chart: Chart, top: float, *, fmt: Callable[[float], str]) -> Callable[[float], float]:
    """Ticks and grid lines from 0 to `top`; returns value -> y."""
    bottom = chart.height - PLOT_BOTTOM
    chart.plot_bottom = bottom
    span = bottom - PLOT_TOP

    def y_of(value: float) -> float:
        return round(bottom - span * (value / top), 1)

    for i in range(5):
        value = top * i / 4
        y = y_of(value)
        chart.y_ticks.append(Text(PLOT_LEFT - 6, y + 4, fmt(value)))
        chart.grid.append(y)
    return y_of


def _x_labels(chart: Chart, labels: Sequence[str], xs: Sequence[float]) -> None:
    """About six labels along the x-axis, always the first and the last."""
    if not labels:
        return
    every = max(1, math.ceil(len(labels) / 6))
    picked = list(range(0, len(labels), every))
    last = len(labels) - 1
    if picked[-1] != last:
        if last - picked[-1] < every / 2 and len(picked) > 1:
            picked[-1] = last  # too close to the last label: show the last instead
        else:
            picked.append(last)
    anchors = {picked[0]: "start", last: "end"} if len(picked) > 1 else {}
    chart.x_labels = [Text(round(xs[i], 1), chart.height - 8, labels[i], anchors.get(i, "middle"))
                      for i in picked]


def column_chart(
    chart_id: str,
    title: str,
    series: Sequence[tuple[str, float]],
    *,
    headers: tuple[str, str],
    axis_label: Callable[[str], str] = lambda s: s,
    fmt: Callable[[float], str] = whole,
    summary: str,
) -> Chart:
    """Vertical columns, one per item of `series` (e.g. one per day)."""
    chart = Chart(chart_id, title, summary, "columns", headers,
                  [(label, fmt(value)) for label, value in series])
    top = axis_top(max((v for _, v in series), default=0), whole_steps=fmt is whole)
    y_of = _y_axis(chart, top, fmt=fmt)
    chart.empty = not any(v for _, v in series)
    if not series:
        return chart
    slot = (chart.plot_right - chart.plot_left) / len(series)
    width = max(1.0, slot * 0.7)
    xs = []
    for i, (label, value) in enumerate(series):
        x = chart.plot_left + i * slot + (slot - width) / 2
        y = y_of(value)
        chart.bars.append(Bar(round(x, 1), y, round(width, 1), round(chart.plot_bottom - y, 1),
                              label, fmt(value)))
        xs.append(x + width / 2)
    _x_labels(chart, [axis_label(label) for label, _ in series], xs)
    return chart


def line_chart(
    chart_id: str,
    title: str,
    series: Sequence[tuple[str, float | None]],
    *,
    headers: tuple[str, str],
    top: float,
    axis_label: Callable[[str], str] = lambda s: s,
    fmt: Callable[[float], str] = whole,
    summary: str,
) -> Chart:
    """A line over the days that have a value (None: no data that day, no dot)."""
    chart = Chart(chart_id, title, summary, "line", headers,
                  [(label, "no data" if v is None else fmt(v)) for label, v in series])
    y_of = _y_axis(chart, top, fmt=fmt)
    chart.empty = all(v is None for _, v in series)
    if not series:
        return chart
    slot = (chart.plot_right - chart.plot_left) / len(series)
    xs = [chart.plot_left + slot * (i + 0.5) for i in range(len(series))]
    points = []
    for x, (label, value) in zip(xs, series, strict=True):
        if value is None:
            continue
        dot = Dot(round(x, 1), y_of(min(value, top)), f"{label}: {fmt(value)}")
        chart.dots.append(dot)
        points.append(f"{dot.x},{dot.y}")
    chart.line = " ".join(points)
    _x_labels(chart, [axis_label(label) for label, _ in series], xs)
    return chart


def bar_chart(
    chart_id: str,
    title: str,
    items: Sequence[tuple[str, float]],
    *,
    headers: tuple[str, str],
    fmt: Callable[[float], str] = whole,
    summary: str,
) -> Chart:
    """Horizontal bars, one row per category, the biggest as long as the plot is wide."""
    chart = Chart(chart_id, title, summary, "bars", headers,
                  [(label, fmt(value)) for label, value in items])
    chart.height = max(1, len(items)) * ROW_HEIGHT + 8
    chart.plot_left = LABEL_WIDTH
    chart.plot_right = WIDTH - 64  # room for the value after the bar
    chart.plot_bottom = chart.height
    chart.empty = not any(v for _, v in items)
    top = max((v for _, v in items), default=0) or 1
    span = chart.plot_right - chart.plot_left
    for i, (label, value) in enumerate(items):
        y = 4 + i * ROW_HEIGHT
        length = round(span * value / top, 1)
        chart.bars.append(Bar(chart.plot_left, y + 3, max(length, 1.0 if value else 0.0),
                              ROW_HEIGHT - 8, short(label), fmt(value)))
    return chart
