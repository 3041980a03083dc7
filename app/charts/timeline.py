"""The Gantt-style timeline: stages across the bid's months, co-production
activities and lead times. Pure drawing from the estimate's ``timeline``."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from reportlab.graphics.shapes import Drawing, Line, Rect
from reportlab.lib import colors

from app.charts.labels import stage_label, stages
from app.charts.primitives import SMALL_SIZE, fit_text, label, text_width
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
    """Lead times first, then each stage's span followed by its activities
    (a stage without activities still shows its span, so gaps are visible).

    Activities with the same label in the same stage share one row.
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
        by_label: dict[str, GanttRow] = {}
        for entry in activities:
            name = str(entry.get("label") or entry.get("role") or "Activity")
            row = by_label.setdefault(name, GanttRow(name, "activity", stage))
            row.spans.append((float(entry["start_week"]), float(entry["end_week"])))
        rows.extend(by_label.values())
    return rows


def _month_step(months: int) -> int:
    """Label every month on short bids, fewer on long ones."""
    return next(step for limit, step in ((12, 1), (24, 2), (36, 3), (72, 6), (10**9, 12))
                if months <= limit)


def _stage_colour(stage: str | None) -> colors.Color:
    order = stages()
    index = order.index(stage) if stage in order else 0
    return Palette.stages[index % len(Palette.stages)]


def timeline_chart(estimate: Mapping, duration_months: int,
                   width: float = CHART_WIDTH) -> Drawing:
    """A Gantt chart of the estimate's timeline over ``duration_months``."""
    rows = gantt_rows(estimate)
    months = max(1, int(duration_months))
    row_height = 16.0 if len(rows) <= 30 else 12.0
    height = AXIS_HEIGHT + LEGEND_HEIGHT + row_height * max(len(rows), 1) + 6
    drawing = Drawing(width, height)
    x0, x1 = LABEL_WIDTH + 6, width - 6
    total_weeks = months * WEEKS_PER_MONTH
    top = height - AXIS_HEIGHT
    bottom = top - row_height * max(len(rows), 1)

    def x_of(week: float) -> float:
        return x0 + (x1 - x0) * min(max(week, 0.0), total_weeks) / total_weeks

    _month_axis(drawing, months, x0, x1, top, bottom)
    for index, row in enumerate(rows):
        y = top - row_height * (index + 1)
        _row(drawing, row, y, row_height, x_of)
    if not rows:
        drawing.add(label((x0 + x1) / 2, top - 12, "No co-production activities planned",
                          SMALL_SIZE, "middle", color=Palette.muted))
    _legend(drawing, bottom - LEGEND_HEIGHT + 6)
    return drawing


def _month_axis(drawing: Drawing, months: int, x0: float, x1: float,
                top: float, bottom: float) -> None:
    """Month columns with gridlines and numbers above the rows."""
    step = _month_step(months)
    column = (x1 - x0) / months
    for month in range(months + 1):
        x = x0 + column * month
        strong = month % step == 0
        drawing.add(Line(x, bottom, x, top + (3 if strong else 0),
                         strokeColor=Palette.rule if strong else Palette.grid, strokeWidth=0.5))
        if month < months and month % step == 0:
            drawing.add(label(x + column / 2, top + 5,
                              str(month + 1), SMALL_SIZE, "middle", color=Palette.muted))
    drawing.add(label(x0 - 6, top + 5, "Month", SMALL_SIZE, "end", bold=True,
                      color=Palette.muted))
    drawing.add(Line(x0, top, x1, top, strokeColor=Palette.rule, strokeWidth=0.8))
    drawing.add(Line(x0, bottom, x1, bottom, strokeColor=Palette.rule, strokeWidth=0.8))


def _row(drawing: Drawing, row: GanttRow, y: float, row_height: float, x_of) -> None:
    """The row's label on the left and its bars across the months."""
    is_stage = row.kind == "stage"
    indent = 0 if is_stage or row.kind == "lead_time" else 10
    name = fit_text(row.label, LABEL_WIDTH - indent - 4, SMALL_SIZE, bold=is_stage)
    drawing.add(label(indent, y + (row_height - SMALL_SIZE) / 2 + 1, name, SMALL_SIZE,
                      bold=is_stage, color=Palette.ink))
    bar_height = row_height * (0.45 if is_stage else 0.62)
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
