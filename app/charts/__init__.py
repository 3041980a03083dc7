"""Charts shared by the web pages (SVG) and the plan document (flowables).

Each chart is one function from plain data to a reportlab Drawing; the same
Drawing goes into the PDF as a flowable and to the web as SVG via
:func:`to_svg`. Each chart's numbers are also available as a table.
"""
from app.charts.bars import cost_by_category_chart, cost_by_stage_chart
from app.charts.curve import fixed_cost_curve_chart
from app.charts.svg import to_svg
from app.charts.tables import (
                               ChartTable,
                               cost_by_category_table,
                               cost_by_stage_table,
                               fixed_cost_curve_table,
                               timeline_table,
)
from app.charts.timeline import timeline_chart

__all__ = ["ChartTable", "cost_by_category_chart", "cost_by_category_table",
           "cost_by_stage_chart", "cost_by_stage_table", "fixed_cost_curve_chart",
           "fixed_cost_curve_table", "timeline_chart", "timeline_table", "to_svg"]
