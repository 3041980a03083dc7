"""Horizontal bar charts: co-production cost by category and by stage."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from reportlab.graphics.shapes import Drawing, Rect

from app.charts.labels import category_label, stage_label
from app.charts.primitives import (
    LABEL_SIZE,
    label,
    money_tick,
    money_ticks,
    text_width,
    value_axis,
    wrap_text,
)
from app.charts.theme import Palette
from app.costing import format_gbp

CHART_WIDTH = 480.0
ROW_HEIGHT = 22.0
BAR_HEIGHT = 13.0
AXIS_SPACE = 34.0
LINE_GAP = 11.0


def _money(value: float) -> str:
    return format_gbp(value)


def horizontal_bars(items: Sequence[tuple[str, float]], axis_title: str,
                    width: float = CHART_WIDTH,
                    colours: Sequence | None = None) -> Drawing:
    """Labelled horizontal bars with values at their ends and a £ axis."""
    values = [max(0.0, float(v)) for _, v in items]
    label_w = min(max((text_width(n) for n, _ in items), default=0) + 10,
                  width * 0.36)
    names = [wrap_text(name, label_w - 10) for name, _ in items]
    row_h = ROW_HEIGHT + (6 if any(len(lines) > 1 for lines in names) else 0)
    value_w = max((text_width(_money(v)) for v in values), default=0) + 8
    x0, x1 = label_w, width - value_w
    height = AXIS_SPACE + row_h * len(items) + 6
    drawing = Drawing(width, height)
    ticks = money_ticks(max(values, default=0), x1 - x0)
    y_top = height - 4
    value_axis(drawing, x0, x1, AXIS_SPACE, y_top, ticks, money_tick, axis_title)
    scale = (x1 - x0) / (ticks[-1] or 1.0)
    for row, (lines, value) in enumerate(zip(names, values, strict=True)):
        y = height - 6 - row_h * (row + 1) + (row_h - BAR_HEIGHT) / 2
        text_y = y + (BAR_HEIGHT - LABEL_SIZE) / 2 + 2
        first_y = text_y + (len(lines) - 1) * LINE_GAP / 2
        for number, line in enumerate(lines):
            drawing.add(label(x0 - 6, first_y - number * LINE_GAP, line, anchor="end"))
        fill = colours[row % len(colours)] if colours else Palette.accent
        bar_w = value * scale
        if bar_w > 0:
            drawing.add(Rect(x0, y, bar_w, BAR_HEIGHT, fillColor=fill,
                             strokeColor=None))
        drawing.add(label(x0 + bar_w + 4, text_y, _money(value)))
    return drawing


def cost_by_category_chart(estimate: Mapping, width: float = CHART_WIDTH) -> Drawing:
    """Bars of the estimate's ``by_category`` money, in the engine's order."""
    items = [(category_label(key), float(value))
             for key, value in estimate["by_category"].items()]
    return horizontal_bars(items, "Cost (GBP)", width)


def cost_by_stage_chart(estimate: Mapping, width: float = CHART_WIDTH) -> Drawing:
    """Bars of the estimate's ``by_stage`` money, in stage order."""
    items = [(stage_label(key), float(value))
             for key, value in estimate["by_stage"].items()]
    return horizontal_bars(items, "Cost (GBP)", width, colours=Palette.stages)
