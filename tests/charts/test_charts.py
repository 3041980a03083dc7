"""Charts: one Drawing per chart for PDF and web; accessible, escaped SVG; tables of the numbers."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.graphics.shapes import Drawing, String

from app.charts import (
    cost_by_category_chart,
    cost_by_category_table,
    cost_by_stage_chart,
    cost_by_stage_table,
    fixed_cost_curve_chart,
    fixed_cost_curve_table,
    timeline_chart,
    timeline_table,
    to_svg,
)
from app.charts.primitives import nice_ticks
from app.costing import CATEGORY_LABELS, estimate, format_gbp
from tests.reports import plans

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def full_estimate() -> dict:
    return estimate(plans.full_plan())


def _strings(drawing: Drawing) -> list[str]:
    found = []

    def walk(node):
        for child in getattr(node, "contents", []):
            if isinstance(child, String):
                found.append(child.text)
            walk(child)
    walk(drawing)
    return found


def _charts(est: dict) -> dict[str, Drawing]:
    points = [(v, est["total_gbp"] / v * 100) for v in (100_000, 250_000, 1_000_000)]
    return {"category": cost_by_category_chart(est), "stage": cost_by_stage_chart(est),
            "timeline": timeline_chart(est, 18),
            "curve": fixed_cost_curve_chart(points, (450_000, est["percent_of_bid"]))}


def test_charts_are_drawings_that_fit_the_pdf_page(full_estimate):
    for name, drawing in _charts(full_estimate).items():
        assert isinstance(drawing, Drawing), name
        assert 0 < drawing.width <= 483 and 0 < drawing.height < 700, name


def test_bar_charts_label_money_with_format_gbp(full_estimate):
    texts = _strings(cost_by_category_chart(full_estimate))
    assert format_gbp(full_estimate["by_category"]["fees"]) in texts
    assert "Cost (GBP)" in texts


def test_timeline_shows_stages_activities_and_lead_times(full_estimate):
    texts = _strings(timeline_chart(full_estimate, 18))
    assert "Set-up" in texts and "Dissemination" in texts and "Month" in texts
    assert any(t.startswith("Recruitment") for t in texts)
    assert "Advisory group member (line 3)" in " ".join(texts)
    kinds = {row[1] for row in timeline_table(full_estimate).rows}
    assert kinds == {"Lead time", "Stage span", "Activity"}


@pytest.mark.parametrize("name", ["category", "stage", "timeline", "curve"])
def test_svg_is_accessible_and_well_formed(full_estimate, name):
    svg = to_svg(_charts(full_estimate)[name], f"Chart {name}", f"Numbers for {name}")
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("width") == "100%" and root.get("height") is None
    assert root.get("viewBox", "").startswith("0 0 ")
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title.text == f"Chart {name}" and desc.text == f"Numbers for {name}"
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert "Helvetica; " not in svg or "sans-serif" in svg


def test_svg_escapes_user_text():
    drawing = Drawing(200, 50)
    drawing.add(String(5, 20, "Transition <resources> & films"))
    svg = to_svg(drawing, "Plan <b>& co</b>", "desc with </desc> and <script>x</script>")
    root = ET.fromstring(svg)
    assert root.find(f"{SVG}title").text == "Plan <b>& co</b>"
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "Transition &lt;resources&gt; &amp; films" in svg


def test_two_charts_on_one_page_have_distinct_ids(full_estimate):
    charts = _charts(full_estimate)
    first = ET.fromstring(to_svg(charts["category"], "By category", "x"))
    second = ET.fromstring(to_svg(charts["stage"], "By stage", "x"))
    def ids(root):
        return {e.get("id") for e in root.iter() if e.get("id")}
    assert not ids(first) & ids(second)


@given(st.text(max_size=80), st.text(max_size=80))
@settings(max_examples=60, deadline=None)
def test_svg_title_and_desc_are_always_well_formed(title, description):
    root = ET.fromstring(to_svg(Drawing(100, 40), title, description))
    assert root.get("role") == "img"


def test_tables_hold_the_chart_numbers(full_estimate):
    by_category = cost_by_category_table(full_estimate)
    assert [row[0] for row in by_category.rows] == list(CATEGORY_LABELS.values())
    assert by_category.totals[0][1] == format_gbp(full_estimate["total_gbp"])
    assert len(cost_by_stage_table(full_estimate).rows) == 5
    curve = fixed_cost_curve_table([(100_000, 5.0), (10_000, 50.0)])
    assert curve.rows[0] == (format_gbp(10_000), "50.00%")


def test_empty_and_odd_data_still_draw():
    assert fixed_cost_curve_chart([]).width > 0
    assert fixed_cost_curve_chart([(0, 5), (float("nan"), 1)]).width > 0
    empty = {"by_category": dict.fromkeys(CATEGORY_LABELS, 0.0), "timeline": []}
    assert cost_by_category_chart(empty).height > 0
    assert timeline_chart(empty, 1).height > 0


@given(st.floats(min_value=0, max_value=1e12, allow_nan=False))
def test_nice_ticks_cover_the_maximum(maximum):
    ticks = nice_ticks(maximum)
    assert ticks[0] == 0 and ticks[-1] >= maximum and len(ticks) <= 12


def test_every_activity_line_has_its_own_row_over_its_real_weeks(full_estimate):
    full_plan = plans.full_plan()
    from app.charts.timeline import gantt_rows
    rows = [r for r in gantt_rows(full_estimate) if r.kind == "activity"]
    assert len(rows) == len(full_plan["activities"])
    engine = {e["activity_index"]: (e["start_week"], e["end_week"])
              for e in full_estimate["timeline"] if e["kind"] == "activity"}
    for row in rows:
        index = int(row.label.rsplit("line ", 1)[1].rstrip(")")) - 1
        assert row.spans == [tuple(float(w) for w in engine[index])]


def _labels_at(drawing, y_test):
    from reportlab.graphics.shapes import String
    return [n for n in drawing.contents if isinstance(n, String) and y_test(n.y)]


def _boxes_apart(strings):
    from app.charts.primitives import text_width
    boxes = []
    for s in strings:
        width = text_width(s.text, s.fontSize)
        left = {"start": s.x, "middle": s.x - width / 2, "end": s.x - width}[s.textAnchor]
        boxes.append((left, left + width))
    boxes.sort()
    return all(a[1] <= b[0] for a, b in zip(boxes, boxes[1:], strict=False))


@pytest.mark.parametrize("months", [12, 48, 120])
def test_month_labels_fit_side_by_side(full_estimate, months):
    drawing = timeline_chart(full_estimate, months)
    top = drawing.height - 30 + 5
    months_shown = [s for s in _labels_at(drawing, lambda y: abs(y - top) < 0.1)
                    if s.text != "Month"]
    assert len(months_shown) >= min(months, 10)
    assert _boxes_apart(months_shown)


@pytest.mark.parametrize("biggest", [3.4, 950.0, 249_999.99, 1_234_567.0, 9_000_000.0])
def test_money_axes_tick_in_whole_pounds_without_collisions(biggest):
    from app.charts.bars import horizontal_bars
    drawing = horizontal_bars([("A", biggest), ("B", biggest / 3)], "Cost (GBP)")
    ticks = _labels_at(drawing, lambda y: abs(y - (34.0 - 12)) < 0.1)
    assert len(ticks) >= 2
    assert all("." not in t.text.replace("£", "").rstrip("km") or t.text.endswith(("k", "m"))
               for t in ticks)                                   # no pence
    assert all(t.text.startswith("£") for t in ticks)
    assert _boxes_apart(ticks)
