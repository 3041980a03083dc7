"""The network's KPIs as a chart with its table: shares of the membership, this year and
last, against their targets (participation 50%, each meeting's attendance one third)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics.shapes import Drawing, Line, Rect

from app.charts.primitives import SMALL_SIZE, label, text_width, wrap_text
from app.charts.tables import ChartTable
from app.charts.theme import Palette
from app.formatting import percent

CHART_WIDTH, CHART_HEIGHT = 480.0, 250.0
BOTTOM, TOP, RIGHT = 44.0, 34.0, 12.0


@dataclass(frozen=True)
class ShareBar:
    """One group of the chart: a measure as a share of the network, both years."""

    name: str
    this_year: float | None  # percent
    last_year: float | None
    target: float | None = None  # percent, drawn as a dashed line over the group


def shares_chart(bars: Sequence[ShareBar], year_names: tuple[str, str],
                 width: float = CHART_WIDTH, height: float = CHART_HEIGHT) -> Drawing:
    """Paired columns (last year light, this year dark) from 0 to 100%, targets dashed."""
    drawing = Drawing(width, height)
    x0 = 10 + text_width("100%", SMALL_SIZE)
    x1, y0, y1 = width - RIGHT, BOTTOM, height - TOP
    for tick in (0, 25, 50, 75, 100):
        y = y0 + (y1 - y0) * tick / 100
        drawing.add(Line(x0, y, x1, y, strokeColor=Palette.grid if tick else Palette.rule,
                         strokeWidth=0.6))
        drawing.add(label(x0 - 5, y - 3, f"{tick}%", SMALL_SIZE, "end", color=Palette.muted))
    slot = (x1 - x0) / max(len(bars), 1)
    bar_w = min(max(slot * 0.3, 20), 40)  # room for "100%" above each bar of a narrow chart
    for index, bar in enumerate(bars):
        left = x0 + slot * index + slot / 2 - bar_w
        for offset, value, colour in ((0, bar.last_year, Palette.accent_light),
                                      (bar_w, bar.this_year, Palette.accent)):
            height_of = (y1 - y0) * min(value or 0, 100) / 100
            drawing.add(Rect(left + offset, y0, bar_w, height_of, fillColor=colour,
                             strokeColor=Palette.accent, strokeWidth=0.5))
            drawing.add(label(left + offset + bar_w / 2, y0 + height_of + 3,
                              "–" if value is None else f"{value:.0f}%", SMALL_SIZE, "middle"))
        if bar.target is not None:
            y = y0 + (y1 - y0) * bar.target / 100
            drawing.add(Line(left - 6, y, left + 2 * bar_w + 6, y, strokeColor=Palette.warning,
                             strokeWidth=1.5, strokeDashArray=[4, 3]))
        for line, text in enumerate(wrap_text(bar.name, slot - 2, SMALL_SIZE)):
            drawing.add(label(left + bar_w, y0 - 13 - line * (SMALL_SIZE + 2), text,
                              SMALL_SIZE, "middle", color=Palette.muted))
    x = x0
    for text, colour in ((year_names[1], Palette.accent_light), (year_names[0], Palette.accent)):
        drawing.add(Rect(x, height - 15, 9, 9, fillColor=colour, strokeColor=Palette.accent,
                         strokeWidth=0.5))
        drawing.add(label(x + 13, height - 14, text, SMALL_SIZE))
        x += 25 + text_width(text, SMALL_SIZE)
    drawing.add(Line(x, height - 10.5, x + 14, height - 10.5, strokeColor=Palette.warning,
                     strokeWidth=1.5, strokeDashArray=[4, 3]))
    drawing.add(label(x + 18, height - 14, "Target", SMALL_SIZE))
    return drawing


def shares_table(bars: Sequence[ShareBar], year_names: tuple[str, str],
                 counts: Sequence[tuple[str, str]]) -> ChartTable:
    """The numbers behind :func:`shares_chart`; ``counts`` give each row's "n of N"."""
    rows = tuple((bar.name, f"{percent(bar.this_year)} ({this})", f"{percent(bar.last_year)} "
                  f"({last})", percent(bar.target))
                 for bar, (this, last) in zip(bars, counts, strict=True))
    return ChartTable("The network's KPIs as shares of its members",
                      ("Measure", year_names[0], year_names[1], "Target"), rows,
                      numeric=(1, 2, 3))
