"""The Gantt-style timeline: stages across the bid's months, co-production
activities and lead times. Pure drawing from the estimate's ``timeline``."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from reportlab.graphics.shapes import Drawing, Line, Rect
from reportlab.lib import colors

from app.charts.labels import stage_label, stages
from app.charts.primitives import SMALL_SIZE, label, text_width, wrap_text
from app.charts.theme import Palette

CHART_WIDTH = 480.0
LABEL_WIDTH = 150.0
AXIS_HEIGHT = 30.0
LEGEND_HEIGHT = 24.0
WEEKS_PER_MONTH = 52.0 / 12.0


@dataclass
class GanttRow:
    """One row of the chart: a label and the (start, end) weeks of its bars."""

    label: str
    kind: str                      # "lead_time", "stage" or "activity"
    stage: str | None = None
    spans: list[tuple[float, float]] = field(default_factory=list)


def _kind(entry: Mapping) -> str:
    """Normalise the engine's row kind to lead_time / stage / activity."""
    kind = str(entry.get("kind", "activity")).lower()
    if "lead" in kind:
        return "lead_time"
    return "stage" if "stage" in kind else "activity"


def gantt_rows(estimate: Mapping) -> list[GanttRow]:
    """Lead times first, then each stage's span followed by its activity lines
    (a stage without activities still shows its span, so gaps are visible).

    Every activity line has a row of its own, named after its role and its line
    number in the plan, and spanning the weeks the engine gives it, even where
    those run outside its stage.
    """
    entries = list(estimate.get("timeline") or [])
    order = stages() or sorted({e.get("stage") for e in entries if e.get("stage")})
    rows = [GanttRow(str(e.get("label") or "Lead time"), "lead_time", e.get("stage"),
                     [(float(e["start_week"]), float(e["end_week"]))])
            for e in entries if _kind(e) == "lead_time"]
    for stage in order:
        in_stage = [e for e in entries if e.get("stage") == stage and _kind(e) != "lead_time"]
        activities = [e for e in in_stage if _kind(e) == "activity"]
        spans = [(float(e["start_week"]), float(e["end_week"])) for e in in_stage
                 if _kind(e) == "stage"]
        if not spans and activities:  # no span from the engine: cover the activities
            spans = [(min(float(e["start_week"]) for e in activities),
                      max(float(e["end_week"]) for e in activities))]
        if not spans:
            continue
        rows.append(GanttRow(stage_label(stage), "stage", stage, spans))
        for entry in activities:
            name = str(entry.get("label") or entry.get("role") or "Activity")
            if entry.get("activity_index") is not None:
                name += f" (line {int(entry['activity_index']) + 1})"
            rows.append(GanttRow(name, "activity", stage,
                                 [(float(entry["start_week"]), float(entry["end_week"]))]))
    return rows


#: Months between labels, smallest first; the axis takes the first whose labels fit.
MONTH_STEPS = (1, 2, 3, 4, 6, 12, 24)
ROW_HEIGHT = 14.0
WRAPPED_ROW_HEIGHT = 23.0


def month_step(months: int, column: float) -> int:
    """Label every month when the labels fit, else every 2, 3... months."""
    widest = text_width(str(months), SMALL_SIZE) + 6
    return next((step for step in MONTH_STEPS if step * column >= widest), MONTH_STEPS[-1])


def _stage_colour(stage: str | None) -> colors.Color:
    order = stages()
    index = order.index(stage) if stage in order else 0
    return Palette.stages[index % len(Palette.stages)]


def _label_lines(row: GanttRow) -> list[str]:
    indent = 0 if row.kind in ("stage", "lead_time") else 10
    return wrap_text(row.label, LABEL_WIDTH - indent - 4, SMALL_SIZE)


def _height(rows: Sequence[GanttRow]) -> float:
    return sum(WRAPPED_ROW_HEIGHT if len(_label_lines(r)) > 1 else ROW_HEIGHT for r in rows)


def chart_height(rows: Sequence[GanttRow]) -> float:
    """The height of a timeline chart of ``rows``."""
    return AXIS_HEIGHT + LEGEND_HEIGHT + max(_height(rows), ROW_HEIGHT) + 6


def timeline_chart(estimate: Mapping, duration_months: int,
                   width: float = CHART_WIDTH,
                   rows: Sequence[GanttRow] | None = None) -> Drawing:
    """A Gantt chart of the estimate's timeline over ``duration_months``: one row per
    stage, lead time and activity line (``rows``, a part of them, for a chart split
    over pages)."""
    rows = gantt_rows(estimate) if rows is None else list(rows)
    months = max(1, int(duration_months))
    height = chart_height(rows)
    drawing = Drawing(width, height)
    x0, x1 = LABEL_WIDTH + 6, width - 6
    total_weeks = months * WEEKS_PER_MONTH
    top = height - AXIS_HEIGHT
    bottom = top - max(_height(rows), ROW_HEIGHT)

    def x_of(week: float) -> float:
        return x0 + (x1 - x0) * min(max(week, 0.0), total_weeks) / total_weeks

    _month_axis(drawing, months, x0, x1, top, bottom)
    y = top
    for row in rows:
        lines = _label_lines(row)
        row_height = WRAPPED_ROW_HEIGHT if len(lines) > 1 else ROW_HEIGHT
        y -= row_height
        _row(drawing, row, lines, y, row_height, x_of)
    if not rows:
        drawing.add(label((x0 + x1) / 2, top - 11, "No co-production activities planned",
                          SMALL_SIZE, "middle", color=Palette.muted))
    _legend(drawing, bottom - LEGEND_HEIGHT + 6)
    return drawing


def split_rows(rows: Sequence[GanttRow], max_height: float) -> list[list[GanttRow]]:
    """``rows`` in parts whose charts are each at most ``max_height`` high."""
    parts: list[list[GanttRow]] = [[]]
    for row in rows:
        if parts[-1] and chart_height([*parts[-1], row]) > max_height:
            parts.append([])
        parts[-1].append(row)
    return parts


def _month_axis(drawing: Drawing, months: int, x0: float, x1: float,
                top: float, bottom: float) -> None:
    """Month columns with gridlines and numbers above the rows; labels as often as fit."""
    column = (x1 - x0) / months
    step = month_step(months, column)
    for month in range(months + 1):
        x = x0 + column * month
        strong = month % step == 0
        if not strong and column < 4:   # a line every month would be a grey wash
            continue
        drawing.add(Line(x, bottom, x, top + (3 if strong else 0),
                         strokeColor=Palette.rule if strong else Palette.grid, strokeWidth=0.5))
        if month < months and strong:
            drawing.add(label(x + column / 2, top + 5, str(month + 1),
                              SMALL_SIZE, "middle", color=Palette.muted))
    drawing.add(label(x0 - 6, top + 5, "Month", SMALL_SIZE, "end", bold=True,
                      color=Palette.muted))
    drawing.add(Line(x0, top, x1, top, strokeColor=Palette.rule, strokeWidth=0.8))
    drawing.add(Line(x0, bottom, x1, bottom, strokeColor=Palette.rule, strokeWidth=0.8))


def _row(drawing: Drawing, row: GanttRow, lines: list[str], y: float, row_height: float,
         x_of) -> None:
    """The row's label (wrapped) on the left and its bars across the months."""
    is_stage = row.kind == "stage"
    indent = 0 if is_stage or row.kind == "lead_time" else 10
    first = y + row_height / 2 - SMALL_SIZE / 2 + 1 + (len(lines) - 1) * 5
    for number, line in enumerate(lines):
        drawing.add(label(indent, first - number * 10, line, SMALL_SIZE, bold=is_stage,
                          color=Palette.ink))
    bar_height = min(row_height, ROW_HEIGHT) * (0.45 if is_stage else 0.62)
    bar_y = y + (row_height - bar_height) / 2
    for start, end in row.spans:
        left, right = x_of(start), x_of(end)
        if row.kind == "lead_time":
            fill, stroke = Palette.lead_time, None
        elif is_stage:
            fill, stroke = _tint(_stage_colour(row.stage)), _stage_colour(row.stage)
        else:
            fill, stroke = _stage_colour(row.stage), None
        drawing.add(Rect(left, bar_y, max(right - left, 2.0), bar_height, fillColor=fill,
                         strokeColor=stroke, strokeWidth=0.6))


def _tint(colour: colors.Color) -> colors.Color:
    """A pale version of ``colour`` for stage spans."""
    return colors.Color(*(c + (1 - c) * 0.78 for c in (colour.red, colour.green, colour.blue)))


def _legend(drawing: Drawing, y: float) -> None:
    """Explain the three kinds of bar."""
    items: Sequence[tuple[str, colors.Color, colors.Color | None]] = (
        ("Stage span", _tint(Palette.stages[0]), Palette.stages[0]),
        ("Activity (colour shows its stage)", Palette.stages[1], None),
        ("Lead time", Palette.lead_time, None),
    )
    x = 0.0
    for text, fill, stroke in items:
        drawing.add(Rect(x, y, 14, 8, fillColor=fill, strokeColor=stroke, strokeWidth=0.6))
        drawing.add(label(x + 18, y, text, SMALL_SIZE, color=Palette.muted))
        x += 18 + text_width(text, SMALL_SIZE) + 18
