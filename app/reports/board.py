"""The portfolio KPI summary as a one-page PDF for a board paper: :func:`render_board_pdf`.

Tagged (PDF/UA-1) with the plan document's tagging: headings, tables with header cells,
each chart a Figure with alternative text, the footer an artifact.

The caller (app.portfolio) supplies the figures already worded; this module
lays them out with the plan document's styles and never reads the database.
Text a user typed (team names) is escaped, so it prints as typed.
"""
from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepInFrame, SimpleDocTemplate, Spacer, Table

from app.charts.tables import ChartTable
from app.charts.theme import Palette, fonts
from app.formatting import long_date
from app.reports.pdf.document import DocumentInfo, page_artifact, tagged_canvas
from app.reports.pdf.styles import (
    PAGE_HEIGHT,
    PAGE_WIDTH,
    cell,
    content_widths,
    styles,
    user_para,
    zebra_table,
)
from app.reports.pdf.tagging import Figure
from app.reports.text import one_line

MARGIN = 16 * mm
FRAME_PADDING = 6  # SimpleDocTemplate's frame pads each side by 6 pt
#: The widest a chart or table can be on the page.
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN - 2 * FRAME_PADDING
CONTENT_HEIGHT = PAGE_HEIGHT - 2 * MARGIN - 2 * FRAME_PADDING
FOOTER_SIZE = 9
#: The size of a chart drawn beside its table (the network's), and the gap between them.
FIGURE_WIDTH, FIGURE_HEIGHT, FIGURE_GAP = CONTENT_WIDTH * 0.55, 170.0, 8.0


def chart_height(with_figure: bool) -> float:
    """The income chart's height: lower when the network's figure shares the page."""
    return 140.0 if with_figure else 175.0


@dataclass(frozen=True)
class KpiLine:
    """One KPI as the board reads it: measure, result, target, and how it compares."""

    measure: str
    result: str
    target: str = ""
    status: str = ""


@dataclass(frozen=True)
class BoardFigure:
    """A chart with its alternative text and the table of its numbers."""

    caption: str
    drawing: Drawing                  # at most FIGURE_WIDTH wide
    alt: str
    table: ChartTable


@dataclass(frozen=True)
class BoardPaper:
    """What the one-page summary shows."""

    period_label: str                 # e.g. "2026 to 2027 (April 2026 to March 2027)"
    scope_label: str                  # e.g. "All teams" or a team's name (user text)
    issued_on: date
    kpis: Sequence[KpiLine]
    chart: Drawing | None = None      # income won against the target, at most CONTENT_WIDTH
    chart_caption: str = ""
    chart_alt: str = ""               # the chart's alternative text (else its caption)
    table: ChartTable | None = None   # bids by level and quarter
    network: BoardFigure | None = None  # the network's KPIs (network coordinators only)
    notes: Sequence[str] = field(default=())


def _kpi_table(kpis: Sequence[KpiLine]) -> Flowable:
    widths = (CONTENT_WIDTH * 0.31, CONTENT_WIDTH * 0.35, CONTENT_WIDTH * 0.19,
              CONTENT_WIDTH * 0.15)
    dense = styles().cell_dense
    rows = [[cell(line.measure, widths[0], dense), cell(line.result, widths[1], dense),
             cell(line.target or "–", widths[2], dense),
             cell(line.status or "–", widths[3], dense)]
            for line in kpis]
    return zebra_table(("Measure", "Result", "Target", "Status"), rows, widths, dense=True)


def _chart_table(table: ChartTable, width: float = CONTENT_WIDTH) -> Flowable:
    texts = [*table.rows, *table.totals]
    widths = content_widths(table.columns, texts, width, wrap=tuple(range(len(table.columns))),
                            cap=0.4, steps=6)
    rows = [[cell(text, w, styles().cell_dense) for text, w in zip(row, widths, strict=True)]
            for row in texts]
    return zebra_table(table.columns, rows, widths, right=table.numeric,
                       total_rows=len(table.totals), dense=True)


def _figure_beside_table(figure: BoardFigure) -> Flowable:
    """The chart (a tagged Figure with its alternative text) with its table at its right."""
    table_width = CONTENT_WIDTH - FIGURE_WIDTH - FIGURE_GAP
    layout = Table([[Figure(figure.drawing, figure.alt), _chart_table(figure.table,
                                                                      table_width)]],
                   colWidths=[FIGURE_WIDTH + FIGURE_GAP, table_width], hAlign="LEFT")
    layout.setStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                     ("LEFTPADDING", (0, 0), (-1, -1), 0),
                     ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                     ("TOPPADDING", (0, 0), (-1, -1), 0),
                     ("BOTTOMPADDING", (0, 0), (-1, -1), 0)])
    return layout


def _story(paper: BoardPaper) -> list[Flowable]:
    s = styles()
    story: list[Flowable] = [
        user_para("Co-production portfolio: key performance indicators", s.h1),
        user_para(f"Financial year {paper.period_label}. {paper.scope_label}. "
                  f"Figures as at {long_date(paper.issued_on)}.", s.muted),
        _kpi_table(paper.kpis),
    ]
    if paper.chart is not None:
        story += [user_para(paper.chart_caption, s.h2),
                  Figure(paper.chart, paper.chart_alt or paper.chart_caption)]
    if paper.table is not None:
        story += [user_para(paper.table.caption, s.h2), _chart_table(paper.table)]
    if paper.network is not None:
        story += [user_para(paper.network.caption, s.h2), _figure_beside_table(paper.network)]
    if paper.notes:
        story += [Spacer(0, 4)] + [user_para(note, s.muted) for note in paper.notes]
    return story


def _footer(canvas, doc) -> None:
    with page_artifact(canvas, "Footer"):
        canvas.saveState()
        canvas.setFont(fonts().regular, FOOTER_SIZE)
        canvas.setFillColor(Palette.muted)
        canvas.drawString(MARGIN, MARGIN - 16, "Co-production Planner · portfolio KPI summary")
        canvas.drawRightString(PAGE_WIDTH - MARGIN, MARGIN - 16, "Page 1 of 1")
        canvas.restoreState()


def render_board_pdf(paper: BoardPaper) -> bytes:
    """The KPI summary as PDF bytes, always one A4 page (the same paper, the same bytes).

    Content that would not fit is scaled down to the page rather than
    spilling onto a second one.
    """
    buffer = io.BytesIO()
    title = f"Co-production portfolio KPIs {one_line(paper.period_label)}"
    subject = f"Portfolio key performance indicators: {one_line(paper.scope_label)}"
    document = SimpleDocTemplate(
        buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), leftMargin=MARGIN, rightMargin=MARGIN,
        topMargin=MARGIN, bottomMargin=MARGIN, title=title, subject=subject,
        author="Co-production Planner", creator="Co-production Planner",
        producer="Co-production Planner (ReportLab)", invariant=1, lang="en-GB",
        displayDocTitle=1, pageCompression=1)
    story = [KeepInFrame(CONTENT_WIDTH, CONTENT_HEIGHT, _story(paper), mode="shrink")]
    info = DocumentInfo(title=title, version_label="", footer_label="", draft=False,
                        author="Co-production Planner", subject=subject)
    document.build(story, onFirstPage=_footer, onLaterPages=_footer,
                   canvasmaker=tagged_canvas(info))
    return buffer.getvalue()

