"""The fixed-cost curve: co-production cost as a share of bid value.

Pure drawing: the caller supplies (bid value, percent of bid) points that it
computed with the engine; this module never calls the engine.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine

from app.charts.primitives import SMALL_SIZE, label, money_tick, nice_ticks, text_width
from app.charts.theme import Palette

CHART_WIDTH = 480.0
CHART_HEIGHT = 230.0
LEFT, RIGHT, BOTTOM, TOP = 52.0, 16.0, 40.0, 26.0


def _decades(low: float, high: float) -> list[float]:
    """Powers of ten from the one at or below ``low`` to the one at or above ``high``."""
    first = math.floor(math.log10(low))
    last = max(math.ceil(math.log10(high)), first + 1)
    return [10.0 ** e for e in range(first, last + 1)]


def _percent(value: float) -> str:
    return f"{value:g}%"


def _clean(points: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """Finite points with a positive bid value, sorted by bid value."""
    kept = [(float(v), float(p)) for v, p in points
            if v and float(v) > 0 and math.isfinite(float(v)) and math.isfinite(float(p))]
    return sorted(kept)


def fixed_cost_curve_chart(points: Sequence[tuple[float, float]],
                           current: tuple[float, float] | None = None,
                           width: float = CHART_WIDTH,
                           height: float = CHART_HEIGHT) -> Drawing:
    """Percent of bid (y) against bid value on a log scale (x), current bid marked."""
    drawing = Drawing(width, height)
    data = _clean(points)
    marked = _clean([current]) if current else []
    everything = data + marked
    if not everything:
        drawing.add(label(width / 2, height / 2, "No data to chart", anchor="middle"))
        return drawing
    decades = _decades(min(v for v, _ in everything), max(v for v, _ in everything))
    y_ticks = nice_ticks(max(p for _, p in everything), 4)
    first_half = text_width(money_tick(decades[0]), SMALL_SIZE) / 2
    last_half = text_width(money_tick(decades[-1]), SMALL_SIZE) / 2
    x0 = max(LEFT, first_half + 2)
    x1, y0, y1 = width - max(RIGHT, last_half + 2), BOTTOM, height - TOP
    log_lo, log_hi = math.log10(decades[0]), math.log10(decades[-1])

    def sx(value: float) -> float:
        return x0 + (x1 - x0) * (math.log10(value) - log_lo) / (log_hi - log_lo)

    def sy(percent: float) -> float:
        return y0 + (y1 - y0) * percent / (y_ticks[-1] or 1.0)

    for tick in y_ticks:
        drawing.add(Line(x0, sy(tick), x1, sy(tick), strokeColor=Palette.grid, strokeWidth=0.6))
        drawing.add(label(x0 - 5, sy(tick) - 3, _percent(tick), SMALL_SIZE, "end", color=Palette.muted))
    for decade in decades:
        drawing.add(Line(sx(decade), y0, sx(decade), y0 - 3, strokeColor=Palette.rule))
        drawing.add(label(sx(decade), y0 - 13, money_tick(decade), SMALL_SIZE, "middle", color=Palette.muted))
    drawing.add(Line(x0, y0, x1, y0, strokeColor=Palette.rule, strokeWidth=0.8))
    drawing.add(label((x0 + x1) / 2, y0 - 28, "Bid value (GBP, log scale)", SMALL_SIZE, "middle",
                      color=Palette.muted))
    drawing.add(label(x0, y1 + 14, "Co-production cost, % of bid value", SMALL_SIZE,
                      color=Palette.muted))
    if len(data) > 1:
        drawing.add(PolyLine([c for v, p in data for c in (sx(v), sy(p))],
                             strokeColor=Palette.accent, strokeWidth=1.8))
    for value, percent in data:
        drawing.add(Circle(sx(value), sy(percent), 2.2, fillColor=Palette.accent, strokeColor=None))
    for value, percent in marked:
        drawing.add(Circle(sx(value), sy(percent), 4.5, fillColor=Palette.white,
                           strokeColor=Palette.warning, strokeWidth=2))
        anchor = "end" if sx(value) > x0 + (x1 - x0) * 0.7 else "start"
        offset = -9 if anchor == "end" else 9
        text_y = sy(percent) + 9 if sy(percent) + 20 < y1 else sy(percent) - 18
        drawing.add(label(sx(value) + offset, text_y,
                          f"This bid: {_percent(round(percent, 2))}", SMALL_SIZE, anchor,
                          bold=True, color=Palette.warning))
    return drawing
