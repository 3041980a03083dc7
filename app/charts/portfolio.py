"""Portfolio charts: levels by quarter, income won against target, share against value.

Pure drawing from plain numbers (the caller aggregates in the database); each
chart has a table function built from the same numbers. Money arrives in
pounds (float or Decimal) and is written with :func:`format_gbp`.
"""
from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
from reportlab.graphics.shapes import _LINETO as _LINE_TO
from reportlab.graphics.shapes import _MOVETO as _MOVE_TO
from reportlab.graphics.shapes import Circle, Drawing, Line, Path, PolyLine, Rect
from reportlab.lib.colors import Color

from app.charts.labels import level_label
from app.charts.primitives import SMALL_SIZE, fit_text, label, nice_ticks, text_width
from app.charts.tables import ChartTable
from app.charts.theme import Palette
from app.costing import format_gbp

CHART_WIDTH = 480.0
CHART_HEIGHT = 250.0
BOTTOM, TOP, RIGHT = 44.0, 34.0, 12.0
LEVEL_SERIES: tuple[str | None, ...] = ("none", "limited", "good", "full", None)
LEVEL_COLOURS = {"none": Palette.lead_time, "limited": Palette.stages[3],
                 "good": Palette.accent, "full": Palette.header_fill,
                 None: Palette.warning_fill}
NOT_CHOSEN_LABEL = "No level chosen"
MARKER_RADIUS = 1.9
MARKER_OPACITY = 0.6
MARKERS_PER_PATH = 300  # renderSVG slows down on one very long path; a few shorter ones are fast


def series_label(level: str | None) -> str:
    """'good' -> 'Good'; None -> 'No level chosen' (no plan, or no level yet)."""
    return level_label(level) if level else NOT_CHOSEN_LABEL


def _y_axis(drawing: Drawing, x0: float, x1: float, y0: float, y1: float,
            ticks: Sequence[float], tick_label) -> None:
    """Horizontal gridlines with tick labels on the left."""
    top = ticks[-1] or 1.0
    for tick in ticks:
        y = y0 + (y1 - y0) * tick / top
        drawing.add(Line(x0, y, x1, y, strokeColor=Palette.grid, strokeWidth=0.6))
        drawing.add(label(x0 - 5, y - 3, tick_label(tick), SMALL_SIZE, "end",
                          color=Palette.muted))
    drawing.add(Line(x0, y0, x1, y0, strokeColor=Palette.rule, strokeWidth=0.8))


def _legend(drawing: Drawing, x: float, y: float,
            items: Sequence[tuple[str, object, str]]) -> None:
    """A row of legend keys: (text, colour, 'box' | 'dot' | 'line' | 'dash')."""
    for text, colour, kind in items:
        if kind == "box":
            drawing.add(Rect(x, y - 1, 9, 9, fillColor=colour, strokeColor=Palette.rule,
                             strokeWidth=0.5))
        elif kind == "dot":
            drawing.add(Circle(x + 4.5, y + 3.5, MARKER_RADIUS + 0.4, fillColor=colour,
                               strokeColor=None))
        else:
            drawing.add(Line(x, y + 3.5, x + 14, y + 3.5, strokeColor=colour, strokeWidth=2,
                             strokeDashArray=[4, 3] if kind == "dash" else None))
        offset = 13 if kind in ("box", "dot") else 18
        drawing.add(label(x + offset, y, text, SMALL_SIZE))
        x += offset + text_width(text, SMALL_SIZE) + 12


def _count_label(value: float) -> str:
    return f"{value:g}"


def levels_by_quarter_chart(quarter_names: Sequence[str],
                            counts: Sequence[Mapping[str | None, int]],
                            width: float = CHART_WIDTH, height: float = CHART_HEIGHT
                            ) -> Drawing:
    """Stacked columns: bids in each quarter by the level of their counted version."""
    drawing = Drawing(width, height)
    totals = [sum(quarter.get(level, 0) for level in LEVEL_SERIES) for quarter in counts]
    ticks = nice_ticks(max(totals, default=0), 4)
    ticks = [tick for tick in ticks if tick == int(tick)] or [0.0, 1.0]
    x0 = 10 + max(text_width(_count_label(t), SMALL_SIZE) for t in ticks)
    x1, y0, y1 = width - RIGHT, BOTTOM, height - TOP
    _y_axis(drawing, x0, x1, y0, y1, ticks, _count_label)
    scale = (y1 - y0) / (ticks[-1] or 1.0)
    slot = (x1 - x0) / max(len(counts), 1)
    bar_w = min(slot * 0.55, 70)
    for index, (name, quarter, total) in enumerate(zip(quarter_names, counts, totals, strict=True)):
        left = x0 + slot * index + (slot - bar_w) / 2
        y = y0
        for level in LEVEL_SERIES:
            count = quarter.get(level, 0)
            if not count:
                continue
            bar_h = count * scale
            drawing.add(Rect(left, y, bar_w, bar_h, fillColor=LEVEL_COLOURS[level],
                             strokeColor=Palette.white if level else Palette.warning,
                             strokeWidth=0.6))
            if bar_h >= 12:
                ink = Palette.ink if level in (None, "none") else Palette.white
                drawing.add(label(left + bar_w / 2, y + bar_h / 2 - 3, str(count), SMALL_SIZE,
                                  "middle", color=ink))
            y += bar_h
        drawing.add(label(left + bar_w / 2, y + 3, f"{total}", SMALL_SIZE, "middle", bold=True))
        drawing.add(label(left + bar_w / 2, y0 - 13, fit_text(name, slot - 4, SMALL_SIZE),
                          SMALL_SIZE, "middle", color=Palette.muted))
    drawing.add(label(x0, y0 - 30, "Bids by the level of the version that counts",
                      SMALL_SIZE, color=Palette.muted))
    _legend(drawing, x0, height - 14,
            [(series_label(level), LEVEL_COLOURS[level], "box") for level in LEVEL_SERIES])
    return drawing


def levels_by_quarter_table(quarter_names: Sequence[str],
                            counts: Sequence[Mapping[str | None, int]]) -> ChartTable:
    """The numbers behind :func:`levels_by_quarter_chart`, with totals."""
    rows = tuple((name, *(str(quarter.get(level, 0)) for level in LEVEL_SERIES),
                  str(sum(quarter.get(level, 0) for level in LEVEL_SERIES)))
                 for name, quarter in zip(quarter_names, counts, strict=True))
    totals = tuple(str(sum(quarter.get(level, 0) for quarter in counts))
                   for level in LEVEL_SERIES)
    grand = str(sum(int(value) for value in totals))
    return ChartTable("Bids by level and quarter",
                      ("Quarter", *(series_label(level) for level in LEVEL_SERIES), "Total"),
                      rows, numeric=tuple(range(1, len(LEVEL_SERIES) + 2)),
                      totals=(("Year", *totals, grand),))


def income_against_target_chart(month_names: Sequence[str], won_gbp: Sequence[float],
                                target_gbp: float, width: float = CHART_WIDTH,
                                height: float = CHART_HEIGHT) -> Drawing:
    """Co-production money in won bids, cumulative by month, against a pro-rata target line."""
    drawing = Drawing(width, height)
    cumulative = _running_total(won_gbp)
    ticks = nice_ticks(max([float(target_gbp), *cumulative, 0.0]), 4)
    x0 = 10 + max(text_width(format_gbp(t), SMALL_SIZE) for t in ticks)
    x1, y0, y1 = width - RIGHT - 8, BOTTOM, height - TOP
    months = max(len(month_names), 1)
    _y_axis(drawing, x0, x1, y0, y1, ticks, format_gbp)

    def sx(month_end: float) -> float:
        return x0 + (x1 - x0) * month_end / months

    def sy(amount: float) -> float:
        return y0 + (y1 - y0) * amount / (ticks[-1] or 1.0)

    for index, name in enumerate(month_names):
        drawing.add(Line(sx(index + 1), y0, sx(index + 1), y0 - 3, strokeColor=Palette.rule))
        drawing.add(label((sx(index) + sx(index + 1)) / 2, y0 - 13, name[:3], SMALL_SIZE,
                          "middle", color=Palette.muted))
    drawing.add(label(x0, y0 - 30, "Month of the financial year (by bid deadline)",
                      SMALL_SIZE, color=Palette.muted))
    if target_gbp > 0:
        drawing.add(Line(sx(0), sy(0), sx(months), sy(float(target_gbp)),
                         strokeColor=Palette.warning, strokeWidth=1.5, strokeDashArray=[5, 3]))
    points = [sx(0), sy(0)]
    for index, amount in enumerate(cumulative):
        points += [sx(index + 1), sy(amount)]
    drawing.add(PolyLine(points, strokeColor=Palette.accent, strokeWidth=2))
    for index, amount in enumerate(cumulative):
        drawing.add(Circle(sx(index + 1), sy(amount), 2.4, fillColor=Palette.accent,
                           strokeColor=None))
    _legend(drawing, x0, height - 14,
            [("Won, cumulative", Palette.accent, "line"),
             (f"Target {format_gbp(target_gbp)} a year, pro rata", Palette.warning, "dash")])
    return drawing


def _running_total(amounts: Sequence[float]) -> list[float]:
    total, running = 0.0, []
    for amount in amounts:
        total += float(amount)
        running.append(total)
    return running


def income_against_target_table(month_names: Sequence[str], won_gbp: Sequence[float],
                                won_bids: Sequence[int], target_gbp: float) -> ChartTable:
    """The numbers behind :func:`income_against_target_chart`."""
    months = max(len(month_names), 1)
    cumulative = _running_total(won_gbp)
    rows = tuple((name, str(bids), format_gbp(amount), format_gbp(total),
                  format_gbp(float(target_gbp) * (index + 1) / months))
                 for index, (name, bids, amount, total)
                 in enumerate(zip(month_names, won_bids, won_gbp, cumulative, strict=True)))
    return ChartTable("Co-production money in won bids by month, against the target",
                      ("Month", "Bids won", "Won in the month", "Won to date",
                       "Target to date (pro rata)"), rows, numeric=(1, 2, 3, 4),
                      totals=(("Year", str(sum(won_bids)), format_gbp(sum(won_gbp)),
                               format_gbp(cumulative[-1] if cumulative else 0),
                               format_gbp(target_gbp)),))


def _decades(low: float, high: float) -> list[float]:
    first = math.floor(math.log10(low))
    last = max(math.ceil(math.log10(high)), first + 1)
    return [10.0 ** exponent for exponent in range(first, last + 1)]


def share_scatter_chart(points: Sequence[tuple[float, float]], threshold_percent: float,
                        width: float = CHART_WIDTH, height: float = CHART_HEIGHT) -> Drawing:
    """Every bid: co-production cost as % of bid value (y) against bid value (x, log scale).

    The scale fits 95% of the bids and the threshold line; the few above it sit
    on the top edge, with a note saying how many. Dots closer than half a point
    are drawn once (the table and the CSV keep every bid). Positions are
    computed with numpy: a year can hold thousands of bids.
    """
    drawing = Drawing(width, height)
    data = np.array(points, dtype=float).reshape(-1, 2)
    data = data[np.isfinite(data).all(axis=1) & (data[:, 0] > 0)]
    if not len(data):
        drawing.add(label(width / 2, height / 2, "No costed bids to chart", anchor="middle"))
        return drawing
    values, shares = data[:, 0], data[:, 1]
    decades = _decades(float(values.min()), float(values.max()))
    # The scale fits 95% of the bids (and the threshold); a few outliers would squash it.
    top = max(float(np.quantile(shares, 0.95, method="lower")), float(threshold_percent) * 1.5)
    ticks = nice_ticks(min(top, float(shares.max()), 100.0) or 1.0, 4)
    above = int((shares > ticks[-1]).sum())
    x0 = max(10 + max(text_width(f"{t:g}%", SMALL_SIZE) for t in ticks),
             text_width(format_gbp(decades[0]), SMALL_SIZE) / 2 + 2)
    x1 = width - max(RIGHT, text_width(format_gbp(decades[-1]), SMALL_SIZE) / 2 + 2)
    y0, y1 = BOTTOM, height - TOP
    log_low, log_high = math.log10(decades[0]), math.log10(decades[-1])
    _y_axis(drawing, x0, x1, y0, y1, ticks, lambda t: f"{t:g}%")

    def sx(value):
        return x0 + (x1 - x0) * (np.log10(value) - log_low) / (log_high - log_low)

    def sy(percent):
        return y0 + (y1 - y0) * np.minimum(percent, ticks[-1]) / (ticks[-1] or 1.0)

    for decade in decades:
        drawing.add(Line(sx(decade), y0, sx(decade), y0 - 3, strokeColor=Palette.rule))
        drawing.add(label(sx(decade), y0 - 13, format_gbp(decade), SMALL_SIZE, "middle",
                          color=Palette.muted))
    drawing.add(label((x0 + x1) / 2, y0 - 30, "Bid value (GBP, log scale)", SMALL_SIZE,
                      "middle", color=Palette.muted))
    if threshold_percent <= ticks[-1]:
        drawing.add(Line(x0, sy(threshold_percent), x1, sy(threshold_percent),
                         strokeColor=Palette.warning, strokeWidth=1.2, strokeDashArray=[5, 3]))
    centres = np.unique(np.round(np.column_stack((sx(values), sy(shares))) * 2) / 2, axis=0)
    for path in _marker_paths(centres):
        drawing.add(path)
    if above:
        drawing.add(label(x1, y1 + 4, f"{above} bid{'s' * (above != 1)} above "
                          f"{ticks[-1]:g}% drawn on the top edge", SMALL_SIZE, "end",
                          color=Palette.muted))
    _legend(drawing, x0, height - 14,
            [(f"A bid ({len(data)} in all)", Palette.accent, "dot"),
             (f"{threshold_percent:g}% of bid value: disproportionate above", Palette.warning,
              "dash")])
    return drawing


def _marker_paths(centres: np.ndarray) -> list[Path]:
    """Dots drawn as tiny round-capped strokes, several hundred to a path: one SVG element
    per path rather than per bid, and two path operations per dot."""
    colour = Color(Palette.accent.red, Palette.accent.green, Palette.accent.blue,
                   alpha=MARKER_OPACITY)
    paths = []
    for start in range(0, len(centres), MARKERS_PER_PATH):
        chunk = centres[start:start + MARKERS_PER_PATH]
        path = Path(strokeColor=colour, strokeWidth=2 * MARKER_RADIUS, strokeLineCap=1,
                    fillColor=None)
        # Extend the lists in place: assigning them would re-validate every number.
        x, y = chunk[:, 0], chunk[:, 1]
        path.points.extend(np.column_stack((x, y, x + 0.01, y)).ravel().tolist())
        path.operators.extend([_MOVE_TO, _LINE_TO] * len(chunk))
        paths.append(path)
    return paths


#: Bid value bands (GBP, lower bounds) for the table beside the share scatter.
VALUE_BANDS_GBP: tuple[float, ...] = (0, 25_000, 50_000, 100_000, 250_000, 500_000,
                                      1_000_000, 2_500_000)


def share_by_value_table(points: Sequence[tuple[float, float, float]]) -> ChartTable:
    """The scatter's points in numbers, by bid value band: bids, average cost, and the
    average, lowest and highest share. ``points`` are (bid value, cost, share %)."""
    data = np.array(points, dtype=float).reshape(-1, 3)
    bands = np.maximum(np.searchsorted(VALUE_BANDS_GBP, data[:, 0], side="right") - 1, 0)
    rows = []
    for band in np.unique(bands):
        members = data[bands == band]
        shares = members[:, 2]
        high = VALUE_BANDS_GBP[band + 1] if band + 1 < len(VALUE_BANDS_GBP) else None
        rows.append((_band_name(VALUE_BANDS_GBP[band], high), str(len(members)),
                     format_gbp(float(members[:, 1].mean())), f"{shares.mean():.2f}%",
                     f"{shares.min():.2f}%", f"{shares.max():.2f}%"))
    return ChartTable("Co-production cost as a share of bid value, by bid value",
                      ("Bid value", "Bids", "Average cost", "Average share", "Lowest share",
                       "Highest share"), tuple(rows), numeric=(1, 2, 3, 4, 5))


def _band_name(low: float, high: float | None) -> str:
    if high is None:
        return f"{format_gbp(low)} or more"
    if not low:
        return f"Under {format_gbp(high)}"
    return f"{format_gbp(low)} to under {format_gbp(high)}"
