"""Small drawing helpers shared by every chart: ticks, fitted text, axes."""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.pdfbase.pdfmetrics import stringWidth

from app.charts.theme import Palette, fonts

LABEL_SIZE = 10
SMALL_SIZE = 9


def text_width(text: str, size: float = LABEL_SIZE, bold: bool = False) -> float:
    """Width of ``text`` in points in the chart typeface."""
    face = fonts().bold if bold else fonts().regular
    return stringWidth(text, face, size)


def fit_text(text: str, max_width: float, size: float = LABEL_SIZE,
             bold: bool = False) -> str:
    """Shorten ``text`` with an ellipsis so it fits ``max_width`` points."""
    text = " ".join(str(text).split())
    if text_width(text, size, bold) <= max_width:
        return text
    low, high = 0, len(text)
    while low < high:  # binary search on the longest prefix that fits
        mid = (low + high + 1) // 2
        if text_width(text[:mid].rstrip() + "…", size, bold) <= max_width:
            low = mid
        else:
            high = mid - 1
    return text[:low].rstrip() + "…"


def wrap_text(text: str, max_width: float, size: float = LABEL_SIZE,
              max_lines: int = 2) -> list[str]:
    """Break ``text`` into at most ``max_lines`` lines that fit ``max_width``;
    the last line is shortened with an ellipsis if text remains."""
    if max_lines <= 1:
        return [fit_text(text, max_width, size)]
    words, lines, current = " ".join(str(text).split()).split(" "), [], ""
    for index, word in enumerate(words):
        candidate = f"{current} {word}".strip()
        if text_width(candidate, size) <= max_width or not current:
            current = candidate
            continue
        lines.append(current)
        current = word
        if len(lines) == max_lines - 1:
            current = " ".join(words[index:])
            break
    lines.append(current)
    return [fit_text(line, max_width, size) for line in lines if line]


def label(x: float, y: float, text: str, size: float = LABEL_SIZE,
          anchor: str = "start", bold: bool = False, color=None) -> String:
    """A chart text label in the shared typeface."""
    face = fonts().bold if bold else fonts().regular
    return String(x, y, text, fontName=face, fontSize=size,
                  fillColor=color or Palette.ink, textAnchor=anchor)


def nice_ticks(maximum: float, count: int = 5, least_step: float = 0.0) -> list[float]:
    """Round tick values from 0 covering ``maximum`` (at least one step, and steps of at
    least ``least_step``: 1 for whole pounds)."""
    if not math.isfinite(maximum) or maximum < 1e-9:  # nothing (or nothing visible) to show
        return [0.0, max(1.0, least_step)]
    raw = max(maximum / count, least_step)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    top = math.ceil(maximum / step - 1e-9) * step
    return [float(f"{i * step:.12g}") for i in range(int(round(top / step)) + 1)]


def money_tick(value: float) -> str:
    """An axis label in whole pounds, shortened with k and m: £0, £500, £25k, £1.5m."""
    pounds = round(value)
    if abs(pounds) >= 1_000_000:
        return f"£{pounds / 1_000_000:g}m"
    if abs(pounds) >= 10_000:
        return f"£{pounds / 1_000:g}k"
    return f"£{pounds:,}"


def money_ticks(maximum: float, length: float, size: float = SMALL_SIZE) -> list[float]:
    """Whole-pound ticks from 0 covering ``maximum`` whose labels fit ``length`` points
    side by side (fewer, wider steps until they do)."""
    for count in (6, 5, 4, 3, 2, 1):
        ticks = nice_ticks(maximum, count, least_step=1.0)
        room = length / max(len(ticks) - 1, 1)
        widest = max(text_width(money_tick(t), size) for t in ticks)
        if widest + 8 <= room:
            return ticks
    return ticks


def value_axis(drawing: Drawing, x0: float, x1: float, y_bottom: float,
               y_top: float, ticks: Sequence[float],
               tick_label: Callable[[float], str], title: str) -> None:
    """Vertical gridlines with tick labels below and an axis title."""
    top = ticks[-1] or 1.0
    for tick in ticks:
        x = x0 + (x1 - x0) * tick / top
        drawing.add(Line(x, y_bottom, x, y_top, strokeColor=Palette.grid,
                         strokeWidth=0.6))
        drawing.add(label(x, y_bottom - 12, tick_label(tick), SMALL_SIZE,
                          "middle", color=Palette.muted))
    drawing.add(Line(x0, y_bottom, x1, y_bottom, strokeColor=Palette.rule,
                     strokeWidth=0.8))
    drawing.add(label((x0 + x1) / 2, y_bottom - 26, title, SMALL_SIZE,
                      "middle", color=Palette.muted))
