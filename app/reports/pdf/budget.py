"""Timeline, budget (by category, by stage, per line, rate card), time
overhead, and uncertainty and contingency."""
from __future__ import annotations

from collections.abc import Mapping, Sequence

from reportlab.platypus import Flowable, KeepTogether, NextPageTemplate, PageBreak, Spacer, Table, TableStyle

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
from app.charts.labels import category_label, stage_label
from app.charts.theme import Palette, fonts
from app.charts.timeline import gantt_rows, split_rows
from app.costing import format_gbp
from app.costing.budget import budget_to_request_gbp
from app.formatting import format_number, long_date, percent
from app.reports.pdf.context import PlanContext, number, parse_date
from app.reports.pdf.document import LANDSCAPE
from app.reports.pdf.plaintext import TextBlock
from app.reports.pdf.sections import key_value_table, section_start, subheading
from app.reports.pdf.styles import (
    BODY_SIZE,
    CONTENT_WIDTH,
    LANDSCAPE_CONTENT_WIDTH,
    Para,
    cell,
    content_widths,
    run,
    styles,
    zebra_table,
)
from app.reports.pdf.tagging import Figure, TableTagger
from app.reports.text import BUDGET_TO_REQUEST_WHY, markup

#: Budgets with more lines than this print their lines on landscape pages.
LANDSCAPE_FROM_LINES = 12


def chart_table(table: ChartTable, wrap: Sequence[int] = (0,)) -> Table:
    """A ChartTable as a zebra table, columns sized to their content (the ``wrap``
    columns wrap; totals in bold)."""
    widths = content_widths(table.columns, [*table.rows, *table.totals], CONTENT_WIDTH, wrap)
    rows = [[text if i in table.numeric else cell(text, widths[i])
             for i, text in enumerate(row)] for row in table.rows]
    rows += [list(total) for total in table.totals]
    return zebra_table(table.columns, rows, widths, right=table.numeric,
                       total_rows=len(table.totals))


def _figure(drawing: Flowable, table: ChartTable, what: str) -> Figure:
    """A chart as a tagged figure: its title, what it shows, where its numbers are."""
    return Figure(drawing, f"{table.caption}. {what} The table that follows gives every "
                           f"figure.")


def _items(table: ChartTable) -> str:
    """'Payments £1,200.00 (40.0%); Travel £300.00 (10.0%)' from a money table."""
    return "; ".join(f"{name} {amount} ({share})" for name, amount, share in table.rows)


#: The tallest a Gantt chart part may be (a page's frame, less a heading's room).
GANTT_MAX_HEIGHT = 600


def _gantt(estimate: Mapping, months: int, table: ChartTable) -> list[Flowable]:
    """The Gantt chart, one row per stage, lead time and activity line; a long plan's
    chart in parts of a page each, every part with its own month axis."""
    parts = split_rows(gantt_rows(estimate), GANTT_MAX_HEIGHT)
    figures: list[Flowable] = []
    for part, rows in enumerate(parts, start=1):
        which = f" Part {part} of {len(parts)}." if len(parts) > 1 else ""
        figures.append(_figure(
            timeline_chart(estimate, months, width=CONTENT_WIDTH, rows=rows), table,
            f"A Gantt chart over {months} months with {len(table.rows)} rows: each stage's "
            f"span, each activity line's weeks in the colour of its stage, and the lead "
            f"times.{which}"))
    return figures


def timeline(ctx: PlanContext) -> list[Flowable]:
    """The Gantt chart and its rows as a table."""
    months = int(ctx.bid.get("duration_months") or 12)
    start = parse_date(ctx.bid.get("start_date"))
    opening = (f"The bid runs for {months} months from {long_date(start)}." if start
               else f"The bid runs for {months} months.")
    time = ctx.estimate["time"]
    rows = timeline_table(ctx.estimate)
    if not ctx.activities:
        return section_start("Timeline") + [Para(
            f"{opening} No co-production activities are scheduled, so nothing is added to the "
            f"timeline.", styles().body)]
    return section_start("Timeline") + [
        Para(f"{opening} Co-production starts at the beginning: recruitment and "
                  f"accessible materials need a lead time of {number(time['lead_time_weeks'])} "
                  f"weeks before the first activity.", styles().body),
        *_gantt(ctx.estimate, months, rows),
        Spacer(1, 8),
        chart_table(rows, wrap=(0, 3)),
    ]


def budget(ctx: PlanContext, curve_points: Sequence[tuple[float, float]]) -> list[Flowable]:
    """Totals, charts with their tables, the per-line budget and the rate card."""
    s, est = styles(), ctx.estimate
    card = est.get("rate_card") or {}
    story = section_start("Budget") + [Para(
        f"Co-production costs <b>{format_gbp(est['total_gbp'])}</b>, "
        f"{percent(est['percent_of_bid'], 2)} of the bid value of "
        f"{format_gbp(ctx.bid.get('value_gbp') or 0)}. Every line shows its quantity, rate and "
        f"working, from the rate card <b>{markup(card.get('id', 'default'))}</b>.", s.body)]
    if not est["lines"]:
        story[-1] = Para("This plan budgets no co-production costs.", s.body)
        return story + _rate_card(card)
    by_category, by_stage = cost_by_category_table(est), cost_by_stage_table(est)
    story += [KeepTogether([subheading("Cost by category"), _figure(
                  cost_by_category_chart(est, CONTENT_WIDTH), by_category,
                  f"A bar chart of the cost of each category: {_items(by_category)}."),
                  Spacer(1, 6)]),
              chart_table(by_category)]
    story += [KeepTogether([subheading("Cost by stage"), _figure(
                  cost_by_stage_chart(est, CONTENT_WIDTH), by_stage,
                  f"A bar chart of the cost of each stage: {_items(by_stage)}."),
                  Spacer(1, 6)]),
              chart_table(by_stage)]
    if curve_points:
        curve_table = fixed_cost_curve_table(curve_points)
        current = (float(ctx.bid.get("value_gbp") or 0), float(est["percent_of_bid"]))
        story += [KeepTogether([subheading("Cost as a share of bid value"), Para(
            "Co-production costs do not vary greatly with the size of a project, so on larger "
            "bids they are a smaller share. The curve shows this plan's cost at other bid "
            "values.", s.body), _figure(
                fixed_cost_curve_chart(curve_points, current, CONTENT_WIDTH), curve_table,
                f"A line chart of the cost as a percentage of the bid value, on a log scale "
                f"of bid values: {'; '.join(f'{p} at {v}' for v, p in curve_table.rows)}. "
                f"This bid, {format_gbp(current[0])}, is marked at {percent(current[1], 2)}."),
            Spacer(1, 6), chart_table(curve_table, wrap=(1,))])]
    if len(est["lines"]) > LANDSCAPE_FROM_LINES:
        # Long budgets on landscape pages: each line's working fits on one or two lines.
        story += [NextPageTemplate(LANDSCAPE), PageBreak(), subheading("Budget lines"),
                  *budget_lines(est, LANDSCAPE_CONTENT_WIDTH, wide=True), NextPageTemplate("page"),
                  PageBreak()]
    else:
        story += [subheading("Budget lines"), *budget_lines(est)]
    return story + budget_totals(est) + _by_year(ctx) + _rate_card(card)


def budget_totals(estimate: Mapping) -> list[Flowable]:
    """The total with every session as planned, the contingency, the budget to request."""
    s = styles()
    request = budget_to_request_gbp(estimate)
    rows = [["Total, every session as planned", format_gbp(estimate["total_gbp"])],
            ["Recommended contingency",
             format_gbp(estimate["uncertainty"]["recommended_contingency_gbp"])],
            ["Budget to request", format_gbp(request)]]
    header = ("Budget", "Amount")
    widths = content_widths(header, rows, CONTENT_WIDTH)
    return [KeepTogether([subheading("Budget to request"),
                          zebra_table(header, rows, widths, right=(1,), total_rows=1),
                          Para(markup(BUDGET_TO_REQUEST_WHY), s.body)])]


def _by_year(ctx: PlanContext) -> list[Flowable]:
    """Cost by year of the bid, for plans longer than a year."""
    years = ctx.estimate.get("by_year") or {}
    if int(ctx.bid.get("duration_months") or 0) <= 12 or len(years) < 2:
        return []
    rows = [[f"Year {year}", format_gbp(amount)] for year, amount in years.items()]
    rows.append(["Total", format_gbp(ctx.estimate["total_gbp"])])
    header = ("Year of the bid", "Amount")
    return [KeepTogether([subheading("Cost by year"), zebra_table(
        header, rows, content_widths(header, rows, CONTENT_WIDTH), right=(1,), total_rows=1)])]


def _rate_card(card: Mapping) -> list[Flowable]:
    """Which rate card priced the plan, and from when."""
    pairs = [("Rate card", card.get("id", "Not stated"))]
    if card.get("label"):
        pairs.append(("Name", card["label"]))
    pairs += [("Effective from", long_date(parse_date(card.get("effective_from")))),
              ("Money", "Each line is rounded to the penny; totals are the sum of the lines.")]
    return [subheading("Rate card used"), key_value_table(pairs)]


def budget_lines(estimate: Mapping, width: float = CONTENT_WIDTH,
                 wide: bool = False) -> list[Flowable]:
    """One table per category (its name heading the columns, repeated when it
    continues on the next page), each line with its working, the engine's
    subtotal per category, and the total. The number columns are as wide as
    their widest figure; the text columns share the rest. ``wide`` (landscape
    pages) gives the working a column of its own beside the description."""
    lines = estimate["lines"]
    header = ("Budget line", *(("Working",) if wide else ()), "Qty", "Unit", "Unit cost",
              "Amount")
    texts = [_line_texts(line, wide) for line in lines]
    total_text = format_gbp(estimate["total_gbp"])
    last = len(header) - 1
    blank = [""] * last
    text_columns = (0, 1, 3) if wide else (0, 2)
    widths = content_widths(header, [*texts, (*blank, total_text)], width, wrap=text_columns)
    numbers = (2, 4, 5) if wide else (1, 3, 4)
    story: list[Flowable] = []
    for category in dict.fromkeys(line["category"] for line in lines):
        s = styles()
        rows = [[cell(t, widths[i], (s.cell_note_dense if i == 1 else s.cell_dense) if wide
                      else None)
                 if i in text_columns and not isinstance(t, TextBlock) else t
                 for i, t in enumerate(text)]
                for line, text in zip(lines, texts, strict=True) if line["category"] == category]
        rows.append(["Subtotal", *blank[1:],
                     format_gbp(estimate["by_category"].get(category, 0))])
        table = zebra_table((category_label(category), *header[1:]), rows, widths,
                            right=numbers, total_rows=1, dense=wide)
        table.setStyle(TableStyle([("SPAN", (0, -1), (last - 1, -1))]))
        story.append(table)
    return story + [total_row("Total co-production budget, every session as planned",
                              total_text, widths)]


def _line_texts(line: Mapping, wide: bool) -> tuple:
    """Description and working (stacked, or side by side when ``wide``), quantity,
    unit, unit cost and amount."""
    s = styles()
    details = stage_label(line.get("stage", ""))
    if int(line.get("year") or 1) > 1:
        details += f", year {line['year']}"
    note = details + (f" · {line['justification']}" if line.get("justification") else "")
    description = str(line.get("description", ""))
    suffix = f": {category_label(line.get('category', '')).lower()}"
    if wide and description.lower().endswith(suffix):   # the table's heading says it
        description = description[:-len(suffix)]
    # the quantity in full (not to 2 places), so quantity × unit cost gives the amount
    figures = (format_number(line.get("quantity", 0)), str(line.get("unit", "")),
               format_gbp(line.get("unit_cost_gbp", 0)), format_gbp(line.get("amount_gbp", 0)))
    if wide:
        return (description, note, *figures)
    return (TextBlock([run(description, s.cell), run(note, s.cell_note)]), *figures)

def total_row(label: str, amount: str, widths: Sequence[float]) -> Table:
    """A one-row table: a label (a row header) and its amount, in bold on the accent fill."""
    f = fonts()
    last = len(widths) - 1
    table = Table([[label, *[""] * (last - 1), amount]], colWidths=list(widths), hAlign="LEFT",
                  spaceAfter=10, renderCB=TableTagger(header_columns=1))
    table.setStyle(TableStyle([
        ("SPAN", (0, 0), (last - 1, 0)), ("ALIGN", (last, 0), (last, 0), "RIGHT"),
        ("FONTNAME", (0, 0), (-1, -1), f.bold), ("FONTSIZE", (0, 0), (-1, -1), BODY_SIZE),
        ("TEXTCOLOR", (0, 0), (-1, -1), Palette.ink),
        ("BACKGROUND", (0, 0), (-1, -1), Palette.accent_light),
        ("LINEABOVE", (0, 0), (-1, 0), 0.8, Palette.rule),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, Palette.rule),
        ("LEFTPADDING", (0, 0), (-1, -1), 5), ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]))
    return table
