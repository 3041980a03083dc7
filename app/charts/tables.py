"""Each chart's numbers as a table, for the web page and the PDF alike.

A chart is never the only way to read its figures: every chart function has
a table function here built from the same data.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from app.charts.labels import category_label, stage_label
from app.charts.timeline import gantt_rows
from app.costing import format_gbp
from app.costing.money import share_of, to_decimal
from app.formatting import percent


@dataclass(frozen=True)
class ChartTable:
    """Rows of display strings; ``numeric`` lists columns to right-align."""

    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[int, ...] = ()
    totals: tuple[tuple[str, ...], ...] = field(default=())


def _share(part: float, whole: float) -> str:
    """``part`` as a percentage of ``whole``, one decimal place."""
    if not whole:
        return "0.0%"
    return percent(share_of(to_decimal(part), to_decimal(whole)))


def _money_table(caption: str, heading: str, amounts: Mapping[str, float],
                 label, total: float) -> ChartTable:
    """Label, amount and share of the total for each key, with a total row."""
    rows = tuple((label(key), format_gbp(value), _share(value, total))
                 for key, value in amounts.items())
    return ChartTable(caption, (heading, "Amount", "Share"), rows, numeric=(1, 2),
                      totals=(("Total", format_gbp(total), "100.0%" if total else "0.0%"),))


def cost_by_category_table(estimate: Mapping) -> ChartTable:
    """The numbers behind :func:`cost_by_category_chart`."""
    return _money_table("Co-production cost by category", "Category",
                        estimate["by_category"], category_label, estimate["total_gbp"])


def cost_by_stage_table(estimate: Mapping) -> ChartTable:
    """The numbers behind :func:`cost_by_stage_chart`."""
    return _money_table("Co-production cost by stage", "Stage",
                        estimate["by_stage"], stage_label, estimate["total_gbp"])


def fixed_cost_curve_table(points: Sequence[tuple[float, float]]) -> ChartTable:
    """The numbers behind :func:`fixed_cost_curve_chart`."""
    rows = tuple((format_gbp(value), percent(share, 2)) for value, share in sorted(points))
    return ChartTable("Co-production cost as a share of bid value",
                      ("Bid value", "Co-production cost as % of bid"), rows, numeric=(0, 1))


def _weeks(spans: Sequence[tuple[float, float]]) -> str:
    """'Weeks 2 to 10; 14 to 18' from (start, end) week pairs."""
    parts = [f"{start:g} to {end:g}" for start, end in sorted(spans)]
    return "Weeks " + "; ".join(parts) if parts else ""


def timeline_table(estimate: Mapping) -> ChartTable:
    """The numbers behind :func:`timeline_chart`: each row's weeks."""
    kinds = {"lead_time": "Lead time", "stage": "Stage span", "activity": "Activity"}
    rows = tuple((row.label, kinds[row.kind],
                  stage_label(row.stage) if row.stage else "", _weeks(row.spans))
                 for row in gantt_rows(estimate))
    return ChartTable("Timeline of co-production activities and lead times",
                      ("Row", "Kind", "Stage", "When (weeks from the bid start)"), rows)
