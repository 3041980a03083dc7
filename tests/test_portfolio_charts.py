"""Portfolio charts (drawings, SVG, tables of the same numbers) and the one-page board PDF."""
from __future__ import annotations

import io
from datetime import date

from pypdf import PdfReader
from reportlab.graphics.shapes import Drawing

from app.charts import portfolio as charts
from app.charts import to_svg
from app.reports.board import BoardPaper, KpiLine, render_board_pdf

QUARTERS = ["Q1", "Q2", "Q3", "Q4"]
MONTHS = ["April 2026", "May 2026", "June 2026", "July 2026", "August 2026",
          "September 2026", "October 2026", "November 2026", "December 2026",
          "January 2027", "February 2027", "March 2027"]


def test_levels_by_quarter_chart_and_table():
    counts = [{"good": 3, "limited": 1, None: 1}, {}, {"full": 2, "none": 1}, {"good": 1}]
    assert isinstance(charts.levels_by_quarter_chart(QUARTERS, counts), Drawing)
    table = charts.levels_by_quarter_table(QUARTERS, counts)
    assert table.columns == ("Quarter", "None", "Limited", "Good", "Full", "No level chosen",
                             "Total")
    assert table.rows[0] == ("Q1", "0", "1", "3", "0", "1", "5")
    assert table.totals == (("Year", "1", "1", "4", "2", "1", "9"),)
    empty = charts.levels_by_quarter_chart(QUARTERS, [{}] * 4)
    assert "<svg" in to_svg(empty, "Empty", "No bids")


def test_income_chart_table_is_cumulative_against_a_pro_rata_target():
    won = [1000.0, 0, 500.5] + [0.0] * 9
    bids = [1, 0, 1] + [0] * 9
    table = charts.income_against_target_table(MONTHS, won, bids, 12_000)
    assert table.rows[0] == ("April 2026", "1", "£1,000.00", "£1,000.00", "£1,000.00")
    assert table.rows[2] == ("June 2026", "1", "£500.50", "£1,500.50", "£3,000.00")
    assert table.totals == (("Year", "2", "£1,500.50", "£1,500.50", "£12,000.00"),)
    svg = to_svg(charts.income_against_target_chart(MONTHS, won, 0), "Income", "Won by month")
    assert "Income" in svg and 'role="img"' in svg


def test_share_scatter_handles_empty_huge_and_clipped_points():
    assert isinstance(charts.share_scatter_chart([], 15), Drawing)
    points = [(10_000.0, 250.0), (120_000.0, 6.18), (5_000_000.0, 0.4), (0, 5), (float("nan"), 1)]
    svg = to_svg(charts.share_scatter_chart(points, 15), "Share", "Every bid")
    assert "stroke-linecap: round" in svg and "3 in all" in svg
    many = [(1000.0 + i * 37, 50.0 / (1 + i % 40)) for i in range(3000)]
    drawing = charts.share_scatter_chart(many, 15)
    assert sum(1 for node in drawing.contents if node.__class__.__name__ == "Path") <= 11


def test_share_table_groups_points_by_bid_value():
    table = charts.share_by_value_table([(10_000, 2_000, 20.0), (20_000, 1_000, 5.0),
                                         (120_000, 7_419, 6.18), (3_000_000, 30_000, 1.0)])
    assert [row[0] for row in table.rows] == ["Under £25,000.00",
                                             "£100,000.00 to under £250,000.00",
                                             "£2,500,000.00 or more"]
    assert table.rows[0][1:] == ("2", "£1,500.00", "12.50%", "5.00%", "20.00%")


def _paper(**changes) -> BoardPaper:
    values = dict(period_label="2026 to 2027 (April 2026 to March 2027)",
                  scope_label="R&D <north> team", issued_on=date(2026, 11, 26),
                  kpis=[KpiLine("Bids that recorded co-production was considered",
                                "5 of 7 (71.4%)", "100%", "Below target")],
                  chart=charts.income_against_target_chart(MONTHS, [100.0] * 12, 1000,
                                                           width=480, height=175),
                  chart_caption="Income", notes=("How we count.",))
    values.update(changes)
    return BoardPaper(**values)


def test_board_pdf_prints_user_text_as_typed_with_metadata():
    data = render_board_pdf(_paper())
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "R&D <north> team" in text and "5 of 7 (71.4%)" in text
    assert reader.metadata.title == ("Co-production portfolio KPIs 2026 to 2027 "
                                     "(April 2026 to March 2027)")
    assert render_board_pdf(_paper()) == data  # same paper, same bytes


def test_board_pdf_is_tagged_and_passes_the_pdf_ua_checker():
    import page  # page-validation: a PDF/UA-1 (Matterhorn) validator

    report = page.validate_pdf_bytes(render_board_pdf(_paper(chart_alt="Income line chart.")),
                                     profile=page.ValidationProfile.PDF_UA_1)
    assert report.is_compliant, [f"{f.rule_id}: {f.message}" for f in report.failures]
    assert report.rules.failed == 0 and report.rules.total >= 100


def test_board_pdf_stays_on_one_page_when_the_content_is_long():
    long_kpis = [KpiLine(f"Measure {n} " + "word " * 30, "result " * 20, "target", "–")
                 for n in range(12)]
    reader = PdfReader(io.BytesIO(render_board_pdf(_paper(kpis=long_kpis,
                                                          notes=("note " * 200,)))))
    assert len(reader.pages) == 1
