"""The Word plan's sections, in the PDF's order and with its wording: the facts
come from the same row builders as the PDF (``app.reports.pdf``), the easy
read from :mod:`app.reports.easyread`, the charts' numbers from
:mod:`app.charts`."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from docx.document import Document as DocumentObject
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from reportlab.graphics.shapes import Drawing

from app.charts import (
    ChartTable,
    cost_by_category_chart,
    cost_by_category_table,
    cost_by_stage_chart,
    cost_by_stage_table,
    fixed_cost_curve_chart,
    fixed_cost_curve_table,
    timeline_chart,
    timeline_table,
)
from app.charts.labels import (
    LEVEL_ORDER,
    category_label,
    level_description,
    level_label,
    role_label,
    stage_label,
    stages,
)
from app.charts.raster import to_png
from app.costing.budget import budget_to_request_gbp
from app.formatting import format_gbp, format_number, long_date, percent
from app.reports import easyread
from app.reports.pdf.budget import LANDSCAPE_FROM_LINES
from app.reports.pdf.closing import approval_pairs
from app.reports.pdf.context import PlanContext, number, parse_date
from app.reports.pdf.involvement import _hours, _how, _ordered, access_rows
from app.reports.pdf.sections import HEADINGS, cover_pairs
from app.reports.pdf.time_risk import TIME_INTRO, network_note, risk_rows, time_pairs, uncertainty_rows
from app.reports.text import BUDGET_TO_REQUEST_WHY, one_line, summary_opening
from app.reports.word.document import (
    CONTENT_WIDTH,
    Pictures,
    data_table,
    page_break,
    paragraph,
    section_break,
)

CHART_WIDTH_PT = 482       # 17 cm
EASY_READ_PT = 16          # easy read guidance: 14 pt or larger
EASY_PICTURE = Cm(2.2)
TOTAL_AS_PLANNED = "Total, every session as planned"
LINE_WIDTHS = (6.6, 1.5, 2.9, 2.9, 3.1)                  # cm, portrait: 17 cm
WIDE_LINE_WIDTHS = (7.2, 9.6, 1.5, 2.8, 2.2, 2.4)        # cm, landscape: 25.7 cm
EASY_COLUMNS = (Cm(3), Cm(14))


def heading(document: DocumentObject, title: str, level: int = 1) -> None:
    """A Word heading (Heading 1 or 2), kept with what follows."""
    paragraph(document, one_line(title), f"Heading{level}", keep_next=True)


def key_values(document: DocumentObject, pairs: Sequence[tuple[str, object]],
               caption: str, widths: tuple[float, float] = (5.5, 11.5)) -> None:
    data_table(document, ("Item", "Details"), [(k, "" if v is None else str(v))
                                               for k, v in pairs], widths, caption=caption)


def chart(document: DocumentObject, drawing: Drawing, table: ChartTable,
          pictures: Pictures) -> None:
    """The chart as a picture whose alternative text gives its title and figures,
    then the same figures as a table."""
    png = to_png(drawing)
    figures = "; ".join(", ".join(row) for row in table.rows[:12])
    more = " and more" if len(table.rows) > 12 else ""
    pictures.paragraph(png, min(CONTENT_WIDTH, Pt(drawing.width)),
                       f"Chart: {table.caption}. {figures}{more}. The table after the chart "
                       f"gives every figure.")
    rows = [list(row) for row in table.rows] + [list(total) for total in table.totals]
    width = 17 / len(table.columns)
    data_table(document, table.columns, rows, [width] * len(table.columns),
               right=table.numeric, total_rows=len(table.totals), caption=table.caption)


def cover(document: DocumentObject, ctx: PlanContext) -> None:
    est = ctx.estimate
    paragraph(document, "CO-PRODUCTION PLAN", "Subtitle")
    paragraph(document, ctx.title, "Title")
    key_values(document, cover_pairs(ctx), "About the bid")
    figures = [("Level of co-production", ctx.level_name),
               ("Co-production cost", f"{format_gbp(est['total_gbp'])} "
                                      f"({percent(est['percent_of_bid'], 2)} of the bid value)"),
               ("Recommended contingency",
                format_gbp(est["uncertainty"]["recommended_contingency_gbp"]))]
    figures.append(("Budget to request", format_gbp(budget_to_request_gbp(est))))
    figures.append(("Time added to the schedule",
                    f"{number(est['time']['overhead_weeks'])} weeks"))
    key_values(document, figures, "Headline figures")
    page_break(document)


def summary(document: DocumentObject, ctx: PlanContext) -> None:
    est = ctx.estimate
    rec = est.get("recommendation") or {}
    heading(document, HEADINGS[0])
    paragraph(document, summary_opening(ctx.title, one_line(ctx.bid.get("client")) or
                                        "the client", ctx.level))
    if est["lines"]:
        paragraph(document, f"With every session as planned it costs "
                            f"{format_gbp(est['total_gbp'])}; the budget to request is "
                            f"{format_gbp(budget_to_request_gbp(est))}, which adds the "
                            f"recommended contingency of "
                            f"{format_gbp(est['uncertainty']['recommended_contingency_gbp'])} "
                            f"because sessions overrun and staff time grows, often on several "
                            f"lines at once.")
    heading(document, f"Level chosen: {ctx.level_name}", 2)
    if level_description(ctx.level):
        paragraph(document, level_description(ctx.level))
    if ctx.level == "none":
        heading(document, "Why there is no co-production in this bid", 2)
        paragraph(document, str(ctx.plan.get("justification") or ""))
    recommended = rec.get("level")
    heading(document, f"Recommended level: {level_label(recommended) or 'not given'}", 2)
    for reason in rec.get("reasons") or []:
        paragraph(document, str(reason), "ListBullet")
    if recommended and recommended != ctx.level:
        direction = ("higher" if LEVEL_ORDER.get(ctx.level, 0) > LEVEL_ORDER.get(recommended, 0)
                     else "lower")
        paragraph(document, f"This plan chooses a {direction} level than recommended.")
    if ctx.level != "none" and ctx.plan.get("justification"):
        heading(document, "Notes on the level chosen", 2)
        paragraph(document, str(ctx.plan["justification"]))
    warnings = est.get("warnings") or []
    if warnings:
        heading(document, "Points to note", 2)
    for warning in warnings:
        kind = str(warning.get("kind") or "warning").capitalize()
        advice = f" What to do: {warning['advice']}" if warning.get("advice") else ""
        paragraph(document, f"{warning.get('message', '')}{advice}", bold=f"{kind}: ")


def people(document: DocumentObject, ctx: PlanContext) -> None:
    heading(document, HEADINGS[1])
    if not ctx.activities:
        paragraph(document, "No co-production activities are planned for this bid.")
        return
    contributors = ctx.contributor_count
    network = ("recruited from our existing network of people who use services and carers"
               if ctx.plan.get("existing_network") else "recruited for this project")
    paragraph(document, f"About {number(contributors)} people with lived experience take "
                        f"part, {network}. Everyone is paid for their time, including "
                        f"preparation.")
    rows = [(role_label(a.get("role")), stage_label(str(a.get("stage") or "")),
             number(a.get("people")), number(a.get("sessions")), _hours(a), _how(a))
            for a in _ordered(ctx.activities)]
    data_table(document, ("Role", "Stage", "People", "Sessions", "Hours each", "How"), rows,
               (3.6, 2.8, 1.9, 2.4, 2.4, 3.9), right=(2, 3, 4), caption="Who is involved")
    paragraph(document, "Hours each: hours per session, plus paid preparation hours.")
    members = [(role_label(a.get("role")), ", ".join(map(str, a["members"])))
               for a in ctx.plan.get("activities") or [] if a.get("members")]
    if members:   # as the register names them for documents (pseudonyms unless consented)
        heading(document, "Network members taking part", 2)
        for role, names in members:
            paragraph(document, names, "ListBullet", bold=f"{role}: ")
    heading(document, "Roles by stage", 2)
    for stage in stages():
        names = sorted({role_label(a.get("role")) for a in ctx.activities
                        if str(a.get("stage") or "") == stage})
        paragraph(document, ", ".join(names) if names else "no co-production activity",
                  "ListBullet", bold=f"{stage_label(stage)}: ")


def timeline(document: DocumentObject, ctx: PlanContext, pictures: Pictures) -> None:
    heading(document, HEADINGS[2])
    months = int(ctx.bid.get("duration_months") or 12)
    start = parse_date(ctx.bid.get("start_date"))
    opening = (f"The bid runs for {months} months from {long_date(start)}." if start
               else f"The bid runs for {months} months.")
    if not ctx.activities:
        paragraph(document, f"{opening} No co-production activities are scheduled, so "
                            f"nothing is added to the timeline.")
        return
    paragraph(document, f"{opening} Co-production starts at the beginning: recruitment and "
                        f"accessible materials need a lead time of "
                        f"{number(ctx.estimate['time']['lead_time_weeks'])} weeks before the "
                        f"first activity.", keep_next=True)
    chart(document, timeline_chart(ctx.estimate, months, width=CHART_WIDTH_PT),
          timeline_table(ctx.estimate), pictures)


def access(document: DocumentObject, ctx: PlanContext) -> None:
    heading(document, HEADINGS[3])
    paragraph(document, "Access needs are planned and costed from the start, not added later.")
    data_table(document, ("Commitment", "What this plan provides"), access_rows(ctx),
               (4.5, 12.5), caption="Access and support commitments")
    costs = ctx.estimate["by_category"]
    paragraph(document, f"Access support is budgeted at "
                        f"{format_gbp(costs.get('access_support', 0))} and "
                        f"{category_label('accessible_formats').lower()} at "
                        f"{format_gbp(costs.get('accessible_formats', 0))}.")


def budget(document: DocumentObject, ctx: PlanContext, curve: Sequence[tuple[float, float]],
           pictures: Pictures) -> None:
    est = ctx.estimate
    card = est.get("rate_card") or {}
    heading(document, HEADINGS[4])
    if not est["lines"]:
        paragraph(document, "This plan budgets no co-production costs.")
    else:
        paragraph(document, f"Co-production costs {format_gbp(est['total_gbp'])}, "
                            f"{percent(est['percent_of_bid'], 2)} of the bid value of "
                            f"{format_gbp(ctx.bid.get('value_gbp') or 0)}. Every line shows "
                            f"its quantity, rate and working, from the rate card "
                            f"{card.get('id', 'default')}.")
        heading(document, "Cost by category", 2)
        chart(document, cost_by_category_chart(est, CHART_WIDTH_PT), cost_by_category_table(est),
              pictures)
        heading(document, "Cost by stage", 2)
        chart(document, cost_by_stage_chart(est, CHART_WIDTH_PT), cost_by_stage_table(est), pictures)
        if curve:
            heading(document, "Cost as a share of bid value", 2)
            paragraph(document, "Co-production costs do not vary greatly with the size of a "
                                "project, so on larger bids they are a smaller share. The "
                                "curve shows this plan's cost at other bid values.")
            current = (float(ctx.bid.get("value_gbp") or 0), float(est["percent_of_bid"]))
            chart(document, fixed_cost_curve_chart(curve, current, CHART_WIDTH_PT),
                  fixed_cost_curve_table(curve), pictures)
        wide = len(est["lines"]) > LANDSCAPE_FROM_LINES
        if wide:   # a page of its own, landscape: the working gets a column
            section_break(document, landscape=True)
        heading(document, "Budget lines", 2)
        budget_lines(document, est, wide)
        if wide:
            section_break(document, landscape=False)
        budget_totals(document, est)
    heading(document, "Rate card used", 2)
    pairs = [("Rate card", card.get("id", "Not stated"))]
    if card.get("label"):
        pairs.append(("Name", card["label"]))
    pairs += [("Effective from", long_date(parse_date(card.get("effective_from")))),
              ("Money", "Each line is rounded to the penny; totals are the sum of the lines.")]
    key_values(document, pairs, "Rate card used")


def budget_lines(document: DocumentObject, est: Mapping, wide: bool = False) -> None:
    """One table per category with its subtotal; ``wide`` (a landscape section)
    puts each line's working in a column of its own."""
    lines = est["lines"]
    columns = ("Qty", "Unit", "Unit cost", "Amount")
    for category in dict.fromkeys(line["category"] for line in lines):
        rows = [_line_row(line, wide) for line in lines if line["category"] == category]
        subtotal = format_gbp(est["by_category"].get(category, 0))
        label = category_label(category)
        if wide:
            rows.append(("Subtotal", "", "", "", "", subtotal))
            data_table(document, (label, "Working", *columns), rows, WIDE_LINE_WIDTHS,
                       right=(2, 4, 5), total_rows=1, caption=f"Budget lines: {label}")
        else:
            rows.append(("Subtotal", "", "", "", subtotal))
            data_table(document, (label, *columns), rows, LINE_WIDTHS, right=(1, 3, 4),
                       total_rows=1, caption=f"Budget lines: {label}")


def budget_totals(document: DocumentObject, est: Mapping) -> None:
    """The total as planned, the contingency, the budget to request and why; cost by year."""
    heading(document, "Budget to request", 2)
    totals = [(TOTAL_AS_PLANNED, format_gbp(est["total_gbp"])),
              ("Recommended contingency",
               format_gbp(est["uncertainty"]["recommended_contingency_gbp"])),
              ("Budget to request", format_gbp(budget_to_request_gbp(est)))]
    data_table(document, ("Budget", "Amount"), totals, (12, 5), right=(1,), total_rows=1,
               caption="Budget totals")
    paragraph(document, BUDGET_TO_REQUEST_WHY)
    years = est.get("by_year") or {}
    if len(years) > 1:
        heading(document, "Cost by year", 2)
        rows = [(f"Year {year}", format_gbp(amount)) for year, amount in years.items()]
        rows.append(("Total", format_gbp(est["total_gbp"])))
        data_table(document, ("Year of the bid", "Amount"), rows, (12, 5), right=(1,),
                   total_rows=1, caption="Cost by year")


def _line_row(line: Mapping, wide: bool) -> tuple[str, ...]:
    """Description (with stage, year and working beneath, or beside when ``wide``),
    quantity, unit, unit cost and amount."""
    details = stage_label(line.get("stage", ""))
    if int(line.get("year") or 1) > 1:
        details += f", year {line['year']}"
    working = one_line(line.get("justification"))
    # the quantity in full (not to 2 places), so quantity × unit cost gives the amount
    figures = (format_number(line.get("quantity", 0)), str(line.get("unit", "")),
               format_gbp(line.get("unit_cost_gbp", 0)), format_gbp(line.get("amount_gbp", 0)))
    description = one_line(line.get("description"))
    if wide:
        return (f"{description}\n{details}", working, *figures)
    return (f"{description}\n{details}" + (f" · {working}" if working else ""), *figures)


def time_overhead(document: DocumentObject, ctx: PlanContext) -> None:
    heading(document, HEADINGS[5])
    paragraph(document, TIME_INTRO)
    key_values(document, time_pairs(ctx), "Time overhead", (6, 11))
    paragraph(document, network_note(ctx))


def uncertainty(document: DocumentObject, ctx: PlanContext) -> None:
    est = ctx.estimate
    u = est["uncertainty"]
    heading(document, HEADINGS[6])
    if not est["lines"]:
        paragraph(document, "With no co-production costs there is no cost range to plan for "
                            "and no contingency is needed.")
        return
    paragraph(document, f"Real projects vary: sessions are added, preparation takes longer, "
                        f"travel costs change and not everyone attends. We simulated "
                        f"{number(u['draws'])} variations of this plan (random seed "
                        f"{u['seed']}) to show the likely range.")
    data_table(document, ("Measure", "Amount"), uncertainty_rows(ctx), (12, 5), right=(1,),
               total_rows=1, caption="Uncertainty and contingency")
    paragraph(document, f"We recommend holding {format_gbp(u['recommended_contingency_gbp'])} "
                        f"as contingency, so the co-production budget covers the P80 outcome.")


def risks(document: DocumentObject, ctx: PlanContext) -> None:
    heading(document, HEADINGS[7])
    data_table(document, ("Risk", "What it means for this plan", "Mitigation"),
               risk_rows(ctx), (3.5, 6.5, 7), caption="Risks and mitigations")


def approval(document: DocumentObject, ctx: PlanContext) -> None:
    heading(document, HEADINGS[8])
    version = ctx.version
    if version is None:
        paragraph(document, "This document was produced from a plan that has not been saved "
                            "as a version. It has not been reviewed or approved.")
        return
    key_values(document, approval_pairs(version), "Approval record")
    if version.approved_by:
        paragraph(document, f"Approved by {version.approved_by}. This version is locked: any "
                            f"later change starts a new version.")
    else:
        paragraph(document, " This version has not been approved. It must be approved by "
                            "someone other than its author before the bid is submitted.",
                  bold="DRAFT.")


def easy_read(document: DocumentObject, ctx: PlanContext, pictures: Pictures) -> None:
    """Each sentence in large type with its picture on the left (a layout table
    with no header row and no borders), then the pictures' credit."""
    page_break(document)
    heading(document, HEADINGS[9])
    said = easyread.sentences(ctx.plan, ctx.estimate)
    table = document.add_table(rows=len(said), cols=2)
    _layout_table(table)
    table.autofit = False
    table.columns[0].width, table.columns[1].width = EASY_COLUMNS
    for row, sentence in zip(table.rows, said, strict=True):
        picture_cell, text_cell = row.cells
        picture_cell.width, text_cell.width = EASY_COLUMNS
        pictures.into(picture_cell.paragraphs[0].add_run(), str(sentence.picture_path),
                      EASY_PICTURE, sentence.alt)
        text_cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        para = text_cell.paragraphs[0]
        for text, bold in sentence.parts:
            piece = para.add_run(text)
            piece.bold, piece.font.size = bold, Pt(EASY_READ_PT)
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    paragraph(document, easyread.CREDIT, size_pt=9)


def _layout_table(table) -> None:
    """Mark the easy read grid as layout, not data: no borders, a caption saying so."""
    properties = table._tbl.tblPr
    caption = OxmlElement("w:tblCaption")
    caption.set(qn("w:val"), "Layout: easy read pictures and sentences")
    properties.append(caption)
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    properties.insert(properties.index(properties.find(qn("w:tblLook"))), borders)
