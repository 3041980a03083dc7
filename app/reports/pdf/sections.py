"""Cover, summary of approach, who is involved, access and support."""
from __future__ import annotations

from collections.abc import Mapping

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import CondPageBreak, Flowable, PageBreak, Spacer, Table, TableStyle

from app.charts.labels import LEVEL_ORDER, level_description, level_label
from app.charts.theme import Palette, fonts
from app.costing import format_gbp
from app.costing.budget import budget_to_request_gbp
from app.formatting import long_date, percent
from app.reports.pdf.context import PlanContext, number, parse_date, yes_no
from app.reports.pdf.styles import (
    BODY_SIZE,
    CONTENT_WIDTH,
    Para,
    WholeRowTable,
    cell,
    styles,
    user_para,
)
from app.reports.pdf.tagging import TableTagger
from app.reports.text import markup, summary_opening

#: Section headings, in order; tests look for each of them in the PDF text.
HEADINGS = ("Summary of approach", "Who is involved", "Timeline",
            "Access and support commitments", "Budget", "Time overhead",
            "Uncertainty and contingency", "Risks and mitigations", "Approval record",
            "Easy read summary")


def heading(title: str, style: ParagraphStyle | None = None) -> Para:
    """A numbered section heading (bookmarked in the PDF outline)."""
    number_ = HEADINGS.index(title) + 1 if title in HEADINGS else None
    text = f"{number_}.&nbsp;&nbsp;{markup(title)}" if number_ else markup(title)
    return Para(text, style or styles().h1)


def subheading(title: str) -> Para:
    return Para(markup(title), styles().h2)


def section_start(title: str) -> list[Flowable]:
    """Start a section on the current page when at least a third of it is free."""
    return [CondPageBreak(250), heading(title)]


def callout(paragraphs: list[Flowable], fill=Palette.accent_light,
            edge=Palette.accent) -> Table:
    """A tinted box with a coloured left rule, for key figures and warnings."""
    box = WholeRowTable([[paragraphs]], colWidths=[CONTENT_WIDTH], hAlign="LEFT")
    box.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, -1), fill),
        ("LINEBEFORE", (0, 0), (0, -1), 3, edge),
        ("LEFTPADDING", (0, 0), (-1, -1), 10), ("RIGHTPADDING", (0, 0), (-1, -1), 10),
        ("TOPPADDING", (0, 0), (-1, -1), 7), ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
    ]))
    return box


def key_value_table(pairs: list[tuple[str, object]], label_width: float = 170) -> Table:
    """Two columns, label and value, with hairlines; values are user-safe."""
    value_width = CONTENT_WIDTH - label_width
    rows = [[cell(k, label_width, styles().cell_label),
             v if isinstance(v, Flowable) else cell(v, value_width)]
            for k, v in pairs]
    table = WholeRowTable(rows, colWidths=[label_width, value_width],
                  hAlign="LEFT", spaceAfter=10,
                  renderCB=TableTagger(header_columns=1))
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, Palette.grid),
        ("FONTNAME", (0, 0), (-1, -1), fonts().regular),
        ("FONTSIZE", (0, 0), (-1, -1), BODY_SIZE), ("LEADING", (0, 0), (-1, -1), 15),
        ("TEXTCOLOR", (0, 0), (-1, -1), Palette.ink),
        ("TEXTCOLOR", (0, 0), (0, -1), Palette.muted),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
    ]))
    return table


def bullets(items: list[str], user_text: bool = True) -> list[Para]:
    """Bulleted paragraphs; ``items`` are escaped unless already markup."""
    s = styles()
    return [Para(markup(i) if user_text else i, s.bullet, bulletText="•") for i in items]


def cover_pairs(ctx: PlanContext) -> list[tuple[str, str]]:
    """The cover's facts: client, reference, value, dates, scope, version, status, date."""
    bid = ctx.bid
    start = parse_date(bid.get("start_date"))
    return [
        ("Client or funder", bid.get("client") or "Not stated"),
        ("Bid reference", bid.get("reference") or "Not stated"),
        ("Bid value", format_gbp(bid.get("value_gbp") or 0)),
        ("Start and duration", f"{long_date(start) if start else 'Start not set'}, "
                               f"{number(bid.get('duration_months'))} months"),
        ("Scope and kind of work", f"{str(bid.get('scope', '')).capitalize()} "
                                   f"{bid.get('work_type', '')}".strip()),
        ("Client requires co-production", yes_no(bid.get("client_requires_coproduction"))),
        ("Version", ctx.version_label),
        ("Status", "DRAFT, not approved" if ctx.draft else "Final"),
        ("Date", long_date(ctx.document_date)),
    ]


def cover(ctx: PlanContext) -> list[Flowable]:
    """Bid title, client, reference, version, status and date; the headline figures."""
    s, est = styles(), ctx.estimate
    title_style = s.cover_title if len(ctx.title) <= 160 else s.cover_title_long
    pairs = cover_pairs(ctx)
    figures = Para(
        f"<b>Level of co-production:</b> {markup(ctx.level_name)}<br/>"
        f"<b>Co-production cost:</b> {format_gbp(est['total_gbp'])} "
        f"({percent(est['percent_of_bid'], 2)} of the bid value)<br/>"
        f"<b>Recommended contingency:</b> "
        f"{format_gbp(est['uncertainty']['recommended_contingency_gbp'])}<br/>"
        f"<b>Budget to request:</b> {format_gbp(budget_to_request_gbp(est))} "
        f"(the cost plus the contingency)<br/>"
        f"<b>Time added to the schedule:</b> {number(est['time']['overhead_weeks'])} weeks",
        s.callout)
    return [Spacer(1, 36), Para("CO-PRODUCTION PLAN", s.kicker),
            user_para(ctx.title, title_style), Spacer(1, 6), key_value_table(pairs),
            Spacer(1, 22), callout([figures]), PageBreak()]


def summary(ctx: PlanContext) -> list[Flowable]:
    """The approach, the level with its reasons (or the justification for none)."""
    s, est = styles(), ctx.estimate
    rec = est.get("recommendation") or {}
    story = section_start("Summary of approach") + [Para(summary_opening(
        f"<b>{markup(ctx.title)}</b>", markup(ctx.bid.get("client") or "the client"),
        ctx.level), s.body)]
    if est["lines"]:
        story.append(Para(
            f"With every session as planned it costs <b>{format_gbp(est['total_gbp'])}</b>; "
            f"the budget to request is <b>{format_gbp(budget_to_request_gbp(est))}</b>, which "
            f"adds the recommended contingency of "
            f"{format_gbp(est['uncertainty']['recommended_contingency_gbp'])} because sessions "
            f"overrun and staff time grows, often on several lines at once.", s.body))
    story += [subheading(f"Level chosen: {ctx.level_name}")]
    if level_description(ctx.level):
        story.append(Para(markup(level_description(ctx.level)), s.body))
    if ctx.level == "none":
        story += [subheading("Why there is no co-production in this bid"),
                  callout([user_para(ctx.plan.get("justification") or "", s.callout)],
                          Palette.warning_fill, Palette.warning)]
    recommended = rec.get("level")
    story.append(subheading(f"Recommended level: {level_label(recommended) or 'not given'}"))
    story += bullets([str(r) for r in rec.get("reasons") or []])
    if recommended and recommended != ctx.level:
        direction = ("higher" if LEVEL_ORDER.get(ctx.level, 0) > LEVEL_ORDER.get(recommended, 0)
                     else "lower")
        story.append(Para(f"This plan chooses a {direction} level than recommended.", s.body))
    if ctx.level != "none" and ctx.plan.get("justification"):
        story += [subheading("Notes on the level chosen"),
                  user_para(ctx.plan["justification"])]
    story += _notes(est.get("warnings") or [])
    return story


def _notes(warnings: list[Mapping]) -> list[Flowable]:
    """Warnings and suggestions from the engine, each with its advice."""
    if not warnings:
        return []
    s = styles()
    story: list[Flowable] = [subheading("Points to note")]
    for w in warnings:
        kind = str(w.get("kind") or "warning").capitalize()
        text = f"<b>{markup(kind)}:</b> {markup(w.get('message', ''))}"
        if w.get("advice"):
            text += f"<br/><i>What to do:</i> {markup(w['advice'])}"
        fill, edge = ((Palette.warning_fill, Palette.warning) if kind.lower() == "warning"
                      else (Palette.accent_light, Palette.accent))
        story += [callout([Para(text, s.callout)], fill, edge), Spacer(1, 6)]
    return story
