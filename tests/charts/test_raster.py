"""Charts as PNG for the Word plan: the same chart gives the same bytes, whatever was
drawn before it (libart's random nudges are seeded per render)."""
from __future__ import annotations

import io

from PIL import Image

from app.charts import cost_by_category_chart, cost_by_stage_chart
from app.charts.raster import DPI, to_png
from app.costing import estimate
from tests.reports import plans


def test_same_chart_same_bytes_whatever_came_before():
    result = estimate(plans.full_plan())
    first = to_png(cost_by_category_chart(result))
    to_png(cost_by_stage_chart(result))
    assert to_png(cost_by_category_chart(result)) == first


def test_the_png_is_the_chart_at_the_given_resolution():
    result = estimate(plans.full_plan())
    chart = cost_by_category_chart(result, 482)
    with Image.open(io.BytesIO(to_png(chart))) as picture:
        assert picture.format == "PNG"
        assert abs(picture.width - 482 * DPI / 72) <= 1
        assert len(picture.getcolors(256) or range(257)) > 8     # drawn, not blank
